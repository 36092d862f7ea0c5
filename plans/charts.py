"""KPI charts as Vega-Lite specs built from `kpi_data.Series`, rendered to SVG on the server
(cms.charts): the dashboard, the PDF report and the social cards draw the same spec.

What the spec keeps right: time runs left to right in both languages (Jalali period labels); on fa the
value axis and the legend sit on the right and the legend reads from the right; every number is in
Persian digits with ٬ and ٫ (the axis through the d3-format locale, the labels are the very strings
the data table prints); the baseline ("before"), the actual values and the target are three marked
kinds. Only the baseline, the latest value and the target carry a value label (when two share a
period, the lower one's label goes below its mark), so labels do not pile up on long series; every
point is in the data table and names itself to screen readers, and static/js/dashboard.js (≈2 KB)
adds tooltips and arrow keys.
"""

from django.utils.translation import gettext as _

from cms.charts import inline_svg, print_image, render_png, render_svg
from cms.i18n import is_persian, is_rtl

COLORS = {"baseline": "#4b5563", "actual": "#0b5cad", "target": "#a04a00"}
SHAPES = {"baseline": "square", "actual": "circle", "target": "diamond"}
KINDS = ("baseline", "actual", "target")


def kind_labels():
    return {"baseline": _("Before"), "actual": _("Actual"), "target": _("Target")}


def rows(series, language=None):
    """One row per mark: the period (short label), the value, the string the table prints, its kind and
    its accessible name."""
    labels = kind_labels()
    unit = f" {series.unit}" if series.unit else ""
    comma = "،" if is_persian(language) else ","
    actual = [("actual", p) for p in series.values]
    marks = [("baseline", series.baseline), *actual, ("target", series.target)]
    latest = series.latest
    data = [
        {
            "period": p.period.isoformat(),
            "label": p.label(language).split(" (")[0],  # the Gregorian span is in the table
            "value": float(p.value),
            "display": p.display(language),
            "kind": labels[kind],
            "name": f"{labels[kind]}{comma} {p.label(language)}: {p.display(language)}{unit}",
            "shown": kind != "actual" or p is latest,
            "below": False,
        }
        for kind, p in marks
        if p
    ]
    # two labelled marks in one period (the latest value and the target): the lower one's label goes below
    for row in data:
        if row["shown"] and any(
            o["shown"] and o["period"] == row["period"] and o["value"] > row["value"] for o in data
        ):
            row["below"] = True
    return data


def series_spec(series, language=None, width=460, height=200):
    """The Vega-Lite spec of one KPI, or None when it has no number at all."""
    data = rows(series, language)
    if not data:
        return None
    rtl = is_rtl(language)
    labels = kind_labels()
    kinds = [labels[k] for k in KINDS]
    x = {
        "field": "label",
        "type": "ordinal",
        "sort": {"field": "period", "op": "min"},
        "title": None,
        "scale": {"paddingOuter": 0.4},
        "axis": {"labelAngle": 0, "labelOverlap": True, "labelPadding": 8},
    }
    y = {
        "field": "value",
        "type": "quantitative",
        "title": None,
        "scale": {"zero": True, "nice": True},
        "axis": {"orient": "right" if rtl else "left", "format": ",~f", "tickCount": 5},
    }
    legend = {
        "orient": "top",
        "direction": "horizontal",
        "title": None,
        "symbolType": "circle",
        "values": kinds[::-1] if rtl else kinds,  # read from the right on fa
    }
    return {
        "width": width,
        "height": height,
        "data": {"values": data},
        "encoding": {"x": x},
        "layer": [
            {
                "transform": [{"filter": f"datum.kind == {_quote(labels['target'])}"}],
                "mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 2, "aria": False},
                "encoding": {"x": None, "y": y, "color": {"value": COLORS["target"]}},
            },
            {
                "transform": [{"filter": f"datum.kind != {_quote(labels['target'])}"}],
                "mark": {"type": "line", "strokeWidth": 2.5, "aria": False},
                "encoding": {"y": y, "color": {"value": COLORS["actual"]}},
            },
            {
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 130,
                    "opacity": 1,
                    "ariaRoleDescription": _("data point"),
                },
                "encoding": {
                    "y": y,
                    "color": {
                        "field": "kind",
                        "type": "nominal",
                        "scale": {"domain": kinds, "range": [COLORS[k] for k in KINDS]},
                        "legend": legend,
                    },
                    "shape": {
                        "field": "kind",
                        "type": "nominal",
                        "scale": {"domain": kinds, "range": [SHAPES[k] for k in KINDS]},
                        "legend": None,
                    },
                    "description": {"field": "name"},
                },
            },
            *(
                {
                    "transform": [{"filter": f"datum.shown && {'' if below else '!'}datum.below"}],
                    "mark": {
                        "type": "text",
                        "fontWeight": "bold",
                        "fontSize": 15,
                        "dy": 22 if below else -14,
                        "aria": False,
                    },
                    "encoding": {"y": y, "text": {"field": "display"}, "color": {"value": "#1f2937"}},
                }
                for below in (False, True)
            ),
        ],
    }


def _quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def series_chart(series, language=None, chart_id="kpi"):
    """The inline SVG of one KPI for a page or the PDF (empty when the series has no number)."""
    spec = series_spec(series, language)
    if spec is None:
        return ""
    svg = render_svg(spec, language)
    return inline_svg(svg, "kpi-chart", chart_label(series))


def series_print_image(series, language=None):
    """The chart as an image for print documents (see cms.charts.print_image)."""
    spec = series_spec(series, language)
    return print_image(spec, language, "kpi-chart", chart_label(series)) if spec else ""


def chart_label(series):
    return _("Chart: %(name)s") % {"name": series.name}


def series_png(series, language=None, width=460, height=200, scale=2):
    """The same chart as PNG bytes (social cards)."""
    spec = series_spec(series, language, width, height)
    return render_png(spec, language, scale) if spec else None
