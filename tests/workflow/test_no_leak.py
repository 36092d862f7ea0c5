"""No leak through any public door: hidden pages and restricted documents appear on none of them.

Hidden things (built by `hidden`): Persian plan pages that are a draft, in moderation, rejected,
scheduled but not live, expired, or private (login, password, groups), an English translation that is
a draft, and a document in the restricted collection. Each carries a unique marker in its title.

A door is a function `door(client, hidden) -> [leak descriptions]` registered in `DOORS`; every door
is checked against every hidden thing. Add a door here when a public way out is added (the API,
portal search …): `DOORS.append(api_pages)`.
"""

import datetime
import importlib
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import clear_url_caches
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from cms.workflow.demo import ensure_role_users
from cms.workflow.documents import restricted_collection
from plans.models import PlanPage
from tests.workflow.conftest import make_document, start_review


@dataclass
class Hidden:
    """What must not leak: (marker, page) pairs, restricted documents, and a live page next to them."""

    pages: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    neighbour: object = None

    def markers(self):
        return [marker for marker, _page in self.pages] + [doc.title for doc in self.documents]

    def leaks_in(self, text, door):
        return [f"{door}: {marker}" for marker in self.markers() if marker in text] + [
            f"{door}: {public_path(page)}" for _marker, page in self.pages if public_path(page) in text]


def public_path(page):
    """The portal path the page would have: /<language>/<path under the home page>."""
    return f"/{page.locale.language_code}/{page.url_path.split('/', 2)[2]}"


def hidden_copy(source, state, number):
    """A copy of a live plan page under the same index, with a marker title, in the given state."""
    marker = f"LEAK-{state}-{uuid.uuid4().hex[:8]}"
    copy = source.copy(update_attrs={"title": marker, "slug": marker.lower(), "live": False,
                                     "plan_number": number},
                       keep_live=False, copy_revisions=False, log_action=None)
    copy = PlanPage.objects.get(pk=copy.pk)
    copy.save_revision()
    return marker, copy


@pytest.fixture(scope="module")
def hidden(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_role_users(password="pw")
        yield build_hidden({user.username: user for user in get_user_model().objects.all()})
        transaction.set_rollback(True)


def build_hidden(users):
    fa, en = Locale.objects.get(language_code="fa"), Locale.objects.get(language_code="en")
    source = PlanPage.objects.filter(locale=fa).order_by("plan_number").first()
    result = Hidden(neighbour=source)
    taken = set(PlanPage.objects.filter(locale=source.locale).values_list("plan_number", flat=True))
    free_numbers = iter(sorted(set(range(1, 21)) - taken))

    def add(state):
        marker, page = hidden_copy(source, state, next(free_numbers))
        result.pages.append((marker, page))
        return page

    add("draft")
    start_review(add("moderation"), users["editor"])
    state = start_review(add("rejected"), users["editor"])
    state.reject(user=users["reviewer"], comment="no")
    scheduled = add("scheduled")
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=3)
    scheduled.save_revision().publish()
    expired = add("expired")
    expired.save_revision().publish()
    PlanPage.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(hours=1))
    for restriction in ("login", "password", "groups"):
        private = add(f"private-{restriction}")
        private.save_revision().publish()
        view = PageViewRestriction.objects.create(page=private, restriction_type=restriction,
                                                  password="secret" if restriction == "password" else "")
        if restriction == "groups":
            view.groups.set(Group.objects.filter(name="Editors"))
    english = source.get_translation(en).specific
    english.title = f"LEAK-en-draft-{uuid.uuid4().hex[:8]}"
    english.save_revision()
    english.unpublish()
    result.pages.append((english.title, english))
    result.documents.append(make_document(f"LEAK-document-{uuid.uuid4().hex[:8]}", restricted_collection()))
    return result


@pytest.fixture
def serving_media():
    """The URLs as served with SERVE_MEDIA=1 (a single host serving its own media)."""
    import settings.urls as urls

    old = settings.SERVE_MEDIA
    settings.SERVE_MEDIA = True
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.SERVE_MEDIA = old
    importlib.reload(urls)
    clear_url_caches()


