"""The door's own rules, beyond the matrix: caches follow privacy changes at once, the translation source's
privacy holds for every translation at once, the door's queries do not grow with the restrictions,
aliases and translations, and it refuses to guess about objects it does not know.

Scenarios: a plan restricted (in the admin, by a site administrator) after its listings, feeds and
navigation were cached; the Persian source of an English plan restricted while the English listing is
cached; `public_pages()` counted before and after more restrictions, aliases and translations.
"""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms import visibility
from plans.models import ExecutiveSummaryPage, InfographicPage

pytestmark = pytest.mark.django_db

CACHED_DOORS = [
    "/fa/",
    "/fa/plans/",
    "/en/",
    "/en/plans/",
    "/feeds/fa/rss/",
    "/feeds/en/atom/",
    "/api/v2/navigation/?locale=fa&depth=4",
    "/api/v2/navigation/?locale=en&depth=4",
    "/sitemap.xml",
    "/api/v2/pages/?limit=100",
]


def shown(client, page):
    """The doors that link the page (by its path: its title may appear in other pages' text)."""
    return [url for url in CACHED_DOORS if page.url in client.get(url).content.decode()]


def test_restricting_a_live_page_removes_it_from_every_cached_door_at_once(client, login, demo):
    plan, english = demo.plans_fa[0], demo.plans_en[0]
    assert shown(client, plan) and shown(client, english)  # cached now
    admin = login("admin")
    response = admin.post(f"/admin/pages/{plan.pk}/privacy/", {"restriction_type": "login"})
    assert response.status_code == 200 and PageViewRestriction.objects.filter(page=plan).exists()
    client.logout()
    assert shown(client, plan) == []
    assert shown(client, english) == []  # the English translation follows its source at once
    assert client.get(english.url).status_code == 302  # to the login form, as its source

    PageViewRestriction.objects.filter(page=plan).delete()
    assert shown(client, plan) and shown(client, english)


def test_translations_follow_their_source_not_the_reverse(client, demo):
    plan, english = demo.plans_fa[1], demo.plans_en[1]
    PageViewRestriction.objects.create(page=english, restriction_type="login")
    assert visibility.is_public(plan) and not visibility.is_public(english)


LISTING_DOORS = [
    "/fa/",
    "/fa/plans/",
    "/en/plans/",
    "/sitemap.xml",
    "/feeds/fa/rss/",
    "/api/v2/pages/?limit=100",
    "/api/v2/navigation/?locale=en&depth=4",
]


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_the_door_costs_the_same_queries_whatever_it_hides(client, demo):
    """More restrictions, restricted translation sources and aliases cost the door and the listing
    doors no query more (a listing that hides more may cost fewer)."""

    def count(url=None):
        with CaptureQueriesContext(connection) as queries:
            client.get(url) if url else list(visibility.public_pages())
        return len(queries)

    for url in LISTING_DOORS:
        count(url)  # warm what production keeps warm (site root paths, renditions)
    before = {url: count(url) for url in [None, *LISTING_DOORS]}
    for plan in demo.plans_fa[:3]:
        PageViewRestriction.objects.create(page=plan, restriction_type="login")
    summary = ExecutiveSummaryPage.objects.filter(locale=demo.locale_fa).first()
    summary.create_alias(parent=demo.plans_fa[3], update_slug="an-alias")
    after = {url: count(url) for url in [None, *LISTING_DOORS]}
    assert after[None] == before[None]
    assert all(after[url] <= before[url] for url in LISTING_DOORS), (before, after)


def test_the_door_refuses_to_guess():
    with pytest.raises(TypeError):
        visibility.is_public(object())
    assert visibility.is_public(None) is False
    assert visibility.file_is_public("original_images/x.png") is False
    assert visibility.file_is_public("somewhere/else.txt") is False


def test_an_alias_of_a_restricted_pages_child_stays_restricted(client, login, demo):
    """The admin makes no alias of a live page (the publication gate: it would be live at once in an
    unreviewed place), and an alias made anyway (by the operator, forced, as the test set-up is)
    follows its original's privacy, now and after any later change, which a check at creation could
    not promise."""
    restricted, public = demo.plans_fa[0], demo.plans_fa[1]
    infographic = InfographicPage.objects.child_of(restricted).first()
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")
    for role in ("editor", "admin"):
        form = {
            "new_title": infographic.title,
            "new_slug": f"aliased-{role}",
            "alias": "on",
            "new_parent_page": public.pk,
        }
        response = login(role).post(f"/admin/pages/{infographic.pk}/copy/", form)
        assert response.status_code in (200, 302)  # the form again, or a draft copy / not allowed
    assert not InfographicPage.objects.filter(alias_of=infographic).exists()
    alias = infographic.create_alias(parent=public, update_slug="aliased")
    client.logout()
    assert alias.get_parent().pk == public.pk and not visibility.is_public(alias)
    page = client.get(alias.url).content.decode()  # the password form of the original's restriction
    assert "authenticate_with_password" in page and infographic.title not in page
    assert alias.url not in client.get(public.url).content.decode()
