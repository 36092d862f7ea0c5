"""The privacy matrix: every public door × every secret state, for anonymous visitors and a translator.

Two registries drive it. `cms.visibility.DOORS` holds every way content leaves the site (views register
themselves; outbound doors such as the outbox too) and `cms.visibility.SECRET_STATES` every state the door
hides. `PROBES` here has one probe per door and `build_secrets` one builder per state; the first tests
fail when a door is registered without a probe, when a URL of the URLconf belongs to no registered door,
or when a state has no builder. Each probe then looks for any trace of every secret (its marker — title
or file name — its portal path, its document URL, its files) and returns what it found.

Secrets (built once for the module, inside a transaction rolled back at its end): Persian plan pages that
are a draft, in moderation, rejected, scheduled, expired, unpublished after being live, under an
unpublished page, restricted (login, groups, password, restricted after being live), under a restricted
page (a summary and an infographic, for the media indexes), a draft infographic under a public plan;
an English translation whose Persian source is restricted, and one that is an unpublished draft;
an alias of a page restricted after the alias was made and an alias of a child of a restricted page,
both in the public plan index; an image, a document and an audio item in the restricted collection (used
by public pages: hero and social image, a figure, a document link, a podcast episode); an audio item
used only by a draft episode; deliverables of a restricted plan; the source package of a public plan that
no approver has released (no secret for signed-in staff); a confidential and an internal KPI series of a
public plan, in both languages (the internal one is no secret for a signed-in translator).
"""

import datetime
import importlib
import inspect
import io
import json
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Locale, Page, PageViewRestriction
from wagtail.signals import page_published

from cms import visibility
from cms.api.navigation import MAX_DEPTH
from cms.distribution.models import Channel, ChannelKind, DistributionRule, Event, OutboxEntry
from cms.distribution.posts import post_for
from cms.workflow import roles
from cms.workflow.demo import ensure_role_users
from cms.workflow.documents import restricted_collection
from media_pipeline.models import MediaItem, MediaOutput, Status
from media_pipeline.storage import public_storage
from plans.models import (
    KPI,
    ExecutiveSummaryPage,
    InfographicPage,
    PlanDeliverables,
    PlanIndexPage,
    PlanPage,
    PlanSourcePackage,
    PodcastEpisodePage,
    PodcastSeriesPage,
)
from tests.workflow.conftest import start_review

# URL views that are no door: they show no content, or only through a door's own checks.
NOT_DOORS = {
    "cms.views.healthz": "a liveness check",
    "cms.views.robots_txt": "crawl rules and the sitemap's address, no content",
    "cms.views.favicon": "a redirect to the static icon, no content",
    "cms.api.views.schema": "the OpenAPI description, no content",
    "cms.api.views.docs": "the API documentation page, no content",
    "cms.api.views.not_found": "a JSON 404",
    "wagtail.views.authenticate_with_password": "the password form of the portal door's restrictions",
    "django.contrib.auth.views.LoginView": "the login form of the portal door's restrictions",
}


@dataclass
class Secrets:
    """What must not leak, and the public pages that use restricted objects (to look for them there)."""

    pages: list = field(default_factory=list)  # (state, marker, page)
    objects: list = field(default_factory=list)  # (state, marker, object): an image, a document, a media
    # item, or a live page whose unpublished draft is the secret
    files: list = field(default_factory=list)  # (state, storage name): files that must not be served
    showcases: list = field(default_factory=list)  # public pages that use the restricted objects
    neighbour: object = None  # a public plan next to the secret ones

    def traces(self):
        traces = [marker for _state, marker, _obj in self.pages + self.objects]
        traces += [portal_path(page) for _state, _marker, page in self.pages]
        traces += [name for _state, name in self.files]
        traces += [
            f"/documents/{obj.pk}/"
            for _state, _marker, obj in self.objects
            if isinstance(obj, get_document_model())
        ]
        return traces

    def leaks_in(self, text, door):
        return [f"{door}: {trace}" for trace in self.traces() if trace in text]

    def states(self):
        return {state for state, *_rest in self.pages + self.objects + self.files}


