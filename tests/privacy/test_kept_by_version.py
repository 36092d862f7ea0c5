"""What each process keeps under the content version (`cms.cache.remembered`), and the door it must not open.

With a shared cache a reader's request reads neither the door's paths nor the site, the language or the
portal settings: the process kept them under the content version. Scenarios: a value is read once per
version and again after another process's save; outside a shared cache, or inside a transaction, it is
read once per request only; and on a served site (gunicorn, two workers, Redis), a restriction added
by another process hides the page and its English twin from both workers at once (and a restricted
English home leaves the language switcher's links), removing it shows them again, and a new
organization name reaches the next reader; hosts no site names share one copy.
"""

import os
import textwrap

import httpx
import pytest
import redis
from django.core.cache import cache
from django.db import transaction

from cms.cache import CONTENT_VERSION_KEY, _request_memo, bump_content_version, remembered
from tests.demo_server import demo_site, manage

REDIS = "redis://127.0.0.1:6379/10"


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "cms.redis_cache.FailOpenRedisCache", "LOCATION": REDIS}}
    cache.clear()
    yield
    cache.clear()


class Reads:
    """A value that counts how often it was read."""

    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1
        return ("/restricted/path/",)


def in_a_request(call):
    token = _request_memo.set({})
    try:
        return call()
    finally:
        _request_memo.reset(token)


def test_a_value_is_read_once_per_content_version(shared_cache):
    read = Reads()
    for _ in range(3):
        assert in_a_request(lambda: remembered("paths", read)) == ("/restricted/path/",)
    assert read.count == 1
    cache.set(CONTENT_VERSION_KEY, "saved-in-another-process")
    in_a_request(lambda: remembered("paths", read))
    assert read.count == 2


def test_a_save_during_the_request_forgets_at_once(shared_cache, db):
    read = Reads()

    def request():
        remembered("paths", read)
        bump_content_version()  # what a restriction's save sends
        remembered("paths", read)

    in_a_request(request)
    assert read.count == 2


def test_without_a_shared_cache_a_value_is_read_once_per_request(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    read = Reads()
    for _ in range(3):
        in_a_request(lambda: (remembered("paths", read), remembered("paths", read)))
    assert read.count == 3


@pytest.mark.django_db(transaction=False)
def test_nothing_read_inside_a_transaction_outlives_its_request(shared_cache):
    """An editor's save in progress: the rows it reads may not be committed, or may be rolled back."""
    read = Reads()
    with transaction.atomic():
        for _ in range(2):
            in_a_request(lambda: (remembered("paths", read), remembered("paths", read)))
    assert read.count == 2


# A served site: two gunicorn workers and another process that edits, all on Redis ------------------
def other_process(env, code):
    """Run `code` in a manage.py shell on the served site's database and cache, as an editor's save in
    another process would."""
    manage("shell", "-c", textwrap.dedent(code), env=env)


def statuses(url, times=6):
    """The statuses of `times` requests (two workers answer in turn)."""
    with httpx.Client(follow_redirects=False, timeout=20) as client:
        return {client.get(url).status_code for _ in range(times)}


@pytest.mark.demo_copy
def test_another_process_restricting_a_page_closes_it_on_every_worker_at_once():
    environment = {"CACHE_URL": REDIS, "PAGE_CACHE_SECONDS": "0"}  # every request asks the door
    redis.Redis.from_url(REDIS).flushdb()
    with demo_site(production=True, environment=environment) as (base, folder):
        env = {
            **os.environ,
            **environment,
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "DJANGO_SETTINGS_MODULE": "settings.dev",
            "DEBUG": "1",
        }
        plan_fa, plan_en = f"{base}/fa/plans/vision-1430/", f"{base}/en/plans/vision-1430/"
        assert statuses(plan_fa) == statuses(plan_en) == {200}
        search_fa = f"{base}/fa/search/"  # not a Wagtail page: its language switcher links the other homes

        def english_home_linked():
            return {'href="/en/" hreflang="en"' in httpx.get(search_fa, timeout=20).text for _ in range(4)}

        assert english_home_linked() == {True}

        other_process(
            env,
            """
            from wagtail.models import PageViewRestriction
            from plans.models import PlanPage
            plan = PlanPage.objects.get(locale__language_code="fa", plan_number=12)
            PageViewRestriction.objects.create(page=plan, restriction_type="login")
            from home.models import HomePage
            home = HomePage.objects.get(locale__language_code="en")
            PageViewRestriction.objects.create(page=home, restriction_type="login")
            """,
        )
        assert 200 not in statuses(plan_fa) | statuses(plan_en)
        assert english_home_linked() == {False}
        home = httpx.get(f"{base}/fa/plans/", timeout=20).text
        assert "/fa/plans/vision-1430/" not in home

        other_process(
            env,
            """
            from wagtail.models import PageViewRestriction
            PageViewRestriction.objects.filter(page__url_path__endswith="/vision-1430/").delete()
            PageViewRestriction.objects.filter(page__locale__language_code="en", page__depth=2).delete()
            from home.models import PortalSettings
            settings = PortalSettings.objects.get()
            settings.organization_name_fa = "سازمان آزمایشی نام‌نو"
            settings.save()
            """,
        )
        assert statuses(plan_fa) == statuses(plan_en) == {200}
        assert english_home_linked() == {True}
        for _ in range(4):
            assert "سازمان آزمایشی نام‌نو" in httpx.get(plan_fa, timeout=20).text


def test_a_host_no_site_names_is_kept_once_as_the_default_site(shared_cache, db):
    """The Host header is the visitor's to choose: unknown hosts share one copy, the default site."""
    from django.test import RequestFactory
    from wagtail.models import Site

    from cms.cache import _remembered_site

    default = Site.objects.get(is_default_site=True)

    def request():
        sites = [_remembered_site(RequestFactory(HTTP_HOST=f"guess-{n}.example").get("/")) for n in range(5)]
        named = _remembered_site(RequestFactory(HTTP_HOST=f"{default.hostname}:{default.port}").get("/"))
        return sites, named, set(_request_memo.get())

    sites, named, names = in_a_request(request)
    assert {site.pk for site in sites} == {default.pk} and named.pk == default.pk
    assert not any("guess" in name for name in names) and "site:default" in names
    assert named.root_page.specific_class is type(named.root_page)  # the root page kept in its specific form
