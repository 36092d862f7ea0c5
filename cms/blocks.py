"""The StreamField block library shared by every report section and content type.

Blocks carry structure that the reader, the readiness checks and (later) the PDF/PPTX generators and
the API rely on: lessons, success/failure factors, before/after KPIs, roadmap milestones, governance
bodies. Text children are translated by wagtail-localize; choices, numbers and dates are synchronized.
"""

import copy

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.forms import JalaliDateField, JalaliDateInput
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

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/paragraph.html"


class HeadingBlock(blocks.StructBlock):
    """A sub-heading inside a section (sections themselves carry the h2)."""

    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h3", _("Level 3")), ("h4", _("Level 4"))], default="h3", label=_("Level")
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    """A direct quote from a manager, implementer or stakeholder."""

    text = blocks.TextBlock(label=_("Quote"))
    speaker = blocks.CharBlock(label=_("Speaker"), max_length=200)
    role = blocks.CharBlock(label=_("Role"), max_length=200, required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class LessonBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Lesson"), max_length=250)
    lesson = blocks.TextBlock(label=_("What we learned"))
    recommendation = blocks.TextBlock(label=_("Recommendation"), required=False)


class LessonsLearnedBlock(blocks.StructBlock):
    """The key lessons of a plan (section 6 needs at least five across the section)."""

    items = blocks.ListBlock(LessonBlock(), min_num=1, label=_("Lessons"))

    class Meta:
        icon = "pick"
        label = _("Lessons learned")
        template = "blocks/lessons.html"


class FactorBlock(blocks.StructBlock):
    factor = blocks.CharBlock(label=_("Factor"), max_length=250)
    kind = blocks.ChoiceBlock(
        choices=[("success", _("Success factor")), ("failure", _("Failure or risk factor"))],
        label=_("Kind"),
    )
    category = blocks.ChoiceBlock(choices=FACTOR_CATEGORIES, label=_("Category"))
    evidence = blocks.TextBlock(label=_("Evidence"), required=False)


class FactorMatrixBlock(blocks.StructBlock):
    """Success/failure factor matrix: each factor with its kind, category and evidence."""

    rows = blocks.ListBlock(FactorBlock(), min_num=1, label=_("Factors"))

    class Meta:
        icon = "table"
        label = _("Success/failure factor matrix")
        template = "blocks/factor_matrix.html"


class KPIRowBlock(blocks.StructBlock):
    indicator = blocks.CharBlock(label=_("Indicator"), max_length=250)
    unit = blocks.CharBlock(label=_("Unit"), max_length=60, required=False)
    before = blocks.DecimalBlock(label=_("Before"), required=False, decimal_places=2)
    after = blocks.DecimalBlock(label=_("After"), required=False, decimal_places=2)
    target = blocks.DecimalBlock(label=_("Target"), required=False, decimal_places=2)
    period = blocks.CharBlock(label=_("Period"), max_length=100, required=False)
    source = blocks.CharBlock(label=_("Source"), max_length=250, required=False)


class KPITableBlock(blocks.StructBlock):
    """Key performance indicators before and after the plan, with target, period and source."""

    caption = blocks.CharBlock(label=_("Caption"), max_length=250)
    illustrative = blocks.BooleanBlock(
        label=_("Figures are illustrative"), required=False, default=False
    )
    rows = blocks.ListBlock(KPIRowBlock(), min_num=1, label=_("Indicators"))

    class Meta:
        icon = "table"
        label = _("KPI table")
        template = "blocks/kpi_table.html"


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

    class Meta:
        icon = "date"


class MilestoneBlock(blocks.StructBlock):
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


class RoadmapBlock(blocks.StructBlock):
    """Roadmap / Gantt milestones (title, start, end, owner, status)."""

    milestones = blocks.ListBlock(MilestoneBlock(), min_num=1, label=_("Milestones"))

    class Meta:
        icon = "date"
        label = _("Roadmap")
        template = "blocks/roadmap.html"


class GovernanceBodyBlock(blocks.StructBlock):
    body = blocks.CharBlock(label=_("Body"), max_length=200)
    role = blocks.TextBlock(label=_("Role"))
    members = blocks.TextBlock(label=_("Members"), required=False)


class GovernanceBlock(blocks.StructBlock):
    """Governance structure: steering committee, secretariat, working teams."""

    bodies = blocks.ListBlock(GovernanceBodyBlock(), min_num=1, label=_("Bodies"))

    class Meta:
        icon = "group"
        label = _("Governance structure")
        template = "blocks/governance.html"


class ChallengeBlock(blocks.StructBlock):
    category = blocks.ChoiceBlock(choices=FACTOR_CATEGORIES, label=_("Category"))
    challenge = blocks.TextBlock(label=_("Challenge"))
    response = blocks.TextBlock(label=_("How it was handled"), required=False)


class ChallengesBlock(blocks.StructBlock):
    """Problems and bottlenecks, by category, with how each was handled."""

    items = blocks.ListBlock(ChallengeBlock(), min_num=1, label=_("Challenges"))

    class Meta:
        icon = "warning"
        label = _("Challenges")
        template = "blocks/challenges.html"


class ActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Action"), max_length=250)
    description = blocks.TextBlock(label=_("Description"), required=False)
    status = blocks.ChoiceBlock(choices=PROGRESS_STATUSES, label=_("Status"), default="done")


class ActionsBlock(blocks.StructBlock):
    """Main actions and sub-projects of a plan."""

    items = blocks.ListBlock(ActionBlock(), min_num=1, label=_("Actions"))

    class Meta:
        icon = "list-ul"
        label = _("Main actions and sub-projects")
        template = "blocks/actions.html"


class ImpactBlock(blocks.StructBlock):
    area = blocks.ChoiceBlock(choices=IMPACT_AREAS, label=_("Area"))
    forecast = blocks.TextBlock(label=_("Forecast impact"))
    horizon = blocks.CharBlock(label=_("Horizon"), max_length=100, required=False)


class ImpactForecastBlock(blocks.StructBlock):
    """Forecast impact on revenue, costs and stakeholder satisfaction."""

    items = blocks.ListBlock(ImpactBlock(), min_num=1, label=_("Forecasts"))

    class Meta:
        icon = "view"
        label = _("Impact forecast")
        template = "blocks/impact_forecast.html"


class GoalAchievementItemBlock(blocks.StructBlock):
    goal = blocks.CharBlock(label=_("Goal"), max_length=250)
    achievement_percent = blocks.IntegerBlock(
        label=_("Achieved (%)"), min_value=0, max_value=100
    )
    comment = blocks.TextBlock(label=_("Comment"), required=False)


class GoalAchievementBlock(blocks.StructBlock):
    """How far each goal was achieved, in percent."""

    items = blocks.ListBlock(GoalAchievementItemBlock(), min_num=1, label=_("Goals"))

    class Meta:
        icon = "tick"
        label = _("Goal achievement")
        template = "blocks/goal_achievement.html"


class ChecklistBlock(blocks.StructBlock):
    """A checklist (implementation guide, knowledge transfer)."""

    title = blocks.CharBlock(label=_("Title"), max_length=250)
    items = blocks.ListBlock(blocks.CharBlock(max_length=500), min_num=1, label=_("Items"))

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "blocks/checklist.html"


class NoteBlock(blocks.StructBlock):
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


class FigureBlock(blocks.StructBlock):
    """An image with alt text, caption and credit."""

    image = RenditionPrefetchingImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alt text"), max_length=300,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=300, required=False)
    credit = blocks.CharBlock(label=_("Credit"), max_length=200, required=False)

    class Meta:
        icon = "image"
        label = _("Figure")
        template = "blocks/figure.html"


class DocumentLinkBlock(blocks.StructBlock):
    """A link to a document in the document library."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), max_length=250, required=False)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document link")
        template = "blocks/document_link.html"


class ReferenceBlock(blocks.StructBlock):
    """A citation in the reference list."""

    citation = blocks.TextBlock(label=_("Citation"))
    url = blocks.URLBlock(label=_("URL"), required=False)
    year = blocks.CharBlock(label=_("Year"), max_length=20, required=False)

    class Meta:
        icon = "link"
        label = _("Reference")
        template = "blocks/reference.html"


class ExternalLinkBlock(blocks.StructBlock):
    """A link out, e.g. to the digital version or the interactive dashboard."""

    title = blocks.CharBlock(label=_("Title"), max_length=250)
    url = blocks.URLBlock(label=_("URL"))
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "link-external"
        label = _("External link")
        template = "blocks/external_link.html"


class SmartGoalBlock(blocks.StructBlock):
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
