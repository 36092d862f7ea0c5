"""JSON-schema pieces shared by the block library (each block describes the JSON it gives the API) and the
OpenAPI document at /api/schema/ (`cms.api.schema`); `ref()` names one of that document's components."""

STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties, required=None, additional=False):
    """An object schema; every property is required unless `required` says otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": additional,
    }
