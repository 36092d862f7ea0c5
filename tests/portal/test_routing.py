"""Routing in two queries (cms.models.BasePage.route) keeps Wagtail's answers.

Scenarios: a plan, its dashboard route and the index's media route are found; a missing slug, a slug
under a plan and a draft plan answer 404; a page type's own route still wins over a child page with
the same slug, as Wagtail decides (the plan index's `dashboard/` over a plan with that slug).
"""

import pytest
from django.utils import timezone

from plans.models import PlanPage

pytestmark = pytest.mark.django_db


def test_pages_and_routes_are_found(client, demo):
    plan = demo.plans_fa[0]
    assert plan.title in client.get(plan.url).content.decode()
    assert client.get(plan.url + "dashboard/").status_code == 200
    assert client.get(demo.index_fa.url + "media/").status_code == 200


@pytest.mark.parametrize("tail", ["no-such-plan/", "{plan}no-such-child/", "{plan}dashboard/nothing/"])
def test_missing_paths_are_404(client, demo, tail):
    plan_slug = demo.plans_fa[0].slug + "/"
    assert client.get(demo.index_fa.url + tail.format(plan=plan_slug)).status_code == 404


def test_a_draft_is_404(client, demo):
    plan = demo.plans_fa[0]
    plan.unpublish()
    assert client.get(plan.url).status_code == 404


def test_a_page_types_own_route_wins_over_a_child_with_the_same_slug(client, demo):
    shadow = PlanPage(
        title="Shadow of the dashboard route",
        slug="dashboard",
        locale=demo.index_fa.locale,
        live=True,
        first_published_at=timezone.now(),
    )
    demo.index_fa.add_child(instance=shadow)
    response = client.get(demo.index_fa.url + "dashboard/")
    html = response.content.decode()
    assert response.status_code == 200 and "dashboard-filters" in html and 'id="section-1"' not in html
