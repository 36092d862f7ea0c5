"""Invalidation of cached page fragments when content shared between pages changes.

A rendered report embeds snippets (people, units, documents) and images. A page's own cache key
changes when it is published; `content_version()` changes when anything shared is saved, so every
cached fragment that varies on it is rebuilt. With a shared cache (Redis via CACHE_URL) this holds
across processes; with the local-memory default each process sees its own saves, and the fragment
timeout bounds what another process may show.

Responses the public may keep (API, feeds) answer conditional GETs with `conditional_get()`.

`remembered(name, read)` keeps what many parts of a request ask for (the door's restricted paths, the
site, the portal settings, the header menu) once per request, and with a shared cache once per content
version in each process: a reader's request then starts without reading them at all.
"""

import contextvars
import pickle
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.http.request import split_domain_port
from django.utils.cache import get_conditional_response, set_response_etag
from wagtail.models import Site

CONTENT_VERSION_KEY = "revayat:content-version"
FRAGMENT_TIMEOUT = 600  # seconds


def content_version():
    """The current version of shared content (any string; it changes on every shared save), read once
    per request."""
    memo = _request_memo.get()
    if memo is None:
        return _read_content_version()
    if CONTENT_VERSION_KEY not in memo:
        memo[CONTENT_VERSION_KEY] = _read_content_version()
    return memo[CONTENT_VERSION_KEY]


def _read_content_version():
    return cache.get_or_set(CONTENT_VERSION_KEY, lambda: uuid.uuid4().hex, None)


def cache_is_shared():
    """Whether every process reads one cache (Redis), so that a save in one is seen by all at once."""
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def bump_content_version(**kwargs):
    """Signal receiver: a shared object changed, cached fragments must be rebuilt. Bumped now (this
    process's next read sees the change) and again when the transaction commits: a reader in another
    process still sees the old rows until then, and what it caches under the first bump must go too."""
    _set_content_version()
    transaction.on_commit(_set_content_version)


def _set_content_version():
    cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, None)
    forget()


def conditional_get(request, response):
    """Django's strong ETag of the body (`set_response_etag`) and its 304 when If-None-Match matches.

    Only the ETag decides, so not `ConditionalGetMiddleware`/`conditional_page`: they also answer
    If-Modified-Since alone, and Last-Modified (the newest publication) cannot see a snippet renamed
    inside a page or a page leaving a feed. They also skip HEAD.
    """
    set_response_etag(response)
    return get_conditional_response(request, etag=response.get("ETag"), response=response)


# One request's memo, and what this process keeps under one content version --------------------------
_request_memo = contextvars.ContextVar("revayat_request_memo", default=None)
_kept = (None, {})  # (content version, {name: value}): this process's values read under that version


class RequestMemoMiddleware:
    """Remember for one request what its parts ask for many times (`remembered`): a page lists pages,
    images and translations, and each list would otherwise read the door's paths again.

    A reader's request (no session) also finds its Wagtail site, with the site's root page in its
    specific form, and the sites' root paths that every page URL is made from, among what the process
    keeps: Wagtail reads them on every request (the root paths from the cache, one round trip). Editors keep
    Wagtail's own lookup, which sees a root page's draft state as it is now, and so does a request
    when nothing can be kept (see `remembered`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({})
        try:
            if _can_keep() and settings.SESSION_COOKIE_NAME not in request.COOKIES:
                request._wagtail_site = _remembered_site(request)
                request._wagtail_cached_site_root_paths = remembered(
                    "site-root-paths", lambda: tuple(Site.get_site_root_paths())
                )
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


def _remembered_site(request):
    """Wagtail's site for the request. A host no site names gets the default site whatever it is, so
    it is kept under one name: the Host header cannot make the process keep one copy per value."""
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
    named = remembered("site-hostnames", lambda: frozenset(Site.objects.values_list("hostname", flat=True)))

    def read():
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    return remembered_object(f"site:{hostname}:{port}" if hostname in named else "site:default", read)


def remembered(name, read):
    """`read()`, remembered under `name` while a request is served (read afresh outside one).

    With a shared cache, the value is also kept by this process for as long as the content version
    stays the same, so it must be something only a version-bumping save changes (pages going live or
    not, restrictions, collections, sites, locales, settings, snippets: cms/signal_handlers.py), and
    callers must not change it (keep tuples, frozensets or pickles). Read inside a transaction (an
    editor's save in progress) it is kept for the request only: rows not yet committed, or rolled
    back, must not outlive it.
    """
    global _kept
    memo = _request_memo.get()
    if memo is None:
        return read()
    if name in memo:
        return memo[name]
    if not _can_keep():
        value = read()
    else:
        version = content_version()
        kept_version, values = _kept
        if kept_version != version:
            values = {}
            _kept = (version, values)
        if name not in values:
            values[name] = read()
        value = values[name]
    memo[name] = value
    return value


def _can_keep():
    """Whether this process may keep what it reads under the content version (see `remembered`)."""
    return cache_is_shared() and not connection.in_atomic_block


def remembered_object(name, read):
    """`remembered` for a model instance: a fresh copy each time (unpickled), which the caller may change
    or cache things on."""
    return pickle.loads(remembered(name, lambda: pickle.dumps(read())))


def forget(**kwargs):
    """Signal receiver: pages, restrictions, collections or shared content changed in this request, read
    them again (a new content version, when shared, retires what the process kept)."""
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()
