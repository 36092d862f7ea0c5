"""Key performance indicators as content: one KPI belongs to one plan and carries its series.

A KPI is a translatable snippet (its name, definition, unit, source and notes are translated by
wagtail-localize; its numbers, dates, direction and confidentiality are synchronized). Its values are
stored once, as decimals, each against the first day of its Jalali period (year, quarter or month):
the dashboard, the report's section 5, the API, the CSV/XLSX downloads and the deck all read them from
here (`plans.kpi_data`), so no number is typed twice.

Confidentiality decides who may see a series: public series leave through every public door, internal
ones only to signed-in people, confidential ones never leave the admin (`KPI.objects.visible_to()`).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.i18n import CleanTitlesMixin
from plans.periods import PeriodKind, period_start


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (signed-in people only)")
    CONFIDENTIAL = "confidential", _("Confidential (never published)")


def amount_field(verbose_name, **kwargs):
    """A KPI number: up to 18 digits before the point and 2 after, typed in Persian or ASCII digits."""
    return models.DecimalField(verbose_name, max_digits=20, decimal_places=2, **kwargs)


class KPIQuerySet(models.QuerySet):
    def visible_to(self, user=None):
        """The KPIs whose series `user` may see: public ones for everyone, internal ones for signed-in
        people; confidential ones never (they are kept for the admin and internal reports only)."""
        levels = [Confidentiality.PUBLIC]
        if user is not None and user.is_authenticated:
            levels.append(Confidentiality.INTERNAL)
        return self.filter(confidentiality__in=levels)


class KPI(CleanTitlesMixin, TranslatableMixin, index.Indexed, ClusterableModel):
    """One indicator of a plan: what it measures, its baseline, target and actual values by period."""

    title_fields = ("name",)
    plan = models.ForeignKey(
        "plans.PlanPage", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="kpis"
    )
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Indicators are shown by this number, smallest first.")
    )
    name = models.CharField(_("name"), max_length=250)
    definition = models.TextField(_("definition"), blank=True, help_text=_("What is counted, and how."))
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("e.g. %, days, billion rials"))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    period_kind = models.CharField(
        _("periods"),
        max_length=10,
        choices=PeriodKind.choices,
        default=PeriodKind.YEAR,
        help_text=_("The Jalali periods the values are reported by; any date typed is read as its period."),
    )
    baseline_value = amount_field(_("baseline value"), null=True, blank=True)
    baseline_period = models.DateField(_("baseline period"), null=True, blank=True)
    target_value = amount_field(_("target value"), null=True, blank=True)
    target_period = models.DateField(_("target period"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
        help_text=_(
            "Internal series are shown to signed-in people only; confidential ones never leave the admin."
        ),
    )
    illustrative = models.BooleanField(
        _("figures are illustrative"),
        default=False,
        help_text=_("Marks the numbers as examples, not measured values, wherever they are shown."),
    )

    objects = KPIQuerySet.as_manager()

    panels = [
        FieldPanel("plan"),
        FieldPanel("name"),
        FieldPanel("definition"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("direction"), FieldPanel("period_kind")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("baseline_value"), FieldPanel("baseline_period")]),
                FieldRowPanel([FieldPanel("target_value"), FieldPanel("target_period")]),
            ],
            heading=_("Baseline and target"),
        ),
        InlinePanel("values", heading=_("Actual values by period"), label=_("Value")),
        FieldPanel("source"),
        FieldPanel("notes"),
        FieldRowPanel([FieldPanel("confidentiality"), FieldPanel("illustrative"), FieldPanel("sort_order")]),
    ]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("definition"),
        TranslatableField("unit"),
        TranslatableField("source"),
        TranslatableField("notes"),
        TranslatableField("values"),
        # The plan page in the language the KPI was written in: wagtail-localize would assign a generic
        # Page to a translated foreign key, and the numbers belong to the plan in every language anyway.
        SynchronizedField("plan"),
        SynchronizedField("sort_order"),
        SynchronizedField("direction"),
        SynchronizedField("period_kind"),
        SynchronizedField("baseline_value"),
        SynchronizedField("baseline_period"),
        SynchronizedField("target_value"),
        SynchronizedField("target_period"),
        SynchronizedField("confidentiality"),
        SynchronizedField("illustrative"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("key performance indicator")
        verbose_name_plural = _("key performance indicators")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.baseline_period = period_start(self.baseline_period, self.period_kind)
        self.target_period = period_start(self.target_period, self.period_kind)
        if self.baseline_period and self.target_period and self.target_period < self.baseline_period:
            raise ValidationError({"target_period": _("The target period is before the baseline period.")})

    def save(self, *args, **kwargs):
        self.baseline_period = period_start(self.baseline_period, self.period_kind)
        self.target_period = period_start(self.target_period, self.period_kind)
        super().save(*args, **kwargs)


class KPIValue(TranslatableMixin, Orderable):
    """An actual value of a KPI for one Jalali period (stored as the period's first day)."""

    kpi = ParentalKey(KPI, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(
        _("period"), help_text=_("Any day in the period, e.g. 1403/01/01 for the year 1403.")
    )
    value = amount_field(_("value"))

    panels = [FieldRowPanel([FieldPanel("period"), FieldPanel("value")])]
    translatable_fields = [SynchronizedField("period"), SynchronizedField("value")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("KPI value")
        ordering = ["period"]

    def save(self, *args, **kwargs):
        self.period = period_start(self.period, self.kpi.period_kind if self.kpi_id else None)
        super().save(*args, **kwargs)


def copy_kpis(source, target):
    """Give the page `target` (a copy of the plan page `source`, with its own translation key) copies of
    the source's KPIs in its language, values included: a copied plan reports the same numbers."""
    kpis = KPI.objects.filter(plan__translation_key=source.translation_key, locale_id=source.locale_id)
    skip = {"id", "translation_key", "plan", "locale"}
    for kpi in kpis.prefetch_related("values"):
        fields = {f.name: getattr(kpi, f.name) for f in KPI._meta.concrete_fields if f.name not in skip}
        copy = KPI(**fields, plan=target, locale_id=target.locale_id)
        copy.values = [
            KPIValue(period=value.period, value=value.value, locale_id=target.locale_id)
            for value in kpi.values.all()
        ]
        copy.save()
