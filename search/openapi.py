"""/api/v2/search/ in the API's OpenAPI document (registered in search/wagtail_hooks.py)."""

from cms.api.openapi import integer_parameter, query, responses
from cms.json_schema import BOOLEAN, INTEGER, STRING, nullable, obj, ref
from search import service as search_service


def form_integer(name, description, minimum, maximum):
    """A whole-number parameter that may also come empty, as the search page's form sends an unset facet
    (`search.service` reads empty as absent)."""
    parameter = integer_parameter(name, f"{description} Empty for none.", minimum, maximum)
    parameter["schema"] = {"anyOf": [parameter["schema"], {"type": "string", "maxLength": 0}]}
    return parameter


def search_operation():
    """/api/v2/search/ (search.views.api_search): its parameters, limits and answer, from search.service's
    own constants so the document and the checks cannot drift."""
    text = {"type": "string", "maxLength": search_service.MAX_QUERY_CHARS}
    value = {"anyOf": [STRING, INTEGER]}
    facet = {"type": "array", "items": obj({"value": value, "count": INTEGER})}
    answer = obj(
        {
            "query": STRING,
            "language": {"enum": [*search_service.LANGUAGES, "all"]},
            "count": INTEGER,
            "page": INTEGER,
            "pages": INTEGER,
            "results": {"type": "array", "items": ref("SearchResult")},
            "facets": obj(dict.fromkeys(search_service.FACETS, facet)),
            "did_you_mean": STRING,
        }
    )
    parameters = [
        {
            "name": "q",
            "in": "query",
            "required": True,
            "description": "What to search for, as typed (Persian or English; the Persian search key is "
            "applied). `search` is accepted as a synonym.",
            "schema": {**text, "minLength": 1, "pattern": r"\S"},
        },
        query(
            "lang",
            "Language of the results (`all`: both; empty: the portal's first language).",
            {"type": "string", "enum": [*search_service.LANGUAGES, "all", ""]},
        ),
        form_integer("page", "Page of results.", 1, search_service.MAX_PAGE),
        form_integer("plan", "Only this plan's number (facet).", 1, 999),
        query(
            "type",
            "Only this content type, e.g. `plans.filmpage` (facet); empty, as a form sends it, for all.",
            {
                "type": "string",
                "pattern": r"^([a-z_]+\.[a-z_]+)?$",
                "maxLength": search_service.MAX_QUERY_CHARS,
            },
        ),
        form_integer("year", "Only this year (facet; Jalali when lang is fa).", 1000, 3000),
    ]
    result = obj(
        {
            "title": STRING,
            "title_html": STRING,
            "url": STRING,
            "kind": {"enum": ["page", "chapter", "cue", "document", "deliverable"]},
            "label": STRING,
            "language": STRING,
            "type": STRING,
            "type_label": STRING,
            "plan": nullable(INTEGER),
            "year": nullable(INTEGER),
            "jalali_year": nullable(INTEGER),
            "snippet_html": STRING,
            "snippet": STRING,
            # the other places of the same page or file the query was found: PDF pages, timestamps
            "moments": {"type": "array", "items": obj({"label": STRING, "url": STRING})},
            "more_moments": BOOLEAN,
        }
    )
    operation = {
        "operationId": "search",
        "tags": ["search"],
        "summary": "The portal search as JSON: public pages, chapters and subtitle cues (`#t=`), document "
        'and deliverable pages (`#page=`), with highlighted snippets, facets and a "did you mean". A page '
        "or file is one result; the other places in it that the query was found are its `moments`.",
        "parameters": parameters,
        "responses": {
            key: answer_
            for key, answer_ in responses(ref("SearchAnswer"), "A page of results.").items()
            if key != "404"
        },
    }
    return operation, {"SearchAnswer": answer, "SearchResult": result}
