"""Server-rendered SVG charts of KPI series: visible without JavaScript, in print and in the deliverables.

Why our own SVG rather than a chart library: the charts are few and simple (a line of actual values
with the baseline before and the target ahead), they must be complete without JavaScript, and the
libraries that render SVG on the server need Node (ECharts SSR) or a second rendering stack
(vl-convert) at request time. Rendering them in Python from the same `Series` the tables, API and
downloads read keeps one source for every number; a ~2 KB script (static/js/dashboard.js) adds tooltips
and arrow-key walking between points.

Right-to-left: on fa the value axis and the legend sit on the right, time still runs left to right, and
every number and period is in Persian digits with ٬ and ٫ (cms.i18n.format_number). The SVG itself is
`direction: ltr`, so its text anchors mean left and right whatever the page's direction: the right-to-left
layout is drawn, not inherited.
"""

from decimal import Decimal
from math import floor, log10

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cms.i18n import format_number, is_rtl

WIDTH, HEIGHT = 520, 300  # a small canvas, so its text stays readable when scaled down to a phone
TOP, BOTTOM, AXIS, EDGE = 64, 40, 60, 16
COLORS = {
    "actual": "#0b5cad",
    "baseline": "#4b5563",
    "target": "#a04a00",
    "text": "#1f2937",
    "grid": "#d1d5db",
}


def nice_ticks(low, high, count=5):
    """Round tick values covering [low, high] (low ≤ 0 ≤ high when the data allow)."""
    low, high = float(low), float(high)
    if high == low:
        high = low + 1
    raw = (high - low) / (count - 1)
    magnitude = 10 ** floor(log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = floor(low / step) * step
    ticks, value = [], start
    while value < high + step * 0.001:
        ticks.append(value)
        value += step
    if ticks[-1] < high:
        ticks.append(value)
    return [float(Decimal(str(round(t, 10))).normalize()) for t in ticks]


def _text(x, y, content, anchor="middle", size=13, weight=None, fill=None):
    weight_attr = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{weight_attr} '
        f'fill="{fill or COLORS["text"]}">{escape(content)}</text>'
    )


def series_chart(series, language=None, chart_id="kpi"):
    """The SVG of one KPI: baseline ("before"), actual values, and the target (dashed line)."""
    rtl = is_rtl(language)
    every = [p for p in [series.baseline, *series.values, series.target] if p]
    points = {p.period: p for p in every}  # one label per period
    periods = sorted(points)
    numbers = [p.value for p in every]  # an actual value and the target may share a period
    if not periods:
        return ""
    ticks = nice_ticks(min(0, *numbers), max(numbers))
    low, high = ticks[0], ticks[-1]
    plot_left = EDGE if rtl else AXIS
    plot_right = WIDTH - (AXIS if rtl else EDGE)
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM

    def x_of(day):
        if len(periods) == 1:
            return (plot_left + plot_right) / 2
        gap = (plot_right - plot_left - 40) / (len(periods) - 1)
        return plot_left + 20 + periods.index(day) * gap

    def y_of(value):
        return plot_bottom - (float(value) - low) / (high - low) * (plot_bottom - plot_top)

    unit = f" {series.unit}" if series.unit else ""
    title = series.name
    parts = [
        f'<svg class="kpi-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="group" '
        f'aria-labelledby="{chart_id}-title" direction="ltr" style="direction: ltr" '
        f'font-family="Vazirmatn, Tahoma, sans-serif" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    # value axis (right on fa) with grid lines
    axis_x = plot_right + 8 if rtl else plot_left - 8
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{plot_left}" x2="{plot_right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{COLORS["grid"]}"/>'
        )
        parts.append(_text(axis_x, y + 4, format_number(tick, language), "start" if rtl else "end", 12))
    # time axis, left to right in both languages
    for day in periods:
        label = points[day].label(language).split(" (")[0]  # the Gregorian span is in the table
        parts.append(_text(x_of(day), plot_bottom + 22, label, size=12))
    # target: a dashed line across the plot
    if series.target:
        y = y_of(series.target.value)
        parts.append(
            f'<line x1="{plot_left}" x2="{plot_right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{COLORS["target"]}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    # actual values: a line through the points, from the baseline on
    line = [p for p in [series.baseline, *series.values] if p]
    if len(line) > 1:
        path = " ".join(f"{x_of(p.period):.1f},{y_of(p.value):.1f}" for p in line)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{COLORS["actual"]}" stroke-width="2.5"/>'
        )

    def marker(p, kind, label):
        x, y = x_of(p.period), y_of(p.value)
        name = f"{label}, {p.label(language)}: {p.display(language)}{unit}"
        shapes = {
            "baseline": (
                f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="{COLORS["baseline"]}"/>'
            ),
            "actual": f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{COLORS["actual"]}"/>',
            "target": (
                f'<path d="M{x:.1f} {y - 8:.1f} L{x + 8:.1f} {y:.1f} L{x:.1f} {y + 8:.1f} '
                f'L{x - 8:.1f} {y:.1f}Z" fill="{COLORS["target"]}"/>'
            ),
        }
        value_y = y - 12 if y - 12 > plot_top else y + 22
        return (
            f'<g class="kpi-point kpi-point--{kind}" tabindex="0" role="img" aria-label="{escape(name)}">'
            f"{shapes[kind]}{_text(x, value_y, p.display(language), size=12, weight='bold')}</g>"
        )

    if series.baseline:
        parts.append(marker(series.baseline, "baseline", _("Before")))
    for p in series.values:
        parts.append(marker(p, "actual", _("Actual")))
    if series.target:
        parts.append(marker(series.target, "target", _("Target")))
    # legend: from the right on fa, from the left on en
    legend = [("baseline", _("Before")), ("actual", _("Actual")), ("target", _("Target"))]
    x = WIDTH - EDGE if rtl else EDGE
    for kind, label in legend:
        width = 34 + 8 * len(label)
        swatch_x = x - 12 if rtl else x
        parts.append(
            f'<rect x="{swatch_x}" y="12" width="12" height="12" fill="{COLORS[kind]}" aria-hidden="true"/>'
        )
        text_x = swatch_x - 6 if rtl else swatch_x + 18
        parts.append(_text(text_x, 23, label, "end" if rtl else "start", 14))
        x = x - width if rtl else x + width
    parts.append("</svg>")
    return mark_safe("".join(parts))
