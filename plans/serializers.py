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
        from plans import kpi_data

        language = self.serialization.language
        return [series.as_json(language) for series in kpi_data.plan_series(page)]

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