def portal_path(page):
    """The portal path the page would have: /<language>/<path under the home page>/."""
    return f"/{page.locale.language_code}/{page.url_path.split('/', 2)[2]}"


def marker(state):
    return f"LEAK-{state}-{uuid.uuid4().hex[:8]}"


# Building the secrets ----------------------------------------------------------------------------------
class Builder:
    def __init__(self, users):
        self.users = users
        self.fa, self.en = Locale.objects.get(language_code="fa"), Locale.objects.get(language_code="en")
        plans = list(PlanPage.objects.filter(locale=self.fa).order_by("plan_number"))
        self.source, self.showcase, self.translated = plans[0], plans[1], plans[2]
        self.index = PlanIndexPage.objects.get(locale=self.fa)
        taken = set(PlanPage.objects.filter(locale=self.fa).values_list("plan_number", flat=True))
        self.numbers = iter(sorted(set(range(1, 60)) - taken))
        self.secrets = Secrets(neighbour=self.source, showcases=[self.showcase])
        self.editors = Group.objects.get(name=roles.EDITORS)

    def plan(self, state, live=False):
        """A copy of a live plan in the index with a marker title; published when `live`."""
        title = marker(state)
        copy = self.source.copy(
            update_attrs={
                "title": title,
                "slug": title.lower(),
                "live": False,
                "plan_number": next(self.numbers),
            },
            keep_live=False,
            copy_revisions=False,
            log_action=None,
        )
        copy = PlanPage.objects.get(pk=copy.pk)
        revision = copy.save_revision()
        if live:
            revision.publish()
            copy.refresh_from_db()
        self.secrets.pages.append((state, title, copy))
        return copy

    def child(self, state, parent):
        title = marker(state)
        page = ExecutiveSummaryPage(
            title=title, slug="summary", locale=parent.locale, live=True, first_published_at=timezone.now()
        )
        parent.add_child(instance=page)
        self.secrets.pages.append((state, title, page))
        return page

    def media_child(self, state, parent, live=True):
        """An infographic with a marker title under `parent`: what the media indexes list."""
        title = marker(state)
        page = InfographicPage(
            title=title,
            slug=title.lower(),
            locale=parent.locale,
            live=live,
            first_published_at=timezone.now() if live else None,
        )
        parent.add_child(instance=page)
        if not live:
            page.save_revision()
        self.secrets.pages.append((state, title, page))
        return page

    def restrict(self, page, kind="groups"):
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=kind, password="secret" if kind == "password" else ""
        )
        if kind == "groups":
            restriction.groups.set([self.editors])

    def alias(self, state, original):
        """An alias of `original` in the showcase, a public plan."""
        page = original.create_alias(parent=self.showcase, update_slug=marker(state).lower())
        self.secrets.pages.append((state, original.title, page))
        return page

    def media(self, state, collection=None):
        """A processed audio item whose MP3 output is a real file named by its marker."""
        title = marker(state)
        item = MediaItem.objects.create(
            title=title,
            type="audio",
            file=f"media_originals/{title}.mp3",
            duration=3,
            status=Status.READY,
            processed_at=timezone.now(),
            collection=collection or Collection.get_first_root_node(),
        )
        name = public_storage().save(f"media_outputs/{item.key}/{title}.mp3", ContentFile(b"ID3 audio"))
        MediaOutput.objects.create(
            media=item, kind=MediaOutput.Kind.MP3, file=name, size=9, mime_type="audio/mpeg"
        )
        self.secrets.objects.append((state, title, item))
        self.secrets.files.append((state, name))
        return item


