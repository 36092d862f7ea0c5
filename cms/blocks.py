"""The StreamField block library shared by every report section and content type.

Blocks carry structure that the reader, the readiness checks and (later) the PDF/PPTX generators and
the API rely on: lessons, success/failure factors, before/after KPIs, roadmap milestones, governance
bodies. Text children are translated by wagtail-localize; choices, numbers and dates are synchronized.

Each block speaks for itself: its API JSON (`get_api_representation`), the JSON schema of that JSON
(`api_schema()`, read by /api/schema/ through `api_schema(block)`), its admin preview and its validation.
The API passes its per-response `Serialization` as `context["serialization"]`; blocks ask it for the value
formats they share with page fields (images, documents, snippets, dates, rich text), so the core names no
API module.
"""

import copy
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.forms import JalaliDateField, JalaliDateInput, LocalizedDecimalField, LocalizedIntegerField
from cms.i18n import to_ascii_digits
from cms.json_schema import BOOLEAN, STRING, nullable, obj, ref
from cms.sanitize import clean_rich_text

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]

FACTOR_CATEGORIES = [
    ("institutional", _("Institutional")),
    ("legal", _("Legal")),
    ("financial", _("Financial")),
    ("social", _("Social")),
    ("managerial", _("Managerial")),
    ("technical", _("Technical")),
    ("cultural", _("Cultural")),
]
PROGRESS_STATUSES = [
    ("done", _("Done")),
    ("in_progress", _("In progress")),
    ("planned", _("Planned")),
    ("delayed", _("Delayed")),
]
IMPACT_AREAS = [
    ("revenue", _("Revenue")),
    ("costs", _("Costs")),
    ("satisfaction", _("Stakeholder satisfaction")),
]


def api_schema(block):
    """The JSON schema of `block.get_api_representation()`: the block's own `api_schema()`, else that of
    the Wagtail block kinds used as they are (streams, lists, choices, check boxes, text)."""
    if hasattr(block, "api_schema"):
        return block.api_schema()
    if isinstance(block, blocks.StreamBlock):
        variants = [
            obj({"type": {"const": name}, "value": api_schema(child), "id": STRING})
            for name, child in block.child_blocks.items()
        ]
        return {"type": "array", "items": {"oneOf": variants}}
    if isinstance(block, blocks.ListBlock):
        return {"type": "array", "items": api_schema(block.child_block)}
    if isinstance(block, blocks.ChoiceBlock):
        choices = [str(key) for key, _label in block.field.choices]
        return {"type": ["string", "null"], "enum": [*choices, None]}
    if isinstance(block, blocks.BooleanBlock):
        return nullable(BOOLEAN)
    return nullable(STRING)


class StructBlock(blocks.StructBlock):
    """A struct whose API JSON is its children's JSON, each choice followed by its label in the reader's
    language (`kind`, `kind_display`)."""

    def get_api_representation(self, value, context=None):
        data = {}
        for name, child in self.child_blocks.items():
            data[name] = child.get_api_representation(value.get(name), context=context)
            if isinstance(child, blocks.ChoiceBlock):
                choice = value.get(name)
                data[f"{name}_display"] = str(dict(child.field.choices).get(choice, "")) if choice else None
        return data

    def api_schema(self):
        properties = {}
        for name, child in self.child_blocks.items():
            properties[name] = api_schema(child)
            if isinstance(child, blocks.ChoiceBlock):
                properties[f"{name}_display"] = nullable(STRING)
        return obj(properties)


def items_block(name, item_block, item_label, *, field="items", **meta):
    """A report block that is a non-empty list of `item_block`s under `field` (lessons, factors,
    milestones, …), with its `Meta` from `meta` (icon, label, template, description).

    The class is created as `name` in this module, so it keeps the dotted path and name it always had.
    """
    return type(StructBlock)(
        name,
        (StructBlock,),
        {
            "__module__": __name__,
            "__qualname__": name,
            field: blocks.ListBlock(item_block, min_num=1, label=item_label),
            "Meta": type("Meta", (), meta),
        },
    )


class SanitizedRichTextBlock(blocks.RichTextBlock):
    """Rich text that is sanitized with nh3 whenever it is validated or stored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    def get_prep_value(self, value):
        return clean_rich_text(super().get_prep_value(value))

    def clean(self, value):
        value = super().clean(value)
        return self.to_python(clean_rich_text(value.source))

    def get_api_representation(self, value, context=None):
        """In the response's `rich_text_format` (display HTML by default)."""
        return context["serialization"].rich_text(value.source if value else "")

    def api_schema(self):
        return STRING

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/paragraph.html"
        description = _("Formatted text: bold, italic, links and lists.")
        preview_value = _("Insured people can now apply for their pension online, without visiting a branch.")


