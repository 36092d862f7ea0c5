"""The multimedia pages of the demo: every plan has them in both languages, they render accessible players,
and a page cannot be published while its media is not ready.

Scenarios: one infographic, podcast series + episode and film per plan and language; the episode page has
the audio sources, chapters, transcript and the feed's <link rel=alternate>; the film page lists the fa/en
subtitle tracks (Persian cues start with an RLM) and the HLS playlist; the infographic has AVIF/WebP/PNG
srcsets, its text alternative, a high-resolution download and four social crops that are renditions,
never the original; a pending or failed audio blocks publication with a checklist item.
"""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from cms.publication import PublishBlockedError
from media_pipeline.models import MediaItem, Status
from plans.models import FilmPage, InfographicPage, PodcastEpisodePage, PodcastSeriesPage

pytestmark = pytest.mark.django_db


def soup(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("model", [InfographicPage, PodcastSeriesPage, PodcastEpisodePage, FilmPage])
def test_every_plan_has_each_page_in_both_languages(demo, model):
    for plans, locale in ((demo.plans_fa, demo.locale_fa), (demo.plans_en, demo.locale_en)):
        for plan in plans:
            pages = model.objects.descendant_of(plan).filter(locale=locale, live=True)
            assert pages.count() == 1, (model, plan)


def test_episode_page_has_player_chapters_transcript_and_feed_link(client, demo):
    episode = PodcastEpisodePage.objects.filter(locale=demo.locale_fa).first()
    html = soup(client, episode)
    sources = [(s["src"], s["type"]) for s in html.select("audio source")]
    assert [t for _s, t in sources] == ["audio/mp4", "audio/mpeg"]
    assert all(src.startswith("/media/media_outputs/") for src, _t in sources)
    alternate = html.select_one('link[rel=alternate][type="application/rss+xml"]')
    assert alternate["href"] == episode.series.url + "feed/"
    chapters = html.select("button.chapter")
    assert [b["data-start"] for b in chapters] == ["0", "1"] and chapters[0]["data-player"] == "episode-audio"
    assert "۰۰:۰۰" in chapters[0].text  # Persian digits on fa
    assert "خوش آمدید" in html.select_one(".transcript").text
    assert html.select_one("html")["dir"] == "rtl"


def test_series_page_advertises_its_feed(client, demo):
    series = PodcastSeriesPage.objects.filter(locale=demo.locale_en).first()
    html = soup(client, series)
    link = html.select_one('link[rel=alternate][type="application/rss+xml"]')
    assert link["href"].endswith("/podcast/feed/")
    assert len(html.select(".episode-list a")) == 1


def test_film_page_lists_both_subtitle_tracks_and_hls(client, demo):
    film = FilmPage.objects.filter(locale=demo.locale_en).first()
    html = soup(client, film)
    video = html.select_one("video#film-video")
    assert video["data-hls"].endswith("master.m3u8") and video["poster"].endswith("poster.jpg")
    tracks = {t["srclang"]: t for t in video.select("track")}
    assert set(tracks) == {"fa", "en"} and tracks["en"].has_attr("default")
    assert video.select_one("source")["type"] == "video/mp4"
    persian = film.video.subtitles.get(language="fa").file.read().decode()
    assert "\n\u200fSSO: سازمان تأمین اجتماعی" in persian


def test_the_demo_film_is_called_a_motion_graphic_not_a_documentary(client, demo):
    """The demo film is a generated motion graphic: its kind, title, summary and label say so."""
    for locale, label in ((demo.locale_fa, "موشن‌گرافیک"), (demo.locale_en, "Motion graphic")):
        for film in FilmPage.objects.filter(locale=locale):
            assert film.kind == FilmPage.Kind.MOTION_GRAPHIC
            assert film.title.startswith(f"{label}: ") and label.lower() in film.summary.lower()
        html = soup(client, film)
        assert html.select_one(".film__kind").text == label
        assert not [word for word in ("مستند:", "فیلم مستند", "ocumentary") if word in html.text]


def test_infographic_has_responsive_image_text_alternative_and_crops(client, demo):
    page = InfographicPage.objects.filter(locale=demo.locale_fa).first()
    html = soup(client, page)
    picture = html.select_one("figure picture")
    types = [s["type"] for s in picture.select("source")]
    assert types[:2] == ["image/avif", "image/webp"] or types[:1] == ["image/webp"]
    img = picture.select_one("img")
    assert img["alt"] == page.image_alt and len(img["srcset"].split(",")) == 2
    assert "پیش و پس" in html.select_one("#text-alternative").text
    links = [a["href"] for a in html.select(".infographic__downloads a")]
    cards = [link for link in links if "/dashboard/cards/" in link]  # the plan's generated KPI cards
    assert len(links) == 5 + len(cards) and len(cards) == 2
    assert not any("original_images" in link for link in links)
    sizes = sorted((r.width, r.height) for _name, r in page.social_crops())
    assert sizes == [(1080, 1080), (1080, 1350), (1080, 1920), (1200, 630)]
    assert (page.download_rendition().width, page.download_rendition().height) == (1600, 2000)


@pytest.mark.parametrize("status", [Status.PENDING, Status.PROCESSING, Status.FAILED])
def test_page_cannot_publish_while_media_not_ready(demo, status):
    episode = PodcastEpisodePage.objects.filter(locale=demo.locale_fa).first()
    MediaItem.objects.filter(pk=episode.audio_id).update(status=status)
    episode.refresh_from_db()
    revision = episode.save_revision()
    with pytest.raises(PublishBlockedError) as error, translation.override("en"):
        revision.publish()
    assert [item.code for item in error.value.missing] == ["media-ready"]


def test_film_needs_both_subtitles(demo):
    film = FilmPage.objects.filter(locale=demo.locale_fa).first()
    film.video.subtitles.filter(language="en").delete()
    assert [item.code for item in film.missing_for_publication()] == ["subtitles"]


@pytest.fixture
def serving_media(settings):
    """The URLs as served with SERVE_MEDIA=1 (a single host serving its own media)."""
    import importlib

    from django.urls import clear_url_caches

    import settings.urls as urls

    settings.SERVE_MEDIA = True
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.SERVE_MEDIA = False
    importlib.reload(urls)
    clear_url_caches()


def test_a_restricted_episode_plays_for_the_visitor_who_gave_its_password(client, demo, serving_media):
    """Every page using the demo audio is behind a password: the audio is not public, so nobody gets its
    player or its files, until this visitor gives the password; then both, for this visitor only."""
    from django.test import Client
    from django.urls import reverse
    from wagtail.models import PageViewRestriction

    from cms import visibility

    episode = PodcastEpisodePage.objects.filter(locale=demo.locale_fa).first()
    restrictions = [
        PageViewRestriction.objects.create(page=index, restriction_type="password", password="sesame")
        for index in (demo.index_fa, demo.index_fa.get_translation(demo.locale_en))
    ]
    assert not visibility.is_public(episode.audio)
    sources = [output.file.url for output in episode.audio.outputs.all()]
    assert sources and all(client.get(src).status_code == 404 for src in sources)
    assert "<audio" not in client.get(episode.url).content.decode()  # the password form

    restriction = next(r for r in restrictions if r.page_id == demo.index_fa.pk)
    response = client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, episode.pk]),
        {"password": "sesame", "return_url": episode.url},
    )
    assert response.status_code == 302
    html = soup(client, episode)
    played = [s["src"] for s in html.select("audio source")]
    assert len(played) == 2
    for src in played:
        response = client.get(src)
        assert response.status_code == 200, src
        assert b"".join(response.streaming_content)
    stranger = Client()
    assert all(stranger.get(src).status_code == 404 for src in played)


def test_a_restricted_film_shows_its_poster_to_the_visitor_who_gave_its_password(client, demo, serving_media):
    """The film's poster (a frame of the film, as it has no poster image) is the video's file: hidden
    while every page using the video is behind a password, then shown and served to this visitor only,
    marked private so that no shared cache keeps it."""
    from django.test import Client
    from django.urls import reverse
    from wagtail.models import PageViewRestriction

    film = FilmPage.objects.filter(locale=demo.locale_fa).first()
    assert film.poster is None
    restrictions = [
        PageViewRestriction.objects.create(page=index, restriction_type="password", password="sesame")
        for index in (demo.index_fa, demo.index_fa.get_translation(demo.locale_en))
    ]
    poster = film.video.poster_url
    assert poster and client.get(poster).status_code == 404

    restriction = next(r for r in restrictions if r.page_id == demo.index_fa.pk)
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, film.pk]),
        {"password": "sesame", "return_url": film.url},
    )
    assert soup(client, film).select_one("video#film-video")["poster"] == poster
    response = client.get(poster)
    assert response.status_code == 200 and b"".join(response.streaming_content)
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert Client().get(poster).status_code == 404
