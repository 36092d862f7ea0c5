"""The training slide deck (python-pptx) of a plan, per language, on a designed master.

`outline()` turns the report's structured blocks into slides (plain data, also part of the content
hash): each has a `layout` (title, section, content, kpi, quote, closing) and speaker notes taken from
the report's text. `build_pptx()` draws the house style on the slide master once (band, stripe,
footer with the organization), then lays each slide out with the function in `LAYOUTS`; a new kind of
slide is one more function there. Text is measured with the font (`plans.deliverables.cover.wrap`)
and long lists and tables continue on further slides instead of running off the slide.

python-pptx has no right-to-left API, so on fa every paragraph gets `rtl="1"`, `algn="r"` and its runs
`lang="fa-IR"` with Vazirmatn as the complex-script font, in the XML; tables get `rtl="1"` and keep
their cells in logical order (PowerPoint then shows the first column at the right).
"""

import io
from itertools import pairwise

from django.utils import translation
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from cms.blocks import FACTOR_CATEGORIES
from cms.i18n import format_date, format_reference, is_rtl, list_separator, localize_digits
from cms.sanitize import strip_tags
from plans.deliverables import cover, deck_charts, pptx_text, qr
from plans.deliverables.cover import organization_name
from plans.deliverables.documents import bound_blocks, language_of

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, 13.333 × 7.5 in
MARGIN = Emu(457200)
BAND, FOOTER_TOP = Emu(228600), Emu(6446520)  # the master's top band and footer band
TITLE_BOX = (MARGIN, Emu(380000), WIDTH - 2 * MARGIN, Emu(900000))
BODY_BOX = (MARGIN, Emu(1380000), WIDTH - 2 * MARGIN, FOOTER_TOP - Emu(1380000) - Emu(150000))
INSET_X, INSET_Y = Emu(91440), Emu(45720)  # PowerPoint's default text frame insets
LINE_SPACING = 1.0  # single spacing: a line is the font's ascent + descent
BULLET_SIZE, TABLE_SIZE, NOTES_LIMIT = 18, 12, 1500


def _shorten(text, limit=180):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _notes(plan, *fields):
    """Speaker notes: the report's own paragraphs of the given sections, as plain text."""
    text = " ".join(
        strip_tags(block.render())
        for field in fields
        for block in getattr(plan, field)
        if block.block_type == "paragraph"
    )
    return _shorten(text, NOTES_LIMIT)


CHARTS_PER_SLIDE = 3


def by_unit(kpis):
    """{unit: KPI rows} in the order the units first appear: a chart axis carries one unit."""
    groups = {}
    for row in kpis:
        groups.setdefault(row["unit"] or "", []).append(row)
    return groups


