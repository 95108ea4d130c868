"""The page cache: answers readers with stored pages before the rest of the stack runs.

A request is looked up by scheme, host, path and normalised query (campaign parameters
dropped, the rest sorted). A hit costs two cache reads: the entry, then in one `get_many` the
version tokens of its surrogate keys and, for an article, its comments fragment and that
fragment's token. No database query, no template: the stored bytes go out as they are, with
the current comments section put in its place.

Only responses a view marked with `masthead.caching.cacheable` are stored, and only when they
are the same for everyone: status 200, no `Set-Cookie`, no `Vary: Cookie`, the session not
read while rendering, not private. Cookies do not bypass the cache: a signed-in reader gets the
same page as everyone else, and the browser fills in what is theirs. Any response that touched
the session, varies on the cookie, answers an `Authorization` header or sets a cookie goes out
`private, no-store`, so no cache in front (nor the browser's) ever keeps a personal page.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from masthead.caching import fragments
from masthead.caching.headers import marked
from masthead.caching.store import (
    cache,
    entry_key,
    page_url,
    token_key,
    tokens_now,
)
from masthead.core.db_router import primary_reads

logger = logging.getLogger("masthead.caching")

# Paths that are never stored pages: skip the lookup for them.
BYPASS_PREFIXES = (
    "/cms/",
    "/api/",
    "/accounts/",
    "/moderation/",
    "/revenue/",
    "/comments/",
    "/webhooks/",
    "/documents/",
    "/ads/",
    "/media/",
    "/static/",
    "/contribute",
    "/reads/",
    "/search/",
)
# Headers never stored with a page (the rest go out again as they were).
NOT_STORED = {"set-cookie", "date", "x-cache", "age", "content-length"}


class Entry(NamedTuple):
    """A stored page as bytes and headers. With a fragment (`frag`), the page is `head`, the
    current fragment, then `tail`."""

    status: int
    headers: list[tuple[str, str]]
    head: bytes
    tail: bytes
    frag: str
    keys: tuple[str, ...]
    tokens: tuple[Any, ...]
    stored_at: float


# Stored as a plain tuple led by this tag, so that a new release never unpickles an old
# layout into the wrong fields (it reads as a miss instead).
FORMAT = "page-v1"


def load(raw: Any) -> Entry | None:
    if type(raw) is tuple and len(raw) == len(Entry._fields) + 1 and raw[0] == FORMAT:
        return Entry(*raw[1:])
    return None


def enabled() -> bool:
    return settings.MASTHEAD["PAGE_CACHE"]["ENABLED"]


def prime_site(request: HttpRequest) -> None:
    from masthead.newsroom.services import prime_site as prime

    prime(request)


class RecentPages:
    """Stored pages (and comment fragments) this process served lately, already decoded, so a
    hit reads only the small version tokens from the shared cache, not the whole page again.

    Sound because a stored page is valid exactly while its tokens are current, which every hit
    checks; a copy is kept here at most SECONDS so that lifetimes (a front's most-read list)
    still end, and at most ENTRIES of them (the pages being read right now)."""

    SECONDS = 5.0
    ENTRIES = 256

    def __init__(self) -> None:
        self.items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        item = self.items.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1]

    def put(self, key: str, value: Any) -> None:
        with self.lock:
            self.items[key] = (time.monotonic() + self.SECONDS, value)
            self.items.move_to_end(key)
            while len(self.items) > self.ENTRIES:
                self.items.popitem(last=False)

    def drop(self, key: str) -> None:
        with self.lock:
            self.items.pop(key, None)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


recent = RecentPages()
FRAGMENT_MEMO = "fragment:"


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        url = self.lookup_url(request)
        if url is None:
            if not enabled() and self.is_page_request(request):
                prime_site(request)  # the page cache is off: pages still find their site fast
            return self.finish(request, self.get_response(request), None, 0)
        key = entry_key(url)
        try:
            response = self.lookup(request, key)
        except Exception:  # the cache is down or holds garbage: render as if it were empty
            logger.exception("page cache lookup failed for %s", url)
            response = None
        if response is not None:
            return response
        started = time.time_ns()
        # A page about to be stored for everyone is read from the primary: a replica a moment
        # behind a purge would otherwise have its old copy kept for the page's whole lifetime.
        with primary_reads() if settings.DATABASE_REPLICAS else nullcontext():
            prime_site(request)
            response = self.get_response(request)
        return self.finish(request, response, key if request.method == "GET" else None, started)

    # --- Lookup -----------------------------------------------------------------------------

    @staticmethod
    def is_page_request(request: HttpRequest) -> bool:
        return request.method in ("GET", "HEAD") and not request.path.startswith(BYPASS_PREFIXES)

    def lookup_url(self, request: HttpRequest) -> str | None:
        if request.method not in ("GET", "HEAD") or not enabled():
            return None
        path = request.path
        if path.startswith(BYPASS_PREFIXES) or "HTTP_AUTHORIZATION" in request.META:
            return None
        if getattr(request, "is_dummy", False) or getattr(request, "is_preview", False):
            return None  # Wagtail's previews run through the middleware with a made-up request
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        return page_url(request.scheme, host, path, request.META.get("QUERY_STRING", ""))

    def lookup(self, request: HttpRequest, key: str) -> HttpResponse | None:
        """The stored page for `key`, from this process's memo when its tokens are current,
        else from the shared cache."""
        entry = recent.get(key)
        if entry is not None:
            response = self.hit(request, entry)
            if response is not None:
                return response
            recent.drop(key)  # purged since: the shared cache may hold a newer copy
        entry = load(cache().get(key))
        if entry is None:
            return None
        response = self.hit(request, entry)
        if response is not None:
            recent.put(key, entry)
        return response

    def hit(self, request: HttpRequest, entry: Entry) -> HttpResponse | None:
        names = [token_key(key) for key in entry.keys]
        if entry.frag:
            names.append(token_key(entry.frag))
        found = cache().get_many(names)
        for name, token in zip(names, entry.tokens, strict=False):
            if found.get(name) != token:
                return None
        body = entry.head
        if entry.frag:
            html = self.fragment(request, entry.frag, found.get(token_key(entry.frag)))
            if html is None:
                return None
            body = b"".join((entry.head, html.encode(), entry.tail))
        response = HttpResponse(body, status=entry.status)
        for name, value in entry.headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        # No `Age`: the copy was checked against every purge since it was stored, so for a
        # cache in front it is as fresh as a page rendered now, and its lifetimes start now.
        response["X-Cache"] = "HIT"
        if settings.MASTHEAD_FRONT_CACHE == "nginx" and request.META.get("QUERY_STRING"):
            # nginx keys the address as asked (campaign tags and all): remember this one too.
            from masthead.caching.purge import remember_url

            remember_url(
                (*entry.keys, entry.frag) if entry.frag else entry.keys, page_url_of(request)
            )
        return response

    @staticmethod
    def fragment(request: HttpRequest, name: str, token: Any) -> str | None:
        """The current fragment `name`: this process's copy when it is of `token`, else the
        shared one, else rendered again (or the previous one, within the render interval)."""
        memo = recent.get(FRAGMENT_MEMO + name)
        if token is not None and memo is not None and memo[0] == token:
            return memo[1]
        shared = cache().get(fragments.fragment_key(name))
        if token is not None and shared is not None and shared[0] == token:
            recent.put(FRAGMENT_MEMO + name, shared)
            return shared[1]
        return fragments.current(request, name, token, shared)

    # --- After the view ---------------------------------------------------------------------

    def finish(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        key: str | None,
        started: int,
    ) -> HttpResponseBase:
        used = getattr(request, fragments.USED, None)
        mark = marked(response)
        if mark is None:
            mark = self.mark_wagtail_page(request, response)
        personal = (
            session_read(request)
            or vary_cookie(response)
            or "HTTP_AUTHORIZATION" in request.META
            or bool(response.cookies)
            or "set-cookie" in response
        )
        if personal:
            # Whatever the view said (even a page marked as everyone's that turned personal):
            # an account page, a token's answer or a response setting a cookie is kept by no
            # cache, in front or in the browser.
            never_stored(response)
            mark = None
        head, frag, tail = b"", None, b""
        if used and not response.streaming:
            head, frag, tail = split(response.content, used[0])
            if frag is not None:  # the markers never leave: they are only for the stored copy
                response.content = b"".join((head, frag, tail))
                if "Content-Length" in response:
                    response["Content-Length"] = str(len(response.content))
        if mark is None or key is None:
            return response
        from masthead.caching.purge import remember_url

        response["X-Cache"] = "MISS"
        try:
            remember_url(mark.keys, page_url_of(request))
            if storable(response):
                if frag is None:
                    head, tail = response.content, b""
                name = used[0] if used and frag is not None else ""
                self.store(key, response, mark, head, tail, name, started)
        except Exception:  # the cache is down: the reader still gets the page
            logger.exception("page cache could not store %s", request.path)
        return response

    def mark_wagtail_page(self, request: HttpRequest, response: HttpResponseBase) -> Any:
        """Wagtail pages of other types (the guidelines page…): `page-<id>`, when public."""
        page = getattr(request, "_masthead_page", None)
        if page is None:
            return None
        from masthead.caching.pages import mark_page

        return marked(mark_page(page, request, response, kind="page", keys=set()))

    def store(
        self,
        key: str,
        response: HttpResponseBase,
        mark: Any,
        head: bytes,
        tail: bytes,
        frag: str,
        started: int,
    ) -> None:
        valid = tuple(k for k in mark.keys if k != frag)
        tokens = tokens_now(valid, started=started)
        if tokens is None:
            return  # purged while rendering: the next reader renders it again
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in NOT_STORED
        ]
        entry = Entry(
            status=response.status_code,
            headers=headers,
            head=head,
            tail=tail,
            frag=frag,
            keys=valid,
            tokens=tokens,
            stored_at=time.time(),
        )
        cache().set(key, (FORMAT, *entry), mark.own_ttl)


# Directives that would let a shared cache keep a response, or that only apply to one.
SHARED_DIRECTIVES = {"public", "private", "no-store", "s-maxage", "stale-while-revalidate"}


def never_stored(response: HttpResponseBase) -> None:
    """`private, no-store` (the view's other directives kept), filed under no surrogate key."""
    kept = [
        part.strip()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip() and part.split("=")[0].strip().lower() not in SHARED_DIRECTIVES
    ]
    response["Cache-Control"] = ", ".join(["private", "no-store", *kept])
    response.headers.pop("Surrogate-Key", None)
    response.headers.pop("Cache-Tag", None)


def session_read(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and getattr(session, "accessed", False))


def vary_cookie(response: HttpResponseBase) -> bool:
    return "cookie" in response.get("Vary", "").lower()


def storable(response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if "set-cookie" in response.headers or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control or "no-cache" in control:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return not (vary - {"accept-encoding"})


def split(content: bytes, name: str) -> tuple[bytes, bytes | None, bytes]:
    """(before, fragment, after) around the fragment's markers; (content, None, b"") when the
    page does not hold it."""
    start = fragments.start_marker(name).encode()
    end = fragments.END_MARKER.encode()
    begin = content.find(start)
    if begin < 0:
        return content, None, b""
    finish = content.find(end, begin)
    if finish < 0:
        return content, None, b""
    return content[:begin], content[begin + len(start) : finish], content[finish + len(end) :]


def page_url_of(request: HttpRequest) -> str:
    """The URL as the cache in front keys it: as the reader asked for it, query and all."""
    return f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
