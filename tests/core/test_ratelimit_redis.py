"""Rate limits count exactly under concurrency, in Redis (shared by every app server) and in
the in-process cache. Uses the Redis at 127.0.0.1:6379 (database 3), skipped without one."""

from __future__ import annotations

import threading

import pytest
import redis
from django.core.cache import caches

from masthead.core import ratelimit

REDIS_URL = "redis://127.0.0.1:6379/3"
THREADS, HITS_EACH, LIMIT = 8, 40, 100


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "masthead-ratelimit-test",
        },
    }
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def hammer(scope: str, identity: str) -> list[bool]:
    verdicts: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def run() -> None:
        start.wait()
        mine = [ratelimit.hit(scope, identity, f"{LIMIT}/h").allowed for _ in range(HITS_EACH)]
        with lock:
            verdicts.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return verdicts


def test_concurrent_hits_in_redis_allow_exactly_the_limit(redis_cache):
    verdicts = hammer("comment", "reader-1")
    assert len(verdicts) == THREADS * HITS_EACH
    assert verdicts.count(True) == LIMIT


def test_the_redis_counter_expires_with_its_window(redis_cache):
    ratelimit.hit("comment", "reader-2", "5/m")
    client = redis.Redis.from_url(REDIS_URL)
    (key,) = client.keys("masthead-ratelimit-test:*rl:comment:reader-2:*")
    assert 0 < client.ttl(key) <= 61
    assert redis_cache.get(key.decode().split(":", 2)[2]) == 1  # readable through the cache


def test_concurrent_hits_in_the_local_cache_allow_exactly_the_limit(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ratelimit-test",
        },
    }
    verdicts = hammer("comment", "reader-3")
    assert verdicts.count(True) == LIMIT
