"""Demo multimedia for every plan, in Persian and English: an infographic, a podcast series with an
episode, and a film with Persian and English subtitles.

The media are generated here (a two-second tone and a two-second test film, a Pillow infographic) and go
through the same steps as an editor's upload: validation by content, storage, and the processing task
(run synchronously, because the demo publishes the pages and a page cannot go live before its media is
ready). They are made once and shared by all plans, which keeps `load_demo` fast; the background task
in `plans.demo.generated` then gives each plan and language its own narrated episode and film.
"""

import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.models import Collection

from media_pipeline import generate
from media_pipeline.models import MediaItem, Subtitle
from media_pipeline.subtitles import clean_webvtt
from media_pipeline.tasks import process_media
from media_pipeline.validation import inspect_upload
from plans.demo import artwork
from plans.demo.raw import stable_uuid, stream_raw
from plans.models import FilmPage, InfographicPage, PodcastEpisodePage, PodcastSeriesPage

DEMO_COLLECTION = "محتوای نمایشی"
SUBTITLES = {
    "fa": "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n۲۰ طرح تحول، یک روایت\n\n"
    "00:00:01.000 --> 00:00:02.000\nSSO: سازمان تأمین اجتماعی\n",
    "en": "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n20 transformation plans, one story\n\n"
    "00:00:01.000 --> 00:00:02.000\nSSO: the Social Security Organization\n",
}
TEXTS = {
    "fa": {
        "infographic": "اینفوگرافیک: {title}",
        "infographic_alt": "نمودار ستونی شاخص‌های کلیدی طرح، پیش و پس از اجرا.",
        "infographic_text": "<p>این اینفوگرافیک شاخص‌های کلیدی طرح «{title}» را پیش و پس از اجرا نشان می‌دهد. "
        "ستون‌های خاکستری وضعیت پیش از اجرا و ستون‌های آبی وضعیت پس از اجرا هستند.</p>",
        "series": "پادکست {title}",
        "series_summary": "گفت‌وگو با مجریان طرح دربارهٔ تجربه‌ها و درس‌ها.",
        "author": "سازمان تأمین اجتماعی",
        "episode": "قسمت ۱: چرا این طرح؟",
        "episode_summary": "روایت آغاز طرح «{title}».",
        "notes": "<p>در این قسمت دربارهٔ ضرورت طرح و نخستین گام‌ها می‌شنوید.</p>",
        "transcript": "مجری: به پادکست روایت خوش آمدید.\nمهمان: این طرح در سال ۱۴۰۲ آغاز شد.",
        "chapters": ["آغاز", "نخستین گام‌ها"],
        "film": "موشن‌گرافیک: {title}",
        "film_summary": "موشن‌گرافیک کوتاه دربارهٔ اجرای طرح «{title}».",
        "film_transcript": "۲۰ طرح تحول، یک روایت.\nسازمان تأمین اجتماعی.",
    },
    "en": {
        "infographic": "Infographic: {title}",
        "infographic_alt": "Bar chart of the plan's key indicators, before and after.",
        "infographic_text": "<p>This infographic shows the key indicators of “{title}” before and after the "
        "plan. Grey bars are before, blue bars are after.</p>",
        "series": "Podcast: {title}",
        "series_summary": "Conversations with the people who ran the plan.",
        "author": "Social Security Organization",
        "episode": "Episode 1: Why this plan?",
        "episode_summary": "How “{title}” began.",
        "notes": "<p>In this episode: why the plan was needed and its first steps.</p>",
        "transcript": "Host: Welcome to the Revayat podcast.\nGuest: The plan started in 2023.",
        "chapters": ["Beginning", "First steps"],
        "film": "Motion graphic: {title}",
        "film_summary": "A short motion graphic on carrying out “{title}”.",
        "film_transcript": "20 transformation plans, one story.\nThe Social Security Organization.",
    },
}


# The shared placeholders' titles, as the media library shows them (Persian: the portal's first language)
PLACEHOLDER_TITLES = {
    "audio": "صدای موقت پادکست‌های نمایشی (پیش از ساخت روایت هر طرح)",
    "video": "فیلم موقت موشن‌گرافیک‌های نمایشی (پیش از ساخت فیلم هر طرح)",
}


def media_key(*parts):
    """The stable `key` of a demo media item: how a second `load_demo` finds what the first made, so that
    its title can be one a person reads in the media library."""
    return stable_uuid("media", *parts)


