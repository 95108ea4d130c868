"""Masthead's own page cache: stored pages, their version tokens, and purging them.

Every surrogate key has a version token in the same cache (`v:<key>`): the time, in
nanoseconds, of its last purge (or of the first time a page carried it). A stored page keeps the
tokens of its keys as they were when it was rendered; a hit reads them again in one `get_many`
and is a miss when any differ or are gone. Purging is writing new tokens: one `set_many`, seen
at once by every app process sharing the cache (Redis, or files on one machine), with no
database query on the way in or out.

A page rendered while one of its keys was purged is not stored (its token is newer than the
render's start), so a purge racing a render never leaves the old copy behind.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

TOKEN_TIMEOUT = 7 * 24 * 3600  # longer than any page lives, so a token outlives its pages
# Query parameters that never change the page: campaign tags added by newsletters and social.
IGNORED_PARAMS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga"}


def cache() -> BaseCache:
    return caches["pages"]


def token_key(key: str) -> str:
    return f"v:{key}"


def normalised_query(query_string: str) -> str:
    """The query string with campaign parameters dropped and the rest sorted."""
    if not query_string:
        return ""
    pairs = [pair for pair in query_string.split("&") if pair]
    kept = sorted(
        pair
        for pair in pairs
        if not (name := pair.split("=", 1)[0]).startswith("utm_") and name not in IGNORED_PARAMS
    )
    return "&".join(kept)


def page_url(scheme: str, host: str, path: str, query_string: str) -> str:
    query = normalised_query(query_string)
    return f"{scheme}://{host}{path}{'?' + query if query else ''}"


def entry_key(url: str) -> str:
    return "p:" + hashlib.blake2b(url.encode(), digest_size=16).hexdigest()


@dataclass
class Entry:
    """A stored page: status, headers and body as bytes, never a pickled response. When the
    page holds a fragment (the comments), `body` is the part before it, `tail` the part after,
    and `fragment` its name; the current fragment is put between them on every hit."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    keys: tuple[str, ...]
    tokens: tuple[Any, ...]
    stored_at: float
    tail: bytes = b""
    fragment: str = ""
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_tuple(self) -> tuple:
        return (
            self.status,
            self.headers,
            self.body,
            self.keys,
            self.tokens,
            self.stored_at,
            self.tail,
            self.fragment,
        )


def tokens_now(
    keys: Iterable[str], *, started: int, missing_age_ns: int = 0, store: Any = None
) -> tuple[Any, ...] | None:
    """The current tokens of `keys`, creating missing ones (dated `missing_age_ns` before
    `started`), or None when one of them moved after `started` (a purge during the render:
    what was rendered must not be kept)."""
    keys = tuple(keys)
    store = store if store is not None else cache()
    names = [token_key(key) for key in keys]
    found = store.get_many(names)
    missing = [name for name in names if name not in found]
    if missing:
        for name in missing:
            store.add(name, started - missing_age_ns, TOKEN_TIMEOUT)
        found.update(store.get_many(missing))
    tokens = tuple(found.get(name) for name in names)
    if any(token is None or token > started for token in tokens):
        return None
    return tokens


def purge_tokens(keys: Iterable[str]) -> None:
    """Move the tokens of `keys`: every stored page or fragment carrying one is stale now."""
    now = time.time_ns()
    cache().set_many({token_key(key): now for key in keys}, TOKEN_TIMEOUT)
