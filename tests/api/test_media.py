"""/api/v2/media/ and the media page types: players get processed outputs, never the private original.

Every response here is validated against /api/schema/ (the endpoint's item schemas and the page types').
"""

from urllib.parse import urlsplit

import pytest

from cms.visibility import public_media
from media_pipeline.models import MediaItem
from plans.demo.media import PLACEHOLDER_TITLES, media_key
from plans.models import FilmPage, InfographicPage, PodcastEpisodePage, PodcastSeriesPage

pytestmark = pytest.mark.django_db


def demo_item(media_type):
    return MediaItem.objects.get(key=media_key(media_type))


def test_listing_holds_exactly_the_public_media(api, validate, demo):
    status, data, _response = api("/api/v2/media/?limit=100")
    assert status == 200
    assert data["meta"]["total_count"] == len(data["items"])
    assert {item["id"] for item in data["items"]} == set(public_media().values_list("pk", flat=True))
    assert {demo_item("audio").pk, demo_item("video").pk} <= {item["id"] for item in data["items"]}
    for item in data["items"]:
        validate(item, "media.item")
        assert set(item) >= {
            "title",
            "media_type",
            "duration",
            "sources",
            "hls_url",
            "poster_url",
            "subtitles",
        }


def test_video_detail_has_sources_hls_poster_and_subtitles(api, validate, demo):
    video = demo_item("video")
    status, data, response = api(f"/api/v2/media/{video.pk}/")
    assert status == 200 and response["ETag"] and "public" in response["Cache-Control"]
    validate(data, "media.detail")
    assert data["meta"]["type"] == "media_pipeline.MediaItem"
    assert data["media_type"] == "video" and data["duration"] == pytest.approx(2, abs=0.3)
    assert (data["width"], data["height"]) == (640, 360)
    mp4s = video.outputs.filter(kind__in=["mp4_720", "mp4_360"]).order_by("-kind")  # best first
    assert [source["size"] for source in data["sources"]] == [output.size for output in mp4s]
    assert {source["type"] for source in data["sources"]} == {"video/mp4"}
    assert all(source["label"] for source in data["sources"])
    for source in data["sources"]:
        assert source["url"].startswith("http") and source["url"].endswith(".mp4") and source["size"] > 0
    assert data["hls_url"].startswith("http") and data["hls_url"].endswith(".m3u8")
    assert data["poster_url"].startswith("http") and data["poster_url"].endswith(".jpg")
    assert [(track["language"], track["url"][-6:]) for track in data["subtitles"]] == [
        ("fa", "fa.vtt"),
        ("en", "en.vtt"),
    ]
    assert all(track["label"] for track in data["subtitles"])


def test_audio_detail_has_mp3_and_aac_and_no_picture(api, validate, demo):
    status, data, _response = api(f"/api/v2/media/{demo_item('audio').pk}/")
    assert status == 200
    validate(data, "media.detail")
    assert data["media_type"] == "audio"
    assert {source["type"] for source in data["sources"]} == {"audio/mpeg", "audio/mp4"}
    assert data["width"] is None and data["poster_url"] is None and data["subtitles"] == []


def test_media_fields_and_search(api, demo):
    status, data, _response = api("/api/v2/media/?fields=_,title&search=نمایشی")
    assert status == 200, data
    assert {item["title"] for item in data["items"]} == set(PLACEHOLDER_TITLES.values())
    assert all(set(item) <= {"id", "meta", "title"} for item in data["items"])
    status, data, _response = api("/api/v2/media/?fields=download_url")
    assert status == 400 and "download_url" in data["message"]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_episode_and_film_embed_their_media(api, demo, language):
    episode = PodcastEpisodePage.objects.filter(locale__language_code=language).first()
    _status, data, _response = api(f"/api/v2/pages/{episode.pk}/")
    _status, audio, _response = api(f"/api/v2/media/{episode.audio_id}/")
    # The same item; source labels are in the page's language on the page.
    assert {key: value for key, value in data["audio"].items() if key != "sources"} == {
        key: value for key, value in audio.items() if key not in ("meta", "sources")
    }
    assert [source["url"] for source in data["audio"]["sources"]] == [s["url"] for s in audio["sources"]]
    labels = {"fa": "صدای MP3", "en": "MP3 audio"}
    assert data["audio"]["sources"][-1]["label"] == labels[language]
    assert (data["season"], data["episode_number"]) == (1, 1)
    assert data["transcript"] == episode.transcript and data["show_notes"].startswith("<p>")
    assert [chapter["value"]["start"] for chapter in data["chapters"]] == ["00:00", "00:01"]

    film = FilmPage.objects.filter(locale__language_code=language).first()
    _status, data, _response = api(f"/api/v2/pages/{film.pk}/")
    assert data["video"]["id"] == film.video_id and data["video"]["hls_url"].endswith(".m3u8")
    assert {track["language"] for track in data["video"]["subtitles"]} == {"fa", "en"}
    assert data["kind"] == film.kind and data["transcript"] == film.transcript


def test_series_has_cover_and_absolute_feed_url(api, client, demo):
    series = PodcastSeriesPage.objects.filter(locale=demo.locale_fa).first()
    _status, data, _response = api(f"/api/v2/pages/{series.pk}/")
    assert data["cover"]["id"] == series.cover_id and data["author"] == series.author
    assert data["feed_url"].startswith("http") and data["feed_url"].endswith("/feed/")
    feed = client.get(urlsplit(data["feed_url"]).path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/rss+xml")


def test_infographic_has_image_download_and_social_crops(api, demo):
    page = InfographicPage.objects.filter(locale=demo.locale_en).first()
    _status, data, _response = api(f"/api/v2/pages/{page.pk}/")
    assert data["image"]["id"] == page.image_id and data["image"]["alt"] == page.image_alt
    assert data["text_alternative"].startswith("<p>")
    assert data["download"]["url"].endswith(".png") and data["download"]["width"] == page.image.width
    assert set(data["social_crops"]) == {name for name, _spec in page.social_crops()}
    assert all(crop["url"].startswith("http") for crop in data["social_crops"].values())