def outline(plan):
    """The slides of the deck as plain data: [{"layout", "title", "notes", and "bullets", "table",
    "charts" or "quote"}, …]."""
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
        quotes = [block.value for block in bound_blocks(plan, "quote")]
        sections = {section.number: section for section in plan.sections}

        def section(number):
            return {
                "layout": "section",
                "title": str(sections[number].title),
                "number": localize_digits(number),
                "notes": "",
            }

        slides = [
            {
                "layout": "title",
                "title": plan.title,
                "subtitle": plan.full_title or plan.summary,
                "bullets": [
                    _("Transformation plan %(number)s · %(code)s")
                    % {"number": localize_digits(plan.plan_number or ""), "code": plan.code}
                ],
                "notes": _shorten(plan.summary, NOTES_LIMIT),
            },
            section(3),
            {
                "layout": "content",
                "title": _("The problem"),
                "bullets": challenges,
                "notes": _notes(plan, "context"),
            },
            section(4),
            {
                "layout": "content",
                "title": _("Goals"),
                "bullets": goals,
                "notes": _notes(plan, "implementation"),
            },
            {
                "layout": "content",
                "title": _("Roadmap"),
                "bullets": [
                    f"{m['title']}: {format_date(m['start'])} – {format_date(m['end'])}" for m in milestones
                ],
                "notes": "",
            },
            {
                "layout": "content",
                "title": _("Governance"),
                "bullets": [
                    f"{body['body']}: {_shorten(body['role'], 120)}"
                    for block in bound_blocks(plan, "governance")
                    for body in block.value["bodies"]
                ],
                "notes": "",
            },
            section(5),
            {
                "layout": "kpi",
                "title": _("KPIs before and after"),
                "charts": [
                    {
                        "unit": unit,
                        "categories": [row["indicator"] for row in rows],
                        "series": [
                            (_("Before"), [float(row["before"]) for row in rows]),
                            (_("After"), [float(row["after"]) for row in rows]),
                        ],
                    }
                    for unit, rows in by_unit(kpis).items()
                ],
                "notes": _notes(plan, "achievements"),
            },
            section(6),
            {
                "layout": "content",
                "title": _("Lessons learned"),
                "bullets": [
                    item["title"] for block in bound_blocks(plan, "lessons") for item in block.value["items"]
                ],
                "notes": _notes(plan, "lessons"),
            },
            *[
                {
                    "layout": "quote",
                    "title": _("In their words"),
                    "quote": {
                        "text": _shorten(quote["text"], 400),
                        "speaker": quote["speaker"],
                        "role": quote["role"],
                    },
                    "notes": "",
                }
                for quote in quotes[:1]
            ],
            {
                "layout": "content",
                "title": _("Success/failure matrix"),
                "table": {
                    "header": [_("Factor"), _("Kind"), _("Category")],
                    "rows": [
                        [
                            _shorten(row["factor"], 120),
                            _("Success") if row["kind"] == "success" else _("Failure or risk"),
                            str(categories.get(row["category"], row["category"])),
                        ]
                        for row in factors
                    ],
                },
                "notes": "",
            },
            {
                "layout": "content",
                "title": _("Checklist"),
                "bullets": [
                    str(item) for block in bound_blocks(plan, "checklist") for item in block.value["items"]
                ],
                "notes": _notes(plan, "evaluation"),
            },
            {
                "layout": "content",
                "title": _("References"),
                "bullets": [
                    _shorten(
                        format_reference(block.value["citation"], block.value["year"], block.value["url"]),
                        160,
                    )
                    for block in bound_blocks(plan, "reference")
                ],
                "notes": "",
            },
            {
                "layout": "closing",
                "title": _("The full report, its dashboard and media"),
                "url": qr.portal_url(plan),
                "notes": "",
            },
        ]
        return slides


# Text: direction, fonts and measurement ------------------------------------------------------------
def line_height(size):
    """The height of one line of Vazirmatn at `size` points, single spaced."""
    ascent, descent = cover.font(size).getmetrics()
    return (ascent + descent) * LINE_SPACING


def text_height(lines, width, size, bold=False, rtl=False):
    """The height (points) `lines` (paragraphs) take in a frame `width` points wide, with the spacing
    `_fill` gives them."""
    usable = width - 2 * INSET_X.pt
    count = sum(max(1, len(cover.wrap(line, usable, size, bold, rtl))) for line in lines)
    return count * line_height(size) + (len(lines) - 1) * size / 2 + 2 * INSET_Y.pt


def fit_size(lines, box, size, bold=False, rtl=False, smallest=12):
    """The largest size up to `size` at which `lines` fit the box (x, y, width, height in EMU)."""
    while size > smallest and text_height(lines, Emu(box[2]).pt, size, bold, rtl) > Emu(box[3]).pt:
        size -= 2
    return size


def _style(paragraph, size, bold=False, colour=None):
    """Size, weight and colour on every run (PowerPoint reads them there, not from the paragraph)."""
    for run in paragraph.runs:
        run.font.size, run.font.bold = Pt(size), bold
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))


def _fill(text_frame, lines, rtl, size=BULLET_SIZE, bold=False, colour=None):
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.NONE
    for index, line in enumerate(lines):
        paragraph = text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
        paragraph.text = str(line)
        _style(paragraph, size, bold, colour)
        paragraph.space_after = Pt(size // 2)
    pptx_text.direct(text_frame, rtl)


def _text(slide, box, lines, rtl, size=BULLET_SIZE, bold=False, colour=None, name=None):
    """A text box; the text shrinks (never below 12 pt) until it fits."""
    size = fit_size(lines, box, size, bold, rtl)
    shape = slide.shapes.add_textbox(*box)
    if name:
        shape.name = name
    _fill(shape.text_frame, lines, rtl, size, bold, colour)
    return shape


def _rectangle(shapes, box, colour, name):
    """A filled rectangle behind everything else on the slide (the title placeholder comes first)."""
    shape = shapes.add_shape(MSO_SHAPE.RECTANGLE, *box)
    tree = shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)  # after the group's own properties: drawn first
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#"))
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def _greedy(heights, limit):
    runs, current, used = [], [], 0
    for index, needed in enumerate(heights):
        if current and used + needed > limit:
            runs.append(current)
            current, used = [], 0
        current.append(index)
        used += needed
    return [*runs, current] if current else runs


