"""HTTP behaviour: ETag and conditional GET (304), Last-Modified, Cache-Control, CORS from settings."""

import pytest
from django.test import override_settings

from plans.models import PlanPage

pytestmark = pytest.mark.django_db

PORTAL = "https://portal.tamin.example"


def test_detail_has_validators_and_answers_304_until_the_page_changes(client, demo):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    path = f"/api/v2/pages/{plan.pk}/"
    first = client.get(path)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"].endswith("GMT")
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]

    cached = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert cached.status_code == 304 and cached.content == b""
    assert cached["ETag"] == etag

    plan.full_title = "عنوان تازه"
    plan.save_revision().publish()
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["full_title"] == "عنوان تازه"


@pytest.mark.parametrize("path", ["/api/v2/pages/?locale=en", "/api/v2/images/", "/api/v2/navigation/"])
def test_listings_are_conditional_too(client, path):
    etag = client.get(path)["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_head_is_conditional_and_the_etag_alone_decides(client, demo):
    path = f"/api/v2/pages/{demo.plans_fa[0].pk}/"
    etag = client.head(path)["ETag"]
    assert client.head(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # Last-Modified cannot see a renamed snippet inside the page: If-Modified-Since alone gets the content.
    assert client.get(path, HTTP_IF_MODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT").status_code == 200


def test_errors_are_not_cached_as_content(client):
    response = client.get("/api/v2/pages/?locale=xx")
    assert response.status_code == 400 and not response.has_header("ETag")


@override_settings(CORS_ALLOWED_ORIGINS=[PORTAL])
def test_cors_allows_only_the_configured_origins(client, demo):
    allowed = client.get("/api/v2/pages/", HTTP_ORIGIN=PORTAL)
    assert allowed["Access-Control-Allow-Origin"] == PORTAL
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    other = client.get("/api/v2/pages/", HTTP_ORIGIN="https://evil.example")
    assert not other.has_header("Access-Control-Allow-Origin")
    preflight = client.options("/api/v2/pages/", HTTP_ORIGIN=PORTAL, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 200 and preflight["Access-Control-Allow-Origin"] == PORTAL
    portal = client.get("/fa/", HTTP_ORIGIN=PORTAL)  # the HTML portal is not opened to other origins
    assert not portal.has_header("Access-Control-Allow-Origin")
    not_modified = client.get("/api/v2/pages/", HTTP_ORIGIN=PORTAL, HTTP_IF_NONE_MATCH=allowed["ETag"])
    assert not_modified.status_code == 304 and not_modified["Access-Control-Allow-Origin"] == PORTAL


def test_schema_and_docs(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and schema.json()["openapi"] == "3.1.0"
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
