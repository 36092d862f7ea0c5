"""Golden API examples: the detail JSON of one demo page of every page type (and of an image and a
media item), frozen in files next to this module, as plone.restapi freezes its HTTP examples.

The portal and the apps consume these shapes; `tests/api/test_golden.py` compares the live response with
the file, so any change to the JSON — a refactor that was meant to change nothing, or a deliberate new
field — shows up as a diff to review. Regenerate the files after a deliberate change with::

    DJANGO_SETTINGS_MODULE=settings.test DATABASE_URL=sqlite:// .venv/bin/python -m tests.api.golden

and read `git diff tests/api/golden/` before committing them.

`normalize()` is the one place where values that differ between databases and runs are replaced:
- timestamps (`first_published_at`, `last_published_at`) → `"<datetime>"`;
- database ids (pages, images, documents, media, snippets; in `id` keys and in API URLs) → a name the
  demo gives the object, e.g. `"<page fa /home/plans/vision-1430/>"`, so ids that differ between SQLite and
  PostgreSQL, or after the demo grows, do not matter but a link to another object still does;
- in file URLs: the focal-point hash of a rendition (`name.2e16d0ba.fill-48x27.png` →
  `name.<hash>.fill-48x27.png`), the random suffix Django's storage adds to a name that is taken
  (`name_AbC12xY.png` → `name.png`: renditions made by earlier tests stay in the session's media folder),
  and a media item's random key and processing run (`media_outputs/<key>/<run>/audio.mp3`,
  `media_subtitles/<key>/fa.vtt`);
- the scheme and host of absolute URLs → `http://<host>`;
- a KPI series' id → `"<kpi>"`.
Everything else (key order included) must match byte for byte. The page of each type is its first in
tree order per language; renditions have the API tests' small sizes (`small_renditions` in
tests/api/conftest.py).
"""

import json
import re
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent
UPDATE_ENV = "REVAYAT_UPDATE_GOLDEN"

# golden file name → page type; each has one file per language (`plan_page.fa.json`)
PAGES = {
    "home": "home.HomePage",
    "plan_index": "plans.PlanIndexPage",
    "plan_page": "plans.PlanPage",
    "executive_summary": "plans.ExecutiveSummaryPage",
    "infographic": "plans.InfographicPage",
    "podcast_series": "plans.PodcastSeriesPage",
    "podcast_episode": "plans.PodcastEpisodePage",
    "film": "plans.FilmPage",
    "cocreation_call": "cocreation.CallPage",
    "cocreation_results": "cocreation.ResultsPage",
}
LANGUAGES = ("fa", "en")
COLLECTIONS = ("images", "media")  # the demo has no documents

DATETIME_KEYS = {"first_published_at", "last_published_at"}
HOST = re.compile(r"^https?://[^/]+")
API_URL = re.compile(r"/api/v2/(pages|images|documents|media)/(\d+)/")
RENDITION_HASH = re.compile(r"\.[0-9a-f]{8}\.(?=[^/]*$)")
STORAGE_SUFFIX = re.compile(r"_[A-Za-z0-9]{7}(?=\.[^/]*$)")
MEDIA_KEY = re.compile(r"/(media_outputs|media_subtitles)/[0-9a-f-]{36}/([0-9a-f]{8}/)?")


def path(name):
    return GOLDEN_DIR / f"{name}.json"


def dumps(data):
    """The file form: indented, non-ASCII kept (Persian stays readable), key order as the API sends it."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


class Names:
    """Stable names for database ids, looked up once per response."""

    def page(self, pk):
        from wagtail.models import Page

        page = Page.objects.select_related("locale").get(pk=pk)
        return f"<page {page.locale.language_code} {page.url_path}>"

    def images(self, pk):
        from wagtail.images import get_image_model

        return f"<image {get_image_model().objects.get(pk=pk).title}>"

    def documents(self, pk):
        from wagtail.documents import get_document_model

        return f"<document {get_document_model().objects.get(pk=pk).title}>"

    def media(self, pk):
        from media_pipeline.models import MediaItem

        return f"<media {MediaItem.objects.get(pk=pk).title}>"

    def snippet(self, label, pk):
        from django.apps import apps

        obj = apps.get_model(label).objects.get(pk=pk)
        return f"<{label} {obj}>"


def normalize(data, kind="page", names=None):
    """`data` with its volatile values replaced (see the module docstring); `kind` says what the top
    object is: "page", "images", "documents" or "media"."""
    names = names or Names()
    top = {"page": names.page, "images": names.images, "documents": names.documents, "media": names.media}

    def object_name(collection, pk):
        return names.page(pk) if collection == "pages" else getattr(names, collection)(pk)

    def url(value):
        if not value.startswith(("http://", "https://", "/")):
            return value
        value = HOST.sub("http://<host>", value)
        value = API_URL.sub(lambda m: f"/api/v2/{m[1]}/{object_name(m[1], int(m[2]))}/", value)
        value = MEDIA_KEY.sub(lambda m: f"/{m[1]}/<key>/{'<run>/' if m[2] else ''}", value)
        return STORAGE_SUFFIX.sub("", RENDITION_HASH.sub(".<hash>.", value))

    def id_name(value):
        """How the integer `id` of a nested object is named, from the keys that say what it is."""
        if "api_url" in value or "meta" in value:
            return names.page
        if "media_type" in value:
            return names.media
        if "file_extension" in value:
            return names.documents
        if "renditions" in value:
            return names.images
        if "period_kind" in value:  # a KPI series: its id differs between databases, nothing links to it
            return lambda pk: "<kpi>"
        if isinstance(value.get("type"), str):
            return lambda pk: names.snippet(value["type"], pk)
        return None

    def walk(value, name_id=None):
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, str):
            return url(value)
        if not isinstance(value, dict):
            return value
        name_id = name_id or id_name(value)
        result = {}
        for key, item in value.items():
            if key in DATETIME_KEYS and item:
                result[key] = "<datetime>"
            elif key == "id" and isinstance(item, int) and name_id:
                result[key] = name_id(item)
            else:
                result[key] = walk(item)
        return result

    return walk(data, top[kind])
