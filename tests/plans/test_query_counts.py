"""The plan page's database queries stay constant as its sections grow."""

import json

import pytest
from django.db import connection
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
    assert small <= 30
