"""The anonymous response cache (cms/page_cache.py): what is kept, for whom, and when it is retired.

Scenarios: a reader's second request of a plan page, the API and a feed is answered from the cache
without a query; a signed-in editor and a visitor with a session are never served or stored; a
publish, an unpublish, a view restriction (page or collection), a snippet, image, KPI, KPI value or
portal settings save and a scheduled go-live retire the cached page, its API detail and the API
listing at once, also for a reader who rendered while the change was being committed; language, host
and scheme never mix; a response lives no longer than the next scheduled expiry; the response classes
Django's cache got wrong (missing `Vary: Cookie`, `Vary: *`, mixed-case `private`, a cookie set in the
response, unrelated cookies on the request, empty vs missing `Vary`) are handled; ETag and
`stale-if-error` reach the reader.
"""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, PageViewRestriction

from cms.cache import CONTENT_VERSION_KEY, content_version
from cms.page_cache import AnonymousPageCacheMiddleware, seconds_until_next_change
from home.models import PortalSettings
from plans.models import KPI, KPIValue, PlanPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.REVAYAT_PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def fetch(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("url", ["plan", "/api/v2/pages/?type=plans.PlanPage&locale=fa", "/feeds/fa/rss/"])
def test_second_anonymous_request_is_served_without_a_query(client, demo, django_assert_num_queries, url):
    url = demo.plans_fa[0].url if url == "plan" else url
    first = fetch(client, url)
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = fetch(client, url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert "stale-if-error=86400" in second["Cache-Control"] and "public" in second["Cache-Control"]


def test_conditional_request_on_a_hit_is_304(client, demo):
    url = demo.plans_fa[0].url
    etag = fetch(client, url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_signed_in_users_are_never_served_or_stored(client, demo, django_user_model):
    url = demo.plans_fa[0].url
    editor = django_user_model.objects.create_user("editor-cache", password="x", is_staff=True)
    client.force_login(editor)
    assert "X-Cache" not in fetch(client, url)
    assert "X-Cache" not in fetch(client, url)
    client.logout()
    assert fetch(client, url)["X-Cache"] == "miss", "the signed-in user's page was stored"


def test_publish_retires_the_cached_page(client, demo):
    plan = demo.plans_fa[0]
    fetch(client, plan.url)
    plan.title = "عنوان تازه‌ی طرح"
    plan.save_revision().publish()
    response = fetch(client, plan.url)
    assert response["X-Cache"] == "miss"
    assert "عنوان تازه‌ی طرح" in response.content.decode()


def test_a_new_restriction_retires_the_cached_page_and_api(client, demo):
    plan = demo.plans_fa[0]
    api = f"/api/v2/pages/{plan.pk}/"
    fetch(client, plan.url)
    fetch(client, api)
    PageViewRestriction.objects.create(page=plan, restriction_type=PageViewRestriction.PASSWORD, password="x")
    restricted = client.get(plan.url)
    assert restricted.get("X-Cache") != "hit"
    assert 'name="password"' in restricted.content.decode()
    assert client.get(api).status_code == 404


def unpublish(plan):
    plan.unpublish()


def rename_a_person(plan):
    person = plan.senior_managers[0]["person"]
    person.name = "نام ویرایش‌شده"
    person.save()


def refocus_the_hero_image(plan):
    image = get_image_model().objects.get(pk=plan.hero_image_id)
    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 1, 1, 2, 2
    image.save()


def rename_a_kpi(plan):
    kpi = KPI.objects.filter(plan=plan).first()
    kpi.name = "شاخص ویرایش‌شده"
    kpi.save()


def correct_a_kpi_value(plan):
    value = KPIValue.objects.filter(kpi__plan=plan).first()
    value.value += 1
    value.save()


def restrict_the_hero_collection(plan):
    image = get_image_model().objects.get(pk=plan.hero_image_id)
    CollectionViewRestriction.objects.create(collection=image.collection, restriction_type="login")


def rename_the_organization(plan):
    portal = PortalSettings.objects.get()
    portal.organization_name_fa = "نام ویرایش‌شدهٔ سازمان"
    portal.save()


def go_live_as_scheduled(plan):
    plan.full_title = "عنوان کامل زمان‌بندی‌شده"
    plan.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled", verbosity=0)


@pytest.mark.parametrize(
    "change",
    [
        unpublish,
        rename_a_person,
        refocus_the_hero_image,
        rename_a_kpi,
        correct_a_kpi_value,
        restrict_the_hero_collection,
        rename_the_organization,
        go_live_as_scheduled,
    ],
)
def test_every_change_the_page_shows_retires_its_cached_page_and_api(client, demo, change):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    urls = [plan.url, f"/api/v2/pages/{plan.pk}/", "/api/v2/pages/?type=plans.PlanPage&locale=fa"]
    for url in urls:
        fetch(client, url)
        assert fetch(client, url)["X-Cache"] == "hit"
    change(plan)
    for url in urls:
        assert client.get(url).get("X-Cache") != "hit", f"{change.__name__}: {url} served from the cache"


def test_a_reader_during_the_saving_transaction_cannot_keep_the_old_copy(
    demo, django_capture_on_commit_callbacks
):
    """A reader in another process sees the old rows until the commit; what it cached under the version
    bumped inside the transaction is retired by the bump at commit."""
    with django_capture_on_commit_callbacks(execute=True):
        rename_a_person(PlanPage.objects.get(pk=demo.plans_fa[0].pk))
        inside = content_version()
    assert content_version() != inside


def test_languages_hosts_and_schemes_never_mix(client, demo):
    fa, en = demo.plans_fa[0], demo.plans_en[0]
    assert fa.title in fetch(client, fa.url).content.decode()
    assert en.title in fetch(client, en.url).content.decode()
    assert fetch(client, fa.url, HTTP_HOST="other.example")["X-Cache"] == "miss"
    assert fetch(client, fa.url, secure=True)["X-Cache"] == "miss"
    assert fetch(client, fa.url)["X-Cache"] == "hit"


def test_lifetime_ends_at_the_next_scheduled_expiry(demo):
    assert seconds_until_next_change() is None
    page = demo.plans_en[0]
    page.expire_at = timezone.now() + timedelta(seconds=90)
    page.save(update_fields=["expire_at"])
    assert 85 <= seconds_until_next_change() <= 90


def response_class(**headers):
    def view(request):
        response = HttpResponse("body")
        for name, value in headers.items():
            if name == "cookie":
                response.set_cookie("visitor", value)
            else:
                response[name] = value
        return response

    return view


@pytest.mark.parametrize(
    ("headers", "stored"),
    [
        ({}, True),
        ({"Vary": ""}, True),
        ({"Vary": "Accept-Encoding"}, True),
        ({"Vary": "*"}, False),
        ({"Vary": "Accept-Encoding, *"}, False),
        ({"Cache-Control": "Private"}, False),
        ({"Cache-Control": "max-age=60, PRIVATE"}, False),
        ({"Cache-Control": "No-Store"}, False),
        ({"Cache-Control": "no-cache"}, False),
        ({"cookie": "1"}, False),
    ],
)
def test_response_classes(headers, stored):
    middleware = AnonymousPageCacheMiddleware(response_class(**headers))
    factory = RequestFactory()
    assert middleware(factory.get("/fa/probe/")).get("X-Cache") == ("miss" if stored else None)
    assert (middleware(factory.get("/fa/probe/")).get("X-Cache") == "hit") is stored


def test_cookie_varying_responses_are_kept_per_cookie_and_sessions_bypass():
    middleware = AnonymousPageCacheMiddleware(response_class(Vary="Cookie"))
    factory = RequestFactory()
    plain, analytics = factory.get("/fa/probe/"), factory.get("/fa/probe/", HTTP_COOKIE="_ga=1")
    assert middleware(plain)["X-Cache"] == "miss"
    assert middleware(analytics)["X-Cache"] == "miss", "a Vary: Cookie copy was served to other cookies"
    assert middleware(factory.get("/fa/probe/", HTTP_COOKIE="_ga=1"))["X-Cache"] == "hit"
    assert "X-Cache" not in middleware(factory.get("/fa/probe/", HTTP_COOKIE="sessionid=abc"))


@pytest.mark.parametrize("path", ["/admin/", "/api/v2/preview/", "/documents/1/a.pdf", "/media/x.mp3"])
def test_only_public_doors_are_cached(path):
    middleware = AnonymousPageCacheMiddleware(response_class())
    middleware(RequestFactory().get(path))
    assert "X-Cache" not in middleware(RequestFactory().get(path))


def counting_view():
    calls = []

    def view(request):
        calls.append(request.path)
        return HttpResponse(f"rendered {len(calls)}")

    return view, calls


def test_a_local_copy_is_served_only_under_the_version_it_was_rendered_under():
    """Each process keeps copies of what it served; another process's publish (a new content version
    in the shared cache) retires them at once."""
    view, calls = counting_view()
    middleware = AnonymousPageCacheMiddleware(view)
    factory = RequestFactory()
    assert middleware(factory.get("/fa/probe/"))["X-Cache"] == "miss"
    assert middleware(factory.get("/fa/probe/"))["X-Cache"] == "hit"
    cache.set(CONTENT_VERSION_KEY, "published elsewhere", None)
    response = middleware(factory.get("/fa/probe/"))
    assert response["X-Cache"] == "miss" and response.content == b"rendered 2"
    assert len(calls) == 2


def test_a_local_copy_ends_when_the_page_is_due_to_expire(monkeypatch):
    view, calls = counting_view()
    middleware = AnonymousPageCacheMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/fa/probe/"))
    assert middleware(factory.get("/fa/probe/"))["X-Cache"] == "hit"
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 601)  # past the lifetime (a scheduled expiry's too)
    assert middleware(factory.get("/fa/probe/"))["X-Cache"] == "miss"
    assert len(calls) == 2
