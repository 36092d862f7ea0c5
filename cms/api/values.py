"""JSON for the values pages are made of: dates, money, images, documents, media and snippets.

One `Serialization` per request holds what is shared across the objects of a response (the request, the
restricted collections, the rich-text format), so a listing of 100 pages costs the same queries as one of 10.
Each function here has a twin in `cms.api.schema` that describes its output. StreamField blocks serialize
themselves (`cms.blocks`) and ask the `Serialization` for these shared formats.
"""

import logging

from django.conf import settings
from persiantools.jdatetime import JalaliDate
from wagtail.api.rich_text import APIRichText
from wagtail.api.utils import get_full_url
from wagtail.images.models import SourceImageIOError

from cms import visibility
from cms.i18n import format_date, format_money

logger = logging.getLogger(__name__)
CURRENCY = "IRR"  # amounts are stored in current rials
SNIPPET_HIDDEN_FIELDS = {"translation_key", "locale"}


def rendition_specs():
    """{name: Wagtail filter spec} of the renditions every image is offered in."""
    return settings.REVAYAT_API_RENDITIONS


class Serialization:
    """What the values of one response share: the request, its language and per-request look-ups."""

    def __init__(self, request, language, rich_text_format=None):
        self.request = request
        self.language = language
        self.rich_text_format = rich_text_format or APIRichText.get_default_format()

    @property
    def restricted_collection_ids(self):
        """Collections whose images, documents and media the public may not see (once per request)."""
        return visibility.restricted_collection_ids()

    def absolute(self, url):
        """An absolute URL on the API's base URL (storage URLs that are absolute already stay as they are)."""
        if not url or "://" in url:
            return url
        return get_full_url(self.request, url)

    def is_public(self, obj):
        return obj is not None and obj.collection_id not in self.restricted_collection_ids

    # The formats blocks ask for in `get_api_representation` (see `cms.blocks`)
    def date(self, value):
        return date_json(value, self.language)

    def image(self, image):
        return image_json(image, self)

    def document(self, document):
        return document_json(document, self)

    def snippet(self, obj):
        return snippet_json(obj)

    def rich_text(self, source):
        return APIRichText.serialize(source, format=self.rich_text_format)


def date_json(value, language):
    """{"iso", "jalali", "display"}: ISO 8601, the Jalali date (ASCII digits), the date as readers see it."""
    if not value:
        return None
    jalali = JalaliDate(value)
    return {
        "iso": value.isoformat(),
        "jalali": f"{jalali.year:04d}-{jalali.month:02d}-{jalali.day:02d}",
        "display": format_date(value, language),
    }


def money_json(rials, language):
    """{"amount", "currency", "display"}: an amount in rials, as a number and as a reader reads it."""
    if rials is None:
        return None
    return {"amount": int(rials), "currency": CURRENCY, "display": format_money(rials, language=language)}


def image_json(image, ctx, alt=""):
    """An image as its renditions (absolute URLs with width and height) and alt text; None if not public,
    or if its original file is missing from storage and a rendition has to be made from it."""
    if not ctx.is_public(image):
        return None
    specs = rendition_specs()
    try:
        renditions = image.get_renditions(*specs.values())
    except SourceImageIOError:
        logger.warning("The original file of image %s is missing: %s", image.pk, image.file.name)
        return None
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt,
        "width": image.width,
        "height": image.height,
        "renditions": {name: rendition_json(renditions[spec], ctx) for name, spec in specs.items()},
    }


def rendition_json(rendition, ctx):
    """{"url" (absolute), "width", "height"} of a rendition."""
    return {"url": ctx.absolute(rendition.url), "width": rendition.width, "height": rendition.height}


def document_json(document, ctx):
    """A document's title, absolute download URL, extension and size; None if not public."""
    if not ctx.is_public(document):
        return None
    return {
        "id": document.pk,
        "title": document.title,
        "url": ctx.absolute(document.url),
        "file_extension": document.file_extension,
        "file_size": document.file_size,
    }


def media_json(item, ctx):
    """Audio or video as its processed outputs (absolute URLs), duration, poster and subtitles.

    None unless the item is public: processed (ready) and outside restricted collections. The uploaded
    original is private and never appears.
    """
    if not ctx.is_public(item) or not item.is_ready:
        return None
    return {
        "id": item.pk,
        "title": item.title,
        "media_type": item.type,
        "duration": item.duration,
        "width": item.width or None,
        "height": item.height or None,
        "sources": [
            {
                "url": ctx.absolute(source["src"]),
                "type": source["type"],
                "size": source["size"],
                "label": str(source["label"]),
            }
            for source in item.sources
        ],
        "hls_url": ctx.absolute(item.hls_url) or None,
        "poster_url": ctx.absolute(item.poster_url) or None,
        "subtitles": [
            {"language": track["language"], "label": str(track["label"]), "url": ctx.absolute(track["url"])}
            for track in item.subtitle_tracks
        ],
    }


def snippet_fields(model):
    """The fields of a snippet that the API shows: its own columns, foreign keys as ids."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in SNIPPET_HIDDEN_FIELDS and not field.primary_key
    ]


def snippet_json(obj):
    """A snippet (organization unit, person, upstream document …) as its id, type and columns."""
    if obj is None:
        return None
    data = {"id": obj.pk, "type": obj._meta.label}
    for field in snippet_fields(type(obj)):
        data[field.name] = getattr(obj, field.attname)
    return data