# Doors ----------------------------------------------------------------------------------------------
def portal_pages(client, hidden):
    leaks = []
    for marker, page in hidden.pages:
        url = public_path(page)
        response = client.get(url)
        if response.status_code == 200 and marker in response.content.decode():
            leaks.append(f"portal page {url}: {response.status_code}")
    return leaks


def listings(client, hidden):
    leaks = []
    for url in ("/fa/", "/fa/plans/", "/en/", "/en/plans/"):
        leaks += hidden.leaks_in(client.get(url).content.decode(), f"listing {url}")
    return leaks


def sitemap(client, hidden):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ET.fromstring(response.content)
    return hidden.leaks_in(response.content.decode(), "sitemap.xml")


def language_alternates(client, hidden):
    """The language switcher and hreflang alternates of every live page next to the hidden ones."""
    leaks = []
    for url in ("/fa/plans/", hidden.neighbour.get_url(), "/en/plans/"):
        leaks += hidden.leaks_in(client.get(url).content.decode(), f"alternates of {url}")
    return leaks


def document_urls(client, hidden):
    leaks = []
    for document in hidden.documents:
        response = client.get(document.url)
        body = b"".join(response.streaming_content) if response.status_code == 200 else b""
        if b"signed approval" in body:
            leaks.append(f"document {document.url}")
    return leaks


def media_urls(client, hidden):
    leaks = []
    for document in hidden.documents:
        url = f"{settings.MEDIA_URL}{document.file.name}"
        response = client.get(url)
        if response.status_code == 200:
            leaks.append(f"media {url}")
    return leaks


def language_feeds(client, hidden):
    """The RSS and Atom feeds of each language: every public page of it, hidden ones never."""
    leaks = []
    for url in ("/feeds/fa/rss/", "/feeds/fa/atom/", "/feeds/en/rss/", "/feeds/en/atom/"):
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.content)
        leaks += hidden.leaks_in(response.content.decode(), f"feed {url}")
    return leaks


def page_feeds(client, hidden):
    """The RSS and Atom feeds of a page: the hidden pages' own (which must not exist) and their parent's."""
    leaks, parent = [], hidden.neighbour.get_parent()
    parents = [parent, *parent.get_translations()]
    for page in [*parents, *(page for _marker, page in hidden.pages)]:
        for feed_format in ("rss", "atom"):
            url = f"/feeds/{page.locale.language_code}/pages/{page.pk}/{feed_format}/"
            response = client.get(url)
            if response.status_code == 200:
                leaks += hidden.leaks_in(response.content.decode(), f"feed {url}")
                if page not in parents:
                    leaks.append(f"feed {url}: {response.status_code}")
    return leaks


DOORS = [portal_pages, listings, sitemap, language_alternates, document_urls, media_urls,
         language_feeds, page_feeds]


def test_the_doors_see_public_content(client, demo, serving_media, open_document):
    """The check is not vacuous: each door reports a live page or an open document as visible.

    (Runs before the module's hidden pages exist.)
    """
    plan = demo.plans_fa[0]
    public = Hidden(pages=[(plan.title, plan)], documents=[open_document], neighbour=demo.plans_fa[1])
    for door in (portal_pages, listings, sitemap, language_alternates, document_urls, language_feeds,
                 page_feeds):
        assert door(client, public), door.__name__
    # Document files are served only through the document view, even when they are public.
    assert media_urls(client, public) == []


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
@pytest.mark.parametrize("visitor", ["anonymous", "translator"])
def test_nothing_hidden_leaks(door, visitor, hidden, login, serving_media):
    if visitor != "anonymous":  # a login restriction admits every signed-in person, by design
        hidden = replace(hidden, pages=[(marker, page) for marker, page in hidden.pages
                                        if "private-login" not in marker])
    assert door(login(visitor), hidden) == []