def pages(items, height, measure):
    """`items` split into as few runs as fit `height` (their measured heights added up; one item per
    run at least): as even runs when those fit, so the last slide is not left with a stray line."""
    if not items:
        return [[]]
    heights = [measure(item) for item in items]
    runs = _greedy(heights, height)
    size, extra = divmod(len(items), len(runs))
    bounds = [0]
    for index in range(len(runs)):
        bounds.append(bounds[-1] + size + (index < extra))
    even = [list(range(start, end)) for start, end in pairwise(bounds)]
    if all(sum(heights[index] for index in run) <= height for run in even):
        runs = even
    return [[items[index] for index in run] for run in runs]


def paginate(slides, rtl):
    """Content slides whose bullets or table rows do not fit the body continue on further slides."""
    width, height = Emu(BODY_BOX[2]).pt, Emu(BODY_BOX[3]).pt
    result = []
    for spec in slides:
        if spec.get("bullets") is not None and spec["layout"] == "content":
            runs = pages(
                spec["bullets"] or ["—"],
                height - 2 * INSET_Y.pt,
                lambda line: (
                    text_height([f"• {line}"], width, BULLET_SIZE, rtl=rtl) - 2 * INSET_Y.pt + BULLET_SIZE / 2
                ),
            )
            parts = [{**spec, "bullets": run} for run in runs]
        elif spec.get("charts"):  # a few charts, one unit each, side by side
            charts = spec["charts"]
            parts = [
                {**spec, "charts": charts[start : start + CHARTS_PER_SLIDE]}
                for start in range(0, len(charts), CHARTS_PER_SLIDE)
            ]
        elif spec.get("table"):
            header_height = _row_height(spec["table"]["header"], rtl, bold=True)
            runs = pages(spec["table"]["rows"], height - header_height, lambda row: _row_height(row, rtl))
            parts = [{**spec, "table": {**spec["table"], "rows": run}} for run in runs]
        else:
            parts = [spec]
        for index, part in enumerate(parts):
            if index:
                part["title"] = _("%(title)s, continued") % {"title": spec["title"]}
                part["notes"] = ""
            result.append(part)
    return result


COLUMN_SHARES = (0.6, 0.18, 0.22)  # the matrix: factor, kind, category


def _column_widths(count):
    shares = COLUMN_SHARES if count == len(COLUMN_SHARES) else [1 / count] * count
    return [int(BODY_BOX[2] * share) for share in shares]


def _row_height(cells, rtl, bold=False):
    widths = _column_widths(len(cells))
    return max(
        text_height([text], Emu(width).pt, TABLE_SIZE, bold, rtl)
        for text, width in zip(cells, widths, strict=True)
    )


# The master and the layouts --------------------------------------------------------------------------
def design_master(deck, organization, rtl):
    """Draw the house style on the slide master (every slide shows it, and it is edited in PowerPoint's
    master view): the navy band, the accent stripe, the footer band with the organization's name.
    python-pptx draws shapes on slides only, so they are drawn on a scratch slide and moved."""
    scratch = deck.slides.add_slide(deck.slide_layouts[6])
    shapes = scratch.shapes
    _rectangle(shapes, (0, 0, WIDTH, BAND), cover.NAVY, "Band")
    _rectangle(shapes, (0, BAND, WIDTH, Emu(45720)), cover.ACCENT, "Stripe")
    _rectangle(shapes, (0, FOOTER_TOP, WIDTH, HEIGHT - FOOTER_TOP), cover.NAVY, "Footer")
    footer = _text(
        scratch,
        (MARGIN, FOOTER_TOP, WIDTH - 2 * MARGIN - Emu(900000), HEIGHT - FOOTER_TOP),
        [organization],
        rtl,
        size=11,
        colour=cover.PAPER,
        name="Organization",
    )
    footer.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    if not rtl:
        footer.left = MARGIN + Emu(900000)  # the slide number sits on the other side
    tree = deck.slide_master.shapes._spTree
    next_id = max(int(element.get("id")) for element in tree.iter(qn("p:cNvPr"))) + 1
    for position, element in enumerate(list(shapes._spTree.iterchildren(qn("p:sp")))):
        element.find(".//" + qn("p:cNvPr")).set("id", str(next_id + position))
        tree.insert(2 + position, element)  # after the group properties: behind the placeholders
    slide_ids = deck.slides._sldIdLst
    deck.part.drop_rel(slide_ids[-1].rId)
    slide_ids.remove(slide_ids[-1])