def build_secrets(users):
    b = Builder(users)
    secrets = b.secrets
    b.plan("draft")
    start_review(b.plan("in_moderation"), users["editor"])
    start_review(b.plan("rejected"), users["editor"]).reject(user=users["reviewer"], comment="no")
    scheduled = b.plan("scheduled")
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=3)
    scheduled.save_revision().publish()
    expired = b.plan("expired", live=True)
    PlanPage.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(hours=1))
    b.plan("unpublished_after_live", live=True).unpublish()
    b.child("under_unpublished", b.plan("unpublished_parent"))
    secrets.pages = [entry for entry in secrets.pages if entry[0] != "unpublished_parent"]
    for kind in ("login", "group", "password"):
        b.restrict(b.plan(f"{kind}_restricted", live=True), "groups" if kind == "group" else kind)

    # A page first public, then restricted; an alias (in a public plan) made while its original was
    # public, then the original restricted; an alias (in a public plan) of a restricted page's child.
    b.restrict(b.plan("restricted_after_live", live=True))
    public_parent = b.plan("public_parent", live=True)
    alias_original = b.child("alias_original", public_parent)
    b.alias("alias_of_restricted", alias_original)
    b.restrict(alias_original)
    restricted_parent = b.plan("restricted_parent", live=True)
    b.restrict(restricted_parent)
    b.alias("alias_under_restricted", b.child("under_restricted", restricted_parent))
    b.media_child("under_restricted", restricted_parent)  # for the media indexes
    b.media_child("draft", b.source, live=False)
    secrets.pages = [
        entry
        for entry in secrets.pages
        if entry[0] not in ("public_parent", "alias_original", "restricted_parent")
    ]

    # Translations: the English version of a restricted Persian plan; an unpublished English draft.
    english = b.translated.get_translation(b.en).specific
    english.title = marker("translation_of_restricted")
    english.save_revision().publish()
    b.restrict(b.translated)
    secrets.pages.append(("translation_of_restricted", english.title, english))
    draft = b.source.get_translation(b.en).specific
    draft.title = marker("unpublished_translation")
    draft.save_revision()
    draft.unpublish()
    secrets.pages.append(("unpublished_translation", draft.title, draft))

    # Restricted-collection objects used by public pages, and media used only by a draft page.
    confidential = restricted_collection()
    image_title = marker("restricted_collection_image")
    image = get_image_model().objects.create(
        title=image_title, collection=confidential, file=get_test_image_file(filename=f"{image_title}.png")
    )
    rendition = image.get_rendition("fill-120x60|format-jpeg")
    secrets.objects.append(("restricted_collection_image", image_title, image))
    secrets.files += [
        ("restricted_collection_image", rendition.file.name),
        ("restricted_collection_image", image.file.name),
    ]
    document_title = marker("restricted_collection_document")
    document = get_document_model().objects.create(
        title=document_title,
        collection=confidential,
        file=ContentFile(b"%PDF-1.4 signed approval\n", name=f"{document_title}.pdf"),
    )
    secrets.objects.append(("restricted_collection_document", document_title, document))
    secrets.files.append(("restricted_collection_document", document.file.name))
    showcase = PlanPage.objects.get(pk=b.showcase.pk)
    showcase.hero_image = showcase.social_image = image
    showcase.appendices = json.dumps(
        [
            {"type": "document_link", "value": {"document": document.pk, "title": "", "description": ""}},
            {"type": "figure", "value": {"image": image.pk, "alt": "x", "caption": "", "credit": ""}},
            *showcase.appendices.raw_data,
        ]
    )
    showcase.save(clean=False)

    audio = b.media("restricted_collection_media", collection=confidential)
    episode = PodcastEpisodePage.objects.filter(locale=b.fa, live=True).first()
    PodcastEpisodePage.objects.filter(pk=episode.pk).update(audio=audio)
    secrets.showcases.append(episode)
    draft_audio = b.media("media_of_draft")
    draft_episode = episode.copy(
        update_attrs={"slug": marker("draft-episode").lower(), "live": False, "audio": draft_audio},
        keep_live=False,
        copy_revisions=False,
        log_action=None,
    )
    draft_episode.save_revision()

    # The unpublished newer draft of a live page; an audio item not processed yet.
    newer = b.plan("newer_draft_base", live=True)
    secrets.pages.pop()
    newer.title = marker("newer_draft")
    newer.save_revision()
    secrets.objects.append(("newer_draft", newer.title, newer))
    secrets.showcases.append(newer)
    pending = b.media("unprocessed_media")
    MediaItem.objects.filter(pk=pending.pk).update(status=Status.PENDING)

    # Deliverables of a restricted plan.
    restricted_plan = next(page for state, _marker, page in secrets.pages if state == "group_restricted")
    name = f"deliverables/{restricted_plan.pk}/fa/{uuid.uuid4().hex}/report.pdf"
    PlanDeliverables.objects.create(page=restricted_plan, report_pdf=default_save(name, b"%PDF-1.4 r"))
    secrets.files.append(("restricted_deliverables", name))

    # The source package of a public plan, not released by an approver.
    name = f"sources/{b.source.pk}/fa/{uuid.uuid4().hex}/sources.zip"
    PlanSourcePackage.objects.update_or_create(page=b.source, defaults={"file": default_save(name, b"PK r")})
    secrets.files.append(("unreleased_source_package", name))

    # KPI series of a public plan: confidential ones never leave the admin, internal ones only for
    # signed-in people. Each in Persian and in English, as wagtail-localize would keep them.
    for state, level in (("confidential_kpi_series", "confidential"), ("internal_kpi_series", "internal")):
        for locale in (b.fa, b.en):
            name = marker(state)
            kpi = KPI.objects.create(
                plan=b.source,
                locale=locale,
                name=name,
                unit=name,
                confidentiality=level,
                baseline_value=424242,
                baseline_period=datetime.date(2023, 3, 21),
            )
            secrets.objects.append((state, name, kpi))
    return secrets


