"""The plan page's database queries stay constant as its sections grow."""

import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from plans.models import PlanPage

pytestmark = pytest.mark.django_db


def grow(stream, times):
    """The section's blocks repeated `times` times (new ids, same content)."""
    raw = list(stream.raw_data)
    return json.dumps([dict(block, id=f"{block['id']}-{n}") for n in range(times) for block in raw])


def queries_for(client, page):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page.url).status_code == 200
    return len(captured)


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@override_settings(CACHES=NO_CACHE)  # measure rendering itself, not the fragment cache
def test_plan_page_query_count_does_not_grow_with_its_sections(client, demo):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    queries_for(client, plan)  # warm caches (renditions, site root paths) as production would be
    small = queries_for(client, plan)
    for section in plan.sections:
        if section.field:
            setattr(plan, section.field, grow(getattr(plan, section.field), 5))
    for field in ("team", "partner_units", "upstream_documents", "smart_goals", "macro_goals"):
        setattr(plan, field, grow(getattr(plan, field), 5))
    plan.save_revision().publish()
    queries_for(client, plan)
    large = queries_for(client, plan)
    assert large == small, f"{small} queries with the demo sections, {large} with five times as many"
    # uncached: no rendition or site-root cache either (see the cached test below); 2 of them read the
    # KPIs that section 5 draws (plans.kpi_data: the KPIs, their values), 4 the site menu, 2 the hub,
    # 3 the routing; the door reads its restricted and unpublished paths once per request (was 50)
    assert small <= 35


def test_plan_page_costs_at_most_15_queries_without_the_page_cache(client, demo):
    """As production serves a reader the anonymous page cache has not seen: the cache (Redis there, local
    memory here) holds the report fragment, the menu and the site root paths."""
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    queries_for(client, plan)
    assert queries_for(client, plan) <= 15


def test_cached_report_is_rebuilt_when_the_page_or_a_snippet_changes(client, demo):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    first = queries_for(client, plan)
    cached = queries_for(client, plan)
    assert cached < first

    person = plan.senior_managers[0]["person"]
    person.name = "نام ویرایش‌شده"
    person.save()
    assert "نام ویرایش‌شده" in client.get(plan.url).content.decode()

    plan.full_title = "عنوان کامل تازه"
    plan.save_revision().publish()
    assert "عنوان کامل تازه" in client.get(plan.url).content.decode()