def _title(slide, spec, rtl, box=TITLE_BOX, size=30, colour=cover.NAVY):
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = box
    title.text_frame.text = spec["title"]
    size = fit_size([spec["title"]], box, size, bold=True, rtl=rtl)
    for paragraph in title.text_frame.paragraphs:
        _style(paragraph, size, True, colour)
    title.text_frame.word_wrap = True
    title.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    pptx_text.direct(title.text_frame, rtl)


def _drop_unused_placeholders(slide):
    for placeholder in list(slide.placeholders):
        if placeholder.placeholder_format.idx != 0:
            placeholder._element.getparent().remove(placeholder._element)


def title_slide(slide, spec, context):
    rtl = context["rtl"]
    _rectangle(slide.shapes, (0, 0, WIDTH, Emu(4100000)), cover.NAVY, "Cover band")
    _rectangle(slide.shapes, (0, Emu(4100000), WIDTH, Emu(91440)), cover.ACCENT, "Cover stripe")
    slot = Emu(1100000)
    slot_left = MARGIN if rtl else WIDTH - MARGIN - slot
    ring = slide.shapes.add_shape(MSO_SHAPE.OVAL, slot_left, Emu(420000), slot, slot)
    ring.name = "Emblem slot"
    ring.fill.solid()
    ring.fill.fore_color.rgb = RGBColor.from_string(cover.PAPER.lstrip("#"))
    ring.line.fill.background()
    if context["emblem"]:
        inner = Emu(800000)
        offset = (slot - inner) // 2
        picture = slide.shapes.add_picture(
            io.BytesIO(context["emblem"]), slot_left + offset, Emu(420000) + offset, inner, inner
        )
        picture.name = "Emblem"
    text_width = WIDTH - 2 * MARGIN - slot - Emu(300000)
    text_left = MARGIN + (slot + Emu(300000) if rtl else 0)
    _text(
        slide,
        (text_left, Emu(520000), text_width, Emu(600000)),
        [context["organization"]],
        rtl,
        size=20,
        bold=True,
        colour=cover.PAPER,
        name="Organization",
    )
    _text(
        slide,
        (MARGIN, Emu(1550000), WIDTH - 2 * MARGIN, Emu(520000)),
        spec["bullets"],
        rtl,
        size=18,
        colour=cover.ACCENT,
        name="Plan number",
    )
    _title(
        slide,
        spec,
        rtl,
        box=(MARGIN, Emu(2050000), WIDTH - 2 * MARGIN, Emu(1900000)),
        size=36,
        colour=cover.PAPER,
    )
    subtitle = spec.get("subtitle") or ""
    if subtitle:
        _text(
            slide,
            (MARGIN, Emu(4400000), WIDTH - 2 * MARGIN, Emu(1850000)),
            [_shorten(subtitle, 240)],
            rtl,
            size=18,
            colour=cover.INK,
            name="Subtitle",
        )


def section_slide(slide, spec, context):
    rtl = context["rtl"]
    _rectangle(slide.shapes, (0, BAND, WIDTH, FOOTER_TOP - BAND), cover.BAND, "Section panel")
    _text(
        slide,
        (MARGIN, Emu(1500000), WIDTH - 2 * MARGIN, Emu(1300000)),
        [spec["number"]],
        rtl,
        size=66,
        bold=True,
        colour=cover.ACCENT,
        name="Section number",
    )
    _title(
        slide,
        spec,
        rtl,
        box=(MARGIN, Emu(2900000), WIDTH - 2 * MARGIN, Emu(2200000)),
        size=36,
        colour=cover.PAPER,
    )


