"""Bad requests get a 400/404/405 in Wagtail's JSON shape on every API path, never an HTML page or a 500."""

import pytest

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    "locale=xx",
    "limit=100000",
    "limit=-1",
    "offset=-5",
    "offset=99999999999999999999999",
    "child_of=99999999999999999999",
    "child_of=abc",
    "descendant_of=-3",
    "type=auth.User",
    "type=plans.Nope",
    "order=nope",
    "order=-",
    "search_operator=xor",
    "fields=nope",
    "fields=title(id(meta(type(x))))",
    "fields=" + "(" * 200,
    "title=%00",
    "search=%00",
    "plan_number=3",  # a PlanPage field without type=plans.PlanPage
    "type=plans.PlanPage&plan_number=x' OR 1=1 --",
    "unknown=1",
    "limit=1&limit=2",
    "rich_text_format=pdf",
    "search=" + "x" * 5000,
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_query_strings_are_400_with_a_message(client, query):
    response = client.get(f"/api/v2/pages/?{query}")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message"} and response.json()["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/images/?limit=abc",
        "/api/v2/documents/?offset=-1",
        "/api/v2/navigation/?depth=99",
        "/api/v2/navigation/?locale=xx",
        "/api/v2/navigation/?x=1",
        "/api/v2/preview/",
        "/api/v2/images/?fields=nope",
        "/api/v2/documents/?order=secret",
    ],
)
def test_other_endpoints_reject_bad_query_strings(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json" and "message" in response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/pages/999999/",
        "/api/v2/pages/99999999999999999999/",
        "/api/v2/images/999999/",
        "/api/v2/documents/999999/",
        "/api/v2/nothing/",
        "/api/nothing",
        "/api/v3/pages/",
        "/api/v2/pages/find/?html_path=/nowhere/",
    ],
)
def test_unknown_paths_are_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404, response
    assert response["Content-Type"] == "application/json" and response.json()["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/pages/",
        "/api/v2/images/",
        "/api/v2/navigation/",
        "/api/schema/",
        "/api/docs/",
    ],
)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_writes_are_json_405(client, path, method):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json" and response.json()["message"]
    assert "GET" in response["Allow"]


def test_an_unexpected_error_is_a_json_500(client, monkeypatch):
    from cms.api.endpoints import PagesEndpoint

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(PagesEndpoint, "get_base_queryset", broken)
    response = client.get("/api/v2/pages/")
    assert response.status_code == 500
    assert response.json() == {"message": "internal server error"}
