"""Comment endpoints: read a thread, post, edit, delete, react, and the live counter."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.core.cache import cache
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from masthead.caching import keys as surrogate
from masthead.community import services
from masthead.community.models import PLACEHOLDER_STATUSES, Comment, CommentStatus, Reaction
from masthead.community.services import CommentError
from masthead.community.threads import (
    SORTS,
    BadCursor,
    new_comments_since,
    readable_articles,
    readable_comments,
    replies_page,
    thread_page,
)
from masthead.core import ratelimit
from masthead.core.api import ID_MAX, ObjectId, api, error, errors, signed_in
from masthead.newsroom.models import ArticlePage

router = Router(tags=["comments"])
IDEMPOTENCY_SECONDS = 24 * 3600
PAGE_CACHE_SECONDS = 600


@api.exception_handler(CommentError)
def on_comment_error(request: HttpRequest, exc: CommentError) -> HttpResponse:
    response = error(request, exc.status, exc.code, exc.message)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


class CommentOut(Schema):
    id: int
    parent_id: int | None
    in_reply_to: str | None = Field(None, description="Name of the reader a deep reply answers.")
    author: str
    badges: list[str]
    body_html: str = Field(description="Sanitised HTML, safe to insert as is.")
    status: str
    created_at: datetime
    edited: bool
    like_count: int
    reply_count: int
    liked: bool = False
    featured: bool = False
    replies: list[CommentOut] = []


class ThreadOut(Schema):
    comment_count: int
    sort: str
    featured: list[CommentOut]
    items: list[CommentOut]
    next_cursor: str | None


class NewCommentsOut(Schema):
    comment_count: int
    total_new: int
    items: list[CommentOut]


class CommentIn(Schema):
    body: str = Field(max_length=100_000)
    parent_id: int | None = Field(None, ge=1, le=ID_MAX)


class CommentCreated(Schema):
    id: int
    status: str


class CommentEdit(Schema):
    body: str = Field(max_length=100_000)


class ReactionOut(Schema):
    like_count: int
    liked: bool


class LiveOut(Schema):
    comment_count: int
    version: int


def serialise(comment: Comment, liked_ids: set[int], viewer_id: int | None = None) -> dict:
    """A comment as the API shows it to `viewer_id`. Deleted and removed comments (and hidden
    ones, except to their author) keep their place for their replies but lose their words."""
    deleted = comment.status in PLACEHOLDER_STATUSES and not (
        comment.status == CommentStatus.HIDDEN and viewer_id and comment.author_id == viewer_id
    )
    badges = []
    if comment.author_is_staff and not deleted:
        badges.append("staff")
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "in_reply_to": comment.in_reply_to.author_name if comment.in_reply_to_id else None,
        "author": "" if deleted else comment.author_name,
        "badges": badges,
        "body_html": "" if deleted else comment.body_html,
        "status": comment.status,
        "created_at": comment.created_at,
        "edited": comment.edited_at is not None,
        "like_count": comment.like_count,
        "reply_count": comment.reply_count,
        "liked": comment.pk in liked_ids,
        "featured": comment.featured_at is not None,
        "replies": [
            serialise(reply, liked_ids, viewer_id) for reply in getattr(comment, "replies", [])
        ],
    }


# What comment endpoints need of a story; loading the whole page row costs more than the rest.
ARTICLE_FIELDS = (
    "id",
    "path",
    "depth",
    "url_path",
    "title",
    "live",
    "last_published_at",
    "comment_mode",
    "comments_closed_message",
    "comment_count",
)


def live_article(article_id: int) -> ArticlePage:
    return get_object_or_404(readable_articles().only(*ARTICLE_FIELDS), pk=article_id)


def viewer(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The signed-in reader if any: a bearer token or the session; anonymous otherwise. A
    request without either is never looked up, so anonymous reads stay cacheable."""
    for auth in signed_in:
        user = auth(request)
        if user:
            return request.user
    return None


