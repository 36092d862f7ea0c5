"""The demo's real media: per plan and language a narrated podcast episode and a motion-graphic film.

Made from the plan's content, cached on disk by a hash of everything they depend on (script, voices,
KPI numbers, generator version), uploaded like an editor's file and processed by the normal pipeline
(validation, loudness, MP3/AAC, MP4/HLS, poster). The pages then point at them: the Persian page is
published with its new audio/video, transcript and chapters, and the English translation is updated
through wagtail-localize (its strings imported, the media set as an override of the synchronised
field), so a later sync keeps it. Runs in the background worker (`generate_demo_media`), so `load_demo`
and the portal's first page are not slowed down; running it twice changes nothing.
"""

import hashlib
import json
import logging
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale
from wagtail_localize.models import OverridableSegment, SegmentOverride, Translation, TranslationSource

from cms import publication
from cms.i18n import localize_digits
from media_pipeline.models import MediaItem
from plans import kpi_data
from plans.demo import film, narration, scripts
from plans.demo.loader import DEMO_REASON, pair_as_po, plan_files
from plans.demo.media import DEMO_COLLECTION, media_key, upload_media
from plans.demo.raw import stable_uuid, stream_raw
from plans.models import FilmPage, PlanPage, PodcastEpisodePage

logger = logging.getLogger(__name__)
VERSION = 4  # bump when the generators change what they make
LANGUAGES = ("fa", "en")
BUILDERS = 2  # masters built at once (see `prepare`): the machine the demo targets has 2 cores
TITLES = {
    "fa": {"audio": "پادکست طرح {number} — {title}", "video": "موشن‌گرافیک طرح {number} — {title}"},
    "en": {"audio": "Plan {number} podcast — {title}", "video": "Plan {number} motion graphic — {title}"},
}


def cache_root():
    return Path(settings.REVAYAT_DEMO_MEDIA_CACHE)


def digest(kind, fingerprint):
    return hashlib.sha256(f"{VERSION}:{kind}:{fingerprint}".encode()).hexdigest()[:16]


def cached(kind, key, build):
    """The folder made by `build(folder)` for this key (built once; a half-built one is redone) and the
    meta data `build` returned."""
    folder = cache_root() / f"{kind}-{key}"
    if not (folder / "meta.json").exists():
        work = folder.with_name(folder.name + ".partial")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        meta = build(work)
        (work / "meta.json").write_text(json.dumps(meta, ensure_ascii=False))
        shutil.rmtree(folder, ignore_errors=True)
        work.rename(folder)
    return folder, json.loads((folder / "meta.json").read_text())


def podcast_fingerprint(data):
    lines = {language: scripts.podcast_lines(data, language) for language in LANGUAGES}
    return lines, scripts.fingerprint(lines, sorted(narration.VOICES.items()), narration.INTRO_SECONDS)


def build_podcast(lines, language):
    """The episode in `language`; its chapters start when the other language's do (same chapter list)."""

    def build(folder):
        wav = folder / "episode.wav"
        lead_in = narration.intro(folder)
        starts, seconds = narration.aligned_starts(lines, len(lead_in) / 2 / narration.RATE)
        timeline = narration.render(lines[language], language, wav, lead_in, starts, seconds)
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-nostdin",
                "-y",
                "-i",
                wav,
                "-af",
                film.mastering(wav),
                "-ar",
                "44100",
                "-c:a",
                "flac",
                folder / "episode.flac",
            ],
            check=True,
            timeout=300,
        )
        for scratch in (wav, folder / "intro.wav"):
            scratch.unlink()
        chapters = [
            (0.0 if index == 0 else start, title) for index, (start, title) in enumerate(timeline.chapters)
        ]
        return {
            "file": "episode.flac",
            "seconds": timeline.seconds,
            "chapters": chapters,
            "transcript": narration.transcript(lines[language], language),
            "subtitles": {language: narration.webvtt(timeline.cues, language)},
        }

    return build


