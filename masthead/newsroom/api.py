"""Article endpoints."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from wagtail.models import Page

from masthead.core.api import errors
from masthead.newsroom.models import ArticlePage

router = Router(tags=["articles"])


class ArticleOut(Schema):
    id: int
    title: str
    url: str
    published_at: datetime
    comment_count: int
    standfirst: str
    section: str | None = None


class ArticleList(Schema):
    items: list[ArticleOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page.")


# The cursor follows the list's order: publication time, then the page's unique tree path.
PATH_PATTERN = re.compile(r"[0-9A-Z]{4,255}")


def encode_cursor(article: ArticlePage) -> str:
    raw = f"{article.first_published_at.isoformat()}|{article.path}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        published, path = base64.urlsafe_b64decode(padded).decode().rsplit("|", 1)
        if not PATH_PATTERN.fullmatch(path):
            raise ValueError(path)
        return datetime.fromisoformat(published), path
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise HttpError(400, "The cursor is not valid; start again without one.") from exc


@router.get(
    "",
    response={200: ArticleList, **errors(400, 422)},
    summary="Published articles, newest first",
)
def list_articles(request: HttpRequest, limit: int = 20, cursor: str | None = None) -> dict:
    if not 1 <= limit <= 100:
        raise HttpError(400, "limit must be between 1 and 100.")
    articles = ArticlePage.objects.listed()
    if cursor:
        published, path = decode_cursor(cursor)
        articles = articles.filter(
            Q(first_published_at__lt=published) | Q(first_published_at=published, path__lt=path)
        )
    page = list(articles.select_related(None)[: limit + 1])
    has_more = len(page) > limit
    page = page[:limit]
    # Section titles for the whole page in one query: a section is the article's parent.
    parent_paths = {a.path[: -a.steplen] for a in page}
    section_titles = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
    items = [
        {
            "id": a.pk,
            "title": a.title,
            "url": request.build_absolute_uri(a.get_url(request=request)),
            "published_at": a.first_published_at,
            "comment_count": a.comment_count,
            "standfirst": a.standfirst,
            "section": section_titles.get(a.path[: -a.steplen]),
        }
        for a in page
    ]
    return {"items": items, "next_cursor": encode_cursor(page[-1]) if has_more else None}
