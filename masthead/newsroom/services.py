"""Newsroom reads and writes shared by pages, views, the API and commands."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet

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
