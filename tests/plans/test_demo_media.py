"""The demo's generated media: narration timing, the content-hash cache, the artwork, and (once, for one
plan in Persian) the real generation through the pipeline, listened to and looked at.

The test builds skip generation (DEMO_MEDIA off in settings.test); `test_one_plan_generated_in_persian`
makes plan 12's episode and film for real: speech longer than a minute at −16 LUFS with its energy spread
over the speech bands and its pauses, a film of 60–120 s whose frames differ and whose first card is the
rendered title card, subtitles inside the film, chapters and a WebVTT transcript in the feed.
"""

import json
import re
import shutil
import subprocess
import uuid
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageChops, ImageStat

from cms import visibility
from media_pipeline.models import MediaItem
from media_pipeline.subtitles import parse
from plans.demo import artwork, generated, narration
from plans.demo.loader import CONTENT_DIR
from plans.demo.media import PLACEHOLDER_TITLES, media_key
from plans.demo.narration import Line

PODCAST_NS = {"podcast": "https://podcastindex.org/namespace/1.0"}


def plan_data(number):
    return json.loads((CONTENT_DIR / f"plan-{number}.json").read_text(encoding="utf-8"))


def test_sentences_come_from_rich_text():
    text = "<ul><li>نخست: یک</li><li>دوم</li></ul><p>First. Second? Third</p>"
    assert narration.sentences(text) == ["نخست: یک.", "دوم.", "First.", "Second?", "Third."]


def test_chapters_start_at_the_same_time_in_both_languages(tmp_path):
    scripts = {
        "fa": [Line("host", "سلام.", chapter="آغاز"), Line("guest", "جمله‌ای بلندتر، با چند واژه."),
               Line("host", "پایان.", chapter="پایان")],
        "en": [Line("host", "Hello.", chapter="Opening"), Line("guest", "Short."),
               Line("host", "The end, said slowly and at length.", chapter="Closing")],
    }  # fmt: skip
    starts, seconds = narration.aligned_starts(scripts, 1.0)
    timelines = {
        language: narration.render(
            lines, language, tmp_path / f"{language}.wav", narration.silence(1.0), starts, seconds
        )
        for language, lines in scripts.items()
    }
    assert [start for start, _ in timelines["fa"].chapters] == pytest.approx(starts, abs=1e-3)
    assert [start for start, _ in timelines["en"].chapters] == pytest.approx(starts, abs=1e-3)
    assert timelines["fa"].seconds == pytest.approx(timelines["en"].seconds, abs=1e-3)
    for language, timeline in timelines.items():
        cues = parse(narration.webvtt(timeline.cues, language))
        assert len(cues) == 3 and all(0 <= start < end <= timeline.seconds for start, end, _ in cues)
        assert cues[0][0] == pytest.approx(1.0, abs=1e-3)  # after the lead-in


def test_generation_is_cached_by_content(tmp_path, settings):
    settings.REVAYAT_DEMO_MEDIA_CACHE = tmp_path
    calls = []

    def build(folder):
        calls.append(folder)
        (folder / "made.txt").write_text("x")
        return {"file": "made.txt"}

    one, two = generated.digest("audio", "script one"), generated.digest("audio", "script two")
    assert one == generated.digest("audio", "script one") != two
    first = generated.cached("audio", one, build)
    assert generated.cached("audio", one, build) == first and len(calls) == 1
    assert generated.cached("audio", two, build)[0] != first[0] and len(calls) == 2
    assert not list(tmp_path.glob("*.partial"))


def difference(one, other, size=(320, 180)):
    """Mean absolute pixel difference (0–255) of two pictures at a small common size."""
    one, other = (picture.convert("L").resize(size) for picture in (one, other))
    return ImageStat.Stat(ImageChops.difference(one, other)).mean[0]


def test_heroes_differ_per_plan_and_the_cover_is_square():
    heroes = [artwork.hero(number, plan_data(number)) for number in (12, 14)]
    assert heroes[0].size == (1600, 900) and difference(*heroes) > 10
    cover = artwork.podcast_cover(12, plan_data(12))
    assert cover.size == (3000, 3000)