class HeadingLevelBlock(blocks.ChoiceBlock):
    """A heading's level is how it looks, not what it says: never searched (every heading's «سطح ۳» was
    in the search index). Migrations see a plain ChoiceBlock (ChoiceBlock.deconstruct)."""

    def get_searchable_content(self, value):
        return []


class HeadingBlock(StructBlock):
    """A sub-heading inside a section (sections themselves carry the h2)."""

    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = HeadingLevelBlock(
        choices=[("h3", _("Level 3")), ("h4", _("Level 4"))], default="h3", label=_("Level")
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"
        description = _("A sub-heading inside a section.")
        preview_value = {"text": _("Results of the first year"), "level": "h3"}


class QuoteBlock(StructBlock):
    """A direct quote from a manager, implementer or stakeholder."""

    text = blocks.TextBlock(label=_("Quote"))
    speaker = blocks.CharBlock(label=_("Speaker"), max_length=200)
    role = blocks.CharBlock(label=_("Role"), max_length=200, required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"
        description = _("A direct quote from a manager, implementer or stakeholder.")
        preview_value = {
            "text": _("Going online halved the time pensioners wait."),
            "speaker": _("The plan's director"),
            "role": _("Deputy for insurance affairs"),
        }


class LessonBlock(StructBlock):
    title = blocks.CharBlock(label=_("Lesson"), max_length=250)
    lesson = blocks.TextBlock(label=_("What we learned"))
    recommendation = blocks.TextBlock(label=_("Recommendation"), required=False)


LessonsLearnedBlock = items_block(
    "LessonsLearnedBlock",
    LessonBlock(),
    _("Lessons"),
    icon="pick",
    label=_("Lessons learned"),
    template="blocks/lessons.html",
    description=_("The key lessons of a plan (section 6 needs at least five across the section)."),
    preview_value={
        "items": [
            {
                "title": _("Involve the branches early"),
                "lesson": _("Branch staff found problems the design team had missed."),
                "recommendation": _("Try every change in two branches first."),
            }
        ]
    },
)


class FactorBlock(StructBlock):
    factor = blocks.CharBlock(label=_("Factor"), max_length=250)
    kind = blocks.ChoiceBlock(
        choices=[("success", _("Success factor")), ("failure", _("Failure or risk factor"))],
        label=_("Kind"),
    )
    category = blocks.ChoiceBlock(choices=FACTOR_CATEGORIES, label=_("Category"))
    evidence = blocks.TextBlock(label=_("Evidence"), required=False)


FactorMatrixBlock = items_block(
    "FactorMatrixBlock",
    FactorBlock(),
    _("Factors"),
    field="rows",
    icon="table",
    label=_("Success/failure factor matrix"),
    template="blocks/factor_matrix.html",
    description=_("Success and failure factors, each with its kind, category and evidence."),
    preview_value={
        "rows": [
            {
                "factor": _("Support from senior management"),
                "kind": "success",
                "category": "managerial",
                "evidence": _("Monthly steering committee meetings."),
            }
        ]
    },
)


class NumberBlock(blocks.DecimalBlock):
    """A decimal number (a KPI's value), a JSON number in the API. Typed in a text input with Persian or
    ASCII digits, ٬ and ٫ (`LocalizedDecimalField`), and shown back formatted."""

    def __init__(
        self,
        required=True,
        help_text=None,
        max_value=None,
        min_value=None,
        max_digits=None,
        decimal_places=None,
        validators=(),
        **kwargs,
    ):
        super().__init__(
            required, help_text, max_value, min_value, max_digits, decimal_places, validators, **kwargs
        )
        self.field = LocalizedDecimalField(
            required=required,
            help_text=help_text,
            max_value=max_value,
            min_value=min_value,
            max_digits=max_digits,
            decimal_places=decimal_places,
            validators=validators,
        )

    def to_python(self, value):
        """A stored JSON number read back as a float is the decimal it was written as (9.4, not
        9.4000000000000003…, which full validation refuses for its decimal places)."""
        return super().to_python(str(value) if isinstance(value, float) else value)

    def get_api_representation(self, value, context=None):
        return None if value is None else float(value)

    def api_schema(self):
        return nullable({"type": "number"})


class WholeNumberBlock(blocks.IntegerBlock):
    """A whole number (e.g. a percentage), a JSON integer in the API whichever digits it was typed in.
    Typed in a text input with Persian or ASCII digits and ٬ (`LocalizedIntegerField`)."""

    def __init__(
        self, required=True, help_text=None, min_value=None, max_value=None, validators=(), **kwargs
    ):
        super().__init__(required, help_text, min_value, max_value, validators, **kwargs)
        self.field = LocalizedIntegerField(
            required=required,
            help_text=help_text,
            min_value=min_value,
            max_value=max_value,
            validators=validators,
        )

    def get_api_representation(self, value, context=None):
        return None if value in (None, "") else int(to_ascii_digits(value))

    def api_schema(self):
        return nullable({"type": "integer"})


class KPIRowBlock(StructBlock):
    indicator = blocks.CharBlock(label=_("Indicator"), max_length=250)
    unit = blocks.CharBlock(label=_("Unit"), max_length=60, required=False)
    before = NumberBlock(label=_("Before"), required=False, decimal_places=2)
    after = NumberBlock(label=_("After"), required=False, decimal_places=2)
    target = NumberBlock(label=_("Target"), required=False, decimal_places=2)
    period = blocks.CharBlock(label=_("Period"), max_length=100, required=False)
    source = blocks.CharBlock(label=_("Source"), max_length=250, required=False)


class KPITableBlock(StructBlock):
    """Key performance indicators before and after the plan, with target, period and source."""

    caption = blocks.CharBlock(label=_("Caption"), max_length=250)
    illustrative = blocks.BooleanBlock(label=_("Figures are illustrative"), required=False, default=False)
    rows = blocks.ListBlock(KPIRowBlock(), min_num=1, label=_("Indicators"))

    class Meta:
        icon = "table"
        label = _("KPI table")
        template = "blocks/kpi_table.html"
        description = _(
            "Key performance indicators before and after the plan, with target, period and source."
        )
        preview_value = {
            "caption": _("Service indicators"),
            "illustrative": True,
            "rows": [
                {
                    "indicator": _("Average waiting time"),
                    "unit": _("days"),
                    "before": "45",
                    "after": "12",
                    "target": "10",
                    "period": "1402–1404",
                    "source": _("Annual statistics"),
                },
            ],
        }


class JalaliDateBlock(blocks.DateBlock):
    """A date typed in the admin's calendar (Jalali on fa), stored as an ISO Gregorian date."""

    @cached_property
    def field(self):
        return JalaliDateField(widget=JalaliDateInput(), **self.field_options)

    def value_for_form(self, value):
        return self.field.widget.format_value(value)

    def value_from_form(self, value):
        try:
            return self.field.to_python(value)
        except ValidationError:
            return value  # clean() reports it to the editor

    def get_api_representation(self, value, context=None):
        """{"iso", "jalali", "display"} in the reader's language."""
        return context["serialization"].date(value)

    def api_schema(self):
        return nullable(ref("LocalizedDate"))

    class Meta:
        icon = "date"


class MilestoneBlock(StructBlock):
    title = blocks.CharBlock(label=_("Milestone"), max_length=250)
    start = JalaliDateBlock(label=_("Start"))
    end = JalaliDateBlock(label=_("End"))
    owner = blocks.CharBlock(label=_("Owner"), max_length=200, required=False)
    status = blocks.ChoiceBlock(choices=PROGRESS_STATUSES, label=_("Status"), default="planned")

    def clean(self, value):
        value = super().clean(value)
        if value["start"] and value["end"] and value["end"] < value["start"]:
            raise StructBlockValidationError(
                block_errors={"end": ValidationError(_("The end date is before the start date."))}
            )
        return value


RoadmapBlock = items_block(
    "RoadmapBlock",
    MilestoneBlock(),
    _("Milestones"),
    field="milestones",
    icon="date",
    label=_("Roadmap"),
    template="blocks/roadmap.html",
    description=_("Roadmap milestones: title, start, end, owner and status."),
    preview_value={
        "milestones": [
            {
                "title": _("Pilot in two provinces"),
                "start": date(2024, 3, 20),
                "end": date(2024, 9, 21),
                "owner": _("IT department"),
                "status": "done",
            }
        ]
    },
)


class GovernanceBodyBlock(StructBlock):
    body = blocks.CharBlock(label=_("Body"), max_length=200)
    role = blocks.TextBlock(label=_("Role"))
    members = blocks.TextBlock(label=_("Members"), required=False)


GovernanceBlock = items_block(
    "GovernanceBlock",
    GovernanceBodyBlock(),
    _("Bodies"),
    field="bodies",
    icon="group",
    label=_("Governance structure"),
    template="blocks/governance.html",
    description=_("Governance structure: steering committee, secretariat, working teams."),
    preview_value={
        "bodies": [
            {
                "body": _("Steering committee"),
                "role": _("Approves the roadmap and the budget."),
                "members": _("The deputies and the plan's director"),
            }
        ]
    },
)


class ChallengeBlock(StructBlock):
    category = blocks.ChoiceBlock(choices=FACTOR_CATEGORIES, label=_("Category"))
    challenge = blocks.TextBlock(label=_("Challenge"))
    response = blocks.TextBlock(label=_("How it was handled"), required=False)


ChallengesBlock = items_block(
    "ChallengesBlock",
    ChallengeBlock(),
    _("Challenges"),
    icon="warning",
    label=_("Challenges"),
    template="blocks/challenges.html",
    description=_("Problems and bottlenecks, by category, with how each was handled."),
    preview_value={
        "items": [
            {
                "category": "technical",
                "challenge": _("Old systems could not exchange data."),
                "response": _("A shared data service was built."),
            }
        ]
    },
)


class ActionBlock(StructBlock):
    title = blocks.CharBlock(label=_("Action"), max_length=250)
    description = blocks.TextBlock(label=_("Description"), required=False)
    status = blocks.ChoiceBlock(choices=PROGRESS_STATUSES, label=_("Status"), default="done")


ActionsBlock = items_block(
    "ActionsBlock",
    ActionBlock(),
    _("Actions"),
    icon="list-ul",
    label=_("Main actions and sub-projects"),
    template="blocks/actions.html",
    description=_("Main actions and sub-projects of a plan."),
    preview_value={
        "items": [
            {
                "title": _("Online pension application"),
                "description": _("One form instead of five visits."),
                "status": "done",
            }
        ]
    },
)


class ImpactBlock(StructBlock):
    area = blocks.ChoiceBlock(choices=IMPACT_AREAS, label=_("Area"))
    forecast = blocks.TextBlock(label=_("Forecast impact"))
    horizon = blocks.CharBlock(label=_("Horizon"), max_length=100, required=False)


ImpactForecastBlock = items_block(
    "ImpactForecastBlock",
    ImpactBlock(),
    _("Forecasts"),
    icon="view",
    label=_("Impact forecast"),
    template="blocks/impact_forecast.html",
    description=_("Forecast impact on revenue, costs and stakeholder satisfaction."),
    preview_value={
        "items": [
            {
                "area": "costs",
                "forecast": _("Fewer branch visits lower the cost of service."),
                "horizon": _("Three years"),
            }
        ]
    },
)


class GoalAchievementItemBlock(StructBlock):
    goal = blocks.CharBlock(label=_("Goal"), max_length=250)
    achievement_percent = WholeNumberBlock(label=_("Achieved (%)"), min_value=0, max_value=100)
    comment = blocks.TextBlock(label=_("Comment"), required=False)


GoalAchievementBlock = items_block(
    "GoalAchievementBlock",
    GoalAchievementItemBlock(),
    _("Goals"),
    icon="tick",
    label=_("Goal achievement"),
    template="blocks/goal_achievement.html",
    description=_("How far each goal was achieved, in percent."),
    preview_value={
        "items": [
            {
                "goal": _("Online pension application"),
                "achievement_percent": 80,
                "comment": _("Two provinces remain."),
            }
        ]
    },
)


class ChecklistBlock(StructBlock):
    """A checklist (implementation guide, knowledge transfer)."""

    title = blocks.CharBlock(label=_("Title"), max_length=250)
    items = blocks.ListBlock(blocks.CharBlock(max_length=500), min_num=1, label=_("Items"))

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "blocks/checklist.html"
        description = _("A checklist, e.g. for an implementation guide or knowledge transfer.")
        preview_value = {
            "title": _("Before going live"),
            "items": [_("Train the branch staff"), _("Publish the user guide")],
        }


class NoteBlock(StructBlock):
    """A highlighted note, e.g. one that marks figures as illustrative."""

    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("illustrative", _("Illustrative figures"))],
        default="info",
        label=_("Kind"),
    )
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "info-circle"
        label = _("Note")
        template = "blocks/note.html"
        description = _("A highlighted note, e.g. one that marks figures as illustrative.")
        preview_value = {"kind": "illustrative", "text": _("The figures in this section are illustrative.")}


