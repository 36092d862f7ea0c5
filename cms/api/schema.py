"""The JSON-schema vocabulary of the API (OpenAPI 3.1): the pieces fields, blocks and endpoints use to
describe their own output. `cms.api.openapi` assembles them into the document at /api/schema/.

Typed values describe themselves (`ValueField.json_schema()`), StreamField blocks too (`api_schema()` in
`cms.blocks`), plain model fields from their Django field.
"""

from django.db import models
from wagtail.fields import RichTextField, StreamField

from cms.api.values import snippet_fields
from cms.json_schema import BOOLEAN, INTEGER, STRING, nullable, obj

DATETIME = {"type": "string", "format": "date-time"}


def model_field_schema(field):
    """The JSON schema of a model field as Django REST framework serializes it."""
    if isinstance(field, (RichTextField, models.CharField, models.TextField)):
        schema = STRING
    elif isinstance(field, StreamField):
        schema = {"type": "array"}
    elif isinstance(field, models.ForeignKey):
        schema = INTEGER
    elif isinstance(field, models.BooleanField):
        schema = BOOLEAN
    elif isinstance(field, (models.IntegerField, models.AutoField)):
        schema = INTEGER
    elif isinstance(field, models.DateTimeField):
        schema = DATETIME
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "format": "date"}
    else:
        schema = {}
    return nullable(schema) if field.null else schema


def snippet_schema(model):
    properties = {"id": INTEGER, "type": {"const": model._meta.label}}
    for field in snippet_fields(model):
        properties[field.name] = model_field_schema(field)
    return obj(properties)


def nested_object(type_schema=STRING):
    meta = obj(
        {"type": type_schema, "detail_url": STRING, "html_url": nullable(STRING)},
        required=["type"],
        additional=True,
    )
    return obj({"id": INTEGER, "meta": meta}, required=["id", "meta"], additional=True)


def media_properties():
    """The properties of audio or video in the API (see `cms.api.values.media_json`)."""
    return {
        "id": INTEGER,
        "title": STRING,
        "media_type": {"enum": ["audio", "video"]},
        "duration": {"type": "number", "minimum": 0},
        "width": nullable(INTEGER),
        "height": nullable(INTEGER),
        "sources": {
            "type": "array",
            "items": obj({"url": STRING, "type": STRING, "size": INTEGER, "label": STRING}),
        },
        "hls_url": nullable(STRING),
        "poster_url": nullable(STRING),
        "subtitles": {"type": "array", "items": obj({"language": STRING, "label": STRING, "url": STRING})},
    }
