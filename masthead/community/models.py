"""Reader comments ("Your Voice") and reactions.

A thread is shown three levels deep: top-level comments (depth 0), their replies (depth 1) and
replies to those (depth 2). A reply to a depth-2 comment is attached to it as a sibling at depth
2 and names the reader it answers (`in_reply_to`), so deep exchanges stay readable on a phone.
Every comment keeps `root`, its top-level ancestor, so one query fetches the replies of a whole
page of threads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

MAX_DEPTH = 2  # 0-based: three levels on screen


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    PENDING = "pending", "Awaiting review"
    REJECTED = "rejected", "Rejected"
    DELETED = "deleted", "Deleted by its author"
    HIDDEN = "hidden", "Hidden until a moderator decides"


# Statuses shown as a placeholder ("deleted", "removed", "hidden for review") when the comment
# has replies, so the replies stay in place. Their words are never shown to other readers.
PLACEHOLDER_STATUSES = (CommentStatus.DELETED, CommentStatus.REJECTED, CommentStatus.HIDDEN)


class CommentQuerySet(models.QuerySet["Comment"]):
    def published(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.PUBLISHED)

    def visible_to(self, user) -> CommentQuerySet:  # type: ignore[no-untyped-def]
        """What a reader may see: published comments, deleted or removed ones that keep replies
        in place (shown as a placeholder), and their own comments that await review or are
        hidden after reports."""
        shown = Q(status=CommentStatus.PUBLISHED) | Q(
            status__in=PLACEHOLDER_STATUSES, reply_count__gt=0
        )
        if user is not None and user.is_authenticated:
            shown |= Q(status__in=(CommentStatus.PENDING, CommentStatus.HIDDEN), author=user)
        return self.filter(shown)

    def top_level(self) -> CommentQuerySet:
        return self.filter(parent__isnull=True)


class Comment(models.Model):
    article = models.ForeignKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="comments"
    )
    # Null once the author deleted their account and comments are kept anonymised.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="descendants"
    )
    in_reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The comment answered, when deeper than the thread shows.",
    )
    depth = models.PositiveSmallIntegerField(default=0)
    # The text as the reader wrote it (for editing and moderation) and its sanitised HTML,
    # made once when the comment is written and never re-rendered on read.
    body = models.TextField()
    body_html = models.TextField()
    status = models.CharField(
        max_length=12, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    featured_at = models.DateTimeField(null=True, blank=True)
    # Denormalised, kept in step in the same transaction as the change they count.
    like_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    author_is_staff = models.BooleanField(default=False)

    # Moderation (kept in step by masthead.moderation.services).
    open_reports = models.PositiveIntegerField(default=0)
    first_reported_at = models.DateTimeField(null=True, blank=True)
    has_notice = models.BooleanField(default=False)
    screening = models.JSONField(default=list, blank=True)
    screening_summary = models.CharField(max_length=300, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.CharField(max_length=40, blank=True)
    # Normalised-text hash (see masthead.moderation.screening.fingerprint): finds the same text
    # posted again, by anyone, with an index.
    body_fingerprint = models.CharField(max_length=32, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_time"),
            models.Index(fields=["article", "status", "like_count"], name="comment_thread_likes"),
            models.Index(fields=["root", "created_at"], name="comment_replies"),
            models.Index(fields=["author", "created_at"], name="comment_by_author"),
            models.Index(fields=["status", "created_at"], name="comment_queue_time"),
            models.Index(
                fields=["status", "open_reports", "first_reported_at"],
                name="comment_queue_reported",
            ),
            models.Index(fields=["moderated_at"], name="comment_moderated_at"),
            models.Index(fields=["body_fingerprint", "created_at"], name="comment_fingerprint"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__lte=MAX_DEPTH), name="comment_depth_at_most_2"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, root__isnull=True, depth=0)
                | Q(parent__isnull=False, root__isnull=False, depth__gt=0),
                name="comment_root_matches_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on article {self.article_id}"

    @property
    def is_published(self) -> bool:
        return self.status == CommentStatus.PUBLISHED

    @property
    def is_deleted(self) -> bool:
        return self.status == CommentStatus.DELETED

    @property
    def is_pending(self) -> bool:
        return self.status == CommentStatus.PENDING

    @property
    def is_hidden(self) -> bool:
        return self.status == CommentStatus.HIDDEN

    @property
    def is_rejected(self) -> bool:
        return self.status == CommentStatus.REJECTED

    @property
    def is_placeholder(self) -> bool:
        """Deleted, removed or hidden: readers see it without its words (the desk too, for a
        parent shown as context)."""
        return self.status in PLACEHOLDER_STATUSES

    def is_placeholder_for(self, user) -> bool:  # type: ignore[no-untyped-def]
        """Shown without its words or author: deleted, removed, or hidden for review (except
        to its own author, who still sees a hidden comment, marked)."""
        if self.status == CommentStatus.HIDDEN:
            return not (user is not None and user.is_authenticated and user.pk == self.author_id)
        return self.status in PLACEHOLDER_STATUSES

    @property
    def author_name(self) -> str:
        return self.author.public_name if self.author_id else "Former reader"


class ReactionKind(models.TextChoices):
    LIKE = "like", "Like"


class Reaction(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=20, choices=ReactionKind.choices, default=ReactionKind.LIKE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user", "kind"], name="one_reaction_per_reader_per_comment"
            )
        ]
        indexes = [models.Index(fields=["user", "comment"], name="reaction_by_user")]

    def __str__(self) -> str:
        return f"{self.kind} on comment {self.comment_id}"


class ThreadActivity(models.Model):
    """A counter that moves whenever anything in an article's thread changes (a comment, an
    edit, a like, a deletion, a decision). Open pages poll it to know when to refresh. It lives
    in the database, not a per-process cache, so every app server answers the same; and apart
    from the article row, so that editors saving the story never contend with it."""

    article = models.OneToOneField(
        "newsroom.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="thread_activity",
    )
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"thread of article {self.article_id} at version {self.version}"
