"""Headless preview: a signed, expiring token grants exactly one previewed draft of one page.

The editor's draft is frozen when the preview is opened; the frontend fetches it from /api/v2/preview/.
Scenarios: the draft is served (the live API still shows the published page); the default preview mode
still renders the portal; a token cannot open another page or type, a forged token is refused, an expired
token is refused, and a token keeps showing its own draft after a later preview.
"""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory, override_settings

from home.models import HomePage
from plans.models import PlanPage

pytestmark = pytest.mark.django_db

FRONTEND = "https://front.tamin.example/preview"


def open_preview(page, user):
    """What the admin does when an editor picks the "External frontend" preview mode."""
    request = RequestFactory().get("/admin/")
    request.user = user
    response = page.serve_preview(request, "headless")
    url = re.search(r'src="([^"]+)"', response.content.decode()).group(1).replace("&amp;", "&")
    assert url.startswith(FRONTEND)
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("previewer", "p@example.com", "pw")


@pytest.fixture(autouse=True)
def frontend():
    with override_settings(WAGTAIL_HEADLESS_PREVIEW={"CLIENT_URLS": {"default": FRONTEND}}):
        yield


def test_the_frontend_gets_the_draft_and_the_public_api_does_not(client, demo, editor):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    assert "headless" in dict(plan.preview_modes)
    published_title = plan.title
    plan.title = "پیش‌نویس دیده‌نشده"
    query = open_preview(plan, editor)
    assert query["content_type"] == "plans.planpage"

    response = client.get("/api/v2/preview/", query)
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    assert data["title"] == "پیش‌نویس دیده‌نشده" and data["meta"]["type"] == "plans.PlanPage"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert client.get(f"/api/v2/pages/{plan.pk}/").json()["title"] == published_title
    assert PlanPage.get_page_from_preview_token(query["token"]).title == "پیش‌نویس دیده‌نشده"


def test_default_preview_mode_still_renders_the_portal(demo, editor):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    request = RequestFactory().get("/admin/")
    request.user = editor
    response = plan.serve_preview(request, "")
    response.render()
    assert response.status_code == 200 and b"section-1" in response.content


def test_a_token_opens_only_its_own_page(client, demo, editor):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    other = PlanPage.objects.get(pk=demo.plans_fa[1].pk)
    query = open_preview(plan, editor)
    assert client.get("/api/v2/preview/", {**query, "id": plan.pk}).status_code == 200
    for attempt in ({**query, "id": other.pk}, {**query, "content_type": "home.homepage"}):
        response = client.get("/api/v2/preview/", attempt)
        assert response.status_code == 404 and response.json()["message"]
    other_query = open_preview(HomePage.objects.get(pk=demo.home_fa.pk), editor)
    response = client.get("/api/v2/preview/", {**other_query, "id": plan.pk})
    assert response.status_code == 404


def test_forged_and_expired_tokens_are_refused(client, demo, editor, monkeypatch, settings):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    query = open_preview(plan, editor)
    forged = {**query, "token": query["token"][:-2] + ("AA" if not query["token"].endswith("AA") else "BB")}
    response = client.get("/api/v2/preview/", forged)
    assert response.status_code == 403 and response.json() == {"message": "preview token is not valid"}

    later = time.time() + settings.REVAYAT_PREVIEW_TOKEN_SECONDS + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.get("/api/v2/preview/", query)
    assert response.status_code == 403 and response.json() == {"message": "preview token has expired"}


def test_a_token_keeps_showing_its_own_draft(client, demo, editor):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    plan.title = "نسخه یکم"
    first = open_preview(plan, editor)
    plan.title = "نسخه دوم"
    second = open_preview(plan, editor)
    assert first["token"] != second["token"]
    assert client.get("/api/v2/preview/", first).json()["title"] == "نسخه یکم"
    assert client.get("/api/v2/preview/", second).json()["title"] == "نسخه دوم"
