"""Whole-page caching for readers, surrogate keys, and purging Masthead's cache and the one in
front of it (nginx, Varnish, Fastly, Cloudflare) when a story, a front or a thread changes.

Views mark a response with `cacheable(response, keys=..., kind=...)`; every change calls
`purge(keys)`. See `masthead.caching.middleware` for how pages are stored and served.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpResponseBase

logger = logging.getLogger("masthead.caching")


def cacheable(
    response: HttpResponseBase,
    *,
    keys: Iterable[str],
    kind: str = "page",
    max_age: int | None = None,
    s_maxage: int | None = None,
    stale: int | None = None,
) -> HttpResponseBase:
    from masthead.caching.headers import cacheable as mark

    return mark(response, keys=keys, kind=kind, max_age=max_age, s_maxage=s_maxage, stale=stale)


def cacheable_view(
    view: Callable[..., HttpResponseBase], *, keys: Iterable[str], kind: str = "list"
) -> Callable[..., HttpResponseBase]:
    """`view` with its 200 responses marked as the same for every reader (feeds, sitemaps,
    search): without it they went out with no Cache-Control at all, which a cache in front
    may keep as it likes, and Masthead's own cache never stored them."""
    keys = tuple(keys)

    @functools.wraps(view)
    def marked(request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cacheable(response, keys=keys, kind=kind)
        return response

    return marked


def purge(keys: Iterable[str]) -> None:
    from masthead.caching.purge import purge as purge_keys

    purge_keys(keys)


class _SharedCache:
    """CACHES["pages"] for parts of pages, failing soft: when the cache is unreachable a read
    is a miss and a write is skipped (and logged), so pages still render without it."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def _call(self, method: str, *args: Any, default: Any = None) -> Any:
        from django.core.cache import caches

        try:
            return getattr(caches[self.alias], method)(*args)
        except Exception:
            logger.warning("shared cache %s failed", method, exc_info=True)
            return default

    def get(self, key: str) -> Any:
        return self._call("get", key)

    def set(self, key: str, value: Any, timeout: float | None) -> None:
        self._call("set", key, value, timeout)

    def delete(self, key: str) -> None:
        self._call("delete", key)

    def delete_many(self, keys: list[str]) -> None:
        self._call("delete_many", keys)

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        return self._call("get_many", keys, default={})

    def token(self, key: str, *, started: int) -> Any:
        """The current purge token of surrogate key `key` (made when missing), or None when
        it moved after `started` or the cache is unreachable."""
        from masthead.caching.store import tokens_now

        try:
            tokens = tokens_now([key], started=started)
        except Exception:
            logger.warning("shared cache token failed", exc_info=True)
            return None
        return tokens[0] if tokens else None


_shared = _SharedCache("pages")


def shared_cache() -> _SharedCache:
    """The cache every app process shares (CACHES["pages"]). Parts of pages (the navigation,
    ad slots, "Read:" links) live here rather than in a per-process cache, so what a change
    forgets is forgotten in every worker before pages built from it are stored for everyone."""
    return _shared