@pytest.mark.django_db
def test_demo_series_covers_are_square_for_podcast_apps(demo, client):
    from plans.models import PodcastSeriesPage

    series = PodcastSeriesPage.objects.filter(locale=demo.locale_fa).first()
    assert series.cover.width == series.cover.height == 3000
    channel = ET.fromstring(client.get(series.url + "feed/").content).find("channel")
    href = channel.find("{http://www.itunes.com/dtds/podcast-1.0.dtd}image").get("href")
    rendition = series.cover.renditions.get(file__endswith=href.rsplit("/", 1)[1])
    assert rendition.width == rendition.height >= 1400


def band_levels(path):
    """RMS level (dB) of the audio in three speech bands, measured by ffmpeg."""
    levels = []
    for low, high in ((200, 800), (800, 2500), (2500, 6000)):
        result = subprocess.run(
            ["ffmpeg", "-nostdin", "-hide_banner", "-i", str(path), "-af",
             f"highpass=f={low},lowpass=f={high},astats=measure_overall=RMS_level:measure_perchannel=0",
             "-f", "null", "-"],
            capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        levels.append(float(re.findall(r"RMS level dB: (-?[\d.]+)", result.stderr)[-1]))
    return levels


def pauses(path):
    result = subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-i", str(path), "-af", "silencedetect=n=-45dB:d=0.25",
         "-f", "null", "-"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return result.stderr.count("silence_start")


def frame_at(path, seconds, folder):
    target = folder / f"frame-{seconds:.1f}.png"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-y",
            "-ss",
            str(seconds),
            "-i",
            str(path),
            "-frames:v",
            "1",
            target,
        ],
        check=True,
        timeout=60,
    )
    return Image.open(target)


@pytest.mark.django_db
def test_demo_media_have_titles_for_people_and_are_found_again_by_key(demo):
    """The media library shows titles a person reads, in the item's language; `load_demo` finds its
    items by their stable `key`, and gives an item an earlier load named "demo:…" its key and title."""
    from django.core.management import call_command

    assert not MediaItem.objects.filter(title__startswith="demo:").exists()
    video = MediaItem.objects.get(key=media_key("video"))
    assert video.title == PLACEHOLDER_TITLES["video"]
    data = plan_data(12)
    assert generated.media_title(data, "audio", "fa") == f"پادکست طرح ۱۲ — {data['fa']['title']}"
    assert generated.media_title(data, "video", "en") == f"Plan 12 motion graphic — {data['en']['title']}"

    MediaItem.objects.filter(pk=video.pk).update(key=uuid.uuid4(), title="demo:video")
    count = MediaItem.objects.count()
    call_command("load_demo", "--no-admin", "--no-media", verbosity=0)
    video.refresh_from_db()
    assert (video.key, video.title) == (media_key("video"), PLACEHOLDER_TITLES["video"])
    assert MediaItem.objects.count() == count


@pytest.mark.django_db
def test_demo_images_have_persian_titles_and_are_found_again_by_key(demo):
    """The image library shows the demo pictures under Persian titles; `load_demo` finds them by their
    `DemoImage` row (not the title, which editors may change), and adopts and retitles an image an
    earlier load named "demo:…"."""
    from django.core.management import call_command
    from wagtail.images import get_image_model

    from plans.models import DemoImage

    image_model = get_image_model()
    assert not image_model.objects.filter(title__startswith="demo:").exists()
    title = plan_data(12)["fa"]["title"]
    expected = {
        "plan-12-hero": f"تصویر شاخص طرح ۱۲ — {title}",
        "plan-12-figure": f"نمودار شاخص‌های طرح ۱۲ — {title}",
        "plan-12-podcast-cover": f"جلد پادکست طرح ۱۲ — {title}",
        "plan-12-infographic": f"اینفوگرافیک طرح ۱۲ — {title}",
    }
    images = {key: DemoImage.objects.get(key=key).image for key in expected}
    assert {key: image.title for key, image in images.items()} == expected

    hero, cover = images["plan-12-hero"], images["plan-12-podcast-cover"]
    image_model.objects.filter(pk=cover.pk).update(title="جلد دلخواه ویراستار")  # an editor's title
    DemoImage.objects.filter(image=hero).delete()  # as a load before the table left it
    image_model.objects.filter(pk=hero.pk).update(title="demo:plan-12-hero")
    count = image_model.objects.count()
    call_command("load_demo", "--no-admin", "--no-media", verbosity=0)
    hero.refresh_from_db()
    cover.refresh_from_db()
    assert hero.title == expected["plan-12-hero"] and DemoImage.objects.get(key="plan-12-hero").image == hero
    assert cover.title == "جلد دلخواه ویراستار"
    assert image_model.objects.count() == count


