"""The door's per-request memo: read once per request, forgotten at the first privacy change.

Scenarios, inside one request's memo (`cms.cache.RequestMemoMiddleware`): a page asked about many times costs
the restricted and unpublished paths once; then a restriction is added, a page unpublished, a
collection restricted, a restriction removed, and each answer changes at once.
"""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from cms import cache, visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo():
    """Run the test body as one request would: inside the middleware's memo."""
    token = cache._request_memo.set({})
    yield
    cache._request_memo.reset(token)


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_paths_are_read_once_per_request(demo, memo):
    plan = demo.plans_fa[0]
    first = queries(lambda: visibility.is_public(plan))
    assert queries(lambda: visibility.is_public(plan)) == first - 2  # restricted and unpublished paths
    assert queries(visibility.restricted_collection_ids) == 1
    assert queries(visibility.restricted_collection_ids) == 0


def test_a_restriction_added_during_the_request_is_seen_at_once(demo, memo):
    plan, english = demo.plans_fa[0], demo.plans_en[0]
    assert visibility.is_public(plan) and visibility.is_public(english)
    restriction = PageViewRestriction.objects.create(page=plan, restriction_type="login")
    assert not visibility.is_public(plan) and not visibility.is_public(english)
    restriction.delete()
    assert visibility.is_public(plan) and visibility.is_public(english)


def test_an_unpublished_parent_hides_its_children_at_once(demo, memo):
    plan = demo.plans_fa[0]
    assert visibility.is_public(plan)
    demo.index_fa.unpublish()
    assert not visibility.is_public(plan)


def test_a_collection_restricted_during_the_request_hides_its_images_at_once(demo, memo):
    collection = Collection.get_first_root_node().add_child(name="secret now")
    image = get_image_model().objects.first()
    image.collection = collection
    image.save()
    assert visibility.is_public(image)
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    assert not visibility.is_public(image)


def test_no_memo_outside_a_request(demo):
    plan = demo.plans_fa[0]
    assert queries(lambda: visibility.is_public(plan)) == queries(lambda: visibility.is_public(plan))


def test_the_compiled_filter_of_public_pages_follows_the_clock_and_the_paths(demo):
    """`public_page_ids_sql()` is compiled once per state of the restricted and unpublished paths and
    binds the current time at each call: a page expiring a second later leaves it without a new
    compilation, and a new restriction compiles it again; it always selects what `public_pages()` does."""
    from django.db.models.expressions import RawSQL
    from django.utils import timezone
    from wagtail.models import Page

    def compiled():
        return set(
            Page.objects.filter(pk__in=RawSQL(*visibility.public_page_ids_sql())).values_list("pk", flat=True)
        )

    def public():
        return set(visibility.public_pages().values_list("pk", flat=True))

    plan = demo.plans_fa[0]
    assert compiled() == public() and plan.pk in public()
    Page.objects.filter(pk=plan.pk).update(expire_at=timezone.now() + datetime.timedelta(seconds=1))
    assert plan.pk in compiled()
    time.sleep(1.1)
    assert compiled() == public() and plan.pk not in public()
    Page.objects.filter(pk=plan.pk).update(expire_at=None)
    PageViewRestriction.objects.create(page=plan, restriction_type="password", password="x")
    assert compiled() == public() and plan.pk not in public()
