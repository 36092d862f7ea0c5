"""The training slide deck (python-pptx) of a plan, per language.

`outline()` turns the report's structured blocks into slides (plain data, also part of the content
hash); `build_pptx()` lays them out. python-pptx has no right-to-left API, so on fa every paragraph gets
`rtl="1"`, `algn="r"` and its runs `lang="fa-IR"` with Vazirmatn as the complex-script font, in the XML.
"""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from cms.blocks import FACTOR_CATEGORIES
from cms.i18n import format_date, is_rtl, localize_digits
from cms.sanitize import strip_tags
from plans.deliverables import deck_charts
from plans.deliverables.documents import bound_blocks, language_of

MAX_BULLETS = 8
FONT = "Vazirmatn"


def _shorten(text, limit=180):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def outline(plan):
    """The slides of the deck as plain data: [{"title", "bullets"?, "table"?, "chart"?}, …]."""
    with translation.override(language_of(plan)):
        categories = dict(FACTOR_CATEGORIES)
        challenges = [
            f"{categories.get(item['category'], '')}: {_shorten(item['challenge'])}"
            for block in bound_blocks(plan, "challenges", ("context",))
            for item in block.value["items"]
        ]
        if not challenges:
            challenges = [
                _shorten(strip_tags(block.render()))
                for block in plan.context
                if block.block_type == "paragraph"
            ]
        goals = [str(goal.value) for goal in plan.macro_goals]
        goals += [_shorten(goal.value["specific"]) for goal in plan.smart_goals]
        milestones = [item for block in bound_blocks(plan, "roadmap") for item in block.value["milestones"]]
        # The plan's KPIs (the same public series as the dashboard), then any typed in a section-5 table.
        kpis = [
            {"indicator": s.name, "unit": s.unit, "before": s.baseline.value, "after": s.latest.value}
            for s in (plan.kpi_series() if hasattr(plan, "kpi_series") else [])
            if s.baseline and s.latest
        ]
        kpis += [
            row
            for block in bound_blocks(plan, "kpi_table", ("achievements",))
            for row in block.value["rows"]
            if row["before"] is not None and row["after"] is not None
        ]
        factors = [row for block in bound_blocks(plan, "factor_matrix") for row in block.value["rows"]]
        slides = [
            {
                "title": plan.title,
                "subtitle": plan.full_title or plan.summary,
                "bullets": [
                    _("Transformation plan %(number)s · %(code)s")
                    % {"number": localize_digits(plan.plan_number or ""), "code": plan.code}
                ],
            },
            {"title": _("The problem"), "bullets": challenges},
            {"title": _("Goals"), "bullets": goals},
            {
                "title": _("Roadmap"),
                "bullets": [
                    f"{m['title']} ({format_date(m['start'])} – {format_date(m['end'])})" for m in milestones
                ],
            },
            {
                "title": _("Governance"),
                "bullets": [
                    f"{body['body']}: {_shorten(body['role'], 120)}"
                    for block in bound_blocks(plan, "governance")
                    for body in block.value["bodies"]
                ],
            },
            {
                "title": _("KPIs before and after"),
                "chart": {
                    "categories": [
                        f"{row['indicator']} ({row['unit']})" if row["unit"] else row["indicator"]
                        for row in kpis
                    ],
                    "series": [
                        (_("Before"), [float(row["before"]) for row in kpis]),
                        (_("After"), [float(row["after"]) for row in kpis]),
                    ],
                },
            },
            {
                "title": _("Lessons learned"),
                "bullets": [
                    item["title"] for block in bound_blocks(plan, "lessons") for item in block.value["items"]
                ],
            },
            {
                "title": _("Success/failure matrix"),
                "table": {
                    "header": [_("Factor"), _("Kind"), _("Category")],
                    "rows": [
                        [
                            row["factor"],
                            _("Success") if row["kind"] == "success" else _("Failure or risk"),
                            str(categories.get(row["category"], row["category"])),
                        ]
                        for row in factors
                    ],
                },
            },
            {
                "title": _("Checklist"),
                "bullets": [
                    str(item) for block in bound_blocks(plan, "checklist") for item in block.value["items"]
                ],
            },
            {
                "title": _("References"),
                "bullets": [
                    _shorten(block.value["citation"], 140) for block in bound_blocks(plan, "reference")
                ],
            },
        ]
        for slide in slides:
            if "bullets" in slide and len(slide["bullets"]) > MAX_BULLETS:
                more = localize_digits(len(slide["bullets"]) - MAX_BULLETS + 1)
                slide["bullets"] = [
                    *slide["bullets"][: MAX_BULLETS - 1],
                    _("… and %(count)s more in the report") % {"count": more},
                ]
        return slides


