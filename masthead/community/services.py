"""Reader comments: every write goes through these functions.

Views, the API, commands and tasks call them; they check the rules, write in one transaction
(keeping the denormalised counts in step), and raise CommentError with a stable code and a
message fit to show a reader.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from masthead.accounts.models import Role, User
from masthead.community.models import (
    MAX_DEPTH,
    Comment,
    CommentStatus,
    Reaction,
    ReactionKind,
    ThreadActivity,
)
from masthead.community.text import normalise, render_comment_text
from masthead.core import ratelimit
from masthead.newsroom.models import ArticlePage, CommentMode

logger = logging.getLogger(__name__)


@dataclass
class CommentError(Exception):
    """A rule refused the action. `code` is stable (API clients rely on it)."""

    code: str
    message: str
    status: int = 400
    retry_after: int = 0

    def __str__(self) -> str:
        return self.message


# --- Checks ---------------------------------------------------------------------------------


def check_can_participate(user: User | None, *, action: str = "comment") -> None:
    """Signed in, active, not banned and, unless relaxed, with a verified email address."""
    if user is None or not user.is_authenticated:
        raise CommentError("unauthenticated", f"Sign in to {action}.", 401)
    if not user.is_active:
        raise CommentError("inactive", "This account is closed.", 403)
    if user.is_banned:
        raise CommentError("banned", user.suspension_notice, 403)
    needs_verified = (
        settings.MASTHEAD["COMMENTS_REQUIRE_VERIFIED_EMAIL"] and not user.is_newsroom_staff
    )
    if needs_verified and not has_verified_email(user):
        raise CommentError(
            "unverified",
            "Please confirm your email address first: follow the link we sent you.",
            403,
        )


VERIFIED_CACHE_SECONDS = 600


def has_verified_email(user: User) -> bool:
    """Whether the reader confirmed an address. A yes is remembered for a while (it is on
    every write a reader makes); a no is always checked afresh, so confirming works at once."""
    key = f"community:verified:{user.pk}"
    if cache.get(key):
        return True
    verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    if verified:
        cache.set(key, True, VERIFIED_CACHE_SECONDS)
    return verified


def check_rate(scope: str, user: User, ip: str | None) -> None:
    verdicts = [ratelimit.hit(scope, f"user:{user.pk}")]
    if ip:
        verdicts.append(ratelimit.hit(f"{scope}_ip", f"ip:{ip}"))
    refused = [v for v in verdicts if not v.allowed]
    if refused:
        wait = max(v.retry_after for v in refused)
        raise CommentError(
            "rate_limited",
            f"You're going a little fast. Please wait {wait} seconds and try again.",
            429,
            retry_after=wait,
        )


def check_body(body: str) -> str:
    text = normalise(body or "")
    if not text:
        raise CommentError("empty", "Write something before you post.")
    limit = settings.MASTHEAD["COMMENT_MAX_LENGTH"]
    if len(text) > limit:
        raise CommentError(
            "too_long",
            f"Comments can be at most {limit:,} characters; yours has {len(text):,}.",
        )
    return text


def check_article_open(article: ArticlePage) -> None:
    if not article.live:
        raise CommentError("not_found", "That story does not exist.", 404)
    if article.comment_mode == CommentMode.LEGAL:
        raise CommentError(
            "closed_legal",
            article.comments_closed_message
            or "Comments are closed on this story for legal reasons.",
            403,
        )
    if article.comment_mode == CommentMode.CLOSED:
        raise CommentError("closed", "Comments are closed on this story.", 403)


# --- Status ---------------------------------------------------------------------------------


def initial_status(*, article: ArticlePage, author: User, body: str, comment_pk: int | None = None):  # type: ignore[no-untyped-def]
    """The one place that decides whether a comment appears at once, waits for review or is
    refused: the pre-screening pipeline (masthead.moderation.screening), which also holds
    everything on pre-moderated stories and lets staff comments through. Returns the whole
    `Screening` (status, each rule's result, a summary and the text's fingerprint)."""
    from masthead.moderation.screening import screen

    return screen(author=author, article=article, text=body, comment_pk=comment_pk)


def _screened(comment: Comment, screening) -> None:  # type: ignore[no-untyped-def]
    """The audit entry (and, for a refusal, the statement of reasons) for screening."""
    if screening.status != CommentStatus.PUBLISHED:
        from masthead.moderation.services import record_screening

        record_screening(
            comment=comment,
            status=screening.status,
            summary=screening.summary,
            results=screening.results,
        )


# Stricter last: an edit can hold or refuse a comment, never release one held for review.
STRICTNESS = [CommentStatus.PUBLISHED, CommentStatus.PENDING, CommentStatus.REJECTED]


# --- Counts and live updates ----------------------------------------------------------------


def _count_published(comment: Comment, delta: int) -> None:
    """Move the article's published count and the parent's reply count by `delta`."""
    ArticlePage.objects.filter(pk=comment.article_id).update(
        comment_count=F("comment_count") + delta
    )
    if comment.parent_id:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") + delta)


def recount_comments(article_id: int) -> None:
    """Set the article's count from the comments themselves, in one statement (used after an
    editor publishes, and by repair commands): self-healing if anything drifted."""
    published = (
        Comment.objects.filter(article_id=OuterRef("pk"), status=CommentStatus.PUBLISHED)
        .order_by()
        .values("article_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ArticlePage.objects.filter(pk=article_id).update(
        comment_count=Coalesce(Subquery(published), Value(0))
    )


def thread_changed(article_id: int) -> None:
    """Move the thread's version, in the caller's transaction, so open pages (polling the
    live endpoint) see the change exactly when it is committed, and purge the article's cached
    comments section."""
    from masthead.caching.purge import purge_comments

    purge_comments(article_id)
    now = timezone.now()
    moved = ThreadActivity.objects.filter(article_id=article_id).update(
        version=F("version") + 1, changed_at=now
    )
    if not moved:
        try:
            with transaction.atomic():
                ThreadActivity.objects.create(article_id=article_id, version=1, changed_at=now)
        except IntegrityError:  # created meanwhile by another writer
            ThreadActivity.objects.filter(article_id=article_id).update(
                version=F("version") + 1, changed_at=now
            )


def change_status(
    comment: Comment,
    *,
    to: str,
    expected: set[str] | None = None,
    fields: dict[str, object] | None = None,
    where: Q | None = None,
) -> bool:
    """Move a comment to status `to` if its status is still one of `expected` (any, if None)
    and it matches `where`; set `fields` in the same statement. Keeps the article's count and
    the parent's reply count right when the comment enters or leaves `published`, and moves the
    thread's version. Returns False, changing nothing, when the comment was no longer as
    expected: another moderator got there first. Runs in the caller's transaction (or its own).

    One conditional UPDATE per candidate status, so the database decides the race: on
    PostgreSQL the loser's UPDATE re-checks the row after the winner commits and matches none.
    """
    candidates = list(expected) if expected is not None else list(CommentStatus.values)
    values = {"status": to, **(fields or {})}
    with transaction.atomic():
        before = None
        for status in candidates:
            rows = Comment.objects.filter(pk=comment.pk, status=status)
            if where is not None:
                rows = rows.filter(where)
            if rows.update(**values):
                before = status
                break
        if before is None:
            return False
        if before != to and CommentStatus.PUBLISHED in (before, to):
            _count_published(comment, +1 if to == CommentStatus.PUBLISHED else -1)
        thread_changed(comment.article_id)
    for name, value in values.items():
        if not hasattr(value, "resolve_expression"):
            setattr(comment, name, value)
    return True


# --- Writes ---------------------------------------------------------------------------------


def post_comment(
    *,
    author: User,
    article: ArticlePage,
    body: str,
    parent: Comment | int | None = None,
    ip: str | None = None,
) -> Comment:
    """Post a comment or a reply; returns it with status `published` or `pending`."""
    check_can_participate(author)
    text = check_body(body)
    check_article_open(article)

    if parent is not None and not isinstance(parent, Comment):
        parent = Comment.objects.filter(pk=parent).first()
        if parent is None:
            raise CommentError(
                "unknown_parent", "The comment you're replying to doesn't exist.", 404
            )
    if parent is not None and (
        parent.article_id != article.pk
        or not (parent.is_published or (parent.is_pending and parent.author_id == author.pk))
    ):
        raise CommentError(
            "unknown_parent", "The comment you're replying to is no longer available.", 404
        )

    last = (
        Comment.objects.filter(author=author)
        .order_by("-created_at", "-pk")
        .values_list("body", "status")
        .first()
    )
    if last is not None and last[0] == text and last[1] != CommentStatus.DELETED:
        raise CommentError(
            "duplicate", "You've just posted exactly this. Try saying something new.", 409
        )
    check_rate("comment", author, ip)

    # Deep replies stay at the third level, beside the comment they answer, and name it.
    in_reply_to = None
    if parent is not None and parent.depth >= MAX_DEPTH:
        in_reply_to = parent
        parent = parent.parent

    screening = initial_status(article=article, author=author, body=text)
    status = screening.status
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            author=author,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            in_reply_to=in_reply_to,
            depth=parent.depth + 1 if parent else 0,
            body=text,
            body_html=render_comment_text(text),
            status=status,
            author_is_staff=author.is_newsroom_staff,
            screening=screening.results,
            screening_summary=screening.summary,
            body_fingerprint=screening.fingerprint,
        )
        if status == CommentStatus.PUBLISHED:
            _count_published(comment, +1)
            thread_changed(article.pk)
        _screened(comment, screening)
    logger.info("comment %s posted on article %s as %s", comment.pk, article.pk, status)
    return comment


def edit_window_open(comment: Comment) -> bool:
    window = timedelta(seconds=settings.MASTHEAD["COMMENT_EDIT_WINDOW"])
    return timezone.now() - comment.created_at <= window


def check_editable(*, comment: Comment, user: User) -> None:
    """The author, taking part, on a live comment, within the edit window."""
    check_can_participate(user, action="edit")
    if comment.author_id != user.pk:
        raise CommentError("forbidden", "You can only edit your own comments.", 403)
    if comment.status not in {CommentStatus.PUBLISHED, CommentStatus.PENDING}:
        raise CommentError("not_editable", "This comment can no longer be edited.", 409)
    if not edit_window_open(comment):
        minutes = settings.MASTHEAD["COMMENT_EDIT_WINDOW"] // 60
        raise CommentError(
            "edit_window_closed", f"Comments can only be edited for {minutes} minutes.", 409
        )


def edit_comment(*, comment: Comment, user: User, body: str) -> Comment:
    """Authors may edit within the window; the comment then shows "edited"."""
    check_editable(comment=comment, user=user)
    text = check_body(body)
    if text == comment.body:
        return comment
    screening = initial_status(
        article=comment.article, author=user, body=text, comment_pk=comment.pk
    )
    before = comment.status
    after = max(before, screening.status, key=STRICTNESS.index)
    with transaction.atomic():
        comment.body = text
        comment.body_html = render_comment_text(text)
        comment.edited_at = timezone.now()
        comment.screening = screening.results
        comment.screening_summary = screening.summary
        comment.body_fingerprint = screening.fingerprint
        comment.save(
            update_fields=[
                "body",
                "body_html",
                "edited_at",
                "screening",
                "screening_summary",
                "body_fingerprint",
            ]
        )
        if after != before and change_status(comment, to=after, expected={before}):
            _screened(comment, screening)
        else:
            thread_changed(comment.article_id)
    return comment


def delete_own_comment(*, comment: Comment, user: User) -> Comment:
    """The author removes their words; replies stay in place under a placeholder."""
    if user is None or not user.is_authenticated or comment.author_id != user.pk:
        raise CommentError("forbidden", "You can only delete your own comments.", 403)
    if comment.is_deleted:
        return comment  # deleting twice is harmless (a retried request)
    # Conditional on the status the database holds, not the one loaded: a retry racing the
    # first request, or a moderator's decision landing meanwhile, must not count it twice.
    change_status(
        comment,
        to=CommentStatus.DELETED,
        expected=set(CommentStatus.values) - {CommentStatus.DELETED},
        fields={"body": "", "body_html": ""},
    )
    return comment


def react(
    *, comment: Comment, user: User, kind: str = ReactionKind.LIKE, ip: str | None = None
) -> int:
    """Add the reader's reaction (once); returns the comment's new count. Safe to retry."""
    check_can_participate(user, action="react")
    if kind not in ReactionKind.values:
        raise CommentError("unknown_reaction", "That reaction is not available.")
    if not comment.is_published:
        raise CommentError("not_found", "That comment is not available.", 404)
    if comment.author_id == user.pk:
        raise CommentError("own_comment", "You can't like your own comment.", 409)
    check_rate("reaction", user, ip)
    try:
        with transaction.atomic():
            Reaction.objects.create(comment=comment, user=user, kind=kind)
            Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
            thread_changed(comment.article_id)
    except IntegrityError:
        pass  # already reacted: the unique constraint makes a retry a no-op
    return Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)


def unreact(*, comment: Comment, user: User, kind: str = ReactionKind.LIKE) -> int:
    """Take the reaction back; returns the new count. Safe to retry."""
    if user is None or not user.is_authenticated:
        raise CommentError("unauthenticated", "Sign in to react.", 401)
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(comment=comment, user=user, kind=kind).delete()
        if deleted:
            Comment.objects.filter(pk=comment.pk, like_count__gt=0).update(
                like_count=F("like_count") - 1
            )
            thread_changed(comment.article_id)
    return Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)


def can_feature(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.EDITOR, Role.MODERATOR)


def feature_comment(*, comment: Comment, user: User, featured: bool = True) -> Comment:
    """Editors pin a published comment above the thread (or unpin it)."""
    if not can_feature(user):
        raise CommentError("forbidden", "Only editors and moderators can feature comments.", 403)
    if featured and not comment.is_published:
        raise CommentError("not_published", "Only published comments can be featured.", 409)
    comment.featured_at = timezone.now() if featured else None
    comment.save(update_fields=["featured_at"])
    thread_changed(comment.article_id)
    return comment
