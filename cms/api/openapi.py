"""The OpenAPI 3.1 document at /api/schema/, generated from the endpoints and each page type's `api_fields`.

Another app's endpoint under /api/ describes itself with the `register_api_operations` hook: a function
returning [(path, GET operation, {schema name: schema})], built with this module's helpers.

Tests validate real responses against this document and schemathesis fuzzes the API from it.
"""

from functools import cache

from django.conf import settings
from django.db import models
from wagtail import hooks
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page, get_page_models
from wagtail.snippets.models import get_snippet_models

from cms.api.endpoints import MAX_ID, PagesEndpoint
from cms.api.fields import ValueField
from cms.api.navigation import MAX_DEPTH
from cms.api.router import api_router
from cms.api.schema import DATETIME, media_properties, model_field_schema, nested_object, snippet_schema
from cms.json_schema import BOOLEAN, INTEGER, STRING, nullable, obj, ref


def api_field_schema(model, api_field):
    if isinstance(api_field.serializer, ValueField):
        return api_field.serializer.json_schema(model, api_field.name)
    field = model._meta.get_field(api_field.name)
    if isinstance(field, models.ForeignKey):
        return nullable(nested_object())
    return model_field_schema(field)


def page_meta(model=None, detail=True):
    properties = {
        "type": {"const": model._meta.label} if model else STRING,
        "detail_url": STRING,
        "html_url": nullable(STRING),
        "slug": STRING,
        "show_in_menus": BOOLEAN,
        "seo_title": STRING,
        "search_description": STRING,
        "first_published_at": nullable(DATETIME),
        "last_published_at": nullable(DATETIME),
        "alias_of": nullable(nested_object()),
        "parent": nullable(nested_object()),
        "locale": {"enum": [code for code, _name in settings.LANGUAGES]},
        "translations": {"type": "array", "items": ref("PageLink")},
        "breadcrumbs": {"type": "array", "items": ref("PageLink")},
        "deliverables": nullable({"type": "object", "additionalProperties": nullable(STRING)}),
    }
    return obj(properties, required=list(properties) if detail else [])


def page_schema(model):
    """The detail JSON of one page type: every field, all present."""
    properties = {"id": INTEGER, "meta": page_meta(model)}
    for api_field in PagesEndpoint.get_body_fields(model):
        if api_field.name == "id":
            continue
        is_title = api_field.name == "title"
        properties[api_field.name] = STRING if is_title else api_field_schema(model, api_field)
    return obj(properties)


def listing(item):
    return obj({"meta": obj({"total_count": INTEGER}), "items": {"type": "array", "items": item}})


def collection_item(endpoint, detail):
    """Images, documents and media: the endpoint's own item schema, else its model's body and meta fields."""
    if hasattr(endpoint, "openapi_item_schema"):
        return endpoint.openapi_item_schema(detail=detail)
    model = endpoint.model
    meta = {
        "type": STRING,
        "detail_url": STRING,
        "tags": {"type": "array", "items": STRING},
        "download_url": STRING,
    }
    if "renditions" in endpoint.meta_fields:
        meta["renditions"] = {"type": "object", "additionalProperties": ref("Rendition")}
    properties = {"id": INTEGER, "meta": obj(meta, required=list(meta) if detail else [])}
    for api_field in endpoint.get_body_fields(model):
        if api_field.name != "id":
            properties[api_field.name] = api_field_schema(model, api_field)
    return obj(properties, required=None if detail else [])


def integer_parameter(name, description, minimum=0, maximum=MAX_ID, root=False):
    schema = {"type": "integer", "minimum": minimum, "maximum": maximum}
    if root:
        schema = {"anyOf": [schema, {"const": "root"}]}
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def query(name, description, schema=STRING):
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


FIELDS = query("fields", "Comma-separated fields to add (`-name` removes, `*` all, `_` none).")
RICH_TEXT = query(
    "rich_text_format",
    "Rich text output: display `html` (default) or Wagtail's `db_html`.",
    {"type": "string", "enum": ["html", "db_html", "markdown", "db_markdown"]},
)
ID_PATH = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}


def collection_parameters():
    return [
        integer_parameter("limit", "Items per page.", maximum=settings.WAGTAILAPI_LIMIT_MAX),
        integer_parameter("offset", "Items to skip."),
        FIELDS,
        query("order", "Field to order by; `-field` descending, `random`."),
        query("search", "Full-text search."),
        query("search_operator", "How search terms combine.", {"type": "string", "enum": ["and", "or"]}),
    ]


def responses(schema, description):
    error = {"content": {"application/json": {"schema": ref("Error")}}}
    return {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}},
        "400": {"description": "Bad query string.", **error},
        "404": {"description": "Not found (or not public).", **error},
    }


def page_types():
    return [model for model in get_page_models() if model is not Page and model.is_creatable]


