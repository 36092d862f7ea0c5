"""A transformation plan as its mandatory 8-section report.

Section 2 (general specifications) is structured fields; sections 1 and 3–8 are StreamFields over the
shared block library, following `plans.sections.SECTIONS`.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path, re_path
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms import visibility
from cms.api.fields import (
    BASE_PAGE_API_FIELDS,
    ChildPageField,
    DateValueField,
    MoneyField,
    SectionsField,
    SnippetField,
    StreamValueField,
)
from cms.blocks import SmartGoalBlock, SnippetBlock, StructBlock, report_blocks
from cms.distribution.models import DistributedPageMixin
from cms.forms import ReadinessPageForm
from cms.i18n import localize_digits
from cms.links import absolute_url, site_root_url
from cms.models import BasePage
from cms.panels import ReadinessChecklistPanel
from cms.publication import ChecklistItem
from plans import dashboard, kpi_data
from plans.models.deliverables import PlanDeliverables, PlanSourcePackage
from plans.models.kpi import KPI, copy_kpis
from plans.models.media_common import VisibleRoutesMixin
from plans.models.summary import ExecutiveSummaryPage
from plans.sections import SECTIONS
from plans.serializers import KPISeriesField

MIN_LESSONS = 5
# The `deliverables` the API and the portal expose: key → PlanDeliverables file field
DELIVERABLE_KEYS = {
    "report_pdf": "report_pdf",
    "summary_pdf": "summary_pdf",
    "guide_pdf": "guide_pdf",
    "epub": "epub",
    "pptx": "pptx",
    "package": "package",
    "qr": "qr",
    "qr_svg": "qr_svg",
}


class TeamMemberBlock(StructBlock):
    person = SnippetBlock("plans.Person", label=_("Person"))
    role = blocks.ChoiceBlock(
        choices=[("senior_manager", _("Senior manager")), ("team_member", _("Key team member"))],
        label=_("Role in the plan"),
    )
    responsibility = blocks.CharBlock(label=_("Responsibility"), max_length=250, required=False)


def section_field(number, help_text):
    """A report section's StreamField, labelled with the section's title."""
    return StreamField(
        report_blocks(), blank=True, verbose_name=SECTIONS[number - 1].title, help_text=help_text
    )


class PlanPage(VisibleRoutesMixin, DistributedPageMixin, BasePage):
    """One transformation plan of SSO's 20-plan programme, documented as an 8-section report."""

    # Section 2: general specifications
    plan_number = models.PositiveSmallIntegerField(
        _("plan number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The plan's number in the programme of 20 transformation plans."),
    )
    code = models.CharField(_("code"), max_length=32, blank=True)
    full_title = models.CharField(_("full title"), max_length=500, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    approved_budget_rials = models.PositiveBigIntegerField(
        _("approved budget (rials)"), null=True, blank=True
    )
    actual_cost_rials = models.PositiveBigIntegerField(_("actual cost (rials)"), null=True, blank=True)
    illustrative_notice = models.TextField(
        _("illustrative figures notice"),
        blank=True,
        help_text=_("Say which figures or names are illustrative; shown with the specifications."),
    )
    lead_unit = models.ForeignKey(
        "plans.OrganizationUnit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner_units = StreamField(
        [("unit", SnippetBlock("plans.OrganizationUnit", label=_("Unit")))],
        blank=True,
        verbose_name=_("partner units"),
    )
    team = StreamField(
        [("member", TeamMemberBlock())],
        blank=True,
        verbose_name=_("senior managers and team"),
    )
    macro_goals = StreamField(
        [("goal", blocks.CharBlock(label=_("Goal"), max_length=500))],
        blank=True,
        verbose_name=_("macro goals"),
    )
    smart_goals = StreamField(
        [("smart_goal", SmartGoalBlock())],
        blank=True,
        verbose_name=_("SMART goals"),
    )
    upstream_documents = StreamField(
        [("document", SnippetBlock("plans.UpstreamDocument", label=_("Document")))],
        blank=True,
        verbose_name=_("upstream documents"),
    )

    # Sections 1 and 3–8
    introduction = section_field(1, _("The methodology used to document the plan."))
    context = section_field(
        3, _("The situation before, main problems and bottlenecks, and the justification.")
    )
    implementation = section_field(
        4, _("Design, approval and notification; roadmap; governance; obstacles; main actions.")
    )
    achievements = section_field(
        5, _("KPIs before and after, qualitative results, forecast impact, innovations.")
    )
    lessons = section_field(6, _("At least five lessons, a success/failure factor matrix and direct quotes."))
    evaluation = section_field(
        7, _("Goal achievement, long-term analysis, proposals for scaling, advice to other funds.")
    )
    appendices = section_field(
        8, _("Approved documents, statistical tables, references, links to the digital version.")
    )

    base_form_class = ReadinessPageForm
    parent_page_types = ["plans.PlanIndexPage"]
    subpage_types = [
        "plans.ExecutiveSummaryPage",
        "plans.InfographicPage",
        "plans.PodcastSeriesPage",
        "plans.FilmPage",
        "cocreation.CallPage",  # plan 12's co-creation calls (by name: plans never imports it)
    ]

    specification_panels = [
        MultiFieldPanel(
            [
                FieldPanel("plan_number"),
                FieldPanel("code"),
                FieldPanel("full_title"),
                FieldPanel("start_date"),
                FieldPanel("end_date"),
            ],
            heading=_("Identification and dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("approved_budget_rials"),
                FieldPanel("actual_cost_rials"),
                FieldPanel("illustrative_notice"),
            ],
            heading=_("Budget"),
        ),
        FieldPanel("lead_unit"),
        FieldPanel("partner_units"),
        FieldPanel("team"),
        FieldPanel("macro_goals"),
        FieldPanel("smart_goals"),
        FieldPanel("upstream_documents"),
    ]
    content_panels = [
        ReadinessChecklistPanel(heading=_("Publication checklist")),
        *BasePage.content_panels,
    ]
    report_panels = [FieldPanel(section.field) for section in SECTIONS if section.field]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Overview")),
            ObjectList(specification_panels, heading=_("Section 2: specifications")),
            ObjectList(report_panels, heading=_("Report sections")),
            ObjectList(
                [*BasePage.promote_panels, *DistributedPageMixin.distribution_panels], heading=_("Promote")
            ),
            ObjectList(BasePage.settings_panels, heading=_("Settings")),
        ]
    )

    translatable_fields = [
        *BasePage.translatable_fields,
        *DistributedPageMixin.distribution_fields,
        TranslatableField("full_title"),
        TranslatableField("illustrative_notice"),
        TranslatableField("lead_unit"),
        TranslatableField("partner_units"),
        TranslatableField("team"),
        TranslatableField("macro_goals"),
        TranslatableField("smart_goals"),
        TranslatableField("upstream_documents"),
        *(TranslatableField(section.field) for section in SECTIONS if section.field),
        SynchronizedField("plan_number"),
        SynchronizedField("code"),
        SynchronizedField("start_date"),
        SynchronizedField("end_date"),
        SynchronizedField("approved_budget_rials"),
        SynchronizedField("actual_cost_rials"),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("full_title"),
        index.SearchField("code"),
        *(index.SearchField(section.field) for section in SECTIONS if section.field),
    ]

    api_fields = [
        *BASE_PAGE_API_FIELDS,
        APIField("plan_number"),
        APIField("code"),
        APIField("full_title"),
        APIField("start_date", serializer=DateValueField()),
        APIField("end_date", serializer=DateValueField()),
        APIField("approved_budget_rials", serializer=MoneyField()),
        APIField("actual_cost_rials", serializer=MoneyField()),
        APIField("illustrative_notice"),
        APIField("lead_unit", serializer=SnippetField()),
        *(
            APIField(name, serializer=StreamValueField())
            for name in ("partner_units", "team", "macro_goals", "smart_goals", "upstream_documents")
        ),
        APIField("sections", serializer=SectionsField()),
        *(APIField(section.field, serializer=StreamValueField()) for section in SECTIONS if section.field),
        APIField("executive_summary", serializer=ChildPageField("plans.ExecutiveSummaryPage")),
        APIField("kpis", serializer=KPISeriesField()),
    ]

    class Meta:
        verbose_name = _("plan report")
        verbose_name_plural = _("plan reports")

    sections = SECTIONS

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.plan_number:
            duplicate = (
                PlanPage.objects.filter(plan_number=self.plan_number, locale_id=self.locale_id)
                .exclude(translation_key=self.translation_key)
                .exists()
            )
            if duplicate:
                raise ValidationError(
                    {"plan_number": _("Another plan in this language already has this number.")}
                )

    def blocks_of(self, block_type, *fields):
        """The values of every block of `block_type` in the given section fields (all if none)."""
        fields = fields or [section.field for section in SECTIONS if section.field]
        return [
            block.value
            for field in fields
            for block in getattr(self, field)
            if block.block_type == block_type
        ]

    def publish_checklist(self):
        lessons = sum(len(value["items"]) for value in self.blocks_of("lessons", "lessons"))
        factor_kinds = {
            row["kind"] for value in self.blocks_of("factor_matrix", "lessons") for row in value["rows"]
        }
        kpi_rows = [row for value in self.blocks_of("kpi_table", "achievements") for row in value["rows"]]
        if self.translation_key:  # the plan's KPIs (in any language: their numbers are synchronized)
            kpis = KPI.objects.filter(plan__translation_key=self.translation_key)
            kpi_rows += [
                {"before": kpi.baseline_value, "after": value.value}
                for kpi in kpis.prefetch_related("values")
                for value in kpi.values.all()[:1]
            ]
        senior = [m for m in self.team if m.value["role"] == "senior_manager"]
        items = [
            ChecklistItem(
                f"section-{section.number}-empty",
                _("Section %(number)s (%(title)s) has content")
                % {"number": localize_digits(section.number), "title": section.title},
                bool(getattr(self, section.field)),
            )
            for section in SECTIONS
            if section.field
        ]
        items += [
            ChecklistItem(
                "plan-number", _("Section 2: plan number in the 20-plan programme"), bool(self.plan_number)
            ),
            ChecklistItem("code", _("Section 2: plan code"), bool(self.code)),
            ChecklistItem("full-title", _("Section 2: full title"), bool(self.full_title)),
            ChecklistItem(
                "dates", _("Section 2: start and end dates"), bool(self.start_date and self.end_date)
            ),
            ChecklistItem(
                "budget",
                _("Section 2: approved budget and actual cost"),
                self.approved_budget_rials is not None and self.actual_cost_rials is not None,
            ),
            ChecklistItem("lead-unit", _("Section 2: lead unit"), self.lead_unit_id is not None),
            ChecklistItem("senior-managers", _("Section 2: at least one senior manager"), bool(senior)),
            ChecklistItem("macro-goals", _("Section 2: macro goals"), bool(self.macro_goals)),
            ChecklistItem("smart-goals", _("Section 2: SMART goals"), bool(self.smart_goals)),
            ChecklistItem(
                "upstream-documents",
                _("Section 2: links to upstream documents"),
                bool(self.upstream_documents),
            ),
            ChecklistItem(
                "roadmap",
                _("Section 4: a roadmap with milestones"),
                bool(self.blocks_of("roadmap", "implementation")),
            ),
            ChecklistItem(
                "governance",
                _("Section 4: the governance structure"),
                bool(self.blocks_of("governance", "implementation")),
            ),
            ChecklistItem(
                "kpis",
                _("Section 5: at least one KPI with before and after values"),
                any(r["before"] is not None and r["after"] is not None for r in kpi_rows),
            ),
            ChecklistItem(
                "lessons",
                _("Section 6: at least %(count)s lessons learned (%(found)s now)")
                % {"count": localize_digits(MIN_LESSONS), "found": localize_digits(lessons)},
                lessons >= MIN_LESSONS,
            ),
            ChecklistItem(
                "factor-matrix",
                _("Section 6: a success/failure factor matrix with both kinds of factor"),
                factor_kinds >= {"success", "failure"},
            ),
            ChecklistItem(
                "quotes", _("Section 6: at least one direct quote"), bool(self.blocks_of("quote", "lessons"))
            ),
            ChecklistItem(
                "references",
                _("Section 8: at least one reference"),
                bool(self.blocks_of("reference", "appendices")),
            ),
        ]
        return items

    @cached_property
    def executive_summary(self):
        """The public executive summary under this plan, if any."""
        return visibility.public_pages(ExecutiveSummaryPage.objects.child_of(self)).first()

    @cached_property
    def hub_pages(self):
        """The plan's public companion pages, for the hub at the top of its page: {"infographics",
        "podcasts", "films"} → [page], in the editors' order, "others" (e.g. plan 12's co-creation
        call) and "summary", the executive summary or None (its title and URL only: its own fields are
        deferred; `executive_summary` has them), all in one query."""
        hub = {"infographics": [], "podcasts": [], "films": [], "others": [], "summary": None}
        keys = {"infographicpage": "infographics", "podcastseriespage": "podcasts", "filmpage": "films"}
        for child in visibility.public_pages(self.get_children()).specific(defer=True).order_by("path"):
            if child._meta.model_name == "executivesummarypage":  # the specific class: no query per child
                hub["summary"] = hub["summary"] or child
            else:
                hub[keys.get(child._meta.model_name, "others")].append(child)
        return hub

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = SECTIONS
        context["report_sections"] = [
            (section, getattr(self, section.field) if section.field else None) for section in SECTIONS
        ]
        # The public KPI series for section 5's #dashboard, read only when the cached fragment is rebuilt
        # (a KPI is a snippet: saving one changes the fragment's content version).
        context["dashboard_cards"] = lambda: dashboard.cards(kpi_data.plan_series(self))
        return context

    @path("")
    def report_view(self, request):
        return self.render(request)

    @path("dashboard/")
    def dashboard_view(self, request):
        """The plan's KPI dashboard: the URL its QR codes and PDFs point to."""
        return dashboard.plan_dashboard(self, request)

    @re_path(r"^dashboard/(csv|xlsx)/$")  # Wagtail serves paths of words and slashes only
    def dashboard_download(self, request, fmt):
        return dashboard.plan_download(self, request, fmt)

    @re_path(r"^dashboard/cards/(square|wide)/$")
    def dashboard_plan_card(self, request, size):
        return dashboard.plan_card(self, request, size)

    @re_path(r"^dashboard/cards/(\d+)/(square|wide)/$")
    def dashboard_kpi_card(self, request, kpi_id, size):
        return dashboard.kpi_card(self, request, int(kpi_id), size)

    def copy(self, *args, **kwargs):
        """A copy with a translation key of its own gets copies of the plan's KPIs (they point to the
        plan, they are not its child objects)."""
        copy = super().copy(*args, **kwargs)
        if copy.translation_key != self.translation_key:
            copy_kpis(self, copy)
        return copy

    def kpi_series(self):
        """The plan's public KPI series (`plans.kpi_data.Series`), for the deliverables."""
        return kpi_data.plan_series(self)

    @property
    def dashboard_url(self):
        return f"{self.url}dashboard/" if self.url else ""

    # Loaded with the page by the API's detail (`select_related`), so its deliverables cost no query.
    api_select_related = ("generated_deliverables", "source_package")

    def one_to_one(self, name, model):
        """The record of the reverse one-to-one `name`: the one loaded with the page when a caller
        selected it, else read now (not cached on the page: a build may make it a moment later)."""
        if getattr(type(self), name).is_cached(self):
            return getattr(self, name, None)
        return model.objects.filter(page=self).first()

    def deliverable_urls(self, fields, absolute=True):
        """{key: URL or None} of the generated files named by `fields` (key → file field); local media
        URLs are made absolute with the site's root URL unless `absolute` is false."""
        record = self.one_to_one("generated_deliverables", PlanDeliverables)
        root = site_root_url(self) if absolute else ""

        def url(field):
            file = getattr(record, field) if record else None
            return absolute_url(file.url, root) if file else None

        return {key: url(field) for key, field in fields.items()}

    def get_deliverables(self):
        """URLs of the generated deliverables (None for those not built yet), for the portal and API;
        the source package's once an approver has released it (`cms.visibility` decides)."""
        urls = self.deliverable_urls(DELIVERABLE_KEYS)
        package = self.one_to_one("source_package", PlanSourcePackage)
        public = package is not None and package.file and visibility.is_public(package)
        urls["source_package"] = absolute_url(package.file.url, site_root_url(self)) if public else None
        return urls

    @cached_property
    def deliverable_files(self):
        """The deliverables' URLs and the dashboard's QR codes, for section 8 of the plan page."""
        return self.deliverable_urls(
            {**DELIVERABLE_KEYS, "dashboard_qr": "dashboard_qr", "dashboard_qr_svg": "dashboard_qr_svg"},
            absolute=False,  # the portal links work on whichever host serves it
        )

    @cached_property
    def senior_managers(self):
        return [member.value for member in self.team if member.value["role"] == "senior_manager"]

    @cached_property
    def team_members(self):
        return [member.value for member in self.team if member.value["role"] == "team_member"]
