"""The deck's chart slides: each KPI as a native PowerPoint line chart, the roadmap's Gantt as a picture.

KPI charts are python-pptx chart objects, so the numbers stay editable data in the deck and are the
stored decimals of `kpi_data.Series` (the same ones the page, API, CSV, XLSX and PDF print). On fa
their numbers show in Persian digits through the number format `[$-3000429]` (fa-IR, digit
substitution 3 = extended Arabic-Indic, i.e. Persian), the value axis crosses at the right and titles
and legends are right-to-left; time runs left to right as on the dashboard. The Gantt is the PNG of the
very Vega-Lite spec the page and the PDF draw (cms.charts), with its milestones in the picture's
description. The slides come from the deck (`deck.designed_slide`): its KPI layout and house title.
"""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from cms import charts
from cms.blocks import PROGRESS_STATUSES
from cms.i18n import format_date, is_persian, is_rtl
from plans.charts import kind_labels
from plans.deliverables import pptx_text
from plans.deliverables.documents import bound_blocks, language_of

PERSIAN_NUMBERS = "[$-3000429]#,##0.##"
NUMBERS = "#,##0.##"
PER_SLIDE = 2


def number_format(language):
    return PERSIAN_NUMBERS if is_persian(language) else NUMBERS


def chart_data(series, language):
    """Periods (Jalali labels) as categories; before, actual and target as three series that leave
    the other periods empty."""
    labels = kind_labels()
    points = {"baseline": [series.baseline], "actual": series.values, "target": [series.target]}
    periods = sorted({p.period: p for group in points.values() for p in group if p}.items())
    data = CategoryChartData(number_format=number_format(language))
    data.categories = [p.label(language).split(" (")[0] for _day, p in periods]
    for kind, group in points.items():
        by_period = {p.period: p.value for p in group if p}
        if by_period:
            data.add_series(labels[kind], [by_period.get(day) for day, _p in periods])
    return data


def rtl_text_properties(chart):
    """Right-to-left paragraphs and a complex-script font for every text of the chart (legend, axes)."""
    tx_pr = chart._chartSpace.get_or_add_txPr()
    paragraph = tx_pr.find(qn("a:p"))
    p_pr = paragraph.get_or_add_pPr()
    p_pr.set("rtl", "1")
    pptx_text.set_font(p_pr.get_or_add_defRPr(), "fa-IR")


def add_kpi_chart(slide, series, language, box):
    rtl = is_rtl(language)
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *box, chart_data(series, language)).chart
    chart.font.size = Pt(11)
    chart.font.name = pptx_text.FONT
    chart.has_title = True
    title = chart.chart_title.text_frame
    title.text = f"{series.name} ({series.unit})" if series.unit else series.name
    title.paragraphs[0].runs[0].font.size = Pt(14)
    pptx_text.direct(title, rtl)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.value_axis.tick_labels.number_format = number_format(language)
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.has_major_gridlines = True
    if rtl:
        # the value axis crosses the category axis at its last category: on the right (no API for it)
        chart.value_axis._element.find(qn("c:crosses")).set("val", "max")
        rtl_text_properties(chart)
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = number_format(language)
    plot.data_labels.number_format_is_linked = False
    return chart


def _move_after(deck, slide, title_text):
    """Put `slide` right after the (last) slide titled `title_text`, or its last continuation slide."""
    ids = deck.slides._sldIdLst
    titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in deck.slides]
    continued = _("%(title)s, continued") % {"title": title_text}
    if title_text not in titles:
        return
    position = max(index for index, title in enumerate(titles) if title in (title_text, continued))
    element = ids[list(deck.slides).index(slide)]
    ids.remove(element)
    ids.insert(position + 1, element)


def add_chart_slides(deck, plan, new_slide, body):
    """Add the Gantt slide after the "Roadmap" slide and the KPI chart slides after the "KPIs before and
    after" one (at the end when those are not found), in the plan's language. `new_slide(title)` makes
    a slide on the deck's designed KPI layout, `body` is its (left, top, width, height) for the charts."""
    language = language_of(plan)
    with translation.override(language):
        _add_chart_slides(deck, plan, language, new_slide, body)


def _add_chart_slides(deck, plan, language, new_slide, body):
    series_list = plan.kpi_series()
    milestones = [dict(m) for block in bound_blocks(plan, "roadmap") for m in block.value["milestones"]]
    rtl = is_rtl(language)
    body_left, top, inner, height = body
    statuses = {code: str(label) for code, label in PROGRESS_STATUSES}
    spec = charts.gantt_spec(milestones, statuses, _("Roadmap"), language)
    if spec:
        slide = new_slide(_("Roadmap (Gantt chart)"))
        png = charts.render_png(spec, language, scale=3)
        picture = slide.shapes.add_picture(io.BytesIO(png), body_left, top, width=inner)
        if picture.height > height:
            picture.width, picture.height = int(picture.width * height / picture.height), height
        description = "; ".join(
            f"{m['title']}: {format_date(m['start'])} – {format_date(m['end'])}, {statuses.get(m['status'])}"
            for m in milestones
        )
        picture._element.nvPicPr.cNvPr.set("descr", description)
        _move_after(deck, slide, _("Roadmap"))
    slides = []
    for start in range(0, len(series_list), PER_SLIDE):
        slide = new_slide(_("Indicators"))
        width = (inner - Emu(200000)) // PER_SLIDE
        group = series_list[start : start + PER_SLIDE]
        for index, series in enumerate(group):
            offset = index * (width + Emu(200000))
            left = (
                body_left + inner - offset - width if rtl else body_left + offset
            )  # the first on the right on fa
            add_kpi_chart(slide, series, language, (left, top, width, height))
        slides.append(slide)
    for slide in reversed(slides):
        _move_after(deck, slide, _("KPIs before and after"))
