"""Social cards (PNG, 1080×1080 and 1200×630) of one KPI or of a plan's KPIs (the generated
infographic), drawn with Pillow.

Persian text is shaped by Pillow's raqm layout engine (HarfBuzz + FriBidi) with Vazirmatn, not by a
reshaper: the strings are the same ones the page prints (`Point.display`, `Point.label`), so a number on
a card is the number in the table. The chart on a KPI card is the PNG of the dashboard's own Vega-Lite
spec (plans.charts).
"""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, features

from cms.i18n import is_persian, is_rtl
from plans.charts import kind_labels, series_png

SIZES = {"square": (1080, 1080), "wide": (1200, 630)}
BRAND, INK, MUTED, PAPER = "#0b5cad", "#1f2937", "#4b5563", "#ffffff"
MARGIN = 60


def font(size, bold=False):
    name = "Vazirmatn-Bold.ttf" if bold else "Vazirmatn-Regular.ttf"
    if not features.check("raqm"):
        raise RuntimeError("Pillow lacks raqm (libraqm): Persian text would not be shaped")
    path = str(settings.REVAYAT_FONT_DIR / name)
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


class Canvas:
    """A card being drawn: text placed from the reading side (right on fa), wrapped to a width."""

    def __init__(self, size, language):
        self.image = Image.new("RGB", size, PAPER)
        self.draw = ImageDraw.Draw(self.image)
        self.language = language
        self.rtl = is_rtl(language)
        self.options = {"direction": "rtl", "language": "fa"} if is_persian(language) else {"language": "en"}

    def lines(self, text, face, width):
        words, lines = str(text).split(), []
        for word in words:
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and face.getlength(candidate, **self.options) <= width:
                lines[-1] = candidate
            else:
                lines.append(word)
        return lines

    def text(self, start, end, y, text, face, fill=INK, most=3):
        """Draw `text` between x = start and x = end (start < end), aligned to the reading side; return
        the y under it."""
        x, anchor = (end, "ra") if self.rtl else (start, "la")
        for line in self.lines(text, face, end - start)[:most]:
            self.draw.text((x, y), line, font=face, fill=fill, anchor=anchor, **self.options)
            y += int(face.size * 1.5)
        return y

    def png(self):
        buffer = io.BytesIO()
        self.image.save(buffer, "PNG", optimize=True)
        return buffer.getvalue()


def figures(series, language):
    """(label, value with unit, period) for the before, latest and target numbers of a series."""
    labels = kind_labels()
    unit = f" {series.unit}" if series.unit else ""
    marks = [("baseline", series.baseline), ("actual", series.latest), ("target", series.target)]
    return [(labels[kind], f"{p.display(language)}{unit}", p.label(language)) for kind, p in marks if p]


def _figures_row(canvas, series, left, right, y, value_size=52):
    row = figures(series, canvas.language)
    if not row:
        return y
    step = (right - left) // len(row)
    for index, (label, value, period) in enumerate(row):
        if canvas.rtl:
            end = right - index * step
            start = end - step + 20
        else:
            start = left + index * step
            end = start + step - 20
        y1 = canvas.text(start, end, y, label, font(26), MUTED, most=1)
        y1 = canvas.text(start, end, y1, value, font(value_size, bold=True), BRAND, most=2)
        canvas.text(start, end, y1, period, font(24), MUTED, most=1)
    return y + 26 * 2 + value_size * 3 + 24


def _header(canvas, plan_title, illustrative):
    width = canvas.image.width
    canvas.draw.rectangle((0, 0, width, 110), fill=BRAND)
    canvas.text(MARGIN, width - MARGIN, 30, plan_title, font(34, bold=True), PAPER, most=1)
    if illustrative:
        height = canvas.image.height
        canvas.text(MARGIN, width - MARGIN, height - 60, _("Illustrative figures"), font(24), MUTED, most=1)


def kpi_card(series, language, size="square"):
    """The PNG card of one KPI: its plan, name, before/latest/target and the dashboard's chart."""
    width, height = SIZES[size]
    canvas = Canvas((width, height), language)
    _header(canvas, series.plan_title, series.kpi.illustrative)
    if size == "square":
        y = canvas.text(MARGIN, width - MARGIN, 150, series.name, font(48, bold=True), most=2)
        y = _figures_row(canvas, series, MARGIN, width - MARGIN, y + 10)
        chart_box = (MARGIN, y, width - MARGIN, height - 80)
    else:
        half = width // 2
        text_left, text_right = (half, width - MARGIN) if canvas.rtl else (MARGIN, half)
        y = canvas.text(text_left, text_right, 140, series.name, font(40, bold=True), most=3)
        _figures_row(canvas, series, text_left, text_right, y + 10, value_size=36)
        chart_left, chart_right = (MARGIN, half - 20) if canvas.rtl else (half + 20, width - MARGIN)
        chart_box = (chart_left, 140, chart_right, height - 80)
    png = series_png(series, language, width=460, height=220)
    if png:
        chart = Image.open(io.BytesIO(png)).convert("RGB")
        box_width, box_height = chart_box[2] - chart_box[0], chart_box[3] - chart_box[1]
        chart.thumbnail((box_width, box_height), Image.Resampling.LANCZOS)
        x = chart_box[0] + (box_width - chart.width) // 2
        canvas.image.paste(chart, (x, chart_box[1] + (box_height - chart.height) // 2))
    return canvas.png()


def plan_card(plan_title, series_list, language, size="square", illustrative=False):
    """The generated infographic of a plan: every KPI (as many as fit) with its before, latest and
    target numbers."""
    width, height = SIZES[size]
    canvas = Canvas((width, height), language)
    _header(canvas, plan_title, illustrative or any(s.kpi.illustrative for s in series_list))
    y = canvas.text(MARGIN, width - MARGIN, 140, _("Key performance indicators"), font(40, bold=True), most=1)
    value_size = 34 if size == "square" else 26
    row_height = 30 + 26 * 2 + value_size * 3 + 24
    for series in series_list:
        if y + row_height > height - 70:
            break
        y = canvas.text(MARGIN, width - MARGIN, y + 10, series.name, font(30, bold=True), most=1)
        y = _figures_row(canvas, series, MARGIN, width - MARGIN, y, value_size=value_size) - value_size
    return canvas.png()
