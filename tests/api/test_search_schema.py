"""/api/v2/search/ answers as /api/schema/ documents it: results with snippets and facets, "did you
mean", an empty page, and a 400 `{"message"}` for each parameter the document bounds."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {"q": "بيمه"},
        {"q": "insurance", "lang": "en", "page": "1"},
        {"q": "بیمه", "lang": "all", "year": "1403"},
        {"q": "fdli"},  # nothing, and a "did you mean"
        {"q": "qqqqzzzz"},  # nothing at all
    ],
)
def test_answers_match_the_documented_schema(api, validate, params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    status, data, _response = api(f"/api/v2/search/?{query}")
    assert status == 200
    validate(data, "SearchAnswer")
    if data["count"]:
        assert data["results"] and data["facets"]["language"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=",
        "q=" + "x" * 201,
        "q=a&lang=de",
        "q=a&page=0",
        "q=a&page=51",
        "q=a&plan=x",
        "q=a&type=Bad",
        "q=a&year=99",
    ],
)
def test_bad_query_strings_are_documented_400s(api, validate, openapi, query):
    status, data, _response = api(f"/api/v2/search/?{query}")
    assert status == 400
    validate(data, "Error")
    parameters = {p["name"]: p for p in openapi["paths"]["/api/v2/search/"]["get"]["parameters"]}
    assert parameters["q"]["required"] and parameters["q"]["schema"]["maxLength"] == 200
    whole_number, empty = parameters["page"]["schema"]["anyOf"]  # empty: an unset facet of the page's form
    assert whole_number["maximum"] == 50 and empty == {"type": "string", "maxLength": 0}