def film_inputs(data, number, kpis, url):
    scenes = scripts.film_scenes(data, kpis, url)
    return scenes, scripts.fingerprint(
        scenes, sorted(narration.VOICES.items()), film.SIZE, film.OUTPUT_HEIGHT, film.FPS
    )


def build_film(number, scenes, language):
    def build(folder):
        path, timeline, starts = film.render_film(number, scenes, language, folder)
        (folder / "narration.wav").unlink()
        (folder / "intro.wav").unlink()
        headings = scene_titles(scenes, language)
        return {
            "file": path.name,
            "seconds": timeline.seconds,
            "chapters": list(zip(starts, headings, strict=True)),
            "transcript": "\n".join(" ".join(scene.narration[language]) for scene in scenes),
            "subtitles": film.subtitles(scenes, language, timeline, starts),
        }

    return build


def scene_titles(scenes, language):
    texts = scripts.TEXTS[language]
    names = {
        "facts": texts["facts"],
        "kpis": texts["results"],
        "goals": texts["goals"],
        "closing": texts["closing"],
    }
    return [
        scene.content[language]["title"] if scene.kind == "title" else names[scene.kind] for scene in scenes
    ]


def chapter_items(chapters):
    return [
        {"type": "chapter", "value": {"start": narration.chapter_start(start), "title": title}}
        for start, title in chapters
    ]


def media_title(data, media_type, language):
    """The title the media library shows, in the item's language."""
    number = localize_digits(data["plan_number"], language)
    return TITLES[language][media_type].format(number=number, title=data[language]["title"])


def generate_plan(data, languages=LANGUAGES, progress=None):
    """Generate and attach the podcast episode and film of one plan in `languages`."""
    with ThreadPoolExecutor(max_workers=BUILDERS) as builders:
        finish(data, prepare(data, languages, builders), progress)


def prepare(data, languages, builders):
    """Queue on `builders` the masters (episode and film per language) one plan still needs; returns
    [(job, future of (folder, meta))].

    Why a pool of threads: a master is mostly espeak-ng and ffmpeg subprocesses of one core each (the
    audio filters and the AAC and FLAC encoders are single-threaded; the film's x264 runs at `ultrafast`),
    and making them one after another, then processing them, left the second core idle most of the time.
    The masters touch no database, so threads need no connection of their own."""
    number = data["plan_number"]
    fa, en = Locale.objects.get(language_code="fa"), Locale.objects.get(language_code="en")
    plan = PlanPage.objects.get(translation_key=stable_uuid("page", f"plan-{number}"), locale=fa)
    plans = {"fa": plan, "en": plan.get_translation(en)}
    kpis = {lang: scripts.kpi_rows(kpi_data.plan_series(plans[lang]), lang) for lang in LANGUAGES}
    jobs = []
    for model, key, field, media_type in (
        (PodcastEpisodePage, f"plan-{number}-episode-1", "audio", "audio"),
        (FilmPage, f"plan-{number}-film", "video", "video"),
    ):
        pages = model.objects.filter(translation_key=stable_uuid("page", key)).select_related(field, "locale")
        current = {page.locale.language_code: getattr(page, field) for page in pages}
        for language in languages:
            if media_type == "audio":
                lines, fingerprint = podcast_fingerprint(data)
                build = build_podcast(lines, language)
            else:
                scenes, fingerprint = film_inputs(data, number, kpis, plans[language].get_full_url())
                build = build_film(number, scenes, language)
            kind = f"{media_type}-plan-{number}-{language}"
            key_hash = digest(kind, fingerprint)
            item_key = media_key(media_type, f"plan-{number}", language, key_hash)
            item = current.get(language)
            if item and item.key == item_key:
                continue  # made and attached by an earlier run
            jobs.append(((model, key, field), media_type, language, item_key, kind, key_hash, build))
    # by language first: the fa episode and film synthesise the en sentences too (espeak's cache)
    jobs.sort(key=lambda job: LANGUAGES.index(job[2]))
    return [(job[:4], builders.submit(cached, *job[4:])) for job in jobs]


