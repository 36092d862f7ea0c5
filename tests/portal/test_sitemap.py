"""/sitemap.xml lists every public page in both languages with hreflang alternates, nothing else."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Page, PageViewRestriction

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def test_every_public_page_is_listed_with_its_alternates(client, demo):
    root = sitemap(client)
    locations = [url.find("s:loc", NS).text for url in root.findall("s:url", NS)]
    pages = Page.objects.filter(depth__gte=2).live()
    # per language: home, index, 4 plans, 4 summaries, and per plan an infographic, a podcast series,
    # an episode and a film; plan 12's round-1 and round-2 co-creation calls and round-1 results
    assert len(locations) == pages.count() == 2 * (10 + 4 * 4 + 3)
    assert any("/fa/plans/" in loc for loc in locations) and any("/en/plans/" in loc for loc in locations)
    for url in root.findall("s:url", NS):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
        assert set(alternates) == {"fa", "en"}
        assert url.find("s:loc", NS).text in alternates.values()


def test_drafts_and_private_pages_are_left_out(client, demo):
    private, draft = demo.plans_fa[0], demo.plans_fa[1]
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    draft.unpublish()
    text = ET.tostring(sitemap(client), encoding="unicode")
    assert f"/fa/plans/{private.slug}/" not in text
    assert f"/fa/plans/{draft.slug}/" not in text  # nor its executive summary, under it


def test_pages_under_an_unpublished_page_are_not_served(client, demo):
    plan = demo.plans_fa[1]
    summary_url = plan.get_children().first().url
    assert client.get(summary_url).status_code == 200
    plan.unpublish()
    assert client.get(summary_url).status_code == 404
