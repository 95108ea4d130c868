"""Marking a response as the same for every reader: Cache-Control, surrogate keys, and a note
for the page-cache middleware to store it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponseBase

MARK = "_masthead_cacheable"


@dataclass(frozen=True)
class Marked:
    keys: tuple[str, ...]
    own_ttl: int


def ttls(kind: str) -> dict[str, int]:
    return settings.MASTHEAD["PAGE_CACHE"][kind]


def cacheable(
    response: HttpResponseBase,
    *,
    keys: Iterable[str],
    kind: str = "page",
    max_age: int | None = None,
    s_maxage: int | None = None,
    stale: int | None = None,
) -> HttpResponseBase:
    """Send `response` as a public page filed under `keys`, with the TTLs of `kind` (article,
    front, list, page in settings.MASTHEAD["PAGE_CACHE"]) unless given."""
    kind_ttls = ttls(kind)
    max_age = kind_ttls["browser"] if max_age is None else max_age
    s_maxage = kind_ttls["s_maxage"] if s_maxage is None else s_maxage
    stale = kind_ttls["stale"] if stale is None else stale
    ordered = tuple(sorted(set(keys)))
    response["Cache-Control"] = (
        f"public, max-age={max_age}, s-maxage={s_maxage}, stale-while-revalidate={stale}"
    )
    response["Surrogate-Key"] = " ".join(ordered)
    response["Cache-Tag"] = ",".join(ordered)
    setattr(response, MARK, Marked(keys=ordered, own_ttl=kind_ttls["own"]))
    return response


def marked(response: HttpResponseBase) -> Marked | None:
    return getattr(response, MARK, None)
