"""Fixed-window rate limits kept in the cache (Redis when REDIS_URL is set, so every app
server shares them). Limits are written like "5/m": five per minute; s, m, h and d work."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[-1]] * int(period.strip()[:-1] or 1)


def hit(scope: str, identity: str, rate: str | None = None) -> Verdict:
    """Count one action by `identity` in `scope`; refuse it once the window's limit is spent."""
    rate = rate or settings.MASTHEAD["RATE_LIMITS"][scope]
    limit, window = parse_rate(rate)
    now = time.time()
    window_start = int(now // window) * window
    count = count_in_window(f"rl:{scope}:{identity}:{window_start}", window + 1)
    if count > limit:
        return Verdict(False, max(1, int(window_start + window - now) + 1))
    return Verdict(True)


def count_in_window(key: str, timeout: int) -> int:
    """Add one to the counter `key` (created with `timeout` seconds to live); the new count."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_count(backend, key, timeout)
    # add() is atomic and sets the expiry; incr() is atomic in the local-memory cache.
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=timeout)
        return 1


def _redis_count(backend: RedisCache, key: str, timeout: int) -> int:
    # One round trip, atomic for every app server: create the counter with its expiry if it is
    # missing, then increment it, in one MULTI/EXEC. (Django's incr() checks that the key exists
    # first and then increments: a key expiring in between would come back without an expiry.)
    # Django's Redis serializer stores integers as plain numbers, so cache.get() reads it too.
    full_key = backend.make_and_validate_key(key)
    client = backend._cache.get_client(full_key, write=True)
    pipeline = client.pipeline(transaction=True)
    pipeline.set(full_key, 0, ex=timeout, nx=True)
    pipeline.incr(full_key)
    return int(pipeline.execute()[1])


def client_ip(request) -> str:  # type: ignore[no-untyped-def]
    """The reader's address; behind a trusted proxy, the one it reports."""
    if settings.MASTHEAD.get("TRUST_X_FORWARDED_FOR"):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")
