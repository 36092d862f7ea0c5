"""Nobody sees a button they may not use, tried as each role.

For each role, the admin screens it opens (the dashboard with its menu, the page explorer and editor in
both languages, the snippet and media listings, the distribution and translation reports) are read for
every admin link they offer — menu items, page listing and header buttons, the action menu's links,
"Translate this page", "Sync translated pages", snippets' add buttons — and each link is followed as that
role: none may answer with a refusal. The action menu never offers "Publish" (only the workflow
publishes, `cms.workflow.policy`), and the report shows Retry, Cancel and Mark as sent only to those who
may use them.
"""

import re

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve, reverse

from cms.distribution.models import Channel, Status
from tests.distribution.admin_helpers import make_entry

ROLES = ("editor", "translator", "reviewer", "approver", "admin")
LINK = re.compile(r"""(?:href|action|"url")\s*[=:]\s*["'](/admin/[^"'#?\s]*)""")  # links, forms, menu
SKIP = {"wagtailadmin_logout", "wagtailadmin_login"}
# Wagtail's own screens that offer a link its view then refuses; kept listed (the test fails when one is
# fixed, so the list shrinks): the page status panel offers History and Usage to whoever may publish, but
# both views need the edit permission; the dashboard offers its page search to users without page
# permissions.
KNOWN_GAPS = {
    ("approver", "wagtailadmin_pages:history"),
    ("approver", "wagtailadmin_pages:usage"),
    ("reviewer", "wagtailadmin_explore_root"),
}


def screens(demo):
    en = demo.plans_fa[0].get_translation(demo.locale_en)
    return [
        "/admin/",
        reverse("wagtailadmin_explore", args=[demo.index_fa.pk]),
        reverse("wagtailadmin_explore", args=[en.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[demo.plans_fa[0].pk]),
        reverse("wagtailadmin_pages:edit", args=[en.pk]),
        reverse("wagtailsnippets_plans_person:list"),
        reverse("wagtailsnippets_distribution_channel:list"),
        reverse("wagtailmedia:index"),
        reverse("wagtailimages:index"),
        reverse("distribution:report"),
        reverse("revayat_translation_status"),
    ]


def refused(response):
    location = response.get("Location", "")
    return response.status_code == 403 or location.rstrip("/").endswith("/admin") or "/login/" in location


def offered_links(html):
    """{route: first URL} of the admin links on a screen, one per route (a button repeated per row is
    followed once)."""
    links = {}
    for url in LINK.findall(html.replace("\\u002F", "/")):
        try:
            match = resolve(url)
        except Resolver404:
            continue
        if match.view_name not in SKIP:
            links.setdefault((match.view_name, tuple(sorted(match.kwargs))), url)
    return links


@pytest.mark.parametrize("role", ROLES)
def test_every_offered_link_is_usable(role, login, demo):
    client = login(role)
    channel = Channel.objects.first()
    make_entry(channel, demo.plans_fa[0], Status.DEAD, attempts=1)
    links, wrong = {}, []
    for screen in screens(demo):
        response = client.get(screen)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        assert 'name="action-publish"' not in html, f"{screen} offers Publish"
        for key, url in offered_links(html).items():
            links.setdefault(key, (url, screen))
    gaps = set()
    for (view_name, _kwargs), (url, screen) in links.items():
        response = client.get(url)
        if response.status_code == 405:  # a form's POST-only action (Retry, Cancel, lock…): tried, undone
            with transaction.atomic():
                response = client.post(url, {"next": reverse("wagtailadmin_reports:workflow")})
                transaction.set_rollback(True)
        if refused(response) and (role, view_name) in KNOWN_GAPS:
            gaps.add((role, view_name))
        elif refused(response):
            wrong.append(f"{url} (offered on {screen}): {response.status_code} {response.get('Location')}")
    assert not wrong, f"{role} is offered links it may not use:\n" + "\n".join(sorted(wrong))
    assert gaps == {gap for gap in KNOWN_GAPS if gap[0] == role}, "KNOWN_GAPS is out of date"