class RenditionPrefetchingImageChooserBlock(ImageChooserBlock):
    """An image chooser that loads all images of a stream, with their renditions, in two queries."""

    def bulk_to_python(self, values):
        images = self.model_class.objects.prefetch_renditions().in_bulk(values)
        result, seen = [], set()
        for pk in values:
            image = images.get(pk)
            result.append(copy.copy(image) if image is not None and pk in seen else image)
            seen.add(pk)
        return result

    def get_api_representation(self, value, context=None):
        """Its renditions; null when the image is in a restricted collection."""
        return context["serialization"].image(value)

    def api_schema(self):
        return nullable(ref("Image"))


class DocumentBlock(DocumentChooserBlock):
    """A document from the library; in the API its title and download URL, null when restricted."""

    def get_api_representation(self, value, context=None):
        return context["serialization"].document(value)

    def api_schema(self):
        return nullable(ref("Document"))


class SnippetBlock(SnippetChooserBlock):
    """A snippet (organization unit, person, upstream document …), inlined with its columns in the API."""

    def get_api_representation(self, value, context=None):
        return context["serialization"].snippet(value)

    def api_schema(self):
        return nullable(ref(f"Snippet.{self.target_model._meta.label}"))


class FigureBlock(StructBlock):
    """An image with alt text, caption and credit."""

    image = RenditionPrefetchingImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alt text"),
        max_length=300,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=300, required=False)
    credit = blocks.CharBlock(label=_("Credit"), max_length=200, required=False)

    class Meta:
        icon = "image"
        label = _("Figure")
        template = "blocks/figure.html"
        description = _("An image with alt text, caption and credit.")


