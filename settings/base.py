"""Settings shared by every environment.

Everything that differs between machines comes from environment variables, with embedded defaults that
are safe for a developer's laptop (SQLite, local media, local-memory cache, database task queue).
`production.py` refuses to start on the defaults that are unsafe in production.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url):
    """Parse DATABASE_URL, turning a malformed value into a clear configuration error."""
    try:
        config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")))
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a valid database URL ({error}). Expected e.g. "
            "sqlite:///db.sqlite3 or postgres://user:password@127.0.0.1:5432/revayat"
        ) from error
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"DATABASE_URL has no database engine: {url!r}")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The web server, the task worker and the distribution relay write to one file: WAL lets readers
        # go on during a write, IMMEDIATE transactions wait for the lock instead of failing half-way.
        # A connection keeps up to 32 MiB of the file's pages (SQLite's default is 2 MiB): every search
        # reads the passages and their index, and a persistent connection (DB_CONN_MAX_AGE) keeps them.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            **config.get("OPTIONS", {}),
        }
    return config


# ---------------------------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
DEFAULT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "plans",
    "search",
    "cocreation",  # plan 12's co-creation calls (a domain app beside plans)
    "cms",
    "cms.api",
    "cms.distribution",  # before wagtail_localize: its admin URLs and hooks come first
    "cms.workflow",
    "wagtail_localize",
    "wagtail_localize.locales",
    "media_pipeline",
    "wagtailmedia",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "cms.page_cache.AnonymousPageCacheMiddleware",  # first: a hit skips the rest (cms/page_cache.py)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.cache.RequestMemoMiddleware",  # the door's paths, the site and settings read once (or kept)
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.workflow.policy.WorkflowRefusalMiddleware",
    "cms.concurrent_saves.ConcurrentSaveMiddleware",
    "cms.views.PortalErrorPagesMiddleware",  # acts only under DEBUG, with DEBUG_PORTAL_ERRORS
    "cms.jalali.AdminCalendarMiddleware",  # Jalali dates on the Persian admin
]
# Under DEBUG (`make run`) show the portal's own 404 and 500 pages rather than Django's technical ones
# (tracebacks still go to the console); DEBUG_PORTAL_ERRORS=0 brings the technical pages back.
DEBUG_PORTAL_ERRORS = env_bool("DEBUG_PORTAL_ERRORS", True)

ROOT_URLCONF = "settings.urls"
WSGI_APPLICATION = "settings.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------
# Database: DATABASE_URL (https://github.com/jazzband/dj-database-url), SQLite by default
# ---------------------------------------------------------------------------------------------
DATABASES = {
    "default": database_from_url(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------------------------
# Cache: CACHE_URL (redis://… for Redis), local memory by default
# ---------------------------------------------------------------------------------------------
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    # Redis away or hung must not take the portal down (cms/redis_cache.py): short socket timeouts, and
    # a backend that treats a failed read as a miss and drops a failed write.
    CACHES = {
        "default": {
            "BACKEND": "cms.redis_cache.FailOpenRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole responses for anonymous readers (cms/page_cache.py): only with a cache every process shares,
# since each process would otherwise keep its own content version and miss others' publications.
REVAYAT_PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600" if CACHE_URL else "0"))

# ---------------------------------------------------------------------------------------------
# Background tasks: django-tasks with its database backend (`manage.py db_worker`)
# ---------------------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job's lease (cms/task_lease.py): its worker refreshes it every third of the lease; a job whose
# lease ran out (its worker was killed) goes back to the queue, and fails once this many runs were lost.
REVAYAT_TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "30"))
REVAYAT_TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "3"))

# ---------------------------------------------------------------------------------------------
# Languages: Persian first (right-to-left), English translation (wagtail-localize)
# LANGUAGE_CODE must be "fa" before the first migrate: the first Locale is created from it.
# ---------------------------------------------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
# The admin names a content language in its own language (locale badges, the translation editor, the
# locale filter); the language switchers (LANGUAGES, WAGTAILADMIN_PERMITTED_LANGUAGES) keep endonyms.
WAGTAIL_CONTENT_LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
# The project's own catalogue first (it wins), then the Persian we ship for the packages' strings that
# upstream leaves untranslated (Wagtail, wagtail-localize, wagtailmedia, taggit): see locale/README.md.
LOCALE_PATHS = [BASE_DIR / "locale"] + [
    BASE_DIR / "locale" / "packages" / name
    for name in ("wagtail", "wagtail_localize", "wagtailmedia", "taggit")
]
TIME_ZONE = "Asia/Tehran"
USE_TZ = True

# ---------------------------------------------------------------------------------------------
# Static files (WhiteNoise) and media (local files; S3 arrives with the media issue)
# ---------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [
    BASE_DIR / "frontend" / "static",
    ("fonts/vazirmatn", BASE_DIR / "frontend" / "node_modules" / "vazirmatn" / "fonts" / "webfonts"),
]
STATICFILES_DIRS += [
    BASE_DIR / "frontend" / "build"
]  # vendor/{hls.js,jalalidatepicker,jalaali-js}/: `make install`
# Vazirmatn as TrueType for the server-side renderers (chart PNGs/SVG measuring, social cards)
REVAYAT_FONT_DIR = BASE_DIR / "frontend" / "node_modules" / "vazirmatn" / "fonts" / "ttf"
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The demo's narrated podcasts and films (plans/demo/generated.py): made by the background worker after
# `load_demo` (DEMO_MEDIA=0 skips them), cached by content hash in this folder outside git.
REVAYAT_DEMO_MEDIA = env_bool("DEMO_MEDIA", True)
REVAYAT_DEMO_MEDIA_CACHE = Path(os.environ.get("DEMO_MEDIA_CACHE", BASE_DIR / ".cache" / "demo-media"))
# Serve MEDIA_URL from this process (always with DEBUG). In production a web server, S3 or a CDN
# normally serves media; SERVE_MEDIA=1 lets a single gunicorn host do it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media storage (media_pipeline). Originals (images, audio, video, documents) live in the private
# "default" storage; image renditions, transcoded audio/video, posters and subtitles in "public".
# Locally both are MEDIA_ROOT, and the media view serves only files of public objects (cms.visibility).
# MEDIA_STORAGE=s3: one private bucket on any S3-compatible server (SigV4, path-style addressing) for
# both. "public" files are private objects too: their URL is the media view's (MEDIA_URL/<name>), which
# asks cms.visibility (per visitor) and redirects to a presigned URL valid MEDIA_PRESIGNED_EXPIRY seconds,
# so a restricted image's renditions or a draft's or restricted media's outputs are never readable
# without the check, whenever the object stopped (or starts again) being public.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
STORAGES["public"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
MEDIA_PRESIGNED_EXPIRY = int(os.environ.get("MEDIA_PRESIGNED_EXPIRY", "300"))
if MEDIA_STORAGE == "s3":
    S3_OPTIONS = {
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
        "region_name": os.environ.get("S3_REGION", "us-east-1"),
        "signature_version": "s3v4",
        "addressing_style": "path",
        "file_overwrite": False,
        # media_pipeline.storage.TimedS3Storage: fail in seconds, with a message, when S3 does not answer
        "timeouts": {
            "connect": float(os.environ.get("S3_CONNECT_TIMEOUT", "5")),
            "read": float(os.environ.get("S3_READ_TIMEOUT", "30")),
            "max_attempts": int(os.environ.get("S3_MAX_ATTEMPTS", "2")),
        },
    }
    STORAGES["default"] = {
        "BACKEND": "media_pipeline.storage.TimedS3Storage",
        "OPTIONS": {
            **S3_OPTIONS,
            "bucket_name": os.environ.get("S3_BUCKET", "revayat"),
            "querystring_auth": True,
            "querystring_expire": MEDIA_PRESIGNED_EXPIRY,
            "default_acl": None,
        },
    }
    STORAGES["public"] = {
        "BACKEND": "media_pipeline.storage.GatedS3Storage",
        "OPTIONS": STORAGES["default"]["OPTIONS"],
    }
WAGTAILIMAGES_RENDITION_STORAGE = "media_pipeline.storage.public_storage"

# ---------------------------------------------------------------------------------------------
# Wagtail
# ---------------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = _("Revayat")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no outside requests from the admin
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "search.backends", "SEARCH_CONFIG": "english"}  # database backend, quote-safe
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "zip"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "media_pipeline.forms.DocumentForm"  # content must match the extension
WAGTAILIMAGES_IMAGE_FORM_BASE = "media_pipeline.forms.ImageForm"  # stored during validation (storage errors)
WAGTAILIMAGES_EXTENSIONS = ["png", "jpg", "jpeg", "webp", "gif", "avif"]
WAGTAILEMBEDS_FINDERS = []  # no oEmbed look-ups to outside providers
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
# wagtail-localize creates and syncs translations as drafts; they go live through the workflow.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# A plan page's edit form posts several thousand fields (8 sections of StreamField blocks); Django's
# default limit of 1000 refuses to save it from the browser.
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FIELDS", "20000"))
# Documents are always served through Wagtail's view, which checks collection view restrictions; on S3
# the view then redirects to a short-lived presigned URL instead of streaming the file itself.
WAGTAILDOCS_SERVE_METHOD = "redirect" if MEDIA_STORAGE == "s3" else "serve_view"
SENDFILE_BACKEND = "cms.files"  # local documents answer byte ranges like media files
WAGTAILMEDIA = {
    "MEDIA_MODEL": "media_pipeline.MediaItem",
    "MEDIA_FORM_BASE": "media_pipeline.forms.MediaForm",
    "AUDIO_EXTENSIONS": ["mp3", "m4a", "aac", "wav", "ogg", "oga", "opus", "flac"],
    "VIDEO_EXTENSIONS": ["mp4", "m4v", "mov", "webm", "mkv"],
}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("WAGTAILIMAGES_MAX_UPLOAD_SIZE", str(30 * 1024 * 1024)))
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("WAGTAILIMAGES_MAX_IMAGE_PIXELS", str(60_000_000)))
# Upload and processing limits of media_pipeline (bytes, seconds, pixels); see media_pipeline/conf.py.
MEDIA_PIPELINE = {
    "MAX_UPLOAD_BYTES": int(os.environ.get("MEDIA_MAX_UPLOAD_BYTES", str(2 * 1024**3))),
    "MAX_DURATION": int(os.environ.get("MEDIA_MAX_DURATION", str(3 * 3600))),
}

# ---------------------------------------------------------------------------------------------
# Revayat
# ---------------------------------------------------------------------------------------------
# Publishing a plan or its executive summary regenerates the plan's PDF/EPUB/PPTX/QR deliverables
# in the background (plans/deliverables/); the tests turn it on only where they check it.
REVAYAT_DELIVERABLES_ON_PUBLISH = env_bool("REVAYAT_DELIVERABLES_ON_PUBLISH", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # CR/LF/ESC from requests never reach a log line raw (cms/log.py)
    "filters": {"escape_controls": {"()": "cms.log.EscapeControlCharacters"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["escape_controls"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------------------------------------
# Headless API (cms/api/README.md): Wagtail API v2 at /api/v2/, OpenAPI 3.1 at /api/schema/
# ---------------------------------------------------------------------------------------------
INSTALLED_APPS += ["rest_framework", "corsheaders", "wagtail_headless_preview", "ninja"]  # ninja: docs UI
MIDDLEWARE.insert(0, "cms.api.middleware.APIErrorMiddleware")
MIDDLEWARE.insert(  # inside the page cache: a response kept with its CORS headers varies on Origin
    MIDDLEWARE.index("cms.page_cache.AnonymousPageCacheMiddleware") + 1,
    "corsheaders.middleware.CorsMiddleware",
)
# https://docs.wagtail.org/en/stable/advanced_topics/api/v2/configuration.html
WAGTAILAPI_LIMIT_MAX = int(os.environ.get("API_LIMIT_MAX", "100"))
WAGTAILAPI_RICH_TEXT_FORMAT = "html"  # links and embeds expanded for frontends
REVAYAT_API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "60"))
REVAYAT_API_RENDITIONS = {"thumbnail": "fill-480x270", "medium": "max-960x960", "large": "max-1600x1600"}
# Made in a task when an image is saved (media_pipeline.tasks.make_renditions), not by the first reader:
# the API's, the plan header's, the figure block's and the sharing image's.
REVAYAT_RENDITIONS_AFTER_UPLOAD = [
    *REVAYAT_API_RENDITIONS.values(),
    "fill-800x200|format-webp",
    "fill-1600x400|format-webp",
    "width-960|format-webp",
    "fill-1200x630|format-jpeg",
]
# https://github.com/adamchainz/django-cors-headers: origins allowed to call the API from a browser
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
# https://github.com/torchbox/wagtail-headless-preview: the external frontend per site (hostname → URL)
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": url} if (url := os.environ.get("HEADLESS_PREVIEW_URL")) else {},
}
REVAYAT_PREVIEW_TOKEN_SECONDS = int(os.environ.get("PREVIEW_TOKEN_SECONDS", "3600"))

# ---------------------------------------------------------------------------------------------
# Distribution (cms/distribution): the outbox, its relay and delivery tasks, channel credentials
# ---------------------------------------------------------------------------------------------
REVAYAT_SECRETS_FILE = os.environ.get("REVAYAT_SECRETS_FILE", "")  # JSON {credentials name: {key: value}}
REVAYAT_DISTRIBUTION = {
    "max_attempts": int(os.environ.get("DISTRIBUTION_MAX_ATTEMPTS", "8")),
    "backoff_base": float(os.environ.get("DISTRIBUTION_BACKOFF_BASE", "30")),  # seconds, doubled per attempt
    "backoff_cap": float(os.environ.get("DISTRIBUTION_BACKOFF_CAP", "3600")),
    "lease_seconds": int(os.environ.get("DISTRIBUTION_LEASE_SECONDS", "600")),  # a worker's hold on a row
    "queue_seconds": int(os.environ.get("DISTRIBUTION_QUEUE_SECONDS", "900")),  # queued but not started
    "sweep_seconds": int(os.environ.get("DISTRIBUTION_SWEEP_SECONDS", "60")),
    "relay_batch": 200,
    # transient failures of the portal webhook are retried for this long (at least max_attempts times)
    "retry_hours": {"portal_webhook": float(os.environ.get("DISTRIBUTION_WEBHOOK_RETRY_HOURS", "72"))},
}
REVAYAT_DISTRIBUTION_TIMEOUTS = {  # httpx, seconds
    "connect": float(os.environ.get("DISTRIBUTION_CONNECT_TIMEOUT", "10")),
    "read": float(os.environ.get("DISTRIBUTION_READ_TIMEOUT", "60")),
    "write": float(os.environ.get("DISTRIBUTION_WRITE_TIMEOUT", "120")),
    "pool": 10,
}
# Feeds (cms/distribution/feeds/): RSS/Atom at /feeds/<language>/…
REVAYAT_FEED_ITEMS = int(os.environ.get("FEED_ITEMS", "50"))  # newest pages per feed
REVAYAT_FEED_CACHE_SECONDS = int(os.environ.get("FEED_CACHE_SECONDS", "300"))  # Cache-Control max-age
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware"),
    "cms.distribution.feeds.middleware.FeedMiddleware",
)
# Hosts or networks (127.0.0.1, relay.internal, 10.20.0.0/16) channels may send to although they are
# local or private; any other such address is refused (cms/distribution/outbound.py).
REVAYAT_OUTBOUND_ALLOWLIST = env_list("OUTBOUND_ALLOWLIST")