@cache
def openapi():
    """The OpenAPI 3.1 document (built once per process: it depends only on code and settings)."""
    languages = [code for code, _name in settings.LANGUAGES]
    types = page_types()
    link = {
        "id": INTEGER,
        "type": nullable(STRING),
        "title": STRING,
        "locale": {"enum": languages},
        "html_url": nullable(STRING),
        "api_url": STRING,
    }
    page_item = obj(
        {"id": INTEGER, "meta": page_meta(detail=False), "title": STRING}, required=[], additional=True
    )
    schemas = {
        "Error": obj({"message": STRING}),
        "LocalizedDate": obj(
            {
                "iso": {"type": "string", "format": "date"},
                "jalali": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "display": STRING,
            }
        ),
        "Money": obj({"amount": INTEGER, "currency": {"const": "IRR"}, "display": STRING}),
        "Rendition": obj({"url": STRING, "width": INTEGER, "height": INTEGER}),
        "Image": obj(
            {
                "id": INTEGER,
                "title": STRING,
                "alt": STRING,
                "width": INTEGER,
                "height": INTEGER,
                "renditions": {"type": "object", "additionalProperties": ref("Rendition")},
            }
        ),
        "Document": obj(
            {
                "id": INTEGER,
                "title": STRING,
                "url": STRING,
                "file_extension": STRING,
                "file_size": nullable(INTEGER),
            }
        ),
        "PageLink": obj(link),
        "NavigationItem": obj({**link, "children": {"type": "array", "items": ref("NavigationItem")}}),
        "MenuItem": obj(
            {
                "key": STRING,
                "title": STRING,
                "html_url": STRING,
                "children": {"type": "array", "items": ref("MenuItem")},
            }
        ),
        "Media": obj(media_properties()),
        "Section": obj({"number": INTEGER, "title": STRING, "anchor": STRING, "field": nullable(STRING)}),
        "PageListingItem": page_item,
        **{f"Snippet.{model._meta.label}": snippet_schema(model) for model in get_snippet_models()},
        **{f"Page.{model._meta.label}": page_schema(model) for model in types},
    }
    page_detail = {"oneOf": [ref(f"Page.{model._meta.label}") for model in types]}
    page_parameters = [
        query(
            "type",
            "Page type(s), e.g. `plans.PlanPage` (comma-separated); enables its fields as "
            "filters, e.g. `plan_number=3`.",
        ),
        query("locale", "Language of the pages.", {"type": "string", "enum": languages}),
        integer_parameter("child_of", "Only children of this page (`root`: of the home page).", 1, root=True),
        integer_parameter("descendant_of", "Only descendants of this page.", 1, root=True),
        integer_parameter("ancestor_of", "Only ancestors of this page.", 1),
        integer_parameter("translation_of", "Only translations of this page.", 1, root=True),
        integer_parameter("plan_number", "With `type=plans.PlanPage`: the plan's number.", 1, 20),
        RICH_TEXT,
    ]
    paths = {
        "/api/v2/pages/": {
            "get": {
                "operationId": "pages_listing",
                "tags": ["pages"],
                "summary": "Public pages, filtered, ordered and paginated (meta.total_count).",
                "parameters": [*collection_parameters(), *page_parameters],
                "responses": responses(listing(ref("PageListingItem")), "A page of public pages."),
            }
        },
        "/api/v2/pages/{id}/": {
            "get": {
                "operationId": "pages_detail",
                "tags": ["pages"],
                "summary": "One public page with every field of its type, translations and breadcrumbs.",
                "parameters": [ID_PATH, FIELDS, RICH_TEXT],
                "responses": responses(page_detail, "The page."),
            }
        },
        "/api/v2/navigation/": {
            "get": {
                "operationId": "navigation",
                "tags": ["pages"],
                "summary": "The public site tree of a locale, from its home page down to `depth` levels, "
                "and the site menu (plans, dashboards, media indexes, search, about) the portal shows.",
                "parameters": [
                    query("locale", "Language of the tree.", {"type": "string", "enum": languages}),
                    integer_parameter("depth", "Levels below the home page.", 1, MAX_DEPTH),
                ],
                "responses": responses(
                    obj(
                        {
                            "locale": STRING,
                            "home": nullable(ref("PageLink")),
                            "items": {"type": "array", "items": ref("NavigationItem")},
                            "menu": {"type": "array", "items": ref("MenuItem")},
                        }
                    ),
                    "The navigation tree.",
                ),
            }
        },
    }
    for hook in hooks.get_hooks("register_api_operations"):  # endpoints of other apps (search)
        for path, operation, operation_schemas in hook():
            schemas.update(operation_schemas)
            paths[path] = {"get": operation}
    for name, endpoint in api_router._endpoints.items():
        if issubclass(endpoint, PagesAPIViewSet):
            continue
        schemas[f"{name}.item"] = collection_item(endpoint, detail=False)
        schemas[f"{name}.detail"] = collection_item(endpoint, detail=True)
        paths[f"/api/v2/{name}/"] = {
            "get": {
                "operationId": f"{name}_listing",
                "tags": [name],
                "summary": f"Public {name}.",
                "parameters": collection_parameters(),
                "responses": responses(listing(ref(f"{name}.item")), f"A page of {name}."),
            }
        }
        paths[f"/api/v2/{name}/{{id}}/"] = {
            "get": {
                "operationId": f"{name}_detail",
                "tags": [name],
                "summary": f"One of the public {name}.",
                "parameters": [ID_PATH, FIELDS],
                "responses": responses(ref(f"{name}.detail"), "The item."),
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Revayat API",
            "version": "2.0.0",
            "description": "Public, read-only content of Revayat in Persian and English. Errors are "
            '`{"message": …}`; responses carry an ETag for conditional GET.',
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
