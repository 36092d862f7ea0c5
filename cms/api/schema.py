"""The JSON-schema vocabulary of the API (OpenAPI 3.1): the pieces fields, blocks and endpoints use to
describe their own output. `cms.api.openapi` assembles them into the document at /api/schema/.

Typed values describe themselves (`ValueField.json_schema()`), StreamFields are described block by block
from their definitions, plain model fields from their Django field.
"""

from django.db import models
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.api.values import snippet_fields

STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties, required=None, additional=False):
    """An object schema; every property is required unless `required` says otherwise."""
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required,
            "additionalProperties": additional}


def block_schema(block):
    """The JSON schema of a block's API value (see `cms.api.values.block_json`)."""
    if isinstance(block, blocks.StreamBlock):
        variants = [
            obj({"type": {"const": name}, "value": block_schema(child), "id": STRING})
            for name, child in block.child_blocks.items()
        ]
        return {"type": "array", "items": {"oneOf": variants}}
    if isinstance(block, blocks.ListBlock):
        return {"type": "array", "items": block_schema(block.child_block)}
    if isinstance(block, blocks.StructBlock):
        properties = {}
        for name, child in block.child_blocks.items():
            properties[name] = block_schema(child)
            if isinstance(child, blocks.ChoiceBlock):
                properties[f"{name}_display"] = nullable(STRING)
        return obj(properties)
    if isinstance(block, ImageChooserBlock):
        return nullable(ref("Image"))
    if isinstance(block, DocumentChooserBlock):
        return nullable(ref("Document"))
    if isinstance(block, SnippetChooserBlock):
        return nullable(snippet_schema(block.target_model))
    if isinstance(block, blocks.RichTextBlock):
        return STRING
    if isinstance(block, blocks.DateBlock):
        return nullable(ref("LocalizedDate"))
    if isinstance(block, blocks.ChoiceBlock):
        choices = [str(key) for key, _label in block.field.choices]
        return {"type": ["string", "null"], "enum": [*choices, None]}
    if isinstance(block, blocks.DecimalBlock):
        return nullable({"type": "number"})
    if isinstance(block, blocks.IntegerBlock):
        return nullable(INTEGER)
    if isinstance(block, blocks.BooleanBlock):
        return nullable(BOOLEAN)
    return nullable(STRING)


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
    meta = obj({"type": type_schema, "detail_url": STRING, "html_url": nullable(STRING)}, required=["type"],
               additional=True)
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
        "sources": {"type": "array", "items": obj({"url": STRING, "type": STRING, "size": INTEGER,
                                                   "label": STRING})},
        "hls_url": nullable(STRING),
        "poster_url": nullable(STRING),
        "subtitles": {"type": "array", "items": obj({"language": STRING, "label": STRING, "url": STRING})},
    }
