"""Newsroom reads and writes shared by pages, views, the API and commands."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from masthead.newsroom.models import ArticlePage, ArticleTag


def paginate(queryset: QuerySet, page_number: str | None) -> PaginatorPage:
    """One page of a list; a missing, malformed or too-high number gives the nearest page."""
    paginator = Paginator(queryset, settings.MASTHEAD["PAGE_SIZE"])
    return paginator.get_page(page_number)


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
    links = cache.get(key)
    if links is None:
        links = [
            {"title": story.title, "url": story.get_url(request=request)}
            for story in related_articles(article)
        ]
        cache.set(key, links, RELATED_CACHE_SECONDS)
    return links


def section_links(request: HttpRequest | None = None) -> list[dict[str, str]]:
    """The live sections for the navigation bar, cached until a page is published or moved."""
    from masthead.newsroom.models import SectionPage

    links = cache.get(NAV_CACHE_KEY)
    if links is None:
        sections = SectionPage.objects.live().filter(depth=3).order_by("path")
        links = [
            {"title": s.title, "url": s.get_url(request=request), "path": s.path} for s in sections
        ]
        cache.set(NAV_CACHE_KEY, links, 3600)
    return links


def forget_navigation(**kwargs: object) -> None:
    cache.delete(NAV_CACHE_KEY)
