"""The deliverables' house style: SSO's colours, the emblem from Portal settings, text measured with
the real font, and the cover image (EPUB cover, deck title, source package).

Text is measured and drawn with Pillow's raqm layout (HarfBuzz + FriBiDi), the same shaping the PDF and
PowerPoint use, so a line that fits here fits there; Vazirmatn is read from the static files.
"""

import io
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from wagtail.contrib.settings.context_processors import SettingProxy

from cms.i18n import is_rtl, localize_digits

NAVY, BAND, ACCENT, PAPER, INK = "#0b3d6b", "#12558f", "#d9a21b", "#ffffff", "#1b1b1b"
FONTS = {False: "fonts/vazirmatn/Vazirmatn-Regular.woff2", True: "fonts/vazirmatn/Vazirmatn-Bold.woff2"}
COVER_SIZE = (1600, 2400)  # 2:3, what e-book stores ask for


def font_path(bold=False):
    return finders.find(FONTS[bold])


@lru_cache(maxsize=64)
def font(size, bold=False):
    """Vazirmatn at `size` pixels (points when measuring at 72 dpi)."""
    return ImageFont.truetype(font_path(bold), size, layout_engine=ImageFont.Layout.RAQM)


def text_width(text, size, bold=False, rtl=False):
    return font(size, bold).getlength(text, direction="rtl" if rtl else "ltr")


def wrap(text, width, size, bold=False, rtl=False):
    """`text` broken into lines no wider than `width` (same unit as `size`), at spaces; a word longer
    than a line stays whole on its own line."""
    lines, line = [], ""
    for word in str(text).split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold, rtl) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def emblem_image(site):
    """The organization's emblem (Portal settings) as a Pillow RGBA image, or None when none is set."""
    logo = SettingProxy(site)["home"]["PortalSettings"].logo if site else None  # no import of home
    if logo is None:
        return None
    with logo.open_file() as file:
        image = Image.open(io.BytesIO(file.read()), formats=("PNG", "JPEG", "WEBP", "GIF"))
        image.load()
    return image.convert("RGBA")


def emblem_png(site, size=512):
    """The emblem as a square PNG (bytes) fitted in `size` pixels, or None."""
    image = emblem_image(site)
    if image is None:
        return None
    image.thumbnail((size, size))
    square = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    square.paste(image, ((size - image.width) // 2, (size - image.height) // 2), image)
    buffer = io.BytesIO()
    square.save(buffer, format="PNG")
    return buffer.getvalue()


def organization_name(page):
    """The organization's name (Portal settings) in the page's language."""
    portal_settings = SettingProxy(page.get_site())["home"]["PortalSettings"]
    if page.locale.language_code == "fa":
        return portal_settings.organization_name_fa
    return portal_settings.organization_name_en


def cover_lines(plan, document_kind):
    """(organization, plan line, title, kind) of a cover, in the plan's language."""
    with translation.override(plan.locale.language_code):
        number = _("Transformation plan %(number)s · %(code)s") % {
            "number": localize_digits(plan.plan_number or ""),
            "code": plan.code,
        }
        return organization_name(plan), number, plan.title, str(document_kind)


def cover_png(plan, document_kind):
    """A 1600×2400 cover: the navy band with the organization and the emblem slot, the plan's number,
    title and the document's kind, and the accent stripe."""
    width, height = COVER_SIZE
    rtl = is_rtl(plan.locale.language_code)
    organization, number, title, kind = cover_lines(plan, document_kind)
    image = Image.new("RGB", COVER_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    band = int(height * 0.36)
    draw.rectangle((0, 0, width, band), fill=NAVY)
    draw.rectangle((0, band, width, band + 28), fill=ACCENT)
    margin, slot = 130, 260
    # The emblem slot: the logo when one is set, else an empty ring where it goes.
    slot_x = margin if rtl else width - margin - slot
    draw.ellipse((slot_x, 150, slot_x + slot, 150 + slot), fill=PAPER)
    emblem = emblem_image(plan.get_site())
    if emblem is not None:
        emblem.thumbnail((slot - 50, slot - 50))
        image.paste(emblem, (slot_x + (slot - emblem.width) // 2, 150 + (slot - emblem.height) // 2), emblem)

    def line(text, y, size, bold=False, fill=INK, max_width=width - 2 * margin):
        for part in wrap(text, max_width, size, bold, rtl):
            advance = text_width(part, size, bold, rtl)
            x = width - margin - advance if rtl else margin
            draw.text((x, y), part, font=font(size, bold), fill=fill, direction="rtl" if rtl else "ltr")
            y += int(size * 1.55)
        return y

    line(organization, 200, 62, bold=True, fill=PAPER, max_width=width - 2 * margin - slot - 60)
    y = line(number, band + 150, 50, fill=NAVY)
    y = line(title, y + 40, 96, bold=True)
    line(kind, max(y + 80, height - 420), 58, fill=BAND)
    draw.rectangle((0, height - 60, width, height), fill=NAVY)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
