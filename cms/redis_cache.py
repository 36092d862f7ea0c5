"""The Redis cache backend of `CACHE_URL=redis://…`: Redis down or slow must not take the portal down.

Everything the project keeps in the cache can be rebuilt from the database (responses, fragments,
the content version, throttles), so this backend fails open: a read that fails is a miss, a write
that fails is dropped, each logged at most once a minute. Django's `RedisCache` would raise, and
every page would answer 500 while Redis restarts. The socket timeouts in `CACHES` (settings/base.py)
bound how long a hung Redis can hold a request, redis-py's own retries are off (three more waits
per call), and after a failure the backend does not call Redis at all for `PAUSE_AFTER_ERROR`
seconds, so a page that asks the cache ten times waits for one timeout, not ten.

A dropped write can matter: a publication's content-version bump lost while Redis hung would leave
the old pages in the cache once it answers. So the process notes every key it failed to write and
deletes them before its next call once Redis answers; each is then rebuilt from the database. A
process that ends before Redis comes back takes its list along: copies then live out their timeout
(`PAGE_CACHE_SECONDS`, ten minutes by default) at most.

Failing open has a price: the co-creation link-guess limit does not count while Redis is away.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger("revayat.cache")

LOG_EVERY_SECONDS = 60.0
MAX_UNWRITTEN_KEYS = 10000


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.pause_after_error = float(options.pop("PAUSE_AFTER_ERROR", 5.0))
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self.paused_until = self.logged_at = 0.0
        self.unlogged = 0
        self.unwritten = set()  # keys whose write was dropped: deleted once Redis answers again

    def _try(self, fallback, method, *args, written=()):
        if time.monotonic() < self.paused_until:
            self.unwritten.update(written)
            return fallback
        try:
            self._repair()
            return method(*args)
        except (RedisError, OSError) as error:
            self._failed(method.__name__, error)
            self.unwritten.update(written)
            return fallback

    def _repair(self):
        """Delete what this process failed to write: a dropped content-version bump or invalidation would
        otherwise leave the old copies in place once Redis is back. Deleted, each is rebuilt from the
        database on its next read. Too many to list: the cache is emptied."""
        if not self.unwritten:
            return
        keys = list(self.unwritten)
        if len(keys) > MAX_UNWRITTEN_KEYS:
            self._cache.clear()
        else:
            self._cache.delete_many(keys)
        self.unwritten.difference_update(keys)

    def _keys(self, keys, version):
        return [self.make_and_validate_key(key, version=version) for key in keys]

    def _failed(self, operation, error):
        now = time.monotonic()
        self.paused_until = now + self.pause_after_error
        self.unlogged += 1
        if now - self.logged_at >= LOG_EVERY_SECONDS:
            logger.warning(
                "cache: Redis failed (%s: %s); %d failures since the last report, serving without the cache",
                operation,
                error,
                self.unlogged,
            )
            self.logged_at, self.unlogged = now, 0

    # Reads: a failure is a miss.
    def get(self, key, default=None, version=None):
        return self._try(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._try({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._try(False, super().has_key, key, version)

    # Writes: a failure is dropped (and its key deleted later). `add` answers as if the key was free:
    # its callers only spare work with it.
    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._try(missing, super().incr, key, delta, version, written=self._keys([key], version))
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(None, super().set, key, value, timeout, version, written=self._keys([key], version))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(True, super().add, key, value, timeout, version, written=self._keys([key], version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().touch, key, timeout, version, written=self._keys([key], version))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        written = self._keys(data, version)
        return self._try(list(data), super().set_many, data, timeout, version, written=written)

    def delete(self, key, version=None):
        return self._try(False, super().delete, key, version, written=self._keys([key], version))

    def delete_many(self, keys, version=None):
        return self._try(None, super().delete_many, keys, version, written=self._keys(keys, version))

    def clear(self):
        return self._try(False, super().clear)
