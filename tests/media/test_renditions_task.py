"""Renditions are made in a task after an image is saved, not on the first reader's request.

Scenario: an editor uploads a new hero image for a plan; the task (django-tasks' immediate backend in
tests) makes every rendition the plan page and the API show, so the first reader of the page and of
its API detail writes no rendition; a save that only stores the file hash queues nothing.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.rect import Rect
from wagtail.images.tests.utils import get_test_image_file

from plans.models import PlanPage

pytestmark = pytest.mark.django_db

SPECS = [
    *settings.REVAYAT_API_RENDITIONS.values(),
    "fill-800x200|format-webp",
    "fill-1600x400|format-webp",
    "width-960|format-webp",
    "fill-1200x630|format-jpeg",
]


def writes(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured if query["sql"].lstrip().upper().startswith("INSERT")]


@override_settings(REVAYAT_RENDITIONS_AFTER_UPLOAD=SPECS)
def test_a_new_image_has_its_renditions_before_anyone_reads_it(
    client, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = get_image_model().objects.create(title="hero", file=get_test_image_file(size=(1800, 900)))
    assert set(image.renditions.values_list("filter_spec", flat=True)) == set(SPECS)

    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    client.get(plan.url), client.get(f"/api/v2/pages/{plan.pk}/")  # the demo's other images (made without)
    plan.hero_image = plan.social_image = image
    plan.save_revision().publish()
    assert writes(client, plan.url) == []
    assert writes(client, f"/api/v2/pages/{plan.pk}/") == []


def test_only_saves_that_change_the_picture_queue_renditions(settings, django_capture_on_commit_callbacks):
    image = get_image_model().objects.create(title="plain", file=get_test_image_file())  # no task
    settings.REVAYAT_RENDITIONS_AFTER_UPLOAD = SPECS
    with django_capture_on_commit_callbacks(execute=True):
        image.save(update_fields=["file_hash"])
    assert not image.renditions.exists()
    with django_capture_on_commit_callbacks(execute=True):
        image.set_focal_point(Rect(1, 1, 3, 3))
        image.save()
    assert set(image.renditions.values_list("filter_spec", flat=True)) == set(SPECS)
