"""The comments section of an article, cached apart from the page around it.

A hot story's thread moves many times a minute while its page does not: the page is stored
once with a marker where the section goes, and the page-cache middleware puts the current
section there on every hit. A comment purges `comments-<id>`, which only moves this fragment's
token: the next hit renders the section again (one reader at a time; the others get the
previous one meanwhile, seconds old at most) and the page around it stays stored.

The section is the one an anonymous reader sees, whoever asks: what differs for a signed-in
reader is filled in by the browser (see masthead.accounts / community page-state endpoint).
"""

from __future__ import annotations

import copy
import logging
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from masthead.caching import keys as surrogate
from masthead.caching.store import cache, token_key, tokens_now

if TYPE_CHECKING:
    from masthead.newsroom.models import ArticlePage

FRAGMENT_TIMEOUT = 3600
# A purged section is rendered again by one reader at a time, and at most once per
# FRAGMENT_RENDER_SECONDS (settings.MASTHEAD["PAGE_CACHE"]) per story: a thread taking 30
# comments a second is rendered about once a second, not 30 times, and the others are served
# the previous section meanwhile.
USED = "_masthead_fragments"
logger = logging.getLogger("masthead.caching")


def fragment_key(name: str) -> str:
    return f"f:{name}"


def start_marker(name: str) -> str:
    return f"<!--masthead-fragment:{name}-->"


END_MARKER = "<!--/masthead-fragment-->"


def anonymous_request(request: HttpRequest) -> HttpRequest:
    """A copy of `request` without cookies, session or user: the reader nobody knows."""
    anonymous = copy.copy(request)
    anonymous.COOKIES = {}
    anonymous.META = {k: v for k, v in request.META.items() if k != "HTTP_COOKIE"}
    anonymous.user = AnonymousUser()
    anonymous._messages = []  # type: ignore[attr-defined]
    return anonymous


def render_comments(request: HttpRequest, article: ArticlePage) -> str:
    from masthead.community.views import thread_context

    anonymous = anonymous_request(request)
    return render_to_string(
        "community/includes/section.html", thread_context(anonymous, article), request=anonymous
    )


def render_and_keep(
    request: HttpRequest, article: ArticlePage, name: str, token: Any, started: int
) -> str:
    """Render the section and keep it under the current token of `name` (made when missing;
    not kept when a purge moved it while rendering)."""
    if token is None:
        read = tokens_now([name], started=started)
        token = read[0] if read else None
    html = render_comments(request, article)
    if token is not None:
        cache().set(fragment_key(name), (token, html), FRAGMENT_TIMEOUT)
    return html


def comments(request: HttpRequest, article: ArticlePage) -> str:
    """The comments section, from the fragment cache when its token still matches."""
    name = surrogate.comments(article.pk)
    store = cache()
    started = time.time_ns()
    try:
        found = store.get_many([token_key(name), fragment_key(name)])
    except Exception:  # the cache is down: render, and leave it at that
        logger.exception("comments fragment cache unavailable for %s", name)
        return render_comments(request, article)
    token = found.get(token_key(name))
    cached = found.get(fragment_key(name))
    if token is not None and cached is not None and cached[0] == token:
        return cached[1]
    return render_and_keep(request, article, name, token, started)


def comments_context(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    """What ArticlePage.get_context adds: `comments_html`, marked for the page cache to put the
    current section in on every hit (when the page cache is on)."""
    html = comments(request, article)
    if not settings.MASTHEAD["PAGE_CACHE"]["ENABLED"]:
        return {"comments_html": mark_safe(html)}  # noqa: S308 - our autoescaped template
    name = surrogate.comments(article.pk)
    used = getattr(request, USED, None)
    if used is None:
        used = []
        setattr(request, USED, used)
    used.append(name)
    marked = f"{start_marker(name)}{html}{END_MARKER}"
    return {"comments_html": mark_safe(marked)}  # noqa: S308 - our autoescaped template


def current(
    request: HttpRequest, name: str, token: Any, cached: tuple[Any, str] | None
) -> str | None:
    """The fragment `name` for a page served from the cache, rendered again when `cached` is
    not of the current `token`. None when it cannot be made (its story is gone)."""
    if cached is not None and token is not None and cached[0] == token:
        return cached[1]
    store = cache()
    interval = settings.MASTHEAD["PAGE_CACHE"]["FRAGMENT_RENDER_SECONDS"]
    if cached is not None and interval and not store.add(f"lock:{name}", 1, interval):
        return cached[1]  # rendered less than `interval` ago, or being rendered: seconds old
    from masthead.newsroom.models import ArticlePage

    article_id = int(name.rsplit("-", 1)[1])
    article = ArticlePage.objects.live().public().filter(pk=article_id).first()
    if article is None:
        return None
    started = time.time_ns()
    return render_and_keep(request, article, name, token, started)
