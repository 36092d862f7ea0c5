"""Charts from one library, Vega-Lite, rendered on the server by vl-convert (Vega in a Rust/Deno
runtime, no Node): the page, the PDF and the social cards carry the same SVG or its PNG, complete
without JavaScript.

Why Vega-Lite through vl-convert: a chart is a declarative spec built in Python from the same data the
tables read, and the renderer ships as one pinned wheel. Persian is done by the library, not around it:
numbers go through a d3-format locale with Persian `numerals` and ٬ ٫ separators, the text stays
Unicode in the SVG (the browser or WeasyPrint shapes it with Vazirmatn) and resvg shapes it in PNGs.

Rendering costs 50–200 ms, so an SVG is cached under the hash of its spec: the same numbers give the
same key, changed numbers a new one, and nothing needs invalidating.
"""

import base64
import hashlib
import json
import re
from functools import cache as once

import vl_convert
from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe
from persiantools.jdatetime import JalaliDate

from cms.i18n import JALALI_MONTHS, JALALI_MONTHS_EN, is_persian, is_rtl, to_persian_digits

FONT = "Vazirmatn"
NUMBERS = {
    "fa": {
        "decimal": "\u066b",
        "thousands": "\u066c",
        "grouping": [3],
        "currency": ["", ""],
        "numerals": list("۰۱۲۳۴۵۶۷۸۹"),
    },
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]},
}
STATUS_COLORS = {"done": "#15803d", "in_progress": "#0b5cad", "planned": "#6b7280", "delayed": "#b91c1c"}
CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "background": "white",
    # axes and legends are not announced (the data table says it all, and Vega's descriptions are English)
    "axis": {
        "aria": False,
        "labelFontSize": 14,
        "labelColor": "#1f2937",
        "domainColor": "#6b7280",
        "gridColor": "#e5e7eb",
    },
    "legend": {"aria": False, "labelFontSize": 14, "labelColor": "#1f2937", "symbolSize": 120},
}


@once
def _fonts():
    """Let the renderer measure and (for PNG) draw Vazirmatn, the portal's font."""
    vl_convert.register_font_directory(str(settings.REVAYAT_FONT_DIR))


def numbers_locale(language=None):
    return NUMBERS["fa" if is_persian(language) else "en"]


def with_config(spec, language=None):
    """The spec with the portal's look; on right-to-left languages a top legend is anchored at the
    right end (Vega puts it at the left)."""
    config = {**CONFIG, "legend": dict(CONFIG["legend"])}
    if is_rtl(language):
        config["legend"]["layout"] = {"top": {"anchor": "end"}}
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "config": config, **spec}
    return json.loads(json.dumps(spec, default=str))  # plain JSON: lazy texts (block previews) as text