@router.get(
    "/articles/{article_id}/comments",
    response={200: ThreadOut | NewCommentsOut, **errors(400, 404, 422)},
    summary="A page of the thread, or the comments newer than `since`",
    auth=None,
)
def list_comments(
    request: HttpRequest,
    article_id: ObjectId,
    sort: str = "newest",
    cursor: str | None = None,
    since: Annotated[int | None, Query(ge=0, le=ID_MAX)] = None,
    limit: int = 20,
) -> dict:
    if not 1 <= limit <= 100:
        raise HttpError(400, "limit must be between 1 and 100.")
    if sort not in SORTS:
        raise HttpError(400, f"sort must be one of: {', '.join(sorted(SORTS))}.")
    article = get_object_or_404(
        readable_articles()
        .only(*ARTICLE_FIELDS)
        .annotate(thread_version=Coalesce(F("thread_activity__version"), 0)),
        pk=article_id,
    )
    if since is not None:
        rows, total = new_comments_since(article, since, limit=limit)
        return api.create_response(
            request,
            {
                "comment_count": article.comment_count,
                "total_new": total,
                "items": [serialise(c, set()) for c in rows],
            },
            status=200,
        )
    who = viewer(request)
    # Anonymous readers all get the same page for a given version of the thread: it is built
    # once and then served from the cache, so a hot story's readers cost one small query each.
    cache_key = None
    if who is None:
        cache_key = ":".join(
            map(
                str,
                (
                    "community:api:page:v1",
                    article.pk,
                    article.thread_version,
                    article.comment_count,
                    sort,
                    cursor or "",
                    limit,
                ),
            )
        )
        if (body := cache.get(cache_key)) is not None:
            return HttpResponse(body, content_type=api.get_content_type())
    try:
        page = thread_page(article=article, viewer=who, sort=sort, cursor=cursor, limit=limit)
    except BadCursor as exc:
        raise HttpError(400, str(exc)) from exc
    # The dicts below already have the documented shape; rendering them directly skips
    # validating every comment again, which cost more than the queries.
    response = api.create_response(
        request,
        {
            "comment_count": article.comment_count,
            "sort": page.sort,
            "featured": [serialise(c, page.liked_ids, who and who.pk) for c in page.featured],
            "items": [serialise(c, page.liked_ids, who and who.pk) for c in page.comments],
            "next_cursor": page.next_cursor,
        },
        status=200,
    )
    if cache_key:
        cache.set(cache_key, response.content, PAGE_CACHE_SECONDS)
    return response


MAX_IDS = 100


@router.get(
    "/comments",
    response={200: list[CommentOut], **errors(400, 422)},
    auth=None,
    summary="The current state of up to 100 comments an open page shows (counts, edits)",
)
def comments_by_id(request: HttpRequest, ids: str) -> list[dict]:
    try:
        wanted = {int(part) for part in ids.split(",") if part.strip()}
    except ValueError as exc:
        raise HttpError(400, "ids must be comment ids separated by commas.") from exc
    if any(not 0 < pk < 2**63 for pk in wanted):
        raise HttpError(400, "ids must be positive comment ids.")
    if not 1 <= len(wanted) <= MAX_IDS:
        raise HttpError(400, f"Ask for between 1 and {MAX_IDS} comments.")
    who = viewer(request)
    rows = list(
        readable_comments()
        .filter(pk__in=wanted)
        .visible_to(who)
        .select_related("author", "in_reply_to__author")
        .order_by("pk")
    )
    liked: set[int] = set()
    if who is not None:
        liked = set(
            Reaction.objects.filter(user=who, comment__in=rows).values_list("comment_id", flat=True)
        )
    return [serialise(c, liked, who and who.pk) for c in rows]


@router.get(
    "/articles/{article_id}/comments/live",
    response={200: LiveOut, **errors(404, 422)},
    auth=None,
    summary="The published count and a version that moves on every change; cheap to poll",
)
def live_counter(request: HttpRequest, article_id: ObjectId, response: HttpResponse) -> dict:
    row = (
        readable_articles()
        .filter(pk=article_id)
        .values_list("comment_count", "thread_activity__version")
        .first()
    )
    if row is None:
        raise HttpError(404, "That story does not exist.")
    response["Cache-Control"] = "public, max-age=2, s-maxage=2"
    # Marked like the story's comments section, so nginx or a CDN in front keeps it for its
    # two seconds: every open page polls it, and the origin then answers once per story.
    response["Surrogate-Key"] = surrogate.comments(int(article_id))
    response["Cache-Tag"] = surrogate.comments(int(article_id))
    return {"comment_count": row[0], "version": row[1] or 0}


@router.post(
    "/articles/{article_id}/comments",
    response={201: CommentCreated, **errors(400, 401, 403, 404, 409, 422, 429)},
    auth=signed_in,
    summary="Post a comment or a reply",
)
def create_comment(request: HttpRequest, article_id: ObjectId, payload: CommentIn) -> Status:
    article = live_article(article_id)
    # A client that retries with the same Idempotency-Key gets the first answer again.
    key = request.headers.get("Idempotency-Key", "")[:100]
    cache_key = f"idem:comment:{request.user.pk}:{key}" if key else None
    if cache_key and (done := cache.get(cache_key)):
        return Status(201, done)
    comment = services.post_comment(
        author=request.user,
        article=article,
        body=payload.body,
        parent=payload.parent_id,
        ip=ratelimit.client_ip(request),
    )
    result = {"id": comment.pk, "status": comment.status}
    if cache_key:
        cache.set(cache_key, result, IDEMPOTENCY_SECONDS)
    return Status(201, result)


def own_comment(comment_id: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)


