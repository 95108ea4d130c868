"""Redis as a cache that fails soft: when Redis cannot be reached the site carries on without
it, and picks it up again by itself when it is back.

Every operation that cannot reach Redis degrades: a read is a miss, a write is skipped (and
reports False), `incr` raises ValueError as for a missing key. One failure opens a breaker
for RETRY_SECONDS, shared by every cache alias and thread of the process on that server, so
requests meanwhile skip Redis at once instead of each waiting for a connection to fail. The
first operation after that tries Redis again.

A write skipped while Redis was away may have left an older value there (a purge token, a
cached fragment): the keys are remembered and deleted first thing when Redis answers again, so
nothing stale outlives the outage.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("masthead.cache")

# Errors that mean "Redis is not there" (refused, reset, timed out, still loading), as opposed
# to a bug in how it is used, which still raises.
UNREACHABLE: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 1.5
# Keys whose write was skipped, remembered per server; beyond this many the rest are only
# counted (and logged on recovery: those may hold stale values until they expire).
LOST_WRITES_LIMIT = 50_000
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}

T = TypeVar("T")


class Breaker:
    """Whether one Redis server is worth trying, for every thread of this process."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.down = False
        self.retry_at = 0.0
        self.lost: set[str] = set()
        self.lost_overflow = 0
        self._lock = threading.Lock()
        self._recovering = threading.Lock()

    def closed(self) -> bool:
        """True when Redis may be tried now: it is up, or its retry time has come."""
        return not self.down or time.monotonic() >= self.retry_at

    def failed(self, error: BaseException) -> None:
        with self._lock:
            first = not self.down
            self.down = True
            self.retry_at = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning(
                "Redis at %s is unreachable (%s): carrying on without it (cache misses, "
                "rate limits on this machine); trying again every %.1f s",
                self.name,
                error,
                RETRY_SECONDS,
            )

    def forget(self, keys: Iterable[str]) -> None:
        """Remember keys whose write was skipped, to delete them when Redis is back."""
        with self._lock:
            for key in keys:
                if len(self.lost) < LOST_WRITES_LIMIT:
                    self.lost.add(key)
                else:
                    self.lost_overflow += 1

    def recover(self, client: Any) -> bool:
        """Redis may be back: drop the keys written while it was away, then close. False while
        another thread is doing it (skip Redis meanwhile); raises when Redis is still away."""
        if not self._recovering.acquire(blocking=False):
            return False
        try:
            if not self.down:
                return True
            with self._lock:
                lost, self.lost = self.lost, set()
                overflow, self.lost_overflow = self.lost_overflow, 0
            try:
                keys = sorted(lost)
                for start in range(0, len(keys), 1000):
                    client.delete(*keys[start : start + 1000])
                if not keys:
                    client.ping()
            except BaseException:
                self.forget(lost)  # not back after all: keep them for the next try
                with self._lock:
                    self.lost_overflow += overflow
                raise
            self.down = False
        finally:
            self._recovering.release()
        logger.warning(
            "Redis at %s answers again (%d keys written meanwhile dropped)", self.name, len(lost)
        )
        if overflow:
            logger.error(
                "%d more cache writes were skipped while Redis at %s was away: those entries "
                "may be stale until they expire",
                overflow,
                self.name,
            )
        return True


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str) -> Breaker:
    """The breaker of the Redis server at `location` (shared by aliases on the same server)."""
    with _breakers_lock:
        if location not in _breakers:
            parts = urlsplit(location)
            # Host, port and db only: never a password in a log line.
            shown = f"{parts.hostname}:{parts.port or 6379}{parts.path}" if parts.hostname else "?"
            _breakers[location] = Breaker(shown)
        return _breakers[location]


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, carrying on without Redis when it is unreachable (see above)."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self.breaker = breaker_for(self._servers[0])

    def available(self) -> bool:
        """Redis may be tried now; when it has just come back, catches up first."""
        if not self.breaker.closed():
            return False
        if self.breaker.down:
            try:
                return self.breaker.recover(self._cache.get_client(None, write=True))
            except UNREACHABLE as error:
                self.breaker.failed(error)
                return False
        return True

    def guarded(self, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        """`call()` on Redis, or `fallback()` when Redis is unreachable."""
        if not self.available():
            return fallback()
        try:
            return call()
        except UNREACHABLE as error:
            self.breaker.failed(error)
            return fallback()

    def _write(self, keys: Iterable[str], version: int | None, call: Callable[[], T], lost: T) -> T:
        def skipped() -> T:
            self.breaker.forget(self.make_and_validate_key(key, version=version) for key in keys)
            return lost

        return self.guarded(call, skipped)

    # --- Reads: a miss -------------------------------------------------------------------

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self.guarded(
            lambda: super(FailSoftRedisCache, self).get(key, default, version), lambda: default
        )

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        keys = list(keys)
        return self.guarded(lambda: super(FailSoftRedisCache, self).get_many(keys, version), dict)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self.guarded(
            lambda: super(FailSoftRedisCache, self).has_key(key, version), lambda: False
        )

    # --- Writes: skipped, remembered -----------------------------------------------------

    def add(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        # An add that did not happen leaves nothing stale behind: not remembered.
        return self.guarded(
            lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version), lambda: False
        )

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._write(
            [key],
            version,
            lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version),
            None,
        )

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self.guarded(
            lambda: super(FailSoftRedisCache, self).touch(key, timeout, version), lambda: False
        )

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._write(
            [key], version, lambda: super(FailSoftRedisCache, self).delete(key, version), False
        )

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        data = dict(data)
        return self._write(
            data,
            version,
            lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version),
            list(data),
        )

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        self._write(
            keys, version, lambda: super(FailSoftRedisCache, self).delete_many(keys, version), None
        )

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        def missing() -> int:
            raise ValueError(f"Key {key!r} not found (Redis is unreachable).")

        return self.guarded(
            lambda: super(FailSoftRedisCache, self).incr(key, delta, version), missing
        )

    def clear(self) -> bool:
        return self.guarded(lambda: super(FailSoftRedisCache, self).clear(), lambda: False)
