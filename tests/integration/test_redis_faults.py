"""Redis down, hung or flushed does not take the portal down (cms/redis_cache.py).

The real Redis (db 9, no other test uses it) behind the project's TCP fault proxy, with the socket timeouts of
settings/base.py. Scenarios: with the proxy black-holing (a hung Redis) or cutting (a restarting one),
a portal page and an API detail still answer 200 from the database, in bounded time, a publication
meanwhile is not hidden by the old copies afterwards, and the failures are logged once; when the
proxy passes again the content version and the page cache work again (stored, served, retired by a
publish). A flush while serving loses only cached copies: pages come back the same, a signed-in
session (in the database) survives, and a publish after the flush still retires the page.
Before, Django's RedisCache raised its timeout into every request: 500s until Redis came back.
"""

import logging
import time

import pytest
import redis
from django.test import Client
from django.urls import reverse

from cms.cache import bump_content_version, content_version
from tests.faultproxy import FaultProxy

pytestmark = pytest.mark.django_db

PREFIX = "worker19-redis-faults"  # its keys only: a flush would reach whatever else uses db 9


def forget_our_keys():
    """What FLUSHALL does to the portal's keys."""
    server = redis.Redis(host="127.0.0.1", port=6379, db=9)
    for key in server.scan_iter(f"{PREFIX}:*"):
        server.delete(key)


@pytest.fixture
def redis_cache(settings):
    with FaultProxy(("127.0.0.1", 6379)) as proxy:
        forget_our_keys()
        settings.CACHES = {
            "default": {
                "BACKEND": "cms.redis_cache.FailOpenRedisCache",
                "LOCATION": f"redis://{proxy.address}/9",
                "KEY_PREFIX": PREFIX,
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "PAUSE_AFTER_ERROR": 1},
            }
        }
        settings.REVAYAT_PAGE_CACHE_SECONDS = 600
        yield proxy
        proxy.mode = "pass"
        forget_our_keys()


def fetch(client, url):
    started = time.monotonic()
    response = client.get(url)
    assert response.status_code == 200, url
    assert time.monotonic() - started < 15, f"{url} waited for Redis"
    return response


def test_a_hung_redis_leaves_pages_and_api_up_then_the_cache_is_back(client, demo, redis_cache, caplog):
    plan = demo.plans_fa[0]
    urls = (plan.url, f"/api/v2/pages/{plan.pk}/")
    for url in urls:
        assert fetch(client, url)["X-Cache"] == "miss"
        assert fetch(client, url)["X-Cache"] == "hit"

    redis_cache.mode = "cut"  # the pooled connections go ...
    redis_cache.mode = "blackhole"  # ... and new ones are accepted and never answered
    accepted = redis_cache.accepted
    with caplog.at_level(logging.WARNING, logger="revayat.cache"):
        plan.title = "عنوان منتشرشده هنگام خاموشی ردیس"
        plan.save_revision().publish()  # its content-version bump cannot reach Redis
        for url in urls:
            response = fetch(client, url)
            assert response["X-Cache"] == "miss"  # rendered from the database
            assert plan.title in response.content.decode()
        redis_cache.mode = "cut"  # Redis restarting: connections refused at once
        time.sleep(1.1)  # the backend's pause after an error: it asks Redis again
        for url in urls:
            assert fetch(client, url)["X-Cache"] == "miss"
    assert redis_cache.accepted > accepted, "Redis was not asked"
    assert [record.name for record in caplog.records] == ["revayat.cache"], "one report for the outage"

    redis_cache.mode = "pass"
    time.sleep(1.1)  # the backend's pause after an error
    for url in urls:
        response = fetch(client, url)
        assert response["X-Cache"] == "miss", "the copy from before the publication was served"
        assert plan.title in response.content.decode()
        assert fetch(client, url)["X-Cache"] == "hit"
    version = content_version()
    assert content_version() == version, "the content version is kept again"
    bump_content_version()
    assert fetch(client, urls[0])["X-Cache"] == "miss", "a bump retires the cached page again"


def test_a_flush_while_serving_loses_only_cached_copies(client, demo, redis_cache, django_user_model):
    plan = demo.plans_fa[0]
    admin_client = Client()
    admin_client.force_login(django_user_model.objects.create_superuser("flush", "flush@example.com", "pw"))
    before = fetch(client, plan.url)
    assert fetch(client, plan.url)["X-Cache"] == "hit"
    assert admin_client.get(reverse("wagtailadmin_home")).status_code == 200

    forget_our_keys()
    after = fetch(client, plan.url)
    assert after["X-Cache"] == "miss" and after.content == before.content
    assert fetch(client, plan.url)["X-Cache"] == "hit"
    assert admin_client.get(reverse("wagtailadmin_home")).status_code == 200, "the session was lost"

    plan.title = "عنوان پس از پاک شدن حافظه"
    plan.save_revision().publish()
    response = fetch(client, plan.url)
    assert response["X-Cache"] == "miss" and plan.title in response.content.decode()
