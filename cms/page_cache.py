"""The anonymous response cache: portal pages, the API, feeds and the sitemap, kept whole for readers.

A response is kept under its URL (scheme, host, path and query), the language LocaleMiddleware will
choose and the values of the request headers it varies on, with the `cms.cache.content_version()` it
was rendered under: whatever bumps that version (publish, unpublish, move, privacy, snippet, image,
document and collection saves, the scheduler's go-live through the same signals) retires every cached
response at once, no list of dependent URLs to keep right. A response lives until the next scheduled expiry or
go-live at most.

A hit is the static file's rival (issue 19: ≥ 0.5×), so it costs one small Redis read: the content
version, checked against the copy of the response this process keeps (`LocalCopies`); without a local
copy, the version and the response come in one MGET. The names of the headers a URL varies on are
learned once per process (and kept in Redis for the others), where Django's `get_cache_key` would read
them on every request; the version is checked inside the entry rather than being part of the key, and
the entry holds the response's status, headers and bytes, not a pickled `HttpResponse`.

The middleware comes first (after the API's error handler): a hit skips every other middleware, and
what they add to a response (security headers, CORS per `Origin`, `Vary`, `Content-Language`) is kept
with it, the headers it varies on in its key.

Never cached: requests with a session (signed-in staff, visitors who passed a page's password), a
messages cookie or credentials; previews; anything but a 200; responses that set a cookie, vary on
everything (`Vary: *`) or say `private`, `no-cache` or `no-store` in any case (a view that depends on
the visitor or the clock says so with Django's `never_cache`). Django's own cache middleware was not
taken: it would store signed-in users' pages (keyed on their cookie), cannot take a per-request key
prefix and costs three round trips a hit.

The version must be shared by every process that publishes: with the local-memory default each
process would keep its own, so the cache is off unless CACHE_URL names Redis (`PAGE_CACHE_SECONDS`).
"""

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from wagtail.models import Page, Revision

from cms.cache import CONTENT_VERSION_KEY, content_version

UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}
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


def request_language(request):
    """The language LocaleMiddleware will activate for `request` (its own reckoning, word for word):
    this middleware runs before it."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
    language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
    language_from_path = translation.get_language_from_path(request.path_info)
    if not language_from_path and i18n_patterns_used and not prefixed_default_language:
        language = settings.LANGUAGE_CODE
    return language


def url_key(request):
    """The key of a URL's cached responses: scheme, host, path and query, in the language and time zone
    it is rendered in (what Django's cache keys hold besides the varied headers)."""
    url = request.build_absolute_uri()
    context = f"{url}|{request_language(request)}|{timezone.get_current_timezone_name()}"
    return "revayat:page:" + hashlib.md5(context.encode(), usedforsecurity=False).hexdigest()


def vary_names(response):
    """The request.META names of the headers `response` varies on, as Django's cache keys read them."""
    names = []
    for header in cc_delim_re.split(response.get("Vary", "")):
        name = header.strip().upper().replace("-", "_")
        if name and name not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = f"HTTP_{name}"
        if name and name not in names:
            names.append(name)
    return tuple(names)


def variant_key(key, request, names):
    """The key of the response kept for this request's values of the varied headers `names`."""
    values = "\n".join(request.META.get(name, "") for name in names)
    return f"{key}:{hashlib.md5(values.encode(), usedforsecurity=False).hexdigest()}"


_learned_vary = {}  # {url key: varied header names}: what Django would read from the cache per request
LEARNED_LIMIT = 10_000


class LocalCopies:
    """The entries this process read or wrote lately, by variant key, up to `limit` bytes of body (least
    recently used out first), each until it expires in Redis too: a hit then reads only the content
    version from Redis (a few bytes), not the response (145 KB for a plan page), and serves the local
    copy when that version is the one the copy was rendered under. (A lock: threaded servers share it.)"""

    def __init__(self, limit):
        self.limit, self.size, self.entries, self.lock = limit, 0, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[2] <= time.time():  # a scheduled expiry or go-live is due: render again
                self._pop(key)
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self._pop(key)
            self.entries[key] = entry
            self.size += len(entry[-1])
            while self.size > self.limit and self.entries:
                self._pop(next(iter(self.entries)))

    def _pop(self, key):
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= len(entry[-1])


local_copies = LocalCopies(limit=32 * 1024 * 1024)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lifetime = settings.REVAYAT_PAGE_CACHE_SECONDS
        if lifetime <= 0 or not is_cacheable_request(request):
            return self.get_response(request)
        key = url_key(request)
        names = _learned_vary.get(key)
        if names is None:
            names = cache.get(f"{key}:vary")  # once per process and URL
        version = entry = None
        if names is not None:
            _learned_vary[key] = names
            variant = variant_key(key, request, names)
            entry = local_copies.get(variant)
            if entry is not None:
                version = cache.get(CONTENT_VERSION_KEY)
            if entry is None or entry[0] != version:
                found = cache.get_many([CONTENT_VERSION_KEY, variant])
                version, entry = found.get(CONTENT_VERSION_KEY), found.get(variant)
                if entry is not None and entry[0] == version:
                    local_copies.put(variant, entry)
        if entry is not None and version is not None and entry[:2] == (version, names):
            _version, _names, _expires, status, headers, body = entry
            cached = HttpResponse(body, status=status, headers=headers)
            cached["X-Cache"] = "hit"
            return get_conditional_response(request, etag=cached.get("ETag"), response=cached)
        version = version or content_version()  # read before rendering: a publish meanwhile retires it
        response = self.get_response(request)
        if request.method == "GET" and is_cacheable_response(response):
            self.keep(request, response, key, version, lifetime)
            response["X-Cache"] = "miss"
        return response

    def keep(self, request, response, key, version, lifetime):
        next_change = seconds_until_next_change()
        timeout = min(lifetime, next_change) if next_change else lifetime
        set_response_etag(response)
        if "max-age" not in response.get("Cache-Control", ""):
            patch_cache_control(response, max_age=0, must_revalidate=True)
        patch_cache_control(response, public=True, stale_if_error=STALE_IF_ERROR_SECONDS)
        names = vary_names(response)
        if len(_learned_vary) >= LEARNED_LIMIT:
            _learned_vary.clear()
        _learned_vary[key] = names
        # the parts, not the HttpResponse: unpickling a 145 KB plan page's response object cost 0.34 ms
        # of CPU, its bytes and headers 0.01 ms
        expires = time.time() + timeout
        entry = (version, names, expires, response.status_code, dict(response.items()), response.content)
        variant = variant_key(key, request, names)
        cache.set_many({f"{key}:vary": names, variant: entry}, timeout)
        local_copies.put(variant, entry)