@router.patch(
    "/comments/{comment_id}",
    response={200: CommentOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Edit",
)
def edit(request: HttpRequest, comment_id: ObjectId, payload: CommentEdit) -> dict:
    comment = services.edit_comment(
        comment=own_comment(comment_id), user=request.user, body=payload.body
    )
    return serialise(comment, set(), request.user.pk)


@router.delete(
    "/comments/{comment_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    auth=signed_in,
    summary="Delete your own",
)
def delete(request: HttpRequest, comment_id: ObjectId) -> Status:
    services.delete_own_comment(comment=own_comment(comment_id), user=request.user)
    return Status(204, None)


@router.post(
    "/comments/{comment_id}/reactions",
    response={200: ReactionOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    auth=signed_in,
    summary="Like",
)
def add_reaction(request: HttpRequest, comment_id: ObjectId) -> dict:
    count = services.react(
        comment=own_comment(comment_id), user=request.user, ip=ratelimit.client_ip(request)
    )
    return {"like_count": count, "liked": True}


@router.delete(
    "/comments/{comment_id}/reactions",
    response={200: ReactionOut, **errors(401, 403, 404, 422)},
    auth=signed_in,
    summary="Unlike",
)
def remove_reaction(request: HttpRequest, comment_id: ObjectId) -> dict:
    count = services.unreact(comment=own_comment(comment_id), user=request.user)
    return {"like_count": count, "liked": False}


class RepliesOut(Schema):
    items: list[CommentOut]
    next_cursor: str | None


@router.get(
    "/comments/{comment_id}/replies",
    response={200: RepliesOut, **errors(400, 404, 422)},
    auth=None,
    summary="Every reply under a top-level comment, oldest first, paged",
)
def list_replies(
    request: HttpRequest, comment_id: ObjectId, cursor: str | None = None, limit: int = 50
) -> dict:
    if not 1 <= limit <= 100:
        raise HttpError(400, "limit must be between 1 and 100.")
    root = get_object_or_404(readable_comments().filter(parent__isnull=True), pk=comment_id)
    who = viewer(request)
    try:
        rows, next_cursor = replies_page(root=root, viewer=who, cursor=cursor, limit=limit)
    except BadCursor as exc:
        raise HttpError(400, str(exc)) from exc
    liked = set()
    if who is not None:
        liked = set(
            Reaction.objects.filter(user=who, comment__in=rows).values_list("comment_id", flat=True)
        )
    return {
        "items": [serialise(c, liked, who and who.pk) for c in rows],
        "next_cursor": next_cursor,
    }


class FeatureIn(Schema):
    featured: bool = True


@router.post(
    "/comments/{comment_id}/feature",
    response={200: CommentOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Pin a comment above the thread, or unpin it (editors and moderators)",
)
def feature(request: HttpRequest, comment_id: ObjectId, payload: FeatureIn) -> dict:
    comment = services.feature_comment(
        comment=own_comment(comment_id), user=request.user, featured=payload.featured
    )
    return serialise(comment, set())


class MessageOut(Schema):
    level: str
    text: str


class OwnCommentOut(Schema):
    id: int
    parent_id: int | None
    status: str
    html: str = Field(description="The comment as the thread shows it; escaped on the server.")


class ArticleStateOut(Schema):
    id: int
    comments_open: bool
    can_comment: bool
    notice: str = Field(description="Why the reader may not take part (a suspension), or empty.")
    can_feature: bool
    liked_ids: list[int]
    own_ids: list[int]
    editable_ids: list[int]
    deletable_ids: list[int]
    own_comments: list[OwnCommentOut] = Field(
        description="The reader's comments only they see (awaiting review, hidden), oldest first."
    )


class PageStateOut(Schema):
    signed_in: bool
    display_name: str | None
    profile_url: str | None
    logout_url: str | None
    csrf_token: str | None
    messages: list[MessageOut]
    supporter: bool
    article: ArticleStateOut | None


@router.get(
    "/me/page-state",
    response={200: PageStateOut, **errors(422)},
    auth=None,
    tags=["session"],
    summary="The caller's part of a cached public page: account, messages, a story's thread",
)
def page_state(
    request: HttpRequest,
    response: HttpResponse,
    article: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
) -> dict:
    """Public pages are the same for every reader; their script asks this for what differs
    (only when the browser holds the `masthead_signed_in` hint). Reading it consumes the
    reader's pending messages. Private: never stored by any cache."""
    from masthead.accounts import signin_cookie
    from masthead.community.page_state import page_state as build

    state = build(request, article)
    response["Cache-Control"] = "private, no-store"
    if request.COOKIES.get(signin_cookie.FLASH_COOKIE):
        signin_cookie.clear_flash(response)
    if not state["signed_in"] and signin_cookie.COOKIE in request.COOKIES:
        signin_cookie.clear_signed_in(response)  # a stale hint: the session is gone
    return state
