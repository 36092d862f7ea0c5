"""The e-book (EPUB 3, ebooklib) of a plan's report: one chapter per section, a navigation document,
the report's images, Vazirmatn embedded, right-to-left page progression and `dir="rtl"` on fa.
"""

import io
import re
import uuid
from pathlib import PurePosixPath

from django.contrib.staticfiles import finders
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from ebooklib import epub
from PIL import Image

from cms import i18n
from plans.deliverables import qr
from plans.deliverables.cover import cover_png
from plans.deliverables.documents import base_context, language_of, section_html
from plans.deliverables.pdf import StorageFetcher
from plans.sections import SECTIONS

FONTS = ("Vazirmatn-Regular.woff2", "Vazirmatn-Bold.woff2")  # headings and <strong> need the bold face
IMAGE_SRC = re.compile(r'src="([^"]+)"')
# HTML attributes of the portal's templates that EPUB 3.2 does not know
UNKNOWN_ATTRIBUTES = re.compile(r'\s(?:loading|decoding)="[^"]*"')
MEDIA_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}
STYLESHEET = """
@font-face { font-family: "Vazirmatn"; font-weight: 400; src: url("../fonts/Vazirmatn-Regular.woff2"); }
@font-face { font-family: "Vazirmatn"; font-weight: 700; src: url("../fonts/Vazirmatn-Bold.woff2"); }
html { font-family: "Vazirmatn", sans-serif; line-height: 1.7; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; }
th, td { border: 1px solid #999; padding: 0.2em 0.4em; text-align: start; vertical-align: top; }
img { max-width: 100%; }
.visually-hidden { display: none; }
"""


def as_png(content):
    """Images in PNG, a core EPUB media type (the portal's renditions are WebP, which is not)."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(content)).save(buffer, format="PNG")
    return buffer.getvalue()


class ImageCollector:
    """Replaces the media URLs of a chapter's images by files inside the book (each added once)."""

    def __init__(self, book):
        self.book, self.names, self.fetcher, self.count = book, {}, StorageFetcher(), 0

    def add(self, name, content):
        self.count += 1
        media_type = MEDIA_TYPES[PurePosixPath(name).suffix.lower()]
        self.book.add_item(
            epub.EpubItem(uid=f"image-{self.count}", file_name=name, media_type=media_type, content=content)
        )

    def rewrite(self, html):
        def replace(match):
            url = match.group(1)
            if url.startswith("images/"):
                return match.group(0)
            if url not in self.names:
                name = self.names[url] = f"images/figure-{len(self.names) + 1}.png"
                self.add(name, as_png(self.fetcher.fetch(url).read()))
            return f'src="{self.names[url]}"'

        return IMAGE_SRC.sub(replace, UNKNOWN_ATTRIBUTES.sub("", html))


def build_epub(plan):
    """The EPUB 3 bytes of the plan's report."""
    language = language_of(plan)
    direction = i18n.direction(language)
    with translation.override(language):
        context = base_context(plan, plan)
        book = epub.EpubBook()
        book.set_identifier(f"urn:uuid:{uuid.uuid5(plan.translation_key, language)}")
        book.set_title(plan.title)
        book.set_language(language)
        book.add_author(context["organization"])
        book.add_metadata("DC", "publisher", context["organization"])
        if plan.summary:
            book.add_metadata("DC", "description", plan.summary)
        book.add_metadata("DC", "source", context["portal_url"])
        if direction == "rtl":
            book.set_direction(direction)
        stylesheet = epub.EpubItem(
            uid="style", file_name="style/book.css", media_type="text/css", content=STYLESHEET
        )
        for index, name in enumerate(FONTS):
            with open(finders.find(f"fonts/vazirmatn/{name}"), "rb") as font:
                book.add_item(
                    epub.EpubItem(
                        uid=f"font-{index}",
                        file_name=f"fonts/{name}",
                        media_type="font/woff2",
                        content=font.read(),
                    )
                )
        book.set_cover("images/cover.png", cover_png(plan, _("Comprehensive report")), create_page=False)
        book.add_item(stylesheet)
        images = ImageCollector(book)
        images.add("images/qr-portal.svg", qr.svg(context["portal_url"]))
        images.add("images/qr-dashboard.svg", qr.svg(context["dashboard_url"]))

        def chapter(uid, title, html):
            item = epub.EpubHtml(
                uid=uid, title=title, file_name=f"{uid}.xhtml", lang=language, direction=direction
            )
            item.content = images.rewrite(html)
            item.add_item(stylesheet)
            book.add_item(item)
            return item

        # The designed cover (the same image readers show on their shelves), its words as alt text.
        cover = chapter(
            "cover",
            plan.title,
            format_html(
                '<section class="cover"><img src="images/cover.png" alt="{}"/></section>',
                f"{context['organization']}: {plan.title}",
            ),
        )
        chapters = [
            chapter(
                section.anchor,
                f"{section.number}. {section.title}",
                section_html(
                    plan, section, portal_qr="images/qr-portal.svg", dashboard_qr="images/qr-dashboard.svg"
                ),
            )
            for section in SECTIONS
        ]
        book.toc = chapters
        book.add_item(epub.EpubNcx())
        book.add_item(epub.EpubNav(direction=direction))
        book.spine = [cover, "nav", *chapters]
        buffer = io.BytesIO()
        epub.write_epub(buffer, book)
        return buffer.getvalue()
