"""Serializer fields for `api_fields`: typed values (dates, money, images, streams, snippets) and page links.

Content types declare what they show with these, e.g.::

    api_fields = [
        *BASE_PAGE_API_FIELDS,
        APIField("start_date", serializer=DateValueField()),
        APIField("body", serializer=StreamValueField()),
    ]

Each field describes its own output (`json_schema()`), so `/api/schema/` is generated from the same
declarations that serialize. Media page types follow the same pattern (see `cms/api/README.md`).
"""

from rest_framework.fields import Field
from wagtail.api import APIField

from cms.api import values
from cms.blocks import api_schema
from cms.json_schema import nullable, ref


class ValueField(Field):
    """A read-only field whose value is serialized with the response's `Serialization`."""

    nullable = True

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    @property
    def serialization(self):
        return self.context["serialization"]

    def json_schema(self, model=None, name=None):
        """The JSON schema (OpenAPI 3.1) of this field's output."""
        raise NotImplementedError


class DateValueField(ValueField):
    """A date as {"iso", "jalali", "display"}."""

    def to_representation(self, value):
        return values.date_json(value, self.serialization.language)

    def json_schema(self, model=None, name=None):
        return nullable(ref("LocalizedDate"))


class MoneyField(ValueField):
    """An amount stored in rials as {"amount", "currency", "display"}."""

    def to_representation(self, value):
        return values.money_json(value, self.serialization.language)

    def json_schema(self, model=None, name=None):
        return nullable(ref("Money"))


class RichTextValueField(ValueField):
    """Rich text in the requested `rich_text_format` (display HTML by default)."""

    def to_representation(self, value):
        return self.serialization.rich_text(value or "")

    def json_schema(self, model=None, name=None):
        return {"type": "string"}


class ImageValueField(ValueField):
    """The page's image (from `image` with alt text from `alt`) as renditions; null if none or restricted."""

    def __init__(self, image, alt=None, **kwargs):
        self.image_attr, self.alt_attr = image, alt
        super().__init__(source="*", **kwargs)

    def to_representation(self, instance):
        alt = getattr(instance, self.alt_attr, "") if self.alt_attr else ""
        return values.image_json(getattr(instance, self.image_attr), self.serialization, alt=alt)

    def json_schema(self, model=None, name=None):
        return nullable(ref("Image"))


class MediaValueField(ValueField):
    """Audio or video (a `MediaItem`) as its processed outputs, subtitles and poster; null unless public."""

    def to_representation(self, value):
        return values.media_json(value, self.serialization)

    def json_schema(self, model=None, name=None):
        return nullable(ref("Media"))


class RenditionsValueField(ValueField):
    """Named renditions of the page's image from a page method returning [(name, rendition)]; {} if none
    or restricted (e.g. an infographic's social-network crops)."""

    nullable = False

    def __init__(self, method, image, **kwargs):
        self.method, self.image_attr = method, image
        super().__init__(source="*", **kwargs)

    def to_representation(self, page):
        if not self.serialization.is_public(getattr(page, self.image_attr)):
            return {}
        return {
            name: values.rendition_json(rendition, self.serialization)
            for name, rendition in getattr(page, self.method)()
        }

    def json_schema(self, model=None, name=None):
        return {"type": "object", "additionalProperties": ref("Rendition")}


class RenditionValueField(RenditionsValueField):
    """One rendition of the page's image from a page method (e.g. an infographic's download); null if none."""

    def to_representation(self, page):
        if not self.serialization.is_public(getattr(page, self.image_attr)):
            return None
        rendition = getattr(page, self.method)()
        return rendition and values.rendition_json(rendition, self.serialization)

    def json_schema(self, model=None, name=None):
        return nullable(ref("Rendition"))


class AbsoluteUrlField(ValueField):
    """A URL the page computes (an attribute or property), made absolute; null if empty."""

    def to_representation(self, value):
        return self.serialization.absolute(value) or None

    def json_schema(self, model=None, name=None):
        return nullable({"type": "string"})


class StreamValueField(ValueField):
    """A StreamField as typed blocks: [{"type", "value", "id"}, …], each block serializing itself."""

    def to_representation(self, value):
        return value.stream_block.get_api_representation(value, context=self.context)

    def json_schema(self, model=None, name=None):
        return api_schema(model._meta.get_field(name).stream_block)


class SnippetField(ValueField):
    """A snippet chosen through a foreign key, with its columns."""

    def to_representation(self, value):
        return values.snippet_json(value)

    def json_schema(self, model=None, name=None):
        return nullable(ref(f"Snippet.{model._meta.get_field(name).related_model._meta.label}"))


class DeliverablesField(ValueField):
    """A page's generated files ({name: URL or null}) when its type has `get_deliverables()`; else null."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, page):
        get_deliverables = getattr(page, "get_deliverables", None)
        if get_deliverables is None:
            return None
        return {key: self.serialization.absolute(url) for key, url in get_deliverables().items()}

    def json_schema(self, model=None, name=None):
        return nullable({"type": "object", "additionalProperties": nullable({"type": "string"})})


class SectionsField(ValueField):
    """The report's table of contents: [{"number", "title", "anchor", "field"}] from the page's `sections`."""

    nullable = False

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, page):
        return [
            {
                "number": section.number,
                "title": str(section.title),
                "anchor": section.anchor,
                "field": section.field,
            }
            for section in page.sections
        ]

    def json_schema(self, model=None, name=None):
        return {"type": "array", "items": ref("Section")}


class ChildPageField(ValueField):
    """A link to the page's first public child of a type (e.g. a plan's executive summary), or null.

    The view looks the children up for every page of the response at once.
    """

    def __init__(self, child_type, **kwargs):
        self.child_type = child_type
        super().__init__(source="*", **kwargs)

    def to_representation(self, page):
        child = self.context["view"].child_of_type(page, self.child_type)
        return None if child is None else self.context["view"].page_link(child)

    def json_schema(self, model=None, name=None):
        return nullable(ref("PageLink"))


# What every page built on cms.models.BasePage shows; content types start their api_fields with it.
BASE_PAGE_API_FIELDS = [
    APIField("summary"),
    APIField("hero_image", serializer=ImageValueField("hero_image", alt="hero_image_alt")),
]
