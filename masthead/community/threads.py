"""Reading a thread: one page of top-level comments with their replies, in a fixed number of
queries whatever the size of the thread.

Queries: the page of top-level comments (authors joined), the replies of those comments (capped
per thread with a window function), the featured comments (page one only) and, for a signed-in
reader, which of the shown comments they liked. Cost follows the page, not the thread.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.db.models.lookups import StartsWith
from wagtail.models import PageViewRestriction

from masthead.community.models import Comment, CommentStatus, Reaction
from masthead.newsroom.models import ArticlePage

SORTS = {"newest", "oldest", "top"}


class BadCursor(ValueError):
    pass


@dataclass
class ThreadPage:
    comments: list[Comment]
    featured: list[Comment] = field(default_factory=list)
    next_cursor: str | None = None
    liked_ids: set[int] = field(default_factory=set)
    sort: str = "newest"

    def all_comments(self) -> list[Comment]:
        shown = [*self.featured, *self.comments]
        return shown + [reply for comment in shown for reply in getattr(comment, "replies", [])]


def _encode(*parts: object) -> str:
    raw = "|".join(p.isoformat() if isinstance(p, datetime) else str(p) for p in parts)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadCursor("The cursor is not valid; start again without one.") from error
    return raw.split("|")


def _after_cursor(queryset: QuerySet[Comment], sort: str, cursor: str) -> QuerySet[Comment]:
    parts = _decode(cursor)
    try:
        if sort == "top":
            likes, pk = int(parts[0]), int(parts[1])
            return queryset.filter(Q(like_count__lt=likes) | Q(like_count=likes, pk__lt=pk))
        when, pk = datetime.fromisoformat(parts[0]), int(parts[1])
    except (IndexError, ValueError) as error:
        raise BadCursor("The cursor is not valid; start again without one.") from error
    if sort == "oldest":
        return queryset.filter(Q(created_at__gt=when) | Q(created_at=when, pk__gt=pk))
    return queryset.filter(Q(created_at__lt=when) | Q(created_at=when, pk__lt=pk))


ORDERINGS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "top": ("-like_count", "-pk"),
}


def _cursor_for(comment: Comment, sort: str) -> str:
    if sort == "top":
        return _encode(comment.like_count, comment.pk)
    return _encode(comment.created_at, comment.pk)


def readable_articles() -> QuerySet[ArticlePage]:
    """Live stories with no view restriction on them or above them, in the same query as the
    story itself (Wagtail's `public()` reads every restriction in a query of its own first)."""
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return ArticlePage.objects.live().filter(~Exists(restricted))


def readable_comments() -> QuerySet[Comment]:
    """Comments on those stories: what anything that looks a comment up by its id starts from,
    so an id cannot reach a members-only story's thread."""
    restricted = PageViewRestriction.objects.filter(
        StartsWith(OuterRef("article__path"), F("page__path"))
    )
    return Comment.objects.filter(article__live=True).filter(~Exists(restricted))


# A thread page reads many comments; only what is shown is loaded: not the raw text (kept for
# editing and moderation), nor anything of the author but the name.
AUTHOR_NAME_FIELDS = ("id", "display_name", "first_name", "last_name")
HIDDEN_ON_READ = {"body", "screening", "screening_summary"}


def _shown_fields() -> list[str]:
    own = [
        f.name
        for f in Comment._meta.concrete_fields
        if f.name not in HIDDEN_ON_READ and not f.is_relation
    ]
    related = [f.name for f in Comment._meta.concrete_fields if f.is_relation]
    names = [f"author__{name}" for name in AUTHOR_NAME_FIELDS]
    return [*own, *related, *names, "in_reply_to__id", "in_reply_to__author_id"] + [
        f"in_reply_to__author__{name}" for name in AUTHOR_NAME_FIELDS
    ]


def shown_comments() -> QuerySet[Comment]:
    return Comment.objects.select_related("author", "in_reply_to__author").only(*_shown_fields())


def visible_comments(article: ArticlePage, viewer) -> QuerySet[Comment]:  # type: ignore[no-untyped-def]
    return shown_comments().filter(article=article).visible_to(viewer)


def attach_replies(parents: list[Comment], viewer, limit: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Give each top-level comment `.replies` (oldest first, at most `limit`) in one query."""
    limit = limit or settings.MASTHEAD["REPLIES_SHOWN"]
    by_root = {c.pk: c for c in parents}
    for comment in parents:
        comment.replies = []
    if not by_root:
        return
    replies = (
        shown_comments()
        .filter(root_id__in=by_root)
        .visible_to(viewer)
        .annotate(
            position=Window(
                RowNumber(), partition_by=[F("root_id")], order_by=[F("created_at"), F("pk")]
            )
        )
        .filter(position__lte=limit)
        .order_by("root_id", "created_at", "pk")
    )
    for reply in replies:
        by_root[reply.root_id].replies.append(reply)
    # Keep each reply under its own parent: depth-1 comments with their depth-2 answers after.
    for comment in parents:
        comment.replies = _thread_order(comment.pk, comment.replies)


def _thread_order(root_id: int, replies: list[Comment]) -> list[Comment]:
    children: dict[int, list[Comment]] = {}
    for reply in replies:
        children.setdefault(reply.parent_id, []).append(reply)
    ordered: list[Comment] = []

    def walk(parent_id: int) -> None:
        for child in children.get(parent_id, []):
            ordered.append(child)
            walk(child.pk)

    walk(root_id)
    return ordered


def thread_page(
    *,
    article: ArticlePage,
    viewer=None,  # type: ignore[no-untyped-def]
    sort: str = "newest",
    cursor: str | None = None,
    limit: int | None = None,
) -> ThreadPage:
    if sort not in SORTS:
        raise BadCursor(f"sort must be one of: {', '.join(sorted(SORTS))}.")
    limit = limit or settings.MASTHEAD["COMMENTS_PAGE_SIZE"]
    top_level = visible_comments(article, viewer).filter(parent__isnull=True)
    featured: list[Comment] = []
    if not cursor:
        featured = list(
            top_level.filter(featured_at__isnull=False, status=CommentStatus.PUBLISHED).order_by(
                "-featured_at"
            )[:3]
        )
    queryset = top_level.exclude(pk__in=[c.pk for c in featured]) if featured else top_level
    if cursor:
        queryset = _after_cursor(queryset, sort, cursor)
    rows = list(queryset.order_by(*ORDERINGS[sort])[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    attach_replies([*featured, *rows], viewer)
    page = ThreadPage(
        comments=rows,
        featured=featured,
        next_cursor=_cursor_for(rows[-1], sort) if has_more and rows else None,
        sort=sort,
    )
    if viewer is not None and viewer.is_authenticated:
        shown = [c.pk for c in page.all_comments()]
        page.liked_ids = set(
            Reaction.objects.filter(user=viewer, comment_id__in=shown).values_list(
                "comment_id", flat=True
            )
        )
    return page


def new_comments_since(
    article: ArticlePage, since_id: int, limit: int = 50
) -> tuple[list[Comment], int]:
    """Published comments newer than `since_id` (oldest first, at most `limit`) and how many
    there are in all; what an open page inserts when the reader asks for new comments."""
    newer = Comment.objects.filter(article=article, pk__gt=since_id).published()
    total = newer.count()
    rows = list(
        shown_comments().filter(article=article, pk__gt=since_id).published().order_by("pk")[:limit]
    )
    return rows, total


def replies_page(
    *,
    root: Comment,
    viewer=None,
    cursor: str | None = None,
    limit: int = 50,  # type: ignore[no-untyped-def]
) -> tuple[list[Comment], str | None]:
    """All replies under a top-level comment, oldest first, a page at a time: for threads
    with more replies than the page shows inline. Clients nest them by `parent_id`."""
    queryset = shown_comments().filter(root=root).visible_to(viewer)
    if cursor:
        queryset = _after_cursor(queryset, "oldest", cursor)
    rows = list(queryset.order_by(*ORDERINGS["oldest"])[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_cursor_for(rows[-1], "oldest") if has_more and rows else None)
