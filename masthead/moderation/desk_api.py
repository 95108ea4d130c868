"""The desk's JSON API under /api/v1/moderation/: queues, decisions, history, and the small
questions `desk.js` asks ("which of these items has someone else decided?").

Moderators and admins only: anonymous callers get 401, everyone else 403. Writes go through
`masthead.moderation.services`; an item someone else decided first is a 409 that names them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from masthead.community.models import Comment
from masthead.core.api import ID_MAX, ObjectId, error, errors, signed_in
from masthead.moderation import desk, queues, services
from masthead.moderation.services import ModerationError

router = Router(tags=["moderation"], auth=signed_in)

QueueName = Literal["pending", "reported", "recent", "approved", "rejected", "appeals", "notices"]


def moderator(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = request.user  # set by either authenticator (bearer token or session)
    if not services.can_moderate(user):
        raise PermissionDenied("Only moderators can use the moderation desk.")
    return user


def _refused(request: HttpRequest, exc: ModerationError, comment: Comment) -> HttpResponse:
    if exc.code == "already_decided":
        by = queues.last_decider(comment)
        message = desk.already_decided_message(comment, exc)
        return error(request, 409, exc.code, message, decided_by=by or None)
    return error(request, exc.status, exc.code, exc.message)


def _comment(comment_id: int) -> Comment:
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None:
        raise HttpError(404, "No such comment.")
    return comment


# --- Schemas --------------------------------------------------------------------------------


class ArticleRef(Schema):
    id: int
    title: str
    thread_url: str


class ParentRef(Schema):
    id: int
    author: str
    body: str


class AuthorOut(Schema):
    id: int
    name: str
    joined: datetime | None
    approved: int
    rejected: int
    trust: int
    past_bans: int
    banned_until: datetime | None


class ReasonCount(Schema):
    reason: str
    label: str
    count: int
    notes: list[str]


class QueueItem(Schema):
    id: int
    status: str
    body: str = Field(description="The text as written, for moderators.")
    body_html: str
    created_at: datetime
    edited: bool
    article: ArticleRef
    parent: ParentRef | None
    author: AuthorOut | None
    open_reports: int
    reports: list[ReasonCount]
    has_notice: bool
    notices: int
    escalated: bool
    first_reported_at: datetime | None
    screening_summary: str
    screening: list[dict[str, Any]]
    moderated_at: datetime | None
    moderated_by: str | None
    rejection_reason: str
    appeal: str | None = Field(None, description="The author's appeal, in the appeals queue.")
    url: str = Field(description="The item's page on the desk.")
    seen: str = Field(description="Send back with a decision: the state you decided from.")


class QueueOut(Schema):
    queue: str
    items: list[QueueItem]
    next_cursor: str | None


class DecisionIn(Schema):
    action: Literal["approve", "reject", "ban"]
    reason: str = Field("", max_length=40)
    ban_days: Literal[1, 7, 30] | None = Field(
        None, description="For `ban`: 1, 7 or 30 days; empty for a permanent ban."
    )
    message: str = Field("", max_length=2000)
    seen: str | None = Field(
        None,
        max_length=80,
        description="The item's `seen` from the queue: if someone decided it since, 409.",
    )


class DecisionOut(Schema):
    id: int
    status: str
    action: str
    decided_by: str
    decided_at: datetime | None


class BulkIn(Schema):
    ids: list[int] = Field(min_length=1, max_length=desk.BULK_MAX)
    action: Literal["approve", "reject"]
    reason: str = Field("", max_length=40)
    seen: dict[int, str] = Field(
        default_factory=dict, description="Each item's `seen` from the queue, by id."
    )


class BulkOut(Schema):
    done: list[int]
    already_decided: list[dict[str, Any]]
    failed: list[dict[str, Any]]


class HistoryEntry(Schema):
    id: int
    kind: str
    label: str
    actor: str | None
    automated: bool
    reason: str
    message: str
    before_status: str
    after_status: str
    ban_until: datetime | None
    created_at: datetime


class GoneOut(Schema):
    gone: list[dict[str, Any]] = Field(
        description="Items no longer in the queue: id, status now, and who decided."
    )


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=2000)


def serialise(comment: Comment) -> dict[str, Any]:
    author = comment.author
    history = comment.history
    appeal = comment.open_appeal
    return {
        "id": comment.pk,
        "status": comment.status,
        "body": comment.body,
        "body_html": comment.body_html,
        "created_at": comment.created_at,
        "edited": comment.edited_at is not None,
        "article": {
            "id": comment.article_id,
            "title": comment.article.title,
            "thread_url": reverse("community:thread", args=[comment.article_id]),
        },
        "parent": {
            "id": comment.parent_id,
            "author": comment.parent.author_name,
            "body": "" if comment.parent.is_placeholder else comment.parent.body,
        }
        if comment.parent_id
        else None,
        "author": {
            "id": author.pk,
            "name": author.public_name,
            "joined": history.joined,
            "approved": history.approved,
            "rejected": history.rejected,
            "trust": history.trust,
            "past_bans": history.bans,
            "banned_until": author.banned_until,
        }
        if author is not None and history is not None
        else None,
        "open_reports": comment.open_reports,
        "reports": [
            {
                "reason": g.code,
                "label": g.label,
                "count": g.count,
                "notes": [n["note"] for n in g.notes],
            }
            for g in comment.reason_groups
        ],
        "has_notice": comment.has_notice,
        "notices": len(comment.open_notices),
        "escalated": comment.escalated,
        "first_reported_at": comment.first_reported_at,
        "screening_summary": comment.screening_summary,
        "screening": comment.screening if isinstance(comment.screening, list) else [],
        "moderated_at": comment.moderated_at,
        "moderated_by": comment.moderated_by.public_name if comment.moderated_by_id else None,
        "rejection_reason": comment.rejection_reason,
        "appeal": appeal.text if appeal is not None else None,
        "url": reverse("moderation:item", args=[comment.pk]),
        "seen": comment.seen,
    }


# --- Endpoints ------------------------------------------------------------------------------


@router.get(
    "/queues/{name}",
    response={200: QueueOut, **errors(400, 401, 403, 422)},
    summary="A page of a moderation queue, with report counts and reasons (moderators only)",
)
def queue(
    request: HttpRequest,
    name: QueueName,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=queues.MAX_PAGE_SIZE)] = queues.PAGE_SIZE,
    article: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    author: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    reason: Annotated[str, Query(max_length=40)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
) -> dict:
    moderator(request)
    filters = queues.Filters(article=article, author=author, reason=reason, q=q.strip())
    try:
        page = queues.queue_page(name, filters=filters, cursor=cursor, limit=limit)
    except queues.BadCursor as exc:
        raise HttpError(400, str(exc)) from exc
    return {
        "queue": name,
        "items": [serialise(c) for c in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/queues/{name}/gone",
    response={200: GoneOut, **errors(400, 401, 403, 422)},
    summary="Which of these items have left the queue (decided by someone else); cheap to poll",
)
def gone(request: HttpRequest, name: QueueName, response: HttpResponse, ids: str = "") -> dict:
    moderator(request)
    try:
        wanted = {int(part) for part in ids.split(",") if part.strip()}
    except ValueError as exc:
        raise HttpError(400, "ids must be comment ids separated by commas.") from exc
    if any(not 0 < pk <= ID_MAX for pk in wanted) or len(wanted) > queues.MAX_PAGE_SIZE:
        raise HttpError(400, f"Ask about between 0 and {queues.MAX_PAGE_SIZE} comment ids.")
    response["Cache-Control"] = "private, no-store"
    if not wanted:
        return {"gone": []}
    left = wanted - queues.still_in_queue(name, wanted)
    if not left:
        return {"gone": []}
    states = queues.decided_by(left)
    return {
        "gone": [
            {
                "id": pk,
                "status": states.get(pk, {}).get("status"),
                "by": states.get(pk, {}).get("by"),
            }
            for pk in sorted(left)
        ]
    }


@router.post(
    "/comments/{comment_id}/decision",
    response={200: DecisionOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Approve, reject, or reject and ban the author (moderators only)",
)
def decision(request: HttpRequest, comment_id: ObjectId, payload: DecisionIn):  # type: ignore[no-untyped-def]
    user = moderator(request)
    comment = _comment(comment_id)
    if payload.action != "ban" and payload.ban_days is not None:
        raise HttpError(400, "ban_days only goes with the ban action.")
    try:
        desk.apply_decision(
            comment=comment,
            moderator=user,
            action=payload.action,
            reason=payload.reason,
            days=payload.ban_days if payload.action == "ban" else None,
            message=payload.message,
            seen=payload.seen,
        )
    except ModerationError as exc:
        return _refused(request, exc, comment)
    comment.refresh_from_db(fields=["status", "moderated_at"])
    return {
        "id": comment.pk,
        "status": comment.status,
        "action": payload.action,
        "decided_by": user.public_name,
        "decided_at": comment.moderated_at,
    }


@router.post(
    "/decisions",
    response={200: BulkOut, **errors(400, 401, 403, 422)},
    summary="Approve or reject several comments at once (moderators only)",
)
def bulk(request: HttpRequest, payload: BulkIn) -> dict:
    user = moderator(request)
    if any(not 0 < pk <= ID_MAX for pk in payload.ids):
        raise HttpError(400, "ids must be positive comment ids.")
    done, already, failed = desk.bulk_decide(
        ids=list(dict.fromkeys(payload.ids)),
        moderator=user,
        action=payload.action,
        reason=payload.reason,
        seen=payload.seen,
    )
    return {
        "done": done,
        "already_decided": [{"id": pk, "by": by} for pk, by in already],
        "failed": [{"id": pk, "message": text} for pk, text in failed],
    }


@router.post(
    "/comments/{comment_id}/undo",
    response={200: DecisionOut, **errors(401, 403, 404, 409, 422)},
    summary="Undo the last decision on a comment (moderators only)",
)
def undo(request: HttpRequest, comment_id: ObjectId):  # type: ignore[no-untyped-def]
    user = moderator(request)
    comment = _comment(comment_id)
    try:
        services.undo_last_decision(comment=comment, moderator=user)
    except ModerationError as exc:
        return _refused(request, exc, comment)
    comment.refresh_from_db(fields=["status", "moderated_at"])
    return {
        "id": comment.pk,
        "status": comment.status,
        "action": "undo",
        "decided_by": user.public_name,
        "decided_at": comment.moderated_at,
    }


@router.post(
    "/comments/{comment_id}/notes",
    response={201: HistoryEntry, **errors(400, 401, 403, 404, 409, 422)},
    summary="Add a note for the newsroom to a comment's history (moderators only)",
)
def add_note(request: HttpRequest, comment_id: ObjectId, payload: NoteIn):  # type: ignore[no-untyped-def]
    user = moderator(request)
    comment = _comment(comment_id)
    try:
        action = services.add_note(comment=comment, moderator=user, text=payload.text)
    except ModerationError as exc:
        return _refused(request, exc, comment)
    return Status(201, _entry(action))


@router.get(
    "/comments/{comment_id}/history",
    response={200: list[HistoryEntry], **errors(401, 403, 404, 422)},
    summary="Every decision and automatic action on a comment, oldest first (moderators only)",
)
def history(request: HttpRequest, comment_id: ObjectId) -> list[dict]:
    moderator(request)
    comment = _comment(comment_id)
    return [_entry(action) for action in queues.item_history(comment)]


def _entry(action: Any) -> dict[str, Any]:
    return {
        "id": action.pk,
        "kind": action.kind,
        "label": action.get_kind_display(),
        "actor": action.actor.public_name if action.actor_id else None,
        "automated": action.automated,
        "reason": action.reason,
        "message": action.message,
        "before_status": action.before_status,
        "after_status": action.after_status,
        "ban_until": action.ban_until,
        "created_at": action.created_at,
    }
