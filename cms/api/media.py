"""/api/v2/media/: public audio and video (`cms.visibility.public_media`) as their processed outputs.

Each item shows what a player needs — sources (URL, MIME type, size, label), the HLS playlist, the poster
and subtitle tracks — with its duration and size; never the uploaded original (wagtailmedia's own
serializer exposes it as `download_url`, so it is not used here).
"""

from rest_framework.fields import Field, ReadOnlyField
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.serializers import BaseSerializer
from wagtail.api.v2.views import BaseAPIViewSet

from cms import visibility
from cms.api import values
from cms.api.endpoints import PublicEndpointMixin, TagNamesField
from cms.api.schema import INTEGER, STRING, media_properties, obj
from media_pipeline.models import MediaItem

OUTPUT_FIELDS = ["sources", "hls_url", "poster_url", "subtitles"]


class MediaOutputField(Field):
    """One part of the item's public JSON (`cms.api.values.media_json`)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, item):
        serialization = self.context.setdefault(
            "media_serialization", values.Serialization(self.context["request"], None)
        )
        return values.media_json(item, serialization)[self.field_name]


class MediaSerializer(BaseSerializer):
    media_type = ReadOnlyField(source="type")
    tags = TagNamesField()
    sources = MediaOutputField()
    hls_url = MediaOutputField()
    poster_url = MediaOutputField()
    subtitles = MediaOutputField()


class MediaEndpoint(PublicEndpointMixin, BaseAPIViewSet):
    """Processed audio and video outside restricted collections."""

    model = MediaItem
    name = "media"
    base_serializer_class = MediaSerializer
    filter_backends = [FieldsFilter, OrderingFilter, SearchFilter]
    body_fields = [
        *BaseAPIViewSet.body_fields,
        "title",
        "media_type",
        "duration",
        "width",
        "height",
        *OUTPUT_FIELDS,
    ]
    meta_fields = [*BaseAPIViewSet.meta_fields, "tags"]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "title",
        "tags",
        "media_type",
        "duration",
        "width",
        "height",
        *OUTPUT_FIELDS,
    ]
    nested_default_fields = [*BaseAPIViewSet.nested_default_fields, "title"]
    integer_parameters = ("id",)

    def get_queryset(self):
        # A plain queryset for search: the visibility filters use unindexed fields.
        items = MediaItem.objects.filter(pk__in=visibility.public_media().values("pk"))
        return items.prefetch_related("outputs", "subtitles", "tags").order_by("id")

    def last_modified(self):
        return self.get_object().processed_at

    @classmethod
    def openapi_item_schema(cls, detail):
        """The item as /api/schema/ describes it (in listings every field is optional: `fields=`)."""
        meta = {
            "type": {"const": MediaItem._meta.label},
            "detail_url": STRING,
            "tags": {"type": "array", "items": STRING},
        }
        properties = {
            **media_properties(),
            "id": INTEGER,
            "meta": obj(meta, required=list(meta) if detail else []),
        }
        return obj(properties, required=None if detail else [])
