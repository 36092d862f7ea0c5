"""Queries per API request stay the same whether a listing holds 10 or 100 pages (or images, or media)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from benchmarks.api import LISTING as TYPED_LISTING
from media_pipeline.models import MediaItem
from plans.demo.media import media_key
from plans.models import OrganizationUnit, PlanPage

pytestmark = pytest.mark.django_db

LISTINGS = [
    "/api/v2/pages/?limit=100",
    "/api/v2/pages/?limit=100&fields=translations",
    "/api/v2/pages/?type=plans.PlanPage&limit=100&fields=plan_number,start_date,approved_budget_rials,"
    "lead_unit,hero_image,translations,executive_summary",
    "/api/v2/images/?limit=100",
    "/api/v2/media/?limit=100",
    "/api/v2/navigation/?locale=fa&depth=5",
]


def grow_to(demo, total):
    """Add plans (with their own hero image, a lead unit and dates) under the Persian index up to `total`."""
    index, unit = demo.index_fa, OrganizationUnit.objects.filter(locale=demo.locale_fa).first()
    image_model = get_image_model()
    source = image_model.objects.filter(title="extra source").first() or image_model.objects.create(
        title="extra source", file=get_test_image_file()
    )
    existing = PlanPage.objects.child_of(index).count()
    images = image_model.objects.bulk_create(
        [  # one stored file, many image records
            image_model(
                title=f"extra {number}", file=source.file.name, width=source.width, height=source.height
            )
            for number in range(existing, total)
        ]
    )
    renditions = source.get_renditions(*settings.REVAYAT_API_RENDITIONS.values()).values()
    rendition_model = source.get_rendition_model()
    rendition_model.objects.bulk_create(
        [  # and their renditions, made once
            rendition_model(
                image=image,
                filter_spec=r.filter_spec,
                file=r.file.name,
                width=r.width,
                height=r.height,
                focal_point_key=r.focal_point_key,
            )
            for image in images
            for r in renditions
        ]
    )
    for number, image in zip(range(existing, total), images, strict=True):
        page = PlanPage(
            title=f"Extra plan {number}",
            slug=f"extra-{number}",
            locale=index.locale,
            live=True,
            first_published_at=timezone.now(),
            lead_unit=unit,
            hero_image=image,
            start_date="2024-03-20",
            approved_budget_rials=10**9,
        )
        index.add_child(instance=page)


def grow_media_to(copy_media, total):
    """Add processed videos (rows sharing the demo video's files) up to `total` media items."""
    source = MediaItem.objects.get(key=media_key("video"))
    copy_media(source, total - MediaItem.objects.count(), title="extra video")


def counts(client):
    result = {}
    for path in LISTINGS:
        client.get(path)  # warm: renditions are generated once, site root paths cached
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, response.content[:300]
        result[path] = len(captured)
    return result


def test_listing_queries_do_not_grow_with_the_listing(client, demo, copy_media):
    grow_to(demo, 10)
    grow_media_to(copy_media, 10)
    small = counts(client)
    grow_to(demo, 100)
    grow_media_to(copy_media, 100)
    large = counts(client)
    assert client.get(LISTINGS[2]).json()["meta"]["total_count"] >= 100
    assert client.get("/api/v2/media/?limit=100").json()["meta"]["total_count"] == 100
    assert large == small
    assert max(small.values()) <= 10  # the door reads its paths once per request, language roots cached


def detail_queries(client, path):
    client.get(path)  # warm: renditions made, site root paths and the door's paths cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return response, captured


def test_detail_queries_are_bounded(client, demo):
    """Rendered, a plan's detail reads each kind of thing once: the door, the page with its unit and
    deliverables, images with renditions, the stream's snippets, KPIs, translations and ancestors."""
    path = f"/api/v2/pages/{demo.plans_fa[0].pk}/"
    _, captured = detail_queries(client, path)
    assert len(captured) <= 16, "\n".join(query["sql"][:120] for query in captured.captured_queries)


REDIS_CACHE = {
    "default": {
        "BACKEND": "cms.redis_cache.FailOpenRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/8",
    }
}


@pytest.fixture
def redis_cache(settings):
    """The production cache: Redis, shared by every process (a database of its own, emptied)."""
    settings.CACHES = REDIS_CACHE
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def test_detail_from_the_shared_cache_costs_the_door_and_one_row(client, demo, redis_cache):
    """With Redis the JSON is kept per live revision and content version (issue 19: ≤ 10 queries);
    the door still decides on every request, and a change of either makes the JSON anew."""
    plan = demo.plans_fa[0]
    path = f"/api/v2/pages/{plan.pk}/"
    response, captured = detail_queries(client, path)
    assert len(captured) <= 4, "\n".join(query["sql"][:120] for query in captured.captured_queries)
    assert response.json()["title"] == plan.title

    plan.title = "عنوان تازه"
    plan.save_revision().publish()
    assert client.get(path).json()["title"] == "عنوان تازه"

    unit = plan.specific.lead_unit
    unit.name = "واحد با نام تازه"
    unit.save()  # a snippet: a new content version
    assert client.get(path).json()["lead_unit"]["name"] == "واحد با نام تازه"

    plan.expire_at = timezone.now() - timezone.timedelta(minutes=1)
    Page.objects.filter(pk=plan.pk).update(expire_at=plan.expire_at)  # expired, the scheduler not yet run
    assert client.get(path).status_code == 404


def test_typed_listing_rendered_with_the_shared_cache(client, demo, redis_cache, settings):
    """The benchmark's listing (issue 19: ≤ 10 queries), rendered with the page cache off: the site, the
    door's two path lists, the locales (ids with their codes, so ?locale= reads no second row), the count,
    the pages, their images with renditions, their translations and the restricted collections."""
    settings.REVAYAT_PAGE_CACHE_SECONDS = 0
    response, captured = detail_queries(client, TYPED_LISTING)
    assert response.json()["items"]
    assert len(captured) <= 10, "\n".join(query["sql"][:120] for query in captured.captured_queries)
