"""Newsroom reads and writes shared by pages, views, the API and commands."""

from __future__ import annotations

import copy
import hashlib
import logging
import time
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from masthead.caching import keys as surrogate
from masthead.caching import shared_cache
from masthead.caching.store import token_key
from masthead.newsroom.models import MISSING_TOKEN_AGE_NS, ArticlePage, ArticleTag

logger = logging.getLogger(__name__)


def paginate(queryset: QuerySet, page_number: str | None) -> PaginatorPage:
    """One page of a list; a missing, malformed or too-high number gives the nearest page."""
    paginator = Paginator(queryset, settings.MASTHEAD["PAGE_SIZE"])
    return paginator.get_page(page_number)


# Nobody pages a front back further than this; deeper offsets would only cost the database.
MAX_LIST_PAGE = 500


class ListPage:
    """One page of a newest-first list, found without counting the whole list.

    A front or tag page over 100,000 stories must cost what a page of 20 costs, and Django's
    Paginator counts every row first. Reading one row past the page tells whether an older page
    exists; the templates say "Page N" instead of "Page N of M". Quacks like Django's Page where
    the templates look.
    """

    paginator = None

    def __init__(self, queryset: QuerySet, page_number: str | None, per_page: int) -> None:
        try:
            number = int(page_number or 1)
        except (TypeError, ValueError):
            number = 1
        self.number = min(max(number, 1), MAX_LIST_PAGE)
        offset = (self.number - 1) * per_page
        rows = list(queryset[offset : offset + per_page + 1])
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page and self.number < MAX_LIST_PAGE
        self._start = offset + 1

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return self._start if self.object_list else 0


def list_page(queryset: QuerySet, page_number: str | None) -> ListPage:
    """A page of a long newest-first list (fronts, tags, authors) at a cost that does not grow
    with the list."""
    return ListPage(queryset, page_number, settings.MASTHEAD["PAGE_SIZE"])


def related_articles(article: ArticlePage, limit: int | None = None) -> list[ArticlePage]:
    """The editor's "Read:" picks first, then the newest stories sharing the most tags."""
    limit = limit or settings.MASTHEAD["RELATED_LINKS"]
    picked_ids = [
        target_id
        for target_id in article.related_links.values_list("target_id", flat=True)
        if target_id != article.pk
    ]
    picked = {a.pk: a for a in ArticlePage.objects.listed().filter(pk__in=picked_ids)}
    related = [picked[pk] for pk in picked_ids if pk in picked]
    if len(related) >= limit:
        return related[:limit]

    tag_ids = list(
        ArticleTag.objects.filter(content_object=article).values_list("tag_id", flat=True)
    )
    if not tag_ids:
        return related
    exclude = {article.pk, *picked}
    by_shared_tags = (
        ArticlePage.objects.listed()
        .filter(tagged_items__tag_id__in=tag_ids)
        .exclude(pk__in=exclude)
        .annotate(shared_tags=Count("tagged_items"))
        .order_by("-shared_tags", "-first_published_at", "-pk")[: limit - len(related)]
    )
    return related + list(by_shared_tags)


RELATED_CACHE_SECONDS = 300
NAV_CACHE_KEY = "newsroom:nav:v1"


def related_links(article: ArticlePage, request: HttpRequest | None = None) -> list[dict[str, str]]:
    """Title and URL of each "Read:" link, cached per published version of the article.

    Republishing the article makes a new key; a linked story that is unpublished drops out
    within RELATED_CACHE_SECONDS.
    """
    version = article.last_published_at.timestamp() if article.last_published_at else 0
    key = f"newsroom:related:v1:{article.pk}:{version}"
    links = shared_cache().get(key)
    if links is None:
        links = [
            {"title": story.title, "url": story.get_url(request=request)}
            for story in related_articles(article)
        ]
        shared_cache().set(key, links, RELATED_CACHE_SECONDS)
    return links


def section_links(request: HttpRequest | None = None) -> list[dict[str, str]]:
    """The live sections for the navigation bar, cached until a page is published or moved."""
    from masthead.newsroom.models import SectionPage

    links = shared_cache().get(NAV_CACHE_KEY)
    if links is None:
        sections = SectionPage.objects.live().filter(depth=3).order_by("path")
        links = [
            {"title": s.title, "url": s.get_url(request=request), "path": s.path} for s in sections
        ]
        shared_cache().set(NAV_CACHE_KEY, links, 3600)
    return links