def content_slide(slide, spec, context):
    rtl = context["rtl"]
    _title(slide, spec, rtl)
    if spec.get("table"):
        table_slide_body(slide, spec["table"], rtl)
    else:
        _text(slide, BODY_BOX, [f"• {line}" for line in spec["bullets"]] or ["—"], rtl, name="Body")


def table_slide_body(slide, table_spec, rtl):
    rows = [table_spec["header"], *table_spec["rows"]]
    shape = slide.shapes.add_table(len(rows), len(table_spec["header"]), *BODY_BOX)
    shape.name = "Table"
    table = shape.table
    if rtl:  # displayed right to left; the cells stay in reading order
        table._tbl.tblPr.set("rtl", "1")
    for column, width in enumerate(_column_widths(len(table_spec["header"]))):
        table.columns[column].width = width
    for row_index, cells in enumerate(rows):
        table.rows[row_index].height = Emu(int(_row_height(cells, rtl, bold=row_index == 0) * 12700))
        for column, text in enumerate(cells):
            cell = table.cell(row_index, column)
            if row_index == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(cover.NAVY.lstrip("#"))
            _fill(
                cell.text_frame,
                [text],
                rtl,
                size=TABLE_SIZE,
                bold=row_index == 0,
                colour=cover.PAPER if row_index == 0 else None,
            )


def add_kpi_chart(slide, box, chart_spec, language):
    """KPIs of one unit before and after as a native, editable bar chart, titled with the unit, its
    numbers in the language's digits; on fa the bars grow from the right, where their names are."""
    numbers = deck_charts.number_format(language)
    data = CategoryChartData(number_format=numbers)
    data.categories = chart_spec["categories"]
    for name, values in chart_spec["series"]:
        data.add_series(name, values)
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *box, data).chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.size = Pt(11)
    chart.font.name = pptx_text.FONT
    if chart_spec["unit"]:
        chart.has_title = True
        chart.chart_title.text_frame.text = chart_spec["unit"]
        pptx_text.direct(chart.chart_title.text_frame, is_rtl(language))
    chart.value_axis.tick_labels.number_format = numbers
    chart.value_axis.tick_labels.number_format_is_linked = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = numbers
    plot.data_labels.number_format_is_linked = False
    if is_rtl(language):
        chart.value_axis.reverse_order = True  # zero, and the category axis with it, on the right
        deck_charts.rtl_text_properties(chart)
    return chart


def kpi_slide(slide, spec, context):
    """The charts side by side, the first on the reading side (none when no KPI has both values)."""
    _title(slide, spec, context["rtl"])
    left, top, width, height = BODY_BOX
    gap = Emu(200000)
    each = (width - gap * (CHARTS_PER_SLIDE - 1)) // CHARTS_PER_SLIDE
    for index, chart in enumerate(spec["charts"]):
        offset = index * (each + gap)
        chart_left = left + width - offset - each if context["rtl"] else left + offset
        add_kpi_chart(slide, (chart_left, top, each, height), chart, context["language"])


def quote_slide(slide, spec, context):
    rtl = context["rtl"]
    _title(slide, spec, rtl)
    left, top, width, _height = BODY_BOX
    bar_left = left + width - Emu(91440) if rtl else left
    _rectangle(slide.shapes, (bar_left, top, Emu(91440), Emu(2800000)), cover.ACCENT, "Quote bar")
    _text(
        slide,
        (left + Emu(300000), top, width - Emu(600000), Emu(2800000)),
        [f"«{spec['quote']['text']}»" if rtl else f"“{spec['quote']['text']}”"],
        rtl,
        size=24,
        colour=cover.NAVY,
        name="Quote",
    )
    speaker = list_separator().join(filter(None, (spec["quote"]["speaker"], spec["quote"]["role"])))
    _text(
        slide,
        (left + Emu(300000), top + Emu(3000000), width - Emu(600000), Emu(900000)),
        [speaker],
        rtl,
        size=16,
        colour=cover.BAND,
        name="Speaker",
    )


