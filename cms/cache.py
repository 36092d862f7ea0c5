"""Invalidation of cached page fragments when content shared between pages changes.

A rendered report embeds snippets (people, units, documents) and images. A page's own cache key
changes when it is published; `content_version()` changes when anything shared is saved, so every
cached fragment that varies on it is rebuilt. With a shared cache (Redis via CACHE_URL) this holds
across processes; with the local-memory default each process sees its own saves, and the fragment
timeout bounds what another process may show.

Responses the public may keep (API, feeds) answer conditional GETs with `conditional_get()`.
"""

import uuid

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils.cache import get_conditional_response, set_response_etag

CONTENT_VERSION_KEY = "revayat:content-version"
FRAGMENT_TIMEOUT = 600  # seconds


def content_version():
    """The current version of shared content (any string; it changes on every shared save)."""
    return cache.get_or_set(CONTENT_VERSION_KEY, lambda: uuid.uuid4().hex, None)


def cache_is_shared():
    """Whether every process reads one cache (Redis), so that a save in one is seen by all at once."""
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def bump_content_version(**kwargs):
    """Signal receiver: a shared object changed, cached fragments must be rebuilt. Bumped now (this
    process's next read sees the change) and again when the transaction commits: a reader in another
    process still sees the old rows until then, and what it caches under the first bump must go too."""
    cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, None))


def conditional_get(request, response):
    """Django's strong ETag of the body (`set_response_etag`) and its 304 when If-None-Match matches.

    Only the ETag decides, so not `ConditionalGetMiddleware`/`conditional_page`: they also answer
    If-Modified-Since alone, and Last-Modified (the newest publication) cannot see a snippet renamed
    inside a page or a page leaving a feed. They also skip HEAD.
    """
    set_response_etag(response)
    return get_conditional_response(request, etag=response.get("ETag"), response=response)
