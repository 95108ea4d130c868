"""Purging by surrogate key: Masthead's own cache at once, the front cache through a task.

`purge(keys)` is the one entry point every trigger calls (publishing, unpublishing, moving,
deleting, a thread changing). It moves the keys' version tokens in the page cache right away
and again when the transaction commits (the first so the writer's own next request sees the
change, the second so a reader who rendered the old rows meanwhile is not kept), and, once
committed, queues `purge_front_cache` for the cache in front (MASTHEAD_FRONT_CACHE).

A busy thread purges its article page in the front cache at most once per
COMMENT_PURGE_SECONDS: the first change queues a purge that runs that much later, and the
changes in between ride on it.

Front caches, behind `FrontCache.purge(keys)`:

- `none`: nothing in front (the default);
- `nginx`: nginx has no purge by key; each page stored under a key is fetched again through
  nginx with `X-Masthead-Refresh: 1` (honoured only from a trusted address), which replaces the
  cached copy. Which pages carry a key is remembered when they are rendered (`remember_url`);
- `varnish`: one `PURGE` with the keys in an `xkey` header (vmod-xkey);
- `fastly`: `POST /service/<id>/purge` with the keys in `Surrogate-Key` (256 per call);
- `cloudflare`: `POST /client/v4/zones/<zone>/purge_cache` with `{"tags": [...]}` (30 per call).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masthead.caching.store import cache, purge_tokens

logger = logging.getLogger("masthead.caching")

TIMEOUT = 10.0
URL_INDEX_LIMIT = 500  # pages remembered per key for the nginx refresh
URL_INDEX_SECONDS = 24 * 3600


def purge(keys: Iterable[str]) -> None:
    keys = set(keys)
    if not keys:
        return
    logger.info("purge %s", " ".join(sorted(keys)))
    _purge_own(keys)

    def committed() -> None:
        _purge_own(keys)
        try:
            queue_front_purge(keys)
        except Exception:  # the queue is down (Redis): the change is saved, say so and go on
            logger.exception("front cache purge not queued for %s", " ".join(sorted(keys)))

    transaction.on_commit(committed)


def _purge_own(keys: set[str]) -> None:
    try:
        purge_tokens(keys)
    except Exception:  # never lose the editor's publish over the cache; say so loudly
        logger.exception("page cache purge failed for %s", " ".join(sorted(keys)))


def comment_purge_seconds() -> float:
    return float(settings.MASTHEAD["PAGE_CACHE"]["COMMENT_PURGE_SECONDS"])


def queue_front_purge(keys: set[str]) -> None:
    """Queue the front-cache purge: at once for stories and fronts, and for a thread at most
    once per COMMENT_PURGE_SECONDS (a purge already waiting covers this change too)."""
    if settings.MASTHEAD_FRONT_CACHE == "none":
        return
    from masthead.caching.tasks import purge_front_cache

    threads = {key for key in keys if key.startswith("comments-")}
    others = keys - threads
    if others:
        purge_front_cache.enqueue(keys=sorted(others))
    delay = comment_purge_seconds()
    for key in sorted(threads):
        if delay <= 0:
            purge_front_cache.enqueue(keys=[key])
        elif cache().add(f"fcq:{key}", 1, delay):
            run_after = timezone.now() + timedelta(seconds=delay)
            purge_front_cache.using(run_after=run_after).enqueue(keys=[key])


# --- Front caches ---------------------------------------------------------------------------


class FrontCache(Protocol):
    def purge(self, keys: set[str]) -> None: ...


class NoFrontCache:
    def purge(self, keys: set[str]) -> None:
        return None


def _send(url: str, *, method: str, headers: dict[str, str], data: bytes | None = None) -> int:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"A front cache is reached over http or https, not {url!r}.")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - checked
        response.read()
        return response.status


def _chunks(keys: set[str], size: int) -> Iterator[list[str]]:
    ordered = sorted(keys)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


class NginxFrontCache:
    """Refresh every page remembered under the keys through nginx."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def purge(self, keys: set[str]) -> None:
        for page in sorted(urls_for(keys)):
            parts = urlsplit(page)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            headers = {
                "Host": parts.netloc,
                "X-Masthead-Refresh": "1",
                "X-Forwarded-Proto": parts.scheme,
            }
            try:
                _send(self.url + target, method="GET", headers=headers)
            except urllib.error.HTTPError as error:
                if error.code != 404:  # an unpublished page: nginx stores nothing for it
                    raise


class VarnishFrontCache:
    def __init__(self, url: str) -> None:
        self.url = url

    def purge(self, keys: set[str]) -> None:
        for chunk in _chunks(keys, 256):
            _send(self.url, method="PURGE", headers={"xkey": " ".join(chunk)})


class FastlyFrontCache:
    def __init__(self, api: str, service: str, token: str) -> None:
        self.endpoint = f"{api.rstrip('/')}/service/{service}/purge"
        self.token = token

    def purge(self, keys: set[str]) -> None:
        for chunk in _chunks(keys, 256):
            headers = {
                "Fastly-Key": self.token,
                "Surrogate-Key": " ".join(chunk),
                "Accept": "application/json",
            }
            _send(self.endpoint, method="POST", headers=headers)


class CloudflareFrontCache:
    def __init__(self, api: str, zone: str, token: str) -> None:
        self.endpoint = f"{api.rstrip('/')}/client/v4/zones/{zone}/purge_cache"
        self.token = token

    def purge(self, keys: set[str]) -> None:
        for chunk in _chunks(keys, 30):
            headers = {
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
            }
            _send(
                self.endpoint,
                method="POST",
                headers=headers,
                data=json.dumps({"tags": chunk}).encode(),
            )


def front_cache() -> FrontCache:
    kind = settings.MASTHEAD_FRONT_CACHE
    url = settings.MASTHEAD_FRONT_CACHE_URL
    api = settings.MASTHEAD_FRONT_CACHE_API_URL
    service = settings.MASTHEAD_FRONT_CACHE_SERVICE
    token = settings.MASTHEAD_FRONT_CACHE_TOKEN
    if kind == "nginx":
        return NginxFrontCache(url or "http://127.0.0.1:80")
    if kind == "varnish":
        return VarnishFrontCache(url or "http://127.0.0.1:6081")
    if kind == "fastly":
        return FastlyFrontCache(api or "https://api.fastly.com", service, token)
    if kind == "cloudflare":
        return CloudflareFrontCache(api or "https://api.cloudflare.com", service, token)
    return NoFrontCache()


# --- Which pages carry a key (for nginx) ----------------------------------------------------


def index_key(key: str) -> str:
    return f"idx:{key}"


def remember_url(keys: Iterable[str], url: str) -> None:
    """Note that the page at `url` carries `keys`, for a front cache that purges by URL."""
    if settings.MASTHEAD_FRONT_CACHE != "nginx":
        return
    store = cache()
    names = [index_key(key) for key in keys]
    found = store.get_many(names)
    changed = {}
    for name in names:
        urls = found.get(name) or []
        if url not in urls:
            changed[name] = [*urls[-(URL_INDEX_LIMIT - 1) :], url]
    if changed:
        store.set_many(changed, URL_INDEX_SECONDS)


def urls_for(keys: Iterable[str]) -> set[str]:
    found = cache().get_many([index_key(key) for key in keys])
    return {url for urls in found.values() for url in urls}


def purge_comments(article_id: int) -> None:
    """A thread changed: its comments section, nothing else (coalesced at the front cache)."""
    from masthead.caching.keys import comments

    purge({comments(article_id)})