def closing_slide(slide, spec, context):
    rtl = context["rtl"]
    _rectangle(slide.shapes, (0, BAND, WIDTH, FOOTER_TOP - BAND), cover.NAVY, "Closing panel")
    qr_size = Emu(2400000)
    qr_left = WIDTH - MARGIN - qr_size if not rtl else MARGIN
    picture = slide.shapes.add_picture(
        io.BytesIO(qr.png(spec["url"])), qr_left, Emu(1500000), qr_size, qr_size
    )
    picture.name = "QR code"
    text_left = MARGIN if not rtl else MARGIN + qr_size + Emu(300000)
    text_width = WIDTH - 2 * MARGIN - qr_size - Emu(300000)
    _title(
        slide, spec, rtl, box=(text_left, Emu(1500000), text_width, Emu(1500000)), size=32, colour=cover.PAPER
    )
    url = _text(
        slide,
        (text_left, Emu(3200000), text_width, Emu(900000)),
        [spec["url"]],
        rtl,
        size=14,
        colour=cover.ACCENT,
        name="Portal URL",
    )
    url.click_action.hyperlink.address = spec["url"]  # the box links; the text keeps its colour


LAYOUTS = {  # layout name → (slide layout of the template, function that fills the slide)
    "title": (0, title_slide),
    "section": (5, section_slide),
    "content": (5, content_slide),
    "kpi": (5, kpi_slide),
    "quote": (5, quote_slide),
    "closing": (5, closing_slide),
}


def designed_slide(deck, layout, rtl):
    """`new_slide(title)`: a slide on one of `LAYOUTS` with the house title, for slides filled elsewhere
    (`deck_charts`)."""

    def new_slide(title):
        slide = deck.slides.add_slide(deck.slide_layouts[LAYOUTS[layout][0]])
        _drop_unused_placeholders(slide)
        _title(slide, {"title": title}, rtl)
        return slide

    return new_slide


def slide_number(slide, number, rtl):
    box = (MARGIN if rtl else WIDTH - MARGIN - Emu(800000), FOOTER_TOP, Emu(800000), HEIGHT - FOOTER_TOP)
    shape = _text(
        slide,
        box,
        [localize_digits(number)],
        rtl,
        size=12,
        bold=True,
        colour=cover.PAPER,
        name="Slide number",
    )
    shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    if not rtl:  # flush with the slide's right edge
        shape.text_frame.paragraphs[0]._p.get_or_add_pPr().set("algn", "r")


def build_pptx(plan, slides=None):
    """The deck as PPTX bytes: the designed master, one slide per outline entry (long ones split), the
    KPI charts and the roadmap's Gantt after their sections (`deck_charts`; not when `slides` names
    exactly which slides to make), slide numbers and speaker notes."""
    language = language_of(plan)
    rtl = is_rtl(language)
    with translation.override(language):
        specs = paginate(slides if slides is not None else outline(plan), rtl)
        deck = Presentation()
        deck.slide_width, deck.slide_height = WIDTH, HEIGHT
        organization = organization_name(plan)
        design_master(deck, organization, rtl)
        context = {
            "rtl": rtl,
            "language": language,
            "organization": organization,
            "emblem": cover.emblem_png(plan.get_site()),
        }
        unnumbered = set()
        for spec in specs:
            layout, fill = LAYOUTS[spec["layout"]]
            slide = deck.slides.add_slide(deck.slide_layouts[layout])
            _drop_unused_placeholders(slide)
            fill(slide, spec, context)
            if spec["layout"] == "title":
                unnumbered.add(slide.slide_id)
            if spec.get("notes"):
                notes = slide.notes_slide.notes_text_frame
                notes.text = spec["notes"]
                pptx_text.direct(notes, rtl)
        if slides is None:
            # each KPI's series and the roadmap, native, on the KPI layout
            deck_charts.add_chart_slides(deck, plan, designed_slide(deck, "kpi", rtl), BODY_BOX)
        for number, slide in enumerate(deck.slides, 1):  # numbered once the chart slides have their place
            if slide.slide_id not in unnumbered:
                slide_number(slide, number, rtl)
        properties = deck.core_properties  # the whole title, as the PDFs have it
        properties.title = f"{plan.title} · {_('Training deck')}"
        properties.author, properties.language = organization, language
        properties.subject, properties.keywords = plan.full_title or plan.summary, plan.code
        properties.last_modified_by, properties.revision = organization, 1
        buffer = io.BytesIO()
        deck.save(buffer)
        return buffer.getvalue()
