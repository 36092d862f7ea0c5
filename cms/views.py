"""Site-wide views: the bilingual sitemap, robots.txt, local media files, a health check and the error
pages (also under DEBUG, through `PortalErrorPagesMiddleware`)."""

import logging
import posixpath
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import redirect
from django.template import loader
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from cms import visibility
from cms.files import file_response

logger = logging.getLogger("django.request")


def sitemap_entries(request):
    """(url, lastmod, [(language, url), …]) for every public page of the site, in every locale."""
    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    roots = Page.objects.filter(translation_key=site.root_page.translation_key)
    pages = Page.objects.none()
    for root in roots:
        pages |= Page.objects.descendant_of(root, inclusive=True)
    pages = list(visibility.public_pages(pages).select_related("locale").order_by("locale_id", "path"))
    urls_by_key = defaultdict(list)
    rows = []
    for page in pages:
        url = page.get_full_url(request)
        if url:
            urls_by_key[page.translation_key].append((page.locale.language_code, url))
            rows.append((page, url))
    return [(url, page.last_published_at, sorted(urls_by_key[page.translation_key])) for page, url in rows]


@require_GET
@visibility.door("sitemap")
def sitemap(request):
    """/sitemap.xml: public pages in both languages with hreflang alternates."""
    response = TemplateResponse(
        request,
        "sitemap.xml",
        {"entries": sitemap_entries(request)},
        content_type="application/xml; charset=utf-8",
    )
    return response


@visibility.door("media_files")
def serve_media(request, path):
    """A media file (rendition, media output, subtitle, deliverable), only when `cms.visibility`
    says the object it belongs to is public, or visible to this visitor (the audio of a restricted page
    whose password or login they passed; marked private); originals and unknown files are never served.
    Byte ranges are honoured: players seek and podcast apps require it."""
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith(".."):
        raise Http404
    public = visibility.file_is_public(name)
    if not public and not visibility.file_is_visible(name, request):
        raise Http404
    storage = storages["public"] if "public" in storages.backends else default_storage
    if hasattr(storage, "presigned_url"):  # S3: the file is a private object
        if name.endswith(".m3u8"):
            # A playlist's segments are named relative to it: they must resolve to this view again.
            with storage.open(name) as playlist:
                response = HttpResponse(playlist.read(), content_type="application/vnd.apple.mpegurl")
        else:
            response = redirect(storage.presigned_url(name))
        response["Cache-Control"] = "private, no-store"
        return response
    response = file_response(request, name, settings.MEDIA_ROOT)
    if not public:  # this visitor's alone: no shared cache may keep it
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def healthz(request):
    """Liveness and database check for load balancers and the benchmark script."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def robots_txt(request):
    """/robots.txt: crawl everything public except the admin, previews and search results; the sitemap."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/v2/preview/"]
    lines += [f"Disallow: /{code}/search/" for code, _name in settings.LANGUAGES]
    lines += ["", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page links to: the static icon
    (its hashed name in production, so the redirect is not permanent)."""
    return HttpResponseRedirect(static("icons/favicon.ico"))


def _path_language(request):
    """The language of the URL's first segment (/fa/…, /en/…), else the default language."""
    first = request.path.lstrip("/").split("/", 1)[0] if request is not None else ""
    codes = [code for code, _name in settings.LANGUAGES]
    return first if first in codes else settings.LANGUAGE_CODE


def page_not_found(request, exception=None):
    """A 404 page in the language of the URL that looks like the portal (header menu, search box)."""
    with translation.override(_path_language(request)):
        return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


def server_error(request):
    """A 500 page in the language of the URL that looks like the portal but needs nothing from the
    database (it may be the database that failed): no menu, only static links."""
    language = _path_language(request)
    with translation.override(language):
        context = {"LANGUAGE_CODE": language, "home_url": f"/{language}/"}
        return HttpResponseServerError(loader.render_to_string("500.html", context))


class PortalErrorPagesMiddleware:
    """Under DEBUG (`make run`) Django shows its technical 404 and 500 pages instead of handler404 and
    handler500; with `DEBUG_PORTAL_ERRORS` on (the default) the portal's own error pages are shown there
    too, so what visitors see can be seen and checked, while the traceback still goes to the log.
    The admin and the API keep their own error handling."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (settings.DEBUG and getattr(settings, "DEBUG_PORTAL_ERRORS", False)):
            return None
        if request.path.startswith(("/admin/", "/api/")):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return server_error(request)
