"""Demo pictures with shaped Persian text: the film's cards, podcast cover art and plan heroes.

Pillow lays out text with libraqm (HarfBuzz shaping, FriBiDi bidi) when it has it, so Persian is drawn
from its logical order with `direction="rtl"` and no reshaping; without raqm the text would come out
unjoined and reversed, so `font()` refuses to work rather than draw it wrong.
"""

import io
from functools import cache

import segno
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont, features

from cms.i18n import format_number

FONTS = settings.BASE_DIR / "frontend" / "node_modules" / "vazirmatn" / "fonts" / "ttf"
PALETTE = [(11, 79, 138), (179, 89, 0), (30, 107, 52), (110, 60, 140)]
WHITE, INK, GREY, PAPER = (255, 255, 255), (28, 33, 40), (150, 160, 172), (246, 247, 249)

# The image library's titles of the demo pictures (Persian: the admin's language)
IMAGE_TITLES = {
    "hero": "تصویر شاخص طرح {number} — {title}",
    "figure": "نمودار شاخص‌های طرح {number} — {title}",
    "podcast-cover": "جلد پادکست طرح {number} — {title}",
    "infographic": "اینفوگرافیک طرح {number} — {title}",
}


def image_title(kind, data):
    """The title of a plan's demo picture in the image library (at most 255 characters)."""
    number = format_number(data["plan_number"], "fa")
    title = IMAGE_TITLES[kind].format(number=number, title=data["fa"]["title"])
    return title if len(title) <= 255 else title[:254] + "…"


@cache
def font(size, bold=False):
    if not features.check("raqm"):
        raise RuntimeError("Pillow has no libraqm: Persian text cannot be shaped (install libraqm0).")
    name = "Vazirmatn-Bold.ttf" if bold else "Vazirmatn-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.RAQM)


def colour(number):
    return PALETTE[number % len(PALETTE)]