def forget_navigation(**kwargs: object) -> None:
    shared_cache().delete(NAV_CACHE_KEY)


# --- An article's own parts -----------------------------------------------------------------

ARTICLE_PARTS_VERSION = "v2"


class BodyBlock(NamedTuple):
    """One rendered block of a story's body; `block_type` is what the in-article ad counts."""

    block_type: str
    html: str


@dataclass(frozen=True)
class ArticleParts:
    """The HTML of everything an article page shows that comes from the published story alone:
    byline and times, lead photo, body blocks, corrections, tags."""

    meta: str
    photo: str
    blocks: tuple[BodyBlock, ...]
    corrections: str
    tags: str


def article_parts_key(article: ArticlePage) -> str | None:
    """The cache key of a live article's parts: a new one for every publish (an edit, a
    correction, a republish after an unpublish), so a publish needs no purge."""
    if not (article.pk and article.live and article.live_revision_id and article.last_published_at):
        return None
    published = article.last_published_at.timestamp()
    return (
        f"newsroom:article-parts:{ARTICLE_PARTS_VERSION}:{article.pk}:"
        f"{article.live_revision_id}:{published}"
    )


def render_article_parts(article: ArticlePage) -> ArticleParts:
    context = {"page": article}
    return ArticleParts(
        meta=render_to_string("newsroom/includes/article_meta.html", context),
        photo=render_to_string("newsroom/includes/article_lead_photo.html", context),
        blocks=tuple(
            BodyBlock(block.block_type, str(block.render_as_block(context=context)))
            for block in article.body
        ),
        corrections=render_to_string("editorial/includes/corrections.html", context),
        tags=render_to_string("newsroom/includes/article_tags.html", context),
    )


def _safe(parts: ArticleParts) -> ArticleParts:
    return ArticleParts(
        meta=mark_safe(parts.meta),  # noqa: S308 - our autoescaped templates, below too
        photo=mark_safe(parts.photo),  # noqa: S308
        blocks=tuple(BodyBlock(b.block_type, mark_safe(b.html)) for b in parts.blocks),  # noqa: S308
        corrections=mark_safe(parts.corrections),  # noqa: S308
        tags=mark_safe(parts.tags),  # noqa: S308
    )


def article_parts(article: ArticlePage, request: HttpRequest | None = None) -> ArticleParts:
    """The article's own parts, rendered once per published version and kept in the shared
    cache: an uncached page view then costs no query and no block rendering for them.

    Previews (and anything not live) are always rendered. A part also shows things edited
    outside the story (an author's name, a photo's caption or credit, a tag's name): those
    edits purge the story's `article-<id>` key, and the parts are kept with that key's token,
    so they are rendered again as the page is.
    """
    preview = request is not None and (
        getattr(request, "is_preview", False) or getattr(request, "is_dummy", False)
    )
    key = None if preview else article_parts_key(article)
    token = None
    if key is not None:
        token_name = token_key(surrogate.article(article.pk))
        found = shared_cache().get_many([key, token_name]) or {}
        token, cached = found.get(token_name), found.get(key)
        if (
            token is not None
            and isinstance(cached, tuple)
            and len(cached) == 2
            and cached[0] == token
            and isinstance(cached[1], ArticleParts)
        ):
            return _safe(cached[1])
        if token is None:
            # Made back-dated, like the page cache's own tokens, so that the page being rendered
            # around these parts (which began a moment ago) may still be stored.
            token = shared_cache().token(
                surrogate.article(article.pk), started=time.time_ns() - MISSING_TOKEN_AGE_NS
            )
    parts = render_article_parts(article)
    if key is not None and token is not None:
        shared_cache().set(key, (token, parts), article_parts_seconds())
    return _safe(parts)


def article_parts_seconds() -> int:
    return int(settings.MASTHEAD["PAGE_CACHE"]["article"]["own"])


# --- Site-wide settings ---------------------------------------------------------------------