def demo_media(loader, media_type):
    """The shared placeholder audio or video (seconds long), uploaded and processed once: the pages can go
    live at once; `plans.demo.generated` replaces it with the plan's own narrated media in the background."""
    key = media_key(media_type)
    # an earlier load_demo named it by its key
    MediaItem.objects.filter(title=f"demo:{media_type}").update(key=key, title=PLACEHOLDER_TITLES[media_type])
    item = MediaItem.objects.filter(key=key).first()
    if item is not None:
        return item
    with tempfile.TemporaryDirectory(prefix="revayat-demo-media-") as folder:
        path = Path(folder, "demo.mp3" if media_type == "audio" else "demo.mp4")
        if media_type == "audio":
            generate.audio(path, seconds=2)
        else:
            generate.video(path, seconds=2, size="640x360")
        item = upload_media(
            PLACEHOLDER_TITLES[media_type], key, path, media_type, SUBTITLES if media_type == "video" else {}
        )
    loader.created += 1
    return item


def upload_media(title, key, path, media_type, subtitles):
    """Upload a local file as an editor would (validated by content, stored, WebVTT tracks cleaned) and
    process it now; returns the MediaItem."""
    collection = Collection.objects.get(name=DEMO_COLLECTION)
    with path.open("rb") as handle:
        upload = File(handle, name=path.name)
        info = inspect_upload(upload, expected_type=media_type)
        item = MediaItem(
            title=title,
            key=key,
            type=media_type,
            collection=collection,
            file_size=info.size,
            mime_type=info.mime_type,
            duration=info.duration,
        )
        item.file.save(path.name, upload, save=False)
        item.save()
    for language, text in subtitles.items():
        subtitle = Subtitle(media=item, language=language)
        subtitle.file.save(f"{language}.vtt", ContentFile(clean_webvtt(text.encode(), language).encode()))
    process_media.call(item.pk)
    item.refresh_from_db()
    return item


def infographic_image(loader, key, data):
    """A tall generated infographic (bars and blocks in the plan's colours), made once."""

    def draw():
        # 1600×2000: large enough for every social crop (crops are never upscaled)
        picture = PILImage.new("RGB", (1600, 2000), (255, 255, 255))
        draw = ImageDraw.Draw(picture)
        draw.rectangle([0, 0, 1600, 300], fill=(11, 79, 138))
        for index in range(7):
            value = 0.3 + 0.1 * ((data["plan_number"] + index * 3) % 7)
            top = 400 + index * 220
            draw.rectangle([120, top, 120 + 1300 * value, top + 140], fill=(150, 160, 172))
            draw.rectangle([120, top + 70, 120 + 1300 * min(1, value + 0.15), top + 140], fill=(11, 79, 138))
        return picture

    return loader.picture(key, artwork.image_title("infographic", data), draw)


def load_plan_media(loader, plan, data):
    """The infographic, podcast series + episode and film of one plan, in fa and en."""
    number = data["plan_number"]
    audio, video = demo_media(loader, "audio"), demo_media(loader, "video")
    image = infographic_image(loader, f"plan-{number}-infographic", data)
    cover = loader.podcast_cover(number, data)

    def text(lang, key):
        return TEXTS[lang][key].format(title=data[lang]["title"])

    def chapters(model, lang, prefix):
        items = [
            {"type": "chapter", "value": {"start": start, "title": title}}
            for start, title in zip(("00:00", "00:01"), TEXTS[lang]["chapters"], strict=True)
        ]
        return stream_raw(model, "chapters", items, prefix, loader.refs)

    loader.load_page(
        InfographicPage,
        plan,
        f"plan-{number}-infographic",
        "infographic",
        build=lambda lang: {
            "title": text(lang, "infographic"),
            "image_alt": text(lang, "infographic_alt"),
            "text_alternative": text(lang, "infographic_text"),
            "summary": text(lang, "infographic_alt"),
        },
        extra={"image": image},
    )
    series = loader.load_page(
        PodcastSeriesPage,
        plan,
        f"plan-{number}-podcast",
        "podcast",
        build=lambda lang: {
            "title": text(lang, "series"),
            "summary": text(lang, "series_summary"),
            "author": text(lang, "author"),
        },
        extra={"cover": cover, "owner_email": "podcast@revayat.local"},
    )
    loader.load_page(
        PodcastEpisodePage,
        series,
        f"plan-{number}-episode-1",
        "episode-1",
        build=lambda lang: {
            "title": text(lang, "episode"),
            "summary": text(lang, "episode_summary"),
            "show_notes": text(lang, "notes"),
            "transcript": text(lang, "transcript"),
            "chapters": chapters(PodcastEpisodePage, lang, f"plan-{number}.episode"),
        },
        extra={"audio": audio, "season": 1, "episode_number": 1},
    )
    loader.load_page(
        FilmPage,
        plan,
        f"plan-{number}-film",
        "film",
        build=lambda lang: {
            "title": text(lang, "film"),
            "summary": text(lang, "film_summary"),
            "transcript": text(lang, "film_transcript"),
            "chapters": chapters(FilmPage, lang, f"plan-{number}.film"),
        },
        extra={"video": video, "kind": FilmPage.Kind.MOTION_GRAPHIC},
    )