@pytest.mark.django_db
def test_one_plan_generated_in_persian(demo, client, settings, tmp_path, monkeypatch):
    from plans.demo import film
    from plans.models import FilmPage, PodcastEpisodePage

    settings.REVAYAT_DEMO_MEDIA_CACHE = tmp_path / "cache"
    monkeypatch.setattr(film, "OUTPUT_HEIGHT", 360)  # the pipeline's 360p only: half the encoding
    data = plan_data(12)
    generated.generate_plan(data, languages=("fa",))
    plan = next(plan for plan in demo.plans_fa if plan.plan_number == 12)

    episode = PodcastEpisodePage.objects.child_of(plan.get_children().get(slug="podcast")).get()
    audio = episode.audio
    assert audio.title == f"پادکست طرح ۱۲ — {data['fa']['title']}" and audio.is_ready
    assert audio.duration > 60
    assert -17 <= audio.loudness_lufs <= -15
    mp3 = audio.output("mp3").file.path
    levels = band_levels(mp3)
    assert max(levels) - min(levels) < 20, levels  # speech spreads its energy; a tone sits in one band
    assert pauses(mp3) >= 10  # sentences and turns, not a continuous signal
    chapters = episode.chapter_list()
    assert len(chapters) >= 4 and chapters[0]["start"] == 0
    assert [c["start"] for c in chapters] == sorted({c["start"] for c in chapters}) and chapters[-1][
        "start"
    ] < audio.duration
    assert episode.transcript.startswith("مجری:") and "مهمان:" in episode.transcript

    item = ET.fromstring(client.get(episode.get_parent().url + "feed/").content).find("channel/item")
    types = {t.get("type"): t.get("url") for t in item.findall("podcast:transcript", PODCAST_NS)}
    assert set(types) == {"text/plain", "text/vtt"}
    track = audio.subtitles.get(language="fa")
    assert types["text/vtt"].endswith(track.file.url) and visibility.file_is_public(track.file.name)
    assert track.file.read().startswith(b"WEBVTT")

    film_page = FilmPage.objects.child_of(plan).get()
    video = film_page.video
    assert video.title == f"موشن‌گرافیک طرح ۱۲ — {data['fa']['title']}" and video.is_ready
    assert 60 < video.duration <= 120 and (video.width, video.height) == (640, 360)
    assert video.hls_url and video.poster_url
    mp4 = video.output("mp4_360").file.path
    starts = [c["start"] for c in film_page.chapter_list()]
    assert len(starts) == 5 and starts[0] == 0
    frames = [frame_at(mp4, start + 3, tmp_path) for start in starts]
    card = {"plan": "طرح ۱۲", "title": data["fa"]["title"], "subtitle": data["fa"]["full_title"]}
    title = artwork.title_card(12, {**card, "sso": "سازمان تأمین اجتماعی"}, "fa")
    assert difference(frames[0], title) < 3  # the film opens on the title card (cards differ by > 6)
    for index, one in enumerate(frames):
        for other in frames[index + 1 :]:
            assert difference(one, other) > 3  # every card looks different
    for track in video.subtitles.all():
        cues = parse(track.file.read().decode())
        assert cues and all(0 <= start < end <= video.duration + 0.01 for start, end, _ in cues), (
            track.language
        )
    assert {track.language for track in video.subtitles.all()} == {"fa", "en"}

    # a second run (the next `load_demo`) finds everything made and attached: nothing new, no rendering
    made = set(MediaItem.objects.values_list("pk", flat=True))
    shutil.rmtree(tmp_path / "cache")
    generated.generate_plan(data, languages=("fa",))
    assert set(MediaItem.objects.values_list("pk", flat=True)) == made
    assert not (tmp_path / "cache").exists()