def finish(data, prepared, progress=None):
    """Upload the plan's masters as they are ready, process them and attach them (Persian first: the
    English page's strings are a translation of the Persian page's). In the calling thread: it holds the
    database connection (in tests, the test's transaction)."""
    number = data["plan_number"]
    for page in dict.fromkeys(page for (page, *_rest), _future in prepared):
        model, key, field = page
        made = {}
        for (job_page, media_type, language, item_key), future in prepared:
            if job_page != page:
                continue
            folder, meta = future.result()
            item = MediaItem.objects.filter(key=item_key).first() or upload_media(
                media_title(data, media_type, language),
                item_key,
                folder / meta["file"],
                media_type,
                meta["subtitles"],
            )
            made[language] = (item, meta)
            if progress:
                progress(f"{model._meta.verbose_name} {number} {language}")
        attach(model, key, field, made)


@transaction.atomic
def attach(model, key, field, made):
    """Point the fa page and its en translation at their own media, transcript and chapters."""
    fa_page = model.objects.get(translation_key=stable_uuid("page", key), locale__language_code="fa")
    en_page = fa_page.get_translation(Locale.objects.get(language_code="en")).specific
    pages = {"fa": fa_page, "en": en_page}
    replaced = [getattr(pages[language], field) for language in made]
    prefix = f"{key}.generated"
    with publication.forced(DEMO_REASON):
        for language, (item, meta) in made.items():
            page = pages[language]
            setattr(page, field, item)
            page.transcript = meta["transcript"]
            page.chapters = stream_raw(model, "chapters", chapter_items(meta["chapters"]), prefix, {})
        if "fa" in made:
            fa_page.save_revision().publish()
            fa_page.refresh_from_db()
        if "en" in made:
            update_translation(fa_page, en_page, field, made["en"][0])
    # media generated from an earlier version of the content (the placeholders stay: tests use them; an
    # item outside the demo's collection is an editor's)
    current = {item.pk for item, _meta in made.values()}
    for item in replaced:
        if (
            item
            and item.pk not in current
            and item.key != media_key(item.type)
            and item.collection.name == DEMO_COLLECTION
        ):
            item.delete()
    logger.info("Demo media attached to %s", key)


def update_translation(fa_page, en_page, field, item):
    """The en page's new strings through wagtail-localize, and its media as an override of the
    synchronised field (a later sync keeps both)."""
    with publication.forced(DEMO_REASON):
        source, _created = TranslationSource.update_or_create_from_instance(fa_page)
        translation = Translation.objects.get(source=source, target_locale=en_page.locale)
        translation.import_po(pair_as_po(fa_page, en_page))
        segment = OverridableSegment.objects.get(source=source, context__path=field)
        SegmentOverride.objects.update_or_create(
            locale=en_page.locale, context=segment.context, defaults={"data_json": json.dumps(item.pk)}
        )
        translation.save_target(publish=False)
        en_page.refresh_from_db()
        en_page.get_latest_revision().publish()


def generate_all(numbers=None, progress=None):
    """Every plan (or those numbered in `numbers`): every master is queued at once, so the builders make
    the next plan's while this thread processes and attaches the one before (both cores stay busy)."""
    plans = [json.loads(path.read_text(encoding="utf-8")) for path in plan_files()]
    plans = [data for data in plans if numbers is None or data["plan_number"] in numbers]
    with ThreadPoolExecutor(max_workers=BUILDERS) as builders:
        try:
            prepared = [(data, prepare(data, LANGUAGES, builders)) for data in plans]
            for data, jobs in prepared:
                finish(data, jobs, progress)
        except BaseException:
            builders.shutdown(cancel_futures=True)  # the task failed: no more masters for nothing
            raise
