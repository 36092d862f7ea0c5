"""RSS and Atom feeds, per language and per page, as a feed reader and a portal's crawler see them.

Scenarios: every feed parses (feedparser, no bozo) with its title, language, links and self link, and
lists the public pages newest first; a plan's feed is the plan and what is under it; summaries keep their
Persian (ZWNJ) and are escaped once; an item's GUID survives republishing and renaming; the image
enclosure is there only while the image is public; home and plan pages advertise their feeds; drafts,
private, expired and orphaned pages stay out and their feeds are 404 like a page that never existed;
the query count does not grow with the feed; ETag, Last-Modified and Cache-Control are sent, 304 answered,
and a publish or an expiry shows in the feed at once.
"""

import datetime
import time
import xml.etree.ElementTree as ET
from html import escape, unescape

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from cms import visibility
from cms.workflow.documents import restricted_collection
from plans.models import PodcastEpisodePage, PodcastSeriesPage

pytestmark = pytest.mark.django_db
ROOT = "http://127.0.0.1:8000"  # the demo site's root URL (WAGTAILADMIN_BASE_URL)
NS = {"atom": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/"}
TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
ZWNJ = "\u200c"


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(TYPES[url.rstrip("/").rsplit("/", 1)[1]])
    return response


def parse(client, url):
    parsed = feedparser.parse(fetch(client, url).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def page_feed(page, feed_format="rss"):
    return f"/feeds/{page.locale.language_code}/pages/{page.pk}/{feed_format}/"


def public_under(page, inclusive=False):
    return visibility.public_pages(Page.objects.descendant_of(page, inclusive=inclusive), locale=page.locale)


def entry_for(parsed, page):
    [entry] = [entry for entry in parsed.entries if entry.link == page.get_full_url()]
    return entry


@pytest.mark.parametrize("feed_format", ["rss", "atom"])
@pytest.mark.parametrize(
    ("language", "title"),
    [("fa", "روایت · سازمان تأمین اجتماعی"), ("en", "Revayat · Social Security Organization of Iran")],
)
def test_language_feed_lists_its_public_pages_newest_first(client, demo, feed_format, language, title):
    home = demo.home_fa if language == "fa" else demo.home_en
    url = f"/feeds/{language}/{feed_format}/"
    parsed = parse(client, url)
    assert parsed.version == ("rss20" if feed_format == "rss" else "atom10")
    assert parsed.feed.title == title
    assert parsed.feed.language == language
    assert parsed.feed.link == home.get_full_url() == f"{ROOT}/{language}/"
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == ROOT + url
    pages = list(public_under(home))
    # 1 index + 4 plans × (plan, summary, 4 media pages) + plan 12's two co-creation calls and results
    assert len(parsed.entries) == len(pages) == 28
    assert {entry.link for entry in parsed.entries} == {page.get_full_url() for page in pages}
    assert all(entry.link.startswith(f"{ROOT}/{language}/") for entry in parsed.entries)
    updated = [
        entry["updated_parsed" if feed_format == "atom" else "published_parsed"] for entry in parsed.entries
    ]  # RSS has no item update date; the demo's pages are unedited
    assert updated == sorted(updated, reverse=True)
    assert all(entry.get("author") for entry in parsed.entries)
    assert all(entry.tags[0].term for entry in parsed.entries)  # the page type, as a category


def test_rss_declares_its_own_url_with_atom_link(client):
    channel = ET.fromstring(fetch(client, "/feeds/fa/rss/").content).find("channel")
    self_link = channel.find("atom:link", NS)
    assert self_link.get("rel") == "self" and self_link.get("href") == f"{ROOT}/feeds/fa/rss/"
    assert channel.findtext("language") == "fa"


@pytest.mark.parametrize("feed_format", ["rss", "atom"])
def test_plan_feed_is_the_plan_and_its_public_descendants(client, demo, feed_format):
    plan = demo.plans_fa[0]
    parsed = parse(client, page_feed(plan, feed_format))
    assert parsed.feed.title == f"{plan.title} · روایت"
    assert parsed.feed.link == plan.get_full_url()
    assert {link.rel: link.href for link in parsed.feed.links}["self"] == ROOT + page_feed(plan, feed_format)
    expected = list(public_under(plan, inclusive=True))
    # the plan, its summary, infographic, podcast, episode and film; the two co-creation calls, the results
    assert len(expected) == 9
    assert {entry.link for entry in parsed.entries} == {page.get_full_url() for page in expected}
    assert entry_for(parsed, plan).tags[0].term == "گزارش طرح"


def test_summaries_keep_persian_and_are_escaped_once(client, demo):
    plan, text = demo.plans_fa[0], f"می{ZWNJ}خواهیم R&D را <b>تقویت</b> کنیم؛ نسبت < ۱"
    plan.summary = text + "\x0b"  # with a control character pasted from a word processor
    plan.save_revision().publish()
    for feed_format in ("rss", "atom"):
        raw = fetch(client, page_feed(plan, feed_format)).content.decode()
        assert f"می{ZWNJ}خواهیم" in raw  # the ZWNJ itself, not dropped nor turned into an entity
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, parsed.get("bozo_exception")
        entry = entry_for(parsed, plan)
        assert entry.summary == escape(text, quote=False)  # HTML that shows the text as typed
        assert unescape(entry.summary) == text
        content = BeautifulSoup(entry.content[0].value, "html.parser").div
        assert (content["dir"], content["lang"]) == ("rtl", "fa")
        assert content.get_text() == text
    english = parse(client, page_feed(demo.plans_en[0], "atom")).entries[0]
    assert 'dir="ltr" lang="en"' in english.content[0].value


def test_guid_is_stable_across_republishing_and_renaming(client, demo):
    plan, english = demo.plans_fa[0], demo.plans_en[0]
    before = {fmt: entry_for(parse(client, page_feed(plan, fmt)), plan).id for fmt in ("rss", "atom")}
    assert before["rss"] == before["atom"] and before["rss"].startswith("urn:uuid:")
    rss = ET.fromstring(fetch(client, page_feed(plan)).content)
    assert {guid.get("isPermaLink") for guid in rss.iter("guid")} == {"false"}
    assert entry_for(parse(client, page_feed(english)), english).id != before["rss"]

    plan.title, plan.slug = "عنوان تازهٔ طرح", "renamed-plan"
    plan.save_revision().publish()
    plan.refresh_from_db()
    for fmt in ("rss", "atom"):
        for url in (page_feed(plan, fmt), f"/feeds/fa/{fmt}/"):
            entry = entry_for(parse(client, url), plan)
            assert entry.id == before[fmt]
            assert entry.title == "عنوان تازهٔ طرح" and entry.link.endswith("/fa/plans/renamed-plan/")


def enclosure_of(client, plan, feed_format):
    entry = entry_for(parse(client, page_feed(plan, feed_format)), plan)
    return [link for link in entry.links if link.rel == "enclosure"]


def test_the_image_enclosure_is_a_jpeg_only_while_the_image_is_public(client, demo):
    plan = demo.plans_fa[0]
    rendition = plan.hero_image.get_rendition("fill-1200x630|format-jpeg")
    for feed_format in ("rss", "atom"):
        [enclosure] = enclosure_of(client, plan, feed_format)
        assert enclosure.type == "image/jpeg"
        assert enclosure.href == ROOT + rendition.url
        assert int(enclosure.length) == rendition.file.size > 0
    summary = plan.get_children().first()
    assert enclosure_of(client, summary, "rss") == []  # no image, no enclosure

    social = get_image_model().objects.exclude(pk=plan.hero_image_id).first()
    plan.social_image = social
    plan.save_revision().publish()
    [enclosure] = enclosure_of(client, plan, "rss")
    assert enclosure.href == ROOT + social.get_rendition("fill-1200x630|format-jpeg").url

    social.collection = restricted_collection()
    social.save()
    assert enclosure_of(client, plan, "rss") == []
    assert enclosure_of(client, plan, "atom") == []


def alternates(client, url):
    response = client.get(url)
    assert response.status_code == 200
    head = BeautifulSoup(response.content, "html.parser").head
    return [
        (link["type"], link["title"], link["href"])
        for link in head.find_all("link", rel="alternate", type=list(TYPES.values()))
    ]


def test_home_and_plan_pages_advertise_their_feeds(client, demo):
    assert alternates(client, demo.home_fa.url) == [
        (TYPES["rss"], "صفحه‌های تازه و به‌روزشده (RSS)", f"{ROOT}/feeds/fa/rss/"),
        (TYPES["atom"], "صفحه‌های تازه و به‌روزشده (Atom)", f"{ROOT}/feeds/fa/atom/"),
    ]
    assert alternates(client, demo.home_en.url) == [
        (TYPES["rss"], "New and updated pages (RSS)", f"{ROOT}/feeds/en/rss/"),
        (TYPES["atom"], "New and updated pages (Atom)", f"{ROOT}/feeds/en/atom/"),
    ]
    plan = demo.plans_fa[0]
    links = alternates(client, plan.url)
    assert links == [
        (TYPES["rss"], f"{plan.title}: صفحه‌های تازه و به‌روزشده (RSS)", ROOT + page_feed(plan, "rss")),
        (TYPES["atom"], f"{plan.title}: صفحه‌های تازه و به‌روزشده (Atom)", ROOT + page_feed(plan, "atom")),
        *alternates(client, demo.home_fa.url),
    ]
    for _type, _title, href in links:  # every advertised feed answers and parses
        assert parse(client, href.removeprefix(ROOT)).entries


def test_unknown_languages_and_hidden_pages_have_no_feed(client, demo):
    plan, draft, private = demo.plans_fa[:3]
    draft.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    orphan = draft.get_children().first()  # live, under an unpublished plan
    missing = client.get("/feeds/fa/pages/999999/rss/")
    assert missing.status_code == 404
    for url in (
        "/feeds/de/rss/",
        "/feeds/xx/atom/",
        "/feeds/fa/json/",
        "/feeds/fa/pages/abc/rss/",
        page_feed(draft),
        page_feed(private, "atom"),
        page_feed(orphan),
        f"/feeds/en/pages/{plan.pk}/rss/",
    ):  # a Persian page asked for in English
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.content == missing.content  # nothing tells a hidden page from a missing one
    assert client.post("/feeds/fa/rss/").status_code == 405


def test_hidden_pages_are_left_out_of_the_language_feed(client, demo):
    unpublished, private, expired = demo.plans_fa[1], demo.plans_fa[2], demo.plans_fa[3]
    hidden = [unpublished, *unpublished.get_descendants(), private, *private.get_descendants(), expired]
    unpublished.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    Page.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    for feed_format in ("rss", "atom"):
        links = {entry.link for entry in parse(client, f"/feeds/fa/{feed_format}/").entries}
        assert demo.plans_fa[0].get_full_url() in links
        assert not links & {page.get_full_url() for page in hidden}
        assert len(links) == 28 - 6 - 6 - 1


def add_episodes(series, count, image):
    """`count` live episodes under `series`, each with a hero image (so each item has an enclosure)."""
    template = PodcastEpisodePage.objects.child_of(series).first()
    now, first = timezone.now(), series.get_children().count()
    for number in range(first, first + count):
        series.add_child(
            instance=PodcastEpisodePage(
                title=f"قسمت {number}",
                slug=f"extra-{number}",
                summary=f"خلاصهٔ قسمت{ZWNJ}ها {number}",
                audio=template.audio,
                episode_number=number + 2,
                transcript="متن",
                hero_image=image,
                locale=series.locale,
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
        )


@pytest.mark.parametrize("feed_format", ["rss", "atom"])
def test_queries_do_not_grow_with_the_number_of_items(client, demo, feed_format):
    series = PodcastSeriesPage.objects.filter(locale=demo.locale_fa).first()
    url = page_feed(series, feed_format)
    counts = {}
    for total in (5, 40):
        add_episodes(series, total - len(public_under(series, inclusive=True)), demo.plans_fa[0].hero_image)
        client.get(url)  # renditions are made once, before the count
        cache.clear()  # the feed itself is built again, not read from the cache
        with CaptureQueriesContext(connection) as queries:
            parsed = parse(client, url)
        assert len(parsed.entries) == total
        with_image = [
            entry for entry in parsed.entries if any(link.rel == "enclosure" for link in entry.links)
        ]
        assert len(with_image) == total - 2  # all but the series and its first episode
        counts[total] = len(queries)
    assert counts[5] == counts[40] <= 20


def test_http_caching_and_freshness(client, demo):
    plan = demo.plans_fa[0]
    first = fetch(client, "/feeds/fa/atom/")
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["Content-Language"] == "fa"
    assert "Accept-Language" not in first.get("Vary", "")  # the language is in the URL
    newest = max(page.last_published_at for page in public_under(demo.home_fa))
    assert first["Last-Modified"] == http_date(newest.timestamp())
    with CaptureQueriesContext(connection) as queries:  # served from the cache
        again = fetch(client, "/feeds/fa/atom/")
    assert again.content == first.content and len(queries) <= 2
    not_modified = client.get("/feeds/fa/atom/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""

    plan.title = "عنوان به‌روز"
    plan.save_revision().publish()
    changed = client.get("/feeds/fa/atom/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    parsed = feedparser.parse(changed.content)
    assert parsed.entries[0].title == "عنوان به‌روز"  # an updated page comes back to the top


def test_an_expiring_page_leaves_the_cached_feed_when_it_expires(client, demo):
    plan = demo.plans_fa[0]
    expiry = timezone.now() + datetime.timedelta(
        seconds=3
    )  # the first feed is read before it, even on a busy machine
    Page.objects.filter(pk=plan.pk).update(expire_at=expiry)
    assert plan.get_full_url() in {entry.link for entry in parse(client, "/feeds/fa/rss/").entries}
    time.sleep(max(0, (expiry - timezone.now()).total_seconds()) + 0.5)
    assert plan.get_full_url() not in {entry.link for entry in parse(client, "/feeds/fa/rss/").entries}
    assert client.get(page_feed(plan)).status_code == 404
