"""A file gone from storage (a bucket restored without it, a failed sync, an operator's slip) degrades
each public door instead of breaking it: every public page, its API detail and listing, the site feeds
and the podcast feed answer 200 without the image (Wagtail's placeholder, no enclosure) while the file's
own URL answers 404.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.images import get_image_model

from cms import visibility
from plans.models import PodcastSeriesPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def files_gone(demo, tmp_path):
    """Every image original and media file moved out of storage, and the renditions forgotten (so they
    must be made again from the missing originals); all put back afterwards."""
    root = Path(settings.MEDIA_ROOT)
    moved = []
    for folder in ("original_images", "images", "media_originals", "media_outputs"):
        if (root / folder).exists():
            shutil.move(root / folder, tmp_path / folder)
            moved.append(folder)
    get_image_model().get_rendition_model().objects.all().delete()
    yield
    for folder in moved:
        shutil.rmtree(root / folder, ignore_errors=True)
        shutil.move(tmp_path / folder, root / folder)


def test_public_doors_answer_without_their_files(client, demo, files_gone):
    pages = list(visibility.public_pages().filter(locale=demo.locale_fa, depth__gt=1).specific())
    assert len(pages) > 5
    for page in pages:
        assert client.get(page.url).status_code == 200, page.url
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 200, page.pk
    assert client.get("/api/v2/pages/?fields=*&limit=50").status_code == 200
    assert client.get("/api/v2/images/").status_code == 200
    for url in ("/feeds/fa/rss/", "/feeds/fa/atom/"):
        assert client.get(url).status_code == 200, url
    for series in PodcastSeriesPage.objects.live():
        assert client.get(series.url + "feed/").status_code == 200, series.url
    image = get_image_model().objects.first()
    assert client.get(image.file.url).status_code == 404