def default_save(name, data):
    from django.core.files.storage import default_storage

    return default_storage.save(name, ContentFile(data))


@pytest.fixture(scope="module")
def secrets(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_role_users(password="pw")
        users = {user.username: user for user in get_user_model().objects.all()}
        channel = Channel.objects.create(
            name="matrix webhook", kind=ChannelKind.PORTAL_WEBHOOK, base_url="http://127.0.0.1:9/hook"
        )
        DistributionRule.objects.create(name="everything", channel=channel)
        yield build_secrets({"editor": users["editor"], "reviewer": users["reviewer"]})
        transaction.set_rollback(True)


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


# Probes: one per door ---------------------------------------------------------------------------------
def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def get_all(client, secrets, door, urls):
    leaks = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        leaks += secrets.leaks_in(body(response), f"{door} {url}")
    return leaks


def portal_page(client, secrets):
    """Each secret page at its portal path, and the public pages that use restricted objects."""
    leaks = []
    for _state, title, page in secrets.pages:
        response = client.get(portal_path(page))
        if response.status_code == 200 and title in body(response):
            leaks.append(f"portal page {portal_path(page)}")
    return leaks + get_all(client, secrets, "portal page", [page.url for page in secrets.showcases])


# The portal's listings: home pages, plan indexes and their routes (media indexes, dashboards), the
# human sitemap and about pages (home page routes), and a 404 page (the header menu is on each).
LISTING_PATHS = [
    "",
    "plans/",
    "plans/media/",
    "plans/media/podcasts/",
    "plans/media/films/",
    "plans/media/infographics/",
    "plans/dashboards/",
    "sitemap/",
    "about/",
    "no-such-page/",
]


def portal_listings(client, secrets):
    return get_all(
        client,
        secrets,
        "listing",
        [f"/{language}/{path}" for language in ("fa", "en") for path in LISTING_PATHS],
    )


def language_alternates(client, secrets):
    """The language switcher and hreflang alternates of the public pages next to the secret ones."""
    return get_all(
        client,
        secrets,
        "alternates",
        [secrets.neighbour.url, *[page.url for page in secrets.neighbour.get_translations()]],
    )


def sitemap(client, secrets):
    response = client.get("/sitemap.xml")
    ET.fromstring(response.content)
    return secrets.leaks_in(response.content.decode(), "sitemap.xml")


def documents(client, secrets):
    leaks = []
    for _state, _marker, obj in secrets.objects:
        if isinstance(obj, get_document_model()):
            response = client.get(obj.url)
            if response.status_code == 200 and b"signed approval" in body(response).encode():
                leaks.append(f"document {obj.url}")
    return leaks


def media_files(client, secrets):
    """Renditions, media outputs and originals at their media URLs."""
    leaks = []
    for _state, name in secrets.files:
        if (
            not name.startswith(("deliverables/", "sources/"))
            and client.get(settings.MEDIA_URL + name).status_code != 404
        ):
            leaks.append(f"media file {name}")
    return leaks


def deliverables(client, secrets):
    return [
        f"deliverable {name}"
        for _state, name in secrets.files
        if name.startswith("deliverables/") and client.get(settings.MEDIA_URL + name).status_code != 404
    ]


def source_packages(client, secrets):
    return [
        f"source package {name}"
        for _state, name in secrets.files
        if name.startswith("sources/") and client.get(settings.MEDIA_URL + name).status_code != 404
    ]


def api_pages(client, secrets):
    index = PlanIndexPage.objects.get(locale__language_code="fa").pk
    urls = [
        "/api/v2/pages/?limit=100",
        "/api/v2/pages/?limit=100&locale=en&fields=translations",
        f"/api/v2/pages/?child_of={index}&limit=100",
        f"/api/v2/pages/?descendant_of={index}&limit=100",
        f"/api/v2/pages/?type=plans.PlanPage&fields=*&limit=100&child_of={index}",
        "/api/v2/pages/?search=LEAK",
        "/api/v2/pages/?type=plans.ExecutiveSummaryPage&limit=100",
    ]
    urls += [f"/api/v2/pages/{page.pk}/" for page in secrets.showcases]
    for _state, _marker, page in secrets.pages:
        urls += [
            f"/api/v2/pages/{page.pk}/",
            f"/api/v2/pages/?child_of={page.pk}",
            f"/api/v2/pages/?translation_of={page.pk}",
            f"/api/v2/pages/find/?html_path={page.url_path.split('/', 2)[-1]}",
        ]
    return get_all(client, secrets, "api", urls)


def api_listing_and_details(kind, model):
    def probe(client, secrets):
        urls = [f"/api/v2/{kind}/?limit=100", f"/api/v2/{kind}/?search=LEAK"]
        urls += [
            f"/api/v2/{kind}/{obj.pk}/" for _state, _marker, obj in secrets.objects if isinstance(obj, model)
        ]
        return get_all(client, secrets, f"api {kind}", urls)

    probe.__name__ = f"api_{kind}"
    return probe


def api_navigation(client, secrets):
    return get_all(
        client,
        secrets,
        "navigation",
        [f"/api/v2/navigation/?locale={language}&depth={MAX_DEPTH}" for language in ("fa", "en")],
    )


def api_preview(client, secrets):
    """Without a token granted in the admin, the preview door shows nothing (forged tokens included)."""
    urls = [
        f"/api/v2/preview/?content_type=plans.planpage&id={page.pk}&token=forged.token"
        for _state, _marker, page in secrets.pages
    ]
    leaks = get_all(client, secrets, "preview", urls)
    return leaks + [f"preview {url}" for url in urls if client.get(url).status_code == 200]


def language_feeds(client, secrets):
    return get_all(
        client,
        secrets,
        "feed",
        [f"/feeds/{language}/{feed_format}/" for language in ("fa", "en") for feed_format in ("rss", "atom")],
    )


def page_feeds(client, secrets):
    """The secret pages' own feeds (must not exist) and their parents' feeds."""
    leaks, parents = (
        [],
        [*Page.objects.filter(pk=secrets.neighbour.get_parent().pk).get().get_translations(inclusive=True)],
    )
    for page in [*parents, *(page for _state, _marker, page in secrets.pages)]:
        url = f"/feeds/{page.locale.language_code}/pages/{page.pk}/rss/"
        response = client.get(url)
        if response.status_code == 200:
            leaks += secrets.leaks_in(body(response), f"feed {url}")
            if page not in parents:
                leaks.append(f"feed {url}: 200")
    return leaks


def podcast_feed(client, secrets):
    return get_all(
        client,
        secrets,
        "podcast",
        [series.url + "feed/" for series in PodcastSeriesPage.objects.filter(live=True)],
    )


def plan_pages_beside(secrets):
    """The public plan pages next to the secrets (and their translations) and the secret plan pages."""
    public = [page for page in [secrets.neighbour, *secrets.showcases] if isinstance(page, PlanPage)]
    public = [t.specific for page in public for t in page.get_translations(inclusive=True).live()]
    return public, [(title, page) for _state, title, page in secrets.pages]


def hidden_leaks(client, hidden, suffix, door):
    """The secret pages' own dashboards and downloads show nothing of them (a password form, which
    names the URL it was asked for, is not a leak; their title or KPIs would be)."""
    leaks = []
    for title, page in hidden:
        url = portal_path(page) + suffix
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code == 200 and title in body(response):
            leaks.append(f"{door} {url}")
    return leaks


DASHBOARD_INDEXES = ("/fa/plans/dashboard/", "/en/plans/dashboard/")


def kpi_dashboard(client, secrets):
    """The KPI dashboards of the public plans, of all plans (filtered too), and of the secret plans."""
    public, hidden = plan_pages_beside(secrets)
    urls = [page.url + "dashboard/" for page in public] + list(DASHBOARD_INDEXES)
    urls += [f"{url}?plan={page.plan_number}" for url in DASHBOARD_INDEXES for page in public]
    leaks = get_all(client, secrets, "dashboard", urls)
    return leaks + hidden_leaks(client, hidden, "dashboard/", "dashboard")


def xlsx_text(content):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return " ".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml"))


def kpi_downloads(client, secrets):
    """The CSV and XLSX downloads of the same dashboards."""
    public, hidden = plan_pages_beside(secrets)
    bases = [page.url + "dashboard/" for page in public] + list(DASHBOARD_INDEXES)
    leaks = [
        leak
        for fmt in ("csv", "xlsx")
        for leak in hidden_leaks(client, hidden, f"dashboard/{fmt}/", "download")
    ]
    for base in bases:
        for fmt in ("csv", "xlsx"):
            url = f"{base}{fmt}/"
            response = client.get(url)
            assert response.status_code < 500, (url, response.status_code)
            if response.status_code != 200:
                continue
            spreadsheet = response["Content-Type"].startswith("application/vnd.openxmlformats")
            text = xlsx_text(response.content) if spreadsheet else body(response)  # else e.g. a password form
            leaks += secrets.leaks_in(text, f"download {url}")
    return leaks


def outbox(client, secrets):
    """Publishing a secret page again writes no outbox row; the posts of public pages carry no secret."""
    leaks, before = [], set(OutboxEntry.objects.values_list("pk", flat=True))
    for page in Page.objects.filter(pk__in=[page.pk for _state, _marker, page in secrets.pages]).specific():
        if page.alias_of_id:  # as Wagtail tells of an alias when its original is published
            revision = Page.objects.get(pk=page.alias_of_id).latest_revision
        else:
            revision = page.save_revision()
        page_published.send(sender=type(page), instance=page, revision=revision)
    new = OutboxEntry.objects.exclude(pk__in=before).filter(event__in=[Event.PUBLISH, Event.UPDATE])
    leaks += [f"outbox row for {entry.page_title}" for entry in new]
    for page in Page.objects.filter(pk__in=[page.pk for page in secrets.showcases]).specific():
        post = post_for(page, Event.PUBLISH, with_payload=True)
        leaks += secrets.leaks_in(json.dumps(post.__dict__, default=str, ensure_ascii=False), "post")
    return leaks


def search_queries(secrets):
    """What the search doors are asked: the word every marker shares, and each marker's own part (not
    the marker itself, which a search page repeats back as the query)."""
    markers = [marker for _state, marker, _obj in secrets.pages + secrets.objects]
    return ["LEAK", *dict.fromkeys(marker.rsplit("-", 1)[-1] for marker in markers)]


def search_leaks(client, secrets, door, urls):
    """Like get_all, with the query the answer repeats (title, search box, JSON "query") removed."""
    leaks = []
    for url, query in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        leaks += secrets.leaks_in(body(response).replace(query, ""), f"{door} {url}")
    return leaks


def portal_search(client, secrets):
    """The search page (results, counts, facets, "did you mean") and its autocomplete, in all languages."""
    urls = []
    for query in search_queries(secrets):
        encoded = urlencode({"q": query})
        urls += [
            (f"/fa/search/?{encoded}&lang=all", query),
            (f"/en/search/suggest/?{encoded}&lang=all", query),
        ]
    urls += [("/fa/search/?q=LEAK", "LEAK"), ("/en/search/?q=LEAK", "LEAK")]
    return search_leaks(client, secrets, "search", urls)


def api_search(client, secrets):
    urls = [
        (f"/api/v2/search/?{urlencode({'q': query})}&lang=all", query) for query in search_queries(secrets)
    ]
    return search_leaks(client, secrets, "api search", urls)


def cocreation_worksheet(client, secrets):
    """Plan 12's worksheets are personal: addressed by id alone (no owner's session) every one of them,
    its data, save and submit answer 404, and nothing secret shows."""
    from cocreation.models import Worksheet

    leaks = []
    for sheet in Worksheet.objects.all():
        base = f"/fa/cocreation/worksheet/{sheet.public_id}/"
        for method, url in (
            ("get", base),
            ("get", base + "data"),
            ("post", base + "save"),
            ("post", base + "submit"),
        ):
            response = (
                getattr(client, method)(
                    url, {"version": sheet.version, "items": []}, content_type="application/json"
                )
                if method == "post"
                else client.get(url)
            )
            if response.status_code != 404:
                leaks.append(f"worksheet {url}: {response.status_code}")
            leaks += secrets.leaks_in(body(response), "worksheet")
    return leaks


def cocreation_invitation(client, secrets):
    """Personal links: a guessed token, and the used or revoked link of an invitee, open nothing."""
    from cocreation.models import Invitation, Participant, Round, Worksheet

    invite = Invitation.objects.create(
        participant=Participant.objects.create(
            name=marker("invitee"), email="m@example.com", group="experts"
        ),
        round=Round.objects.order_by("pk").last(),
    )
    Worksheet.objects.create(invitation=invite)
    used = invite.issue_token(datetime.timedelta(days=1))
    invite.save()
    assert Client().get(f"/fa/cocreation/invite/{used}/").status_code == 302  # its owner used it
    revoked = invite.issue_token(datetime.timedelta(days=1))
    invite.revoked_at = timezone.now()
    invite.save()
    leaks = []
    for token in (used, revoked, uuid.uuid4().hex):
        response = client.get(f"/fa/cocreation/invite/{token}/")
        if response.status_code not in (404, 410):
            leaks.append(f"invitation link: {response.status_code}")
        leaks += secrets.leaks_in(body(response), "invitation") + (
            ["invitee's name on the link page"] if invite.participant.name in body(response) else []
        )
    return leaks


def cocreation_signup(client, secrets):
    """Sign-up to open rounds shows the call and a form, nothing of the participants."""
    from cocreation.models import Participant, Round

    leaks, names = [], list(Participant.objects.values_list("name", flat=True))
    for round_ in Round.objects.filter(access="open"):
        text = body(client.get(f"/fa/cocreation/rounds/{round_.pk}/signup/"))
        leaks += secrets.leaks_in(text, "signup") + [
            f"participant {n} on sign-up" for n in names if n in text
        ]
    return leaks


PROBES = {
    probe.__name__: probe
    for probe in [
        portal_page,
        portal_listings,
        language_alternates,
        sitemap,
        documents,
        media_files,
        deliverables,
        source_packages,
        api_pages,
        api_listing_and_details("images", get_image_model()),
        api_listing_and_details("documents", get_document_model()),
        api_listing_and_details("media", MediaItem),
        api_navigation,
        api_preview,
        language_feeds,
        page_feeds,
        podcast_feed,
        portal_search,
        api_search,
        kpi_dashboard,
        kpi_downloads,
        outbox,
        cocreation_worksheet,
        cocreation_invitation,
        cocreation_signup,
    ]
}


# The registries are covered ----------------------------------------------------------------------------
def view_key(callback):
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or inspect.unwrap(callback)
    return f"{view.__module__}.{view.__qualname__}"


def url_views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if not str(pattern.pattern).startswith("admin/"):
                yield from url_views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield str(pattern.pattern), view_key(pattern.callback)


def test_every_door_has_a_probe():
    assert set(visibility.DOORS) == set(PROBES)


def test_every_url_belongs_to_a_door(serving_media):
    doors = {view_key(view) for views in visibility.DOORS.values() for view in views}
    strays = [
        (route, key)
        for route, key in url_views(get_resolver().url_patterns)
        if key not in doors and key not in NOT_DOORS
    ]
    assert strays == []


def test_every_secret_state_is_built(secrets):
    assert secrets.states() == set(visibility.SECRET_STATES)


# The matrix ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("door", PROBES, ids=str)
@pytest.mark.parametrize("visitor", ["anonymous", "translator"])
def test_nothing_secret_leaks(door, visitor, secrets, login, serving_media):
    if visitor != "anonymous":  # a login restriction and an internal KPI admit every signed-in person,
        secrets = replace(  # and an unreleased source package every member of staff
            secrets,
            pages=[entry for entry in secrets.pages if entry[0] != "login_restricted"],
            objects=[entry for entry in secrets.objects if entry[0] != "internal_kpi_series"],
            files=[entry for entry in secrets.files if entry[0] != "unreleased_source_package"],
        )
    assert PROBES[door](login(visitor), secrets) == []


def test_the_probes_see_public_content(client, secrets, serving_media):
    """The matrix is not vacuous: given public things in place of secrets, each probe reports them."""
    plan = secrets.neighbour
    image = get_image_model().objects.filter(pk__in=visibility.public_images().values("pk")).first()
    public = Secrets(neighbour=plan, showcases=[plan])
    public.pages = [("public", plan.title, plan)]
    document = get_document_model().objects.create(
        title=marker("public"), file=ContentFile(b"signed approval", name="open.pdf")
    )
    episode = (
        PodcastEpisodePage.objects.filter(live=True, audio__status="ready")
        .exclude(pk__in=[page.pk for page in secrets.showcases])
        .first()
    )
    output = episode.audio.outputs.get(kind=MediaOutput.Kind.MP3)
    public.objects = [
        ("public", document.title, document),
        ("public", image.title, image),
        ("public", episode.audio.title, episode.audio),
    ]
    name = f"deliverables/{plan.pk}/fa/{uuid.uuid4().hex}/report.pdf"
    PlanDeliverables.objects.update_or_create(page=plan, defaults={"report_pdf": default_save(name, b"x")})
    sources = f"sources/{plan.pk}/fa/{uuid.uuid4().hex}/sources.zip"
    PlanSourcePackage.objects.update_or_create(
        page=plan, defaults={"file": default_save(sources, b"PK"), "released_at": timezone.now()}
    )
    public.files = [
        ("public", image.get_rendition("fill-120x60|format-jpeg").file.name),
        ("public", output.file.name),
        ("public", name),
        ("public", sources),
    ]
    quiet = {"api_preview"}  # needs a token granted in the admin: tests/api/test_preview.py
    # Personal doors show nothing public to anyone but a worksheet's owner (tests/cocreation/).
    quiet |= {"cocreation_worksheet", "cocreation_invitation", "cocreation_signup"}
    for door, probe in PROBES.items():
        if door not in quiet:
            assert probe(client, public), door
