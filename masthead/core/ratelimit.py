"""Fixed-window rate limits kept in the cache (Redis when REDIS_URL is set, so every app
server shares them). Limits are written like "5/m": five per minute; s, m, h and d work."""

from __future__ import annotations

import functools
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from masthead.core import ratelimit_file
from masthead.core.cache import UNREACHABLE, FailSoftRedisCache, breaker_for

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
    """Add one to the counter `key` (created with `timeout` seconds to live); the new count.

    Without Redis, or while it is unreachable, the count is kept on this machine instead
    (limits then hold per machine, not for the whole site) until Redis answers again."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return _machine_count(cache, key, timeout)
    if isinstance(backend, FailSoftRedisCache):
        breaker, available = backend.breaker, backend.available()
    else:  # Django's own Redis cache: the same breaker, without the catching up
        breaker = breaker_for(str(backend._servers[0]))
        available = breaker.closed()
    if available:
        try:
            return _redis_count(backend, key, timeout)
        except UNREACHABLE as error:
            breaker.failed(error)
    return _machine_count(_fallback(), key, timeout)


def _machine_count(store: BaseCache, key: str, timeout: int) -> int:
    # Every worker process on this machine counts in one file: counted in each process's
    # memory, a limit would hold once per worker. Without the file, in `store`.
    path = settings.MASTHEAD.get("RATE_LIMIT_FILE")
    if path and (found := ratelimit_file.count(path, key, timeout)) is not None:
        return found
    return _local_count(store, key, timeout)


@functools.cache
def _fallback() -> BaseCache:
    """This process's counters while Redis is away (shared by its threads, gone with it)."""
    return LocMemCache("masthead-ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


def _local_count(store: BaseCache, key: str, timeout: int) -> int:
    # add() is atomic and sets the expiry; incr() is atomic in the local-memory cache.
    if store.add(key, 1, timeout=timeout):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # expired between add() and incr()
        store.add(key, 1, timeout=timeout)
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
    """The reader's address, for rate limits and abuse records.

    `X-Forwarded-For` is believed only when the connection comes from one of the proxies in
    MASTHEAD_TRUSTED_PROXIES, and then only as far as the chain of trusted proxies reaches: it is
    read from the right, skipping our own proxies, and the first other address is the client.
    Whatever a client writes into the header itself sits to the left of that and is never used,
    so sending a different address on every request cannot dodge a per-address limit.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = trusted_proxies()
    if not trusted or not _is_in(remote, trusted):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _is_ip(address):
            # A trusted proxy writes real addresses: anything else came from the client.
            return remote
        if not _is_in(address, trusted):
            return address
        remote = address
    return remote


Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


@functools.cache
def _parse_networks(spec: tuple[str, ...]) -> Networks:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_proxies() -> Networks:
    return _parse_networks(tuple(settings.MASTHEAD.get("TRUSTED_PROXIES", ())))


def _is_ip(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _is_in(address: str, networks: Networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
