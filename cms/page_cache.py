"""The anonymous response cache: portal pages, the API, feeds and the sitemap, kept whole for readers.

Keys are Django's (`get_cache_key`/`learn_cache_key`: scheme, host, path and query, and the request
headers the response varies on) under a prefix holding `cms.cache.content_version()`, so whatever
bumps that version (publish, unpublish, move, privacy, snippet, image, document and collection saves,
the scheduler's go-live through the same signals) retires every cached response at once: no list of
dependent URLs to keep right. A response lives until the next scheduled expiry or go-live at most.

Never cached: requests with a session (signed-in staff, visitors who passed a page's password), a
messages cookie or credentials; previews; anything but a 200; responses that set a cookie, vary on
everything (`Vary: *`) or say `private`, `no-cache` or `no-store` in any case (a view that depends on
the visitor or the clock says so with Django's `never_cache`). Django's own cache middleware was not
taken: it would store signed-in users' pages (keyed on their cookie) and cannot take a per-request
key prefix.

The version must be shared by every process that publishes: with the local-memory default each
process would keep its own, so the cache is off unless CACHE_URL names Redis (`PAGE_CACHE_SECONDS`).
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone
from django.utils.cache import (
    cc_delim_re,
    get_cache_key,
    get_conditional_response,
    learn_cache_key,
    patch_cache_control,
    set_response_etag,
)
from wagtail.models import Page, Revision

from cms.cache import content_version

UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}
BYPASS_COOKIES = ("SESSION_COOKIE_NAME", "MESSAGE_COOKIE_NAME")
STALE_IF_ERROR_SECONDS = 86400


def cached_prefixes():
    languages = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    return (*languages, "/api/v2/", "/feeds/", "/sitemap.xml")


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    path = request.path_info
    if not path.startswith(cached_prefixes()) or path.startswith("/api/v2/preview/"):
        return False
    cookie_names = {settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages")}
    return not cookie_names & request.COOKIES.keys()


def is_cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {
        part.split("=", 1)[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if directives & UNCACHEABLE_DIRECTIVES:
        return False
    return "*" not in {part.strip() for part in cc_delim_re.split(response.get("Vary", ""))}


def seconds_until_next_change(now=None):
    """Seconds to the next scheduled expiry or go-live (None when nothing is scheduled)."""
    now = now or timezone.now()
    expiry = Page.objects.filter(live=True, expire_at__gt=now).aggregate(at=Min("expire_at"))["at"]
    go_live = Revision.page_revisions.filter(approved_go_live_at__gt=now).aggregate(
        at=Min("approved_go_live_at")
    )["at"]
    upcoming = [moment for moment in (expiry, go_live) if moment is not None]
    return max(1, int((min(upcoming) - now).total_seconds())) if upcoming else None


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lifetime = settings.REVAYAT_PAGE_CACHE_SECONDS
        if lifetime <= 0 or not is_cacheable_request(request):
            return self.get_response(request)
        key_prefix = f"revayat:page:{content_version()}"
        key = get_cache_key(request, key_prefix, "GET", cache=cache)
        cached = cache.get(key) if key else None
        if cached is not None:
            cached["X-Cache"] = "hit"
            return get_conditional_response(request, etag=cached.get("ETag"), response=cached)
        response = self.get_response(request)
        if request.method == "GET" and is_cacheable_response(response):
            next_change = seconds_until_next_change()
            timeout = min(lifetime, next_change) if next_change else lifetime
            set_response_etag(response)
            if "max-age" not in response.get("Cache-Control", ""):
                patch_cache_control(response, max_age=0, must_revalidate=True)
            patch_cache_control(response, public=True, stale_if_error=STALE_IF_ERROR_SECONDS)
            cache.set(learn_cache_key(request, response, timeout, key_prefix, cache=cache), response, timeout)
            response["X-Cache"] = "miss"
        return response