class DocumentLinkBlock(StructBlock):
    """A link to a document in the document library."""

    document = DocumentBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), max_length=250, required=False)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document link")
        template = "blocks/document_link.html"
        description = _("A link to a document in the document library.")


class ReferenceBlock(StructBlock):
    """A citation in the reference list."""

    citation = blocks.TextBlock(label=_("Citation"))
    url = blocks.URLBlock(label=_("URL"), required=False)
    year = blocks.CharBlock(label=_("Year"), max_length=20, required=False)

    class Meta:
        icon = "link"
        label = _("Reference")
        template = "blocks/reference.html"
        description = _("A citation in the reference list.")
        preview_value = {
            "citation": _("Social Security Organization, annual statistical report."),
            "url": "https://www.tamin.ir/",
            "year": "1403",
        }


class ExternalLinkBlock(StructBlock):
    """A link out, e.g. to the digital version or the interactive dashboard."""

    title = blocks.CharBlock(label=_("Title"), max_length=250)
    url = blocks.URLBlock(label=_("URL"))
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "link-external"
        label = _("External link")
        template = "blocks/external_link.html"
        description = _("A link out, e.g. to the digital version or the interactive dashboard.")
        preview_value = {
            "title": _("Interactive dashboard"),
            "url": "https://www.tamin.ir/",
            "description": _("The indicators, updated every month."),
        }