def wrap(draw, text, face, width, direction):
    """Lines of `text` no wider than `width` (words are kept whole)."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=face, direction=direction) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def text_block(draw, text, box, face, fill, language, max_lines=None, spacing=1.35):
    """Draw wrapped text in `box` (left, top, right), aligned to the language's start side; returns the
    y below it."""
    left, top, right = box
    direction = "rtl" if language == "fa" else "ltr"
    lines = wrap(draw, text, face, right - left, direction)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += "…"
    height = face.size * spacing
    for index, line in enumerate(lines):
        y = top + index * height
        if direction == "rtl":
            draw.text((right, y), line, font=face, fill=fill, anchor="ra", direction=direction)
        else:
            draw.text((left, y), line, font=face, fill=fill, anchor="la", direction=direction)
    return top + len(lines) * height


def card(number, size=(1280, 720)):
    """An empty card: paper with the plan's colour band on the language's start side."""
    picture = Image.new("RGB", size, PAPER)
    return picture, ImageDraw.Draw(picture)


def band(draw, number, size, language):
    width, height = size
    x = width - 24 if language == "fa" else 0
    draw.rectangle([x, 0, x + 24, height], fill=colour(number))


def title_card(number, content, language, size=(1280, 720)):
    """Plan number, title and full title on the plan's colour."""
    width, height = size
    picture = Image.new("RGB", size, colour(number))
    draw = ImageDraw.Draw(picture)
    margin = 90
    box = (margin, 0, width - margin)
    draw.rectangle([0, height - 110, width, height], fill=tuple(c // 2 for c in colour(number)))
    y = text_block(draw, content["plan"], (box[0], 150, box[2]), font(44, True), (220, 230, 240), language)
    y = text_block(draw, content["title"], (box[0], y + 10, box[2]), font(72, True), WHITE, language, 3)
    text_block(draw, content["subtitle"], (box[0], y + 30, box[2]), font(30), (220, 230, 240), language, 3)
    text_block(draw, content.get("sso", ""), (box[0], height - 85, box[2]), font(32, True), WHITE, language)
    return picture


def list_card(number, content, language, size=(1280, 720)):
    """A heading and up to four items with bullets in the plan's colour."""
    width, _height = size
    picture, draw = card(number, size)
    band(draw, number, size, language)
    margin = 100
    y = text_block(draw, content["heading"], (margin, 70, width - margin), font(54, True), INK, language)
    y += 30
    face = font(32)
    for item in content["items"]:
        bullet_x = width - margin + 30 if language == "fa" else margin - 40
        draw.ellipse([bullet_x, y + 18, bullet_x + 14, y + 32], fill=colour(number))
        y = text_block(draw, item, (margin, y, width - margin), face, INK, language, 3) + 22
    return picture


def kpi_card(number, content, language, progress=1.0, size=(1280, 720)):
    """Before/after bars per KPI; `progress` (0–1) grows the bars, for the animation."""
    width, height = size
    picture, draw = card(number, size)
    band(draw, number, size, language)
    margin = 100
    text_block(draw, content["heading"], (margin, 60, width - margin), font(50, True), INK, language)
    rows = content["rows"]
    slot = (height - 220) / max(len(rows), 1)
    label_face, value_face = font(24), font(24, True)
    bar_left, bar_right = margin, width - margin
    for index, row in enumerate(rows):
        top = 170 + index * slot
        text_block(
            draw,
            f"{row['name']} ({row['unit']})",
            (margin, top, width - margin),
            label_face,
            INK,
            language,
            1,
        )
        scale = max(abs(row["before"]), abs(row["after"]), abs(row["target"] or 0), 1)
        for offset, (key, fill) in enumerate((("before", GREY), ("after", colour(number)))):
            length = (bar_right - bar_left - 160) * abs(row[key]) / scale * progress
            y = top + 40 + offset * 30
            if language == "fa":
                draw.rectangle([bar_right - length, y, bar_right, y + 24], fill=fill)
                label_x, anchor = bar_right - length - 12, "rm"
            else:
                draw.rectangle([bar_left, y, bar_left + length, y + 24], fill=fill)
                label_x, anchor = bar_left + length + 12, "lm"
            shown = (
                format_number(round(row[key] * progress, 1), language)
                if progress < 1
                else row[f"{key}_label"]
            )
            draw.text((label_x, y + 12), shown, font=value_face, fill=INK, anchor=anchor, direction=None)
    text_block(draw, content["note"], (margin, height - 50, width - margin), font(20), GREY, language)
    return picture


def closing_card(number, content, language, size=(1280, 720)):
    """The QR code of the plan's page with the portal's name."""
    width = size[0]
    picture = Image.new("RGB", size, colour(number))
    draw = ImageDraw.Draw(picture)
    qr = segno.make_qr(content["url"], error="m")
    scale = max(1, 360 // (qr.symbol_size(scale=1, border=2)[0]))
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=2)
    code = Image.open(buffer).convert("RGB")
    picture.paste(code, ((width - code.width) // 2, 120))
    y = 120 + code.height + 40
    for text, face in ((content["text"], font(40, True)), (content["sso"], font(30))):
        draw.text((width // 2, y), text, font=face, fill=WHITE, anchor="ma", direction=direction(language))
        y += face.size * 1.6
    return picture


def direction(language):
    return "rtl" if language == "fa" else "ltr"


def plan_labels(data):
    number = data["plan_number"]
    return {"fa": f"طرح {format_number(number, 'fa')}", "en": f"Plan {number}"}


def podcast_cover(number, data, size=3000):
    """Square podcast cover art (Apple: 1400–3000 px): the series title and the plan, in Persian and
    English (one cover serves both languages' feeds), over the plan's colour."""
    picture = Image.new("RGB", (size, size), colour(number))
    draw = ImageDraw.Draw(picture)
    centre = (size * 0.5, size * 0.3)
    for ring in range(10):
        radius = size * (0.08 + ring * 0.05)
        draw.ellipse(
            [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
            outline=WHITE,
            width=max(2, size // 600),
        )
    draw.text(centre, format_number(number, "fa"), font=font(size // 6, True), fill=WHITE, anchor="mm")
    margin, labels = size // 12, plan_labels(data)
    draw.rectangle([0, size * 0.58, size, size], fill=tuple(c // 2 for c in colour(number)))
    y = text_block(
        draw, "پادکست روایت", (margin, size * 0.61, size - margin), font(size // 13, True), WHITE, "fa"
    )
    y = text_block(
        draw, data["fa"]["title"], (margin, y, size - margin), font(size // 24, True), WHITE, "fa", 2
    )
    y = text_block(
        draw, "Revayat podcast", (margin, y + size // 40, size - margin), font(size // 20, True), WHITE, "en"
    )
    text_block(
        draw,
        f"{labels['en']}: {data['en']['title']}",
        (margin, y, size - margin),
        font(size // 30),
        WHITE,
        "en",
        2,
    )
    return picture


def hero(number, data, size=(1600, 900)):
    """A plan's hero (shared by its Persian and English pages): gradient and arcs in the plan's colour,
    its number large, its title in both languages."""
    width, height = size
    base = colour(number)
    picture = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        shade = tuple(int(channel * (0.55 + 0.45 * y / height)) for channel in base)
        draw.line([(0, y), (width, y)], fill=shade)
    centre_x = width * 0.22
    for ring in range(12):
        radius = 90 + ring * 60
        draw.ellipse(
            [centre_x - radius, height * 0.38 - radius, centre_x + radius, height * 0.38 + radius],
            outline=WHITE,
            width=2,
        )
    draw.text(
        (centre_x, height * 0.38), format_number(number, "fa"), font=font(240, True), fill=WHITE, anchor="mm"
    )
    margin, labels = 90, plan_labels(data)
    y = text_block(
        draw, labels["fa"], (width * 0.45, 140, width - margin), font(48, True), (220, 230, 240), "fa"
    )
    y = text_block(
        draw, data["fa"]["title"], (width * 0.45, y + 10, width - margin), font(68, True), WHITE, "fa", 3
    )
    text_block(
        draw,
        f"{labels['en']}: {data['en']['title']}",
        (margin, height - 120, width - margin),
        font(40),
        WHITE,
        "en",
        1,
    )
    return picture
