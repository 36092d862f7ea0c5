"""The podcast feed of each series and language: RSS 2.0 + iTunes + Podcasting 2.0, as podcast apps read it.

Scenarios: the feed parses (feedparser, no bozo) and carries every required channel and item tag; the
enclosure's length and type are those of the stored MP3; the GUID is stable across edits and distinct per
language; transcript and chapters URLs answer with the declared types; an episode whose audio is not
ready or that is unpublished is left out; the query count does not grow with the number of episodes.
"""

import json
import xml.etree.ElementTree as ET

import feedparser
import pytest

from plans.models import PodcastEpisodePage, PodcastSeriesPage

pytestmark = pytest.mark.django_db
NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
}


def get_feed(client, series):
    response = client.get(series.url + "feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return response.content


@pytest.fixture
def series_fa(demo):
    return PodcastSeriesPage.objects.filter(locale=demo.locale_fa).first()


def test_feed_carries_every_required_tag(client, series_fa):
    content = get_feed(client, series_fa)
    parsed = feedparser.parse(content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "rss20"
    channel = ET.fromstring(content).find("channel")
    for tag in (
        "title",
        "link",
        "description",
        "language",
        "itunes:author",
        "itunes:explicit",
        "itunes:type",
        "itunes:owner/itunes:email",
        "podcast:guid",
        "podcast:locked",
    ):
        assert (channel.findtext(tag, namespaces=NS) or "").strip(), tag
    assert channel.findtext("language") == "fa"
    assert channel.find("itunes:image", NS).get("href").startswith("http")
    assert channel.find("itunes:category", NS).get("text") == "Government"
    [item] = channel.findall("item")
    episode = PodcastEpisodePage.objects.child_of(series_fa).get()
    enclosure = item.find("enclosure")
    mp3 = episode.audio.output("mp3")
    assert enclosure.get("type") == "audio/mpeg"
    assert int(enclosure.get("length")) == mp3.size == mp3.file.size
    assert enclosure.get("url").startswith("http://") and enclosure.get("url").endswith(mp3.url)
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false" and guid.text == episode.guid
    assert item.findtext("itunes:duration", namespaces=NS) == "2"
    assert item.findtext("itunes:episode", namespaces=NS) == "1"
    assert item.findtext("itunes:season", namespaces=NS) == "1"
    assert item.findtext("pubDate")
    transcript = item.find("podcast:transcript", NS)
    chapters = item.find("podcast:chapters", NS)
    assert transcript.get("type") == "text/plain" and transcript.get("language") == "fa"
    assert chapters.get("type") == "application/json+chapters"
    path = transcript.get("url").split("://", 1)[1].split("/", 1)[1]
    answer = client.get("/" + path)
    assert answer.status_code == 200 and "خوش آمدید" in answer.content.decode()
    path = chapters.get("url").split("://", 1)[1].split("/", 1)[1]
    data = json.loads(client.get("/" + path).content)
    assert data["version"] == "1.2.0" and [c["startTime"] for c in data["chapters"]] == [0, 1]


def test_guid_is_stable_and_distinct_per_language(client, series_fa, demo):
    episode = PodcastEpisodePage.objects.child_of(series_fa).get()
    before = episode.guid
    episode.title = "عنوان تازه"
    episode.slug = "renamed"
    episode.save_revision().publish()
    episode.refresh_from_db()
    assert episode.guid == before
    english = episode.get_translation(demo.locale_en)
    assert english.guid != before and english.guid.endswith(":en")
    assert ET.fromstring(get_feed(client, series_fa)).findtext("channel/item/guid") == before


def test_unready_and_unpublished_episodes_are_left_out(client, series_fa):
    episode = PodcastEpisodePage.objects.child_of(series_fa).get()
    episode.audio.status = "processing"
    episode.audio.save()
    assert ET.fromstring(get_feed(client, series_fa)).findall("channel/item") == []
    episode.audio.status = "ready"
    episode.audio.save()
    episode.unpublish()
    assert ET.fromstring(get_feed(client, series_fa)).findall("channel/item") == []


def add_episodes(series, count):
    template = PodcastEpisodePage.objects.child_of(series).first()
    existing = PodcastEpisodePage.objects.child_of(series).count()
    for number in range(existing, existing + count):
        episode = PodcastEpisodePage(
            title=f"Episode {number}",
            slug=f"extra-{number}",
            audio=template.audio,
            episode_number=number + 2,
            transcript="text",
            locale=series.locale,
        )
        series.add_child(instance=episode)
        episode.save_revision().publish()


def test_feed_queries_do_not_grow_with_episodes(client, series_fa, django_assert_max_num_queries):
    add_episodes(series_fa, 2)
    client.get(series_fa.url + "feed/")  # warm the site-root cache
    with django_assert_max_num_queries(30) as few:
        assert len(ET.fromstring(get_feed(client, series_fa)).findall("channel/item")) == 3
    add_episodes(series_fa, 9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(ET.fromstring(get_feed(client, series_fa)).findall("channel/item")) == 12
