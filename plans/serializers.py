"""The plan's KPI series in the API (`kpis` of a plan page): the same `plans.kpi_data` series the
dashboard draws, public series only (the API is a public door; internal and confidential series never
leave through it)."""

from cms.api.fields import ValueField
from cms.json_schema import BOOLEAN, STRING, nullable, obj

NUMBER = {"type": "number"}
POINT = obj(
    {
        "period": STRING,
        "period_code": STRING,
        "period_label": STRING,
        "value": NUMBER,
        "value_display": STRING,
    }
)


class KPISeriesField(ValueField):
    """[{"id", "name", "unit", "direction", "baseline", "target", "values": [point…], …}]"""

    nullable = False

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, page):
        """Read for every page of the response at once (two queries), as `ChildPageField` does."""
        from plans import kpi_data

        view = self.context.get("view")
        cache = view.__dict__.setdefault("_kpi_series", {}) if view is not None else {}
        if page.pk not in cache:
            pages = [p for p in getattr(view, "api_objects", None) or [page] if p.pk not in cache]
            if page not in pages:
                pages.append(page)
            cache.update({plan.pk: series for plan, series in kpi_data.grouped_series(pages)})
        language = self.serialization.language
        return [series.as_json(language) for series in cache[page.pk]]

    def json_schema(self, model=None, name=None):
        series = obj(
            {
                "id": {"type": "integer"},
                "plan_number": nullable({"type": "integer"}),
                "name": STRING,
                "definition": STRING,
                "unit": STRING,
                "direction": {"enum": ["higher", "lower"]},
                "period_kind": {"enum": ["year", "quarter", "month"]},
                "baseline": nullable(POINT),
                "target": nullable(POINT),
                "values": {"type": "array", "items": POINT},
                "source": STRING,
                "notes": STRING,
                "illustrative": BOOLEAN,
                "confidentiality": {"enum": ["public"]},
            }
        )
        return {"type": "array", "items": series}