SITE_VERSION_ATTR = "_masthead_site_version"
SITE_PARTS_SECONDS = 3600


def site_version(request: HttpRequest | None = None) -> object | None:
    """The version of everything site-wide (settings, the appeal, ad slots): the page cache's
    token for the `site` key, which saving any of them moves in every process (see
    masthead.caching.signals). Read once per request; None when the cache is unreachable, and
    then nothing is cached by it."""
    if request is not None and hasattr(request, SITE_VERSION_ATTR):
        return getattr(request, SITE_VERSION_ATTR)
    from masthead.caching.pages import SITE
    from masthead.caching.store import cache as page_store
    from masthead.newsroom.models import current_tokens

    try:
        found = current_tokens(page_store(), (SITE,), time.time_ns())
    except Exception:
        logger.warning("site version unavailable", exc_info=True)
        found = None
    version = found[0] if found else None
    if request is not None:
        setattr(request, SITE_VERSION_ATTR, version)
    return version


def site_setting(model: type, request: HttpRequest) -> object:
    """`model.for_request(request)` (a Wagtail site setting) from the shared cache, kept per
    site version: a page view reads it without a query, and saving the settings moves the
    version. The row is made the Wagtail way (get_or_create) on a miss."""
    from wagtail.models import Site

    site = Site.find_for_request(request)
    version = site_version(request)
    if site is None or version is None:
        return None
    key = f"site-setting:v1:{model._meta.label_lower}:{site.pk}:{version}"
    found = shared_cache().get(key)
    if not isinstance(found, model):
        found = model.for_site(site)
        shared_cache().set(key, found, SITE_PARTS_SECONDS)
    return found


# --- The site of a request ------------------------------------------------------------------

SITE_LOOKUP_VERSION = "v1"
SITE_LOOKUP_SECONDS = 3600


def prime_site(request: HttpRequest) -> None:
    """Find the Wagtail site of `request` as `Site.find_for_request` does, from the shared cache
    when its entry is current, and leave it on the request for Wagtail's routing, with the
    site's root page already loaded in its specific form: a page view then makes neither of
    the two queries Wagtail spends on this.

    An entry holds the page cache's tokens of `site` (purged when a Site or a site-wide
    setting is saved or deleted) and `page-<root page id>` (purged when the home page is
    published, unpublished or moved); a moved token makes the next request read both again.
    Called by the page cache middleware on its miss path, before the view.
    """
    from django.http.request import split_domain_port
    from wagtail.models import Site

    from masthead.caching import keys as surrogate
    from masthead.caching.pages import SITE
    from masthead.caching.store import cache as page_store
    from masthead.caching.store import token_key
    from masthead.newsroom.models import current_tokens, fields_only

    if hasattr(request, "_wagtail_site"):
        return
    try:
        host = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
    except Exception:  # a bad Host header: Wagtail's own lookup deals with it
        return
    where = f"{host}:{port}"
    key = (
        f"newsroom:site:{SITE_LOOKUP_VERSION}:"
        + hashlib.blake2b(where.encode(), digest_size=16).hexdigest()
    )
    try:
        store = page_store()
        entry = store.get(key)
        if entry is not None:
            site, names, tokens = entry
            found = store.get_many([token_key(name) for name in names])
            if tuple(found.get(token_key(name)) for name in names) == tokens:
                request._wagtail_site = site
                setattr(request, SITE_VERSION_ATTR, tokens[0])  # read just now: `site_version`
                return
    except Exception:
        logger.warning("site lookup cache unavailable", exc_info=True)
        return
    started = time.time_ns()
    site = Site.find_for_request(request)
    if site is None:
        return
    root = site.root_page.specific
    site.root_page = root
    names = (SITE, surrogate.page(root.pk))
    try:
        tokens = current_tokens(store, names, started)
        if tokens is not None:
            stored = copy.copy(site)
            stored._state = copy.copy(site._state)
            stored._state.fields_cache = {}
            stored.root_page = fields_only(root)
            store.set(key, (stored, names, tokens), SITE_LOOKUP_SECONDS)
    except Exception:
        logger.warning("site lookup cache unavailable", exc_info=True)