def render_svg(spec, language=None):
    """The SVG of a Vega-Lite spec, numbers formatted for `language` (cached by content)."""
    spec = with_config(spec, language)
    locale = numbers_locale(language)
    key = "vl-svg:" + hashlib.sha256(json.dumps([spec, locale], sort_keys=True).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        _fonts()
        svg = vl_convert.vegalite_to_svg(spec, format_locale=locale)
        cache.set(key, svg, timeout=None)
    return svg


def render_png(spec, language=None, scale=2):
    """The same chart as a PNG (resvg shapes the Persian text with Vazirmatn): for print and social
    cards (cached by content)."""
    spec = with_config(spec, language)
    locale = numbers_locale(language)
    key = f"vl-png{scale}:" + hashlib.sha256(json.dumps([spec, locale], sort_keys=True).encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        _fonts()
        png = vl_convert.vegalite_to_png(spec, scale=scale, format_locale=locale)
        cache.set(key, png, timeout=None)
    return png


def print_image(spec, language, css_class, label):
    """The chart as an <img> for print documents. WeasyPrint (70) draws SVG text one letter at a time,
    so Persian in an SVG comes out unjoined and reversed; the PNG of the same spec is shaped by resvg.
    The document's own table carries the numbers as text."""
    data = base64.b64encode(render_png(spec, language, scale=3)).decode()
    return mark_safe(f'<img class="{css_class}" src="data:image/png;base64,{data}" alt="{escape(label)}">')


ENGLISH_ROLES = re.compile(r' aria-roledescription="[a-z ]+ mark container"')


def inline_svg(svg, css_class, label):
    """The rendered SVG for an HTML page: scales to its container, named for screen readers (its
    points keep their own names), and its text laid out left to right whatever the page's direction,
    as the renderer measured it."""
    svg = re.sub(r'^<svg ([^>]*?)class="marks" width="[\d.]+" height="[\d.]+"', r"<svg \1", svg)
    svg = ENGLISH_ROLES.sub("", svg)
    return mark_safe(
        svg.replace(
            "<svg ",
            f'<svg class="{css_class}" width="100%" role="graphics-document" aria-label="{escape(label)}" '
            'style="direction: ltr" ',
            1,
        )
    )


def jalali_month_label(day, language=None):
    jalali = JalaliDate(day)
    if is_persian(language):
        return to_persian_digits(f"{JALALI_MONTHS[jalali.month - 1]} {jalali.year}")
    return f"{JALALI_MONTHS_EN[jalali.month - 1]} {jalali.year}"


def jalali_ticks(first, last, most=6):
    """Jalali month starts between two dates, every 1, 3, 6 or 12 months so there are at most `most`."""
    start = JalaliDate(first)
    months = []
    year, month = start.year, start.month
    while (day := JalaliDate(year, month, 1).to_gregorian()) <= last:
        if day >= first or not months:
            months.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for step in (1, 3, 6, 12):
        chosen = [d for d in months if (JalaliDate(d).month - 1) % step == 0]
        if len(chosen) <= most:
            return chosen
    return [d for d in months if JalaliDate(d).month == 1][::2]


def epoch_ms(day):
    return int(day.toordinal() - 719163) * 86_400_000  # days since 1970-01-01, as Vega's UTC time


def gantt_spec(milestones, statuses, description, language=None):
    """A Gantt chart of roadmap milestones (dicts with title, start, end, status): one bar per
    milestone in the given order, coloured by status (`statuses`: code → label). On fa the names sit
    on the right and time runs right to left, as a right-to-left schedule reads; the time axis is
    marked at Jalali month starts, in Jalali months."""
    rows = [m for m in milestones if m.get("start") and m.get("end")]
    if not rows:
        return None
    first, last = min(m["start"] for m in rows), max(m["end"] for m in rows)
    ticks = jalali_ticks(first, last)
    names = {epoch_ms(d): json.dumps(jalali_month_label(d, language), ensure_ascii=False) for d in ticks}
    label_expr = " : ".join(f"+datum.value == {ms} ? {name}" for ms, name in names.items())
    rtl = is_rtl(language)
    return {
        "width": 560,
        "height": {"step": 30},
        "description": description,
        "data": {
            "values": [
                {
                    "title": m["title"],
                    "start": m["start"].isoformat(),
                    "end": m["end"].isoformat(),
                    "status": statuses.get(m.get("status"), ""),
                }
                for m in rows
            ]
        },
        "mark": {"type": "bar", "cornerRadius": 3, "height": {"band": 0.6}, "aria": False},
        "encoding": {
            "y": {
                "field": "title",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"orient": "right" if rtl else "left", "labelLimit": 300, "labelFontSize": 12},
            },
            "x": {
                "field": "start",
                "type": "temporal",
                "title": None,
                "scale": {"type": "utc", "reverse": rtl},
                "axis": {
                    "values": list(names),
                    "labelExpr": f"{label_expr} : ''" if ticks else "''",
                    "orient": "bottom",
                    "grid": True,
                    "labelOverlap": True,
                },
            },
            "x2": {"field": "end"},
            "color": {
                "field": "status",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": list(statuses.values()),
                    "range": [STATUS_COLORS[code] for code in statuses],
                },
                "legend": {
                    "orient": "top",
                    "direction": "horizontal",
                    "values": list(statuses.values())[:: -1 if rtl else 1],  # read from the right on fa
                },
            },
        },
    }
