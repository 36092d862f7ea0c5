"""Absolute URLs for what leaves the portal: a path on the site's root URL, storage URLs left as they are."""

import pytest
from django.template import Context, Template

from cms.links import absolute_url, site_root_url


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/media/images/a.jpg", "https://portal.example/media/images/a.jpg"),
        ("media/images/a.jpg", "https://portal.example/media/images/a.jpg"),
        ("https://cdn.example/a.jpg", "https://cdn.example/a.jpg"),  # S3 or a CDN: already absolute
        ("http://cdn.example/a.jpg", "http://cdn.example/a.jpg"),
        ("", ""),
        (None, None),
    ],
)
def test_paths_are_made_absolute_on_the_root_url(url, expected):
    assert absolute_url(url, "https://portal.example") == expected


def test_without_a_site_the_path_stays_a_path():
    assert absolute_url("/media/a.jpg", "") == "/media/a.jpg"


@pytest.mark.django_db
def test_a_page_url_on_its_own_site(demo):
    plan = demo.plans_fa[0]
    root = plan.get_site().root_url
    assert site_root_url(plan) == root and root.startswith("http")
    rendered = Template("{% load revayat %}{{ url|absolute_url:page }}").render(
        Context({"url": "/media/x.jpg", "page": plan})
    )
    assert rendered == f"{root}/media/x.jpg"
