"""The KPI series as plain data: the one reading of the numbers every output shares.

The dashboard's charts and tables, the section-5 table, the API JSON, the CSV and XLSX downloads and the
deck's chart all take `Series` objects from here, so a number shown anywhere is the same stored
decimal. Who may see which series is decided by `KPI.objects.visible_to()` alone: confidential series
never get here for a public door, internal ones only for signed-in people.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F
from django.utils.translation import get_language

from cms import visibility
from cms.i18n import format_number
from plans.charts import series_chart, series_print_image
from plans.models.kpi import KPI, Direction
from plans.periods import jalali_year_start, period_code, period_label


@dataclass(frozen=True)
class Point:
    period: object  # the period's first day (a date)
    code: str  # 1403, 1403-Q2, 1403-04
    value: Decimal
    kind: str

    def label(self, language=None):
        return period_label(self.period, self.kind, language)

    def display(self, language=None):
        return format_number(self.value, language)

    def as_json(self, language=None):
        return {
            "period": self.period.isoformat(),
            "period_code": self.code,
            "period_label": self.label(language),
            "value": float(self.value),
            "value_display": self.display(language),
        }


@dataclass
class Series:
    """One KPI with its baseline, target and actual values (those inside the requested periods)."""

    kpi: KPI
    plan_number: int | None
    baseline: Point | None
    target: Point | None
    values: list = field(default_factory=list)
    plan_title: str = ""

    @property
    def id(self):
        return self.kpi.pk

    @property
    def name(self):
        return self.kpi.name

    @property
    def unit(self):
        return self.kpi.unit

    @property
    def lower_is_better(self):
        return self.kpi.direction == Direction.LOWER

    @property
    def latest(self):
        return self.values[-1] if self.values else None

    @property
    def progress(self):
        """How far the latest value has come from the baseline toward the target (0–100+ %), or None."""
        if not (self.baseline and self.target and self.latest):
            return None
        span = self.target.value - self.baseline.value
        if span == 0:
            return None
        return round(float((self.latest.value - self.baseline.value) / span * 100))

    def chart(self, language=None):
        """The series' chart as inline SVG (plans.charts), in the active language by default."""
        return series_chart(self, language or get_language(), f"kpi-{self.id}")

    def print_chart(self):
        """The same chart as an image, for the PDF (WeasyPrint cannot shape Persian SVG text)."""
        return series_print_image(self, get_language())

    def as_json(self, language=None):
        kpi = self.kpi
        return {
            "id": kpi.pk,
            "plan_number": self.plan_number,
            "name": kpi.name,
            "definition": kpi.definition,
            "unit": kpi.unit,
            "direction": kpi.direction,
            "period_kind": kpi.period_kind,
            "baseline": self.baseline.as_json(language) if self.baseline else None,
            "target": self.target.as_json(language) if self.target else None,
            "values": [point.as_json(language) for point in self.values],
            "source": kpi.source,
            "notes": kpi.notes,
            "illustrative": kpi.illustrative,
            "confidentiality": kpi.confidentiality,
        }


def point(day, value, kind):
    if day is None or value is None:
        return None
    return Point(day, period_code(day, kind), Decimal(value), kind)


def to_series(kpi, plan=None, start=None, end=None):
    def inside(day):
        return (start is None or day >= start) and (end is None or day < end)

    values = [point(v.period, v.value, kpi.period_kind) for v in kpi.values.all() if inside(v.period)]
    return Series(
        kpi=kpi,
        plan_number=plan.plan_number if plan else None,
        plan_title=plan.title if plan else "",
        baseline=point(kpi.baseline_period, kpi.baseline_value, kpi.period_kind),
        target=point(kpi.target_period, kpi.target_value, kpi.period_kind),
        values=sorted(values, key=lambda p: p.period),
    )


def year_bounds(first_year=None, last_year=None):
    """The [start, end) dates of Jalali years `first_year`…`last_year` (either may be None)."""
    start = jalali_year_start(first_year) if first_year else None
    end = jalali_year_start(int(last_year) + 1) if last_year else None
    return start, end


def kpis_of(plans, user=None):
    """The KPIs of these plan pages that `user` may see, each in its plan page's language, with their
    values (two queries). A KPI points to its plan in the language it was written in, and its
    translations point to the same page: a plan page's KPIs are those of its translation key in its
    locale."""
    pages = {(plan.translation_key, plan.locale_id): plan for plan in plans}
    queryset = (
        KPI.objects.visible_to(user)
        .filter(
            plan__translation_key__in={key for key, _locale in pages},
            locale_id__in={locale for _key, locale in pages},
        )
        .annotate(plan_key=F("plan__translation_key"))
        .prefetch_related("values")
        .order_by("sort_order", "pk")
    )
    return [(pages[key], kpi) for kpi in queryset if (key := (kpi.plan_key, kpi.locale_id)) in pages]


def plan_series(plan, user=None, first_year=None, last_year=None):
    """The series of one plan page that `user` may see, in the plan's language."""
    start, end = year_bounds(first_year, last_year)
    return [to_series(kpi, page, start, end) for page, kpi in kpis_of([plan], user)]


def public_plan_series(plan):
    """What an anonymous reader may see of a plan's KPIs: nothing unless the plan itself is public."""
    if not visibility.is_public(plan):
        return []
    return plan_series(plan)


def grouped_series(plans, user=None, first_year=None, last_year=None):
    """[(plan, [Series])] for several plan pages (the overall dashboard), in two queries."""
    plans = list(plans)
    start, end = year_bounds(first_year, last_year)
    by_plan = {plan.pk: [] for plan in plans}
    for page, kpi in kpis_of(plans, user):
        by_plan[page.pk].append(to_series(kpi, page, start, end))
    return [(plan, by_plan[plan.pk]) for plan in plans]


def years_of(series_list):
    """The Jalali years any of these series has a value, baseline or target in (for the filter)."""
    years = set()
    for series in series_list:
        for p in [series.baseline, series.target, *series.values]:
            if p:
                years.add(int(p.code[:4]))
    return sorted(years)