class SmartGoalBlock(StructBlock):
    """A SMART goal: specific, measurable, achievable, relevant, time-bound."""

    specific = blocks.TextBlock(label=_("Specific"))
    measurable = blocks.TextBlock(label=_("Measurable"))
    achievable = blocks.TextBlock(label=_("Achievable"))
    relevant = blocks.TextBlock(label=_("Relevant"))
    time_bound = blocks.TextBlock(label=_("Time-bound"))

    class Meta:
        icon = "crosshairs"
        label = _("SMART goal")
        template = "blocks/smart_goal.html"
        description = _("A SMART goal: specific, measurable, achievable, relevant, time-bound.")
        preview_value = {
            "specific": _("Pension applications are made online."),
            "measurable": _("Four in five applications arrive online."),
            "achievable": _("The online form already works in two provinces."),
            "relevant": _("It shortens the wait of new pensioners."),
            "time_bound": _("By the end of 1405."),
        }


def report_blocks():
    """The blocks an 8-section report and an executive summary are written with."""
    return [
        ("heading", HeadingBlock()),
        ("paragraph", SanitizedRichTextBlock()),
        ("quote", QuoteBlock()),
        ("lessons", LessonsLearnedBlock()),
        ("factor_matrix", FactorMatrixBlock()),
        ("kpi_table", KPITableBlock()),
        ("roadmap", RoadmapBlock()),
        ("governance", GovernanceBlock()),
        ("challenges", ChallengesBlock()),
        ("actions", ActionsBlock()),
        ("impact_forecast", ImpactForecastBlock()),
        ("goal_achievement", GoalAchievementBlock()),
        ("checklist", ChecklistBlock()),
        ("note", NoteBlock()),
        ("figure", FigureBlock()),
        ("document_link", DocumentLinkBlock()),
        ("reference", ReferenceBlock()),
        ("external_link", ExternalLinkBlock()),
    ]
