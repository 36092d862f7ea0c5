"""Bad input on the public doors is a 400 or a graceful fallback, never a 500 (issue 13 §4).

Scenarios: a search with an unbalanced (or any) double quote on pages, images, documents and media (on
the database backend of the database the tests run on: SQLite FTS5 or PostgreSQL); a page whose image
file is gone from storage still answers in the API and the feeds; every preview says noindex.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory, override_settings
from wagtail.images import get_image_model

from plans.models import PlanPage
from tests.api.test_preview import FRONTEND, open_preview

pytestmark = pytest.mark.django_db

QUOTED = ['"', '"abc', 'abc"', 'a"b"c"', '""', '"برنامه', 'بیمه" "تحول', "'\"", "\"'", '"*', 'NEAR("a']


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents", "media"])
@pytest.mark.parametrize("query", QUOTED)
def test_a_quote_in_a_search_is_not_a_500(client, endpoint, query):
    response = client.get(f"/api/v2/{endpoint}/", {"search": query})
    assert response.status_code in (200, 400), response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert "items" in response.json() or response.json()["message"]


def test_a_quoted_word_finds_what_the_word_finds(client, demo):
    plan = demo.plans_fa[0]
    word = plan.title.split()[0]
    plain = client.get("/api/v2/pages/", {"search": word}).json()
    quoted = client.get("/api/v2/pages/", {"search": f'"{word}'}).json()
    assert plain["meta"]["total_count"] > 0
    assert [item["id"] for item in quoted["items"]] == [item["id"] for item in plain["items"]]


def test_the_admin_search_takes_an_unbalanced_quote(admin_client):
    assert admin_client.get("/admin/pages/search/", {"q": '"تحول'}).status_code == 200


# --- an image whose file is gone ------------------------------------------------------------------------


@pytest.fixture
def page_with_lost_image(demo):
    """A live plan whose hero and social image's original file is missing from storage (no renditions)."""
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    image = plan.hero_image
    assert image is not None
    plan.social_image = None
    plan.save_revision().publish()
    image.renditions.all().delete()
    storage, name = image.file.storage, image.file.name
    with storage.open(name) as original:
        content = original.read()
    storage.delete(name)
    yield plan, get_image_model().objects.get(pk=image.pk)
    storage.save(name, ContentFile(content))  # the file outlives the test's rolled-back transaction


def test_the_api_answers_for_a_page_whose_image_file_is_missing(client, page_with_lost_image):
    plan, image = page_with_lost_image
    response = client.get(f"/api/v2/pages/{plan.pk}/")
    assert response.status_code == 200, response.content[:300]
    assert response.json()["title"] == plan.title
    listing = client.get("/api/v2/pages/", {"type": "plans.PlanPage", "fields": "*"})
    assert listing.status_code == 200
    assert client.get(f"/api/v2/images/{image.pk}/").status_code == 200
    assert client.get("/api/v2/images/").status_code == 200


def test_the_feeds_answer_for_a_page_whose_image_file_is_missing(client, page_with_lost_image):
    plan, _image = page_with_lost_image
    for url in ("/feeds/fa/rss/", "/feeds/fa/atom/", f"/feeds/fa/pages/{plan.pk}/rss/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert plan.title in response.content.decode()


def test_the_portal_page_answers_too(client, page_with_lost_image):
    plan, _image = page_with_lost_image
    assert client.get(plan.url).status_code == 200


# --- previews ----------------------------------------------------------------------------------------------


@pytest.fixture
def previewer(django_user_model):
    return django_user_model.objects.create_superuser("previewer", "p@example.com", "pw")


@override_settings(WAGTAIL_HEADLESS_PREVIEW={"CLIENT_URLS": {"default": FRONTEND}})
def test_every_preview_response_says_noindex(client, demo, previewer):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    request = RequestFactory().get("/admin/")
    request.user = previewer
    assert plan.serve_preview(request, "")["X-Robots-Tag"] == "noindex"
    assert plan.serve_preview(request, "headless")["X-Robots-Tag"] == "noindex"

    query = open_preview(plan, previewer)
    answered = client.get("/api/v2/preview/", query)
    assert answered.status_code == 200 and answered["X-Robots-Tag"] == "noindex"
    refused = client.get("/api/v2/preview/", {**query, "token": "forged"})
    assert refused.status_code == 403 and refused["X-Robots-Tag"] == "noindex"