def _direct(text_frame, rtl):
    """Set the reading direction of every paragraph (python-pptx has no API for it)."""
    for paragraph in text_frame.paragraphs:
        properties = paragraph._p.get_or_add_pPr()
        properties.set("rtl", "1" if rtl else "0")
        properties.set("algn", "r" if rtl else "l")
        for run in paragraph.runs:
            run_properties = run._r.get_or_add_rPr()
            run_properties.set("lang", "fa-IR" if rtl else "en-US")
            for tag in ("a:latin", "a:cs"):
                font = run_properties.find(qn(tag))
                if font is None:
                    font = run_properties.makeelement(qn(tag), {})
                    run_properties.append(font)
                font.set("typeface", FONT)


def _fill(text_frame, lines, rtl, size=20):
    text_frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
        paragraph.text = str(line)
        paragraph.font.size = Pt(size)
        paragraph.space_after = Pt(size // 2)
    _direct(text_frame, rtl)


def build_pptx(plan, slides=None):
    """The deck as PPTX bytes: 16:9, title and content slides, a native chart and a table."""
    slides = slides if slides is not None else outline(plan)
    rtl = is_rtl(language_of(plan))
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)
    width, height = deck.slide_width, deck.slide_height
    margin = Emu(457200)
    body_box = (margin, Emu(1500000), width - 2 * margin, height - Emu(1900000))
    for index, spec in enumerate(slides):
        layout = deck.slide_layouts[0 if index == 0 else 5]  # title slide, then "title only"
        slide = deck.slides.add_slide(layout)
        title = slide.shapes.title
        title.text = spec["title"]
        title.left, title.top, title.width = margin, Emu(300000), width - 2 * margin
        title.height = Emu(2400000) if index == 0 else Emu(1000000)
        _direct(title.text_frame, rtl)
        if index == 0:
            subtitle = slide.placeholders[1]
            subtitle.left, subtitle.top = margin, Emu(2900000)
            subtitle.width, subtitle.height = width - 2 * margin, Emu(3000000)
            _fill(subtitle.text_frame, [spec.get("subtitle") or "", *spec["bullets"]], rtl, size=16)
        elif "chart" in spec:
            data = CategoryChartData(number_format="#,##0.##")
            data.categories = spec["chart"]["categories"]
            for name, values in spec["chart"]["series"]:
                data.add_series(name, values)
            chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *body_box, data).chart
            chart.has_legend = True
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.font.size = Pt(11)
            chart.font.name = FONT
        elif "table" in spec:
            rows = spec["table"]["rows"][:MAX_BULLETS]
            table = slide.shapes.add_table(len(rows) + 1, len(spec["table"]["header"]), *body_box).table
            for row_index, cells in enumerate([spec["table"]["header"], *rows]):
                for column, text in enumerate(reversed(cells) if rtl else cells):
                    cell = table.cell(row_index, column)
                    _fill(cell.text_frame, [_shorten(text, 90)], rtl, size=12)
        else:
            box = slide.shapes.add_textbox(*body_box)
            _fill(box.text_frame, spec["bullets"] or ["—"], rtl, size=20)
    deck_charts.add_chart_slides(deck, plan)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
