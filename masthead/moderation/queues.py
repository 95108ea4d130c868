"""What the moderation desk reads: the queues, an item's context, the log and the dashboard.

Every queue page costs a fixed number of queries whatever the size of the queue: keyset
(cursor) pagination over an index, authors, articles and parents joined, and one grouped query
each for the shown items' reports, report notes, notices and their authors' past bans. Writes
are not here: decisions go through `masthead.moderation.services`.
"""

from __future__ import annotations

import base64
import binascii
import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone

from masthead.accounts.models import Role, User
from masthead.community.models import Comment, CommentStatus
from masthead.moderation.models import (
    ActionKind,
    Appeal,
    AppealStatus,
    IllegalContentNotice,
    ModerationAction,
    ModerationSettings,
    NoticeStatus,
    Report,
    ReportReason,
    ReportStatus,
)

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
COUNT_CAP = 1000  # queue sizes in the desk's menu are counted up to this ("1,000+")
NOTES_PER_ITEM = 5


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Queue:
    name: str
    title: str
    description: str
    counted: bool = False  # the menu shows how many items wait


QUEUES: dict[str, Queue] = {
    q.name: q
    for q in [
        Queue(
            "reported",
            "Reported",
            "Comments readers reported: legal notices first, then reports left too long, "
            "then the most reported.",
            counted=True,
        ),
        Queue("pending", "Pending", "Held before publication, oldest first.", counted=True),
        Queue(
            "recent",
            "Recent",
            "Everything posted in the last 7 days that no moderator has looked at yet, "
            "newest first.",
        ),
        Queue("approved", "Approved", "Approved by a moderator, latest decision first."),
        Queue("rejected", "Rejected", "Removed comments, latest first."),
        Queue(
            "appeals",
            "Appeals",
            "Authors asking for a second look at a removal, oldest first. Decide an appeal "
            "only if you did not make the removal.",
            counted=True,
        ),
        Queue(
            "notices",
            "Legal notices",
            "Illegal-content notices from anyone, signed in or not, oldest first.",
            counted=True,
        ),
    ]
}

ACTIVE_STATUSES = (CommentStatus.PUBLISHED, CommentStatus.HIDDEN)
DECISION_KINDS = (ActionKind.APPROVE, ActionKind.REJECT, ActionKind.BAN)


@dataclass(frozen=True)
class Filters:
    article: int | None = None
    reason: str = ""
    q: str = ""
    author: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.article or self.reason or self.q or self.author)

    def as_params(self) -> dict[str, str]:
        params = {
            "article": str(self.article or ""),
            "reason": self.reason,
            "q": self.q,
            "author": str(self.author or ""),
        }
        return {k: v for k, v in params.items() if v}


@dataclass
class QueuePage:
    queue: Queue
    items: list[Comment]
    next_cursor: str | None
    escalate_after: timedelta


@dataclass
class AuthorHistory:
    joined: datetime | None
    approved: int = 0
    rejected: int = 0
    trust: int = 0
    bans: int = 0
    last_ban: datetime | None = None
    banned_until: datetime | None = None
    is_banned: bool = False


@dataclass
class ReasonGroup:
    code: str
    label: str
    count: int
    notes: list[dict[str, Any]] = field(default_factory=list)


# --- Cursors --------------------------------------------------------------------------------


def encode_cursor(values: Iterable[Any]) -> str:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime) else value

    raw = json.dumps([plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kinds: list[str]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError("wrong shape")
        out: list[Any] = []
        for kind, value in zip(kinds, values, strict=True):
            if kind == "dt":
                when = datetime.fromisoformat(value)
                if timezone.is_naive(when):
                    raise ValueError("naive time")
                out.append(when)
            elif kind == "int":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise ValueError("not a number")
                if not -(2**63) < value < 2**63:
                    raise ValueError("out of range")
                out.append(value)
            else:  # pragma: no cover
                raise ValueError(kind)
        return out
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as error:
        raise BadCursor("The cursor is not valid; start again without one.") from error


def _after(keys: list[tuple[str, bool, str]], values: list[Any]) -> Q:
    """Rows after `values` in the order of `keys` (name, descending, kind): a keyset filter."""
    condition = Q(pk__in=[])
    for i, (name, descending, _kind) in enumerate(keys):
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
        for j in range(i):
            step &= Q(**{keys[j][0]: values[j]})
        condition |= step
    return condition


# --- The queues -----------------------------------------------------------------------------


def escalation_window(request_or_site: Any = None) -> timedelta:
    hours = ModerationSettings.load(request_or_site=request_or_site).escalate_after_hours
    return timedelta(hours=hours or 48)


def _reason_filter(queue: str, code: str) -> Q:
    if queue in {"approved", "rejected"}:
        any_report = Report.objects.filter(comment=OuterRef("pk"), reason__code=code)
        return Q(rejection_reason=code) | Q(Exists(any_report))
    open_report = Report.objects.filter(
        comment=OuterRef("pk"), reason__code=code, status=ReportStatus.OPEN
    )
    return Q(Exists(open_report))


def base_queryset(name: str, *, now: datetime, escalate_after: timedelta) -> QuerySet[Comment]:
    """The items of a queue, before filters and paging: what "is this still in the queue?"
    asks of an item another moderator may have decided."""
    qs = Comment.objects.all()
    if name == "pending":
        return qs.filter(status=CommentStatus.PENDING)
    if name == "reported":
        # `has_notice` is set with every notice and cleared by the decision that closes them,
        # so the queue reads one partial index instead of the whole comment table.
        return qs.filter(status__in=ACTIVE_STATUSES).filter(
            Q(open_reports__gt=0) | Q(has_notice=True)
        )
    if name == "recent":
        return qs.filter(
            status__in=(*ACTIVE_STATUSES, CommentStatus.PENDING),
            moderated_at__isnull=True,
            created_at__gte=now - timedelta(days=7),
        )
    if name == "approved":
        return qs.filter(status=CommentStatus.PUBLISHED, moderated_at__isnull=False)
    if name == "rejected":
        return qs.filter(status=CommentStatus.REJECTED)
    if name == "appeals":
        return qs.filter(appeal__status=AppealStatus.OPEN)
    if name == "notices":
        # From the (small) notices table: `has_notice` has no index of its own.
        return qs.filter(pk__in=_open_notice_comments())
    raise KeyError(name)


def _open_notice_comments() -> QuerySet[IllegalContentNotice]:
    return IllegalContentNotice.objects.filter(status=NoticeStatus.OPEN).values("comment_id")


def _ordered(
    name: str, qs: QuerySet[Comment], *, now: datetime, escalate_after: timedelta
) -> tuple[QuerySet[Comment], list[tuple[str, bool, str]]]:
    """The queue's order and the keys (field, descending, kind) its cursor carries."""
    if name == "pending":
        keys = [("created_at", False, "dt"), ("pk", False, "int")]
    elif name == "reported":
        qs = qs.annotate(
            notice_rank=Case(When(has_notice=True, then=Value(1)), default=Value(0)),
            reported_since=Coalesce("first_reported_at", "created_at"),
        ).annotate(
            escalated=Case(
                When(reported_since__lte=now - escalate_after, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        keys = [
            ("notice_rank", True, "int"),
            ("escalated", True, "int"),
            ("open_reports", True, "int"),
            ("reported_since", False, "dt"),
            ("pk", False, "int"),
        ]
    elif name == "recent":
        keys = [("created_at", True, "dt"), ("pk", True, "int")]
    elif name in {"approved", "rejected"}:
        qs = qs.annotate(decided_at=Coalesce("moderated_at", "created_at"))
        keys = [("decided_at", True, "dt"), ("pk", True, "int")]
    elif name == "appeals":
        qs = qs.annotate(appealed_at=F("appeal__created_at"))
        keys = [("appealed_at", False, "dt"), ("pk", False, "int")]
    elif name == "notices":
        keys = [("first_reported_at_or_created", False, "dt"), ("pk", False, "int")]
        qs = qs.annotate(first_reported_at_or_created=Coalesce("first_reported_at", "created_at"))
    else:  # pragma: no cover
        raise KeyError(name)
    order = [f"-{k}" if desc else k for k, desc, _ in keys]
    return qs.order_by(*order), keys


def queue_page(
    name: str,
    *,
    filters: Filters = Filters(),
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime | None = None,
    escalate_after: timedelta | None = None,
) -> QueuePage:
    """One page of a queue with everything each item shows, in a fixed number of queries."""
    queue = QUEUES[name]
    now = now or timezone.now()
    escalate_after = escalate_after or escalation_window()
    qs = base_queryset(name, now=now, escalate_after=escalate_after)
    if filters.article:
        qs = qs.filter(article_id=filters.article)
    if filters.author:
        qs = qs.filter(author_id=filters.author)
    if filters.reason:
        qs = qs.filter(_reason_filter(name, filters.reason))
    if filters.q:
        qs = qs.filter(
            Q(body__icontains=filters.q)
            | Q(author__display_name__icontains=filters.q)
            | Q(author__email__iexact=filters.q)
        )
    qs, keys = _ordered(name, qs, now=now, escalate_after=escalate_after)
    if cursor:
        qs = qs.filter(_after(keys, decode_cursor(cursor, [kind for _, _, kind in keys])))
    related = ["article", "author", "parent__author", "in_reply_to__author", "moderated_by"]
    if name == "appeals":
        related += ["appeal", "appeal__author"]
    rows = list(qs.select_related(*related)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, k) for k, _, _ in keys)
    decorate(rows, now=now, escalate_after=escalate_after)
    return QueuePage(queue, rows, next_cursor, escalate_after)


def decorate(
    items: list[Comment], *, now: datetime | None = None, escalate_after: timedelta | None = None
) -> None:
    """Give each shown comment what the desk shows beside it, in four queries for them all:
    `.reason_groups` (open reports by reason, with the latest notes), `.open_notices`,
    `.history` (its author's record) and `.escalated`."""
    now = now or timezone.now()
    escalate_after = escalate_after or escalation_window()
    ids = [c.pk for c in items]
    groups: dict[int, dict[str, ReasonGroup]] = defaultdict(dict)
    for row in (
        Report.objects.filter(comment_id__in=ids, status=ReportStatus.OPEN)
        .values("comment_id", "reason__code", "reason__label")
        .annotate(n=Count("pk"))
        .order_by("comment_id", "-n", "reason__code")
    ):
        groups[row["comment_id"]][row["reason__code"]] = ReasonGroup(
            row["reason__code"], row["reason__label"], row["n"]
        )
    for row in (
        Report.objects.filter(comment_id__in=ids, status=ReportStatus.OPEN)
        .exclude(note="")
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("comment_id")], order_by=F("created_at").desc()
            )
        )
        .filter(rank__lte=NOTES_PER_ITEM)
        .values("comment_id", "reason__code", "note", "created_at")
    ):
        group = groups[row["comment_id"]].get(row["reason__code"])
        if group is not None:
            group.notes.append({"note": row["note"], "created_at": row["created_at"]})
    notices: dict[int, list[IllegalContentNotice]] = defaultdict(list)
    for notice in IllegalContentNotice.objects.filter(
        comment_id__in=ids, status=NoticeStatus.OPEN
    ).order_by("created_at"):
        notices[notice.comment_id].append(notice)
    author_ids = {c.author_id for c in items if c.author_id}
    bans = {
        row["subject_user_id"]: row
        for row in ModerationAction.objects.filter(
            subject_user_id__in=author_ids, kind=ActionKind.BAN
        )
        .values("subject_user_id")
        .annotate(n=Count("pk"), last=Max("created_at"))
        .order_by()
    }
    for comment in items:
        comment.reason_groups = list(groups[comment.pk].values())
        comment.open_notices = notices[comment.pk]
        comment.history = author_history(comment.author, bans.get(comment.author_id))
        since = comment.first_reported_at
        comment.escalated = bool(
            comment.open_reports and since is not None and since <= now - escalate_after
        )
        comment.top_reason = comment.reason_groups[0].code if comment.reason_groups else ""
        comment.seen = seen_token(comment)
        # The appeal only where it was joined (the appeals queue, an item's page): never a
        # query per item.
        comment.open_appeal = _joined_appeal(comment)


def _joined_appeal(comment: Comment) -> Appeal | None:
    if not Comment.appeal.is_cached(comment):
        return None
    try:
        appeal = comment.appeal
    except Appeal.DoesNotExist:
        return None
    return appeal if appeal.status == AppealStatus.OPEN else None


def seen_token(comment: Comment) -> str:
    """The state a moderator saw, sent back with a decision, so that a comment someone else
    decided in the meantime is refused ("already decided") rather than decided twice."""
    when = comment.moderated_at.isoformat() if comment.moderated_at else ""
    return f"{comment.status}|{when}"


def as_seen(comment: Comment, token: str | None) -> Comment:
    """The comment as the moderator saw it (see `seen_token`); unchanged for a bad token."""
    status, _, when = (token or "").partition("|")
    if status not in CommentStatus.values:
        return comment
    try:
        moderated_at = datetime.fromisoformat(when) if when else None
    except ValueError:
        return comment
    if moderated_at is not None and timezone.is_naive(moderated_at):
        return comment
    comment.status = status
    comment.moderated_at = moderated_at
    return comment


def author_history(author: User | None, bans: dict[str, Any] | None) -> AuthorHistory | None:
    if author is None:
        return None
    return AuthorHistory(
        joined=author.date_joined,
        approved=author.approved_comments,
        rejected=author.rejected_comments,
        trust=author.trust,
        bans=bans["n"] if bans else 0,
        last_ban=bans["last"] if bans else None,
        banned_until=author.banned_until,
        is_banned=author.is_banned,
    )


def queue_counts() -> dict[str, str]:
    """How many items wait in the counted queues, capped so a huge queue costs no more than a
    small one: one small query per counted queue."""
    now = timezone.now()
    window = timedelta(hours=48)
    out = {}
    for name, queue in QUEUES.items():
        if not queue.counted:
            continue
        qs = base_queryset(name, now=now, escalate_after=window).order_by()
        n = qs.values("pk")[: COUNT_CAP + 1].count()
        out[name] = f"{COUNT_CAP:,}+" if n > COUNT_CAP else f"{n:,}"
    return out


def still_in_queue(name: str, ids: Iterable[int]) -> set[int]:
    """Which of these items the queue still holds (the rest were decided elsewhere)."""
    now = timezone.now()
    qs = base_queryset(name, now=now, escalate_after=timedelta(hours=48))
    return set(qs.filter(pk__in=list(ids)).values_list("pk", flat=True))


def decided_by(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Who last decided each of these comments, and how it stands now."""
    out: dict[int, dict[str, Any]] = {}
    rows = Comment.objects.filter(pk__in=list(ids)).values_list(
        "pk", "status", "moderated_at", "moderated_by_id", "moderated_by__display_name"
    )
    for pk, status, moderated_at, by_id, by_name in rows:
        name = by_name or (f"Moderator {by_id}" if by_id else "")
        out[pk] = {"status": status, "by": name, "at": moderated_at}
    return out


def active_reasons() -> list[ReportReason]:
    return list(ReportReason.objects.order_by("sort_order", "pk"))


# --- One item -------------------------------------------------------------------------------


def comment_for_moderator(pk: int) -> Comment:
    """The item with its context; raises Comment.DoesNotExist."""
    comment = Comment.objects.select_related(
        "article", "author", "parent__author", "in_reply_to__author", "moderated_by", "appeal"
    ).get(pk=pk)
    decorate([comment])
    return comment


def item_reports(comment: Comment) -> list[Report]:
    return list(
        Report.objects.filter(comment=comment)
        .select_related("reason", "reporter")
        .order_by("status", "-created_at")[:200]
    )


def item_history(comment: Comment) -> list[ModerationAction]:
    return list(
        ModerationAction.objects.filter(comment=comment)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def item_appeal(comment: Comment) -> Appeal | None:
    return Appeal.objects.filter(comment=comment).select_related("author", "decided_by").first()


def item_notices(comment: Comment) -> list[IllegalContentNotice]:
    return list(
        IllegalContentNotice.objects.filter(comment=comment)
        .select_related("decided_by")
        .order_by("-created_at")
    )


def last_decider(comment: Comment) -> str:
    """The name to show in "already decided by X" ("" when no moderator decided it)."""
    row = (
        Comment.objects.filter(pk=comment.pk)
        .values_list("moderated_by__display_name", "moderated_by_id")
        .first()
    )
    if not row or not row[1]:
        return ""
    return row[0] or f"Reader {row[1]}"


# --- The log --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogFilters:
    actor: int | None = None
    kind: str = ""
    article: int | None = None
    comment: int | None = None
    since: date | None = None
    until: date | None = None

    def as_params(self) -> dict[str, str]:
        params = {
            "actor": str(self.actor or ""),
            "kind": self.kind,
            "article": str(self.article or ""),
            "comment": str(self.comment or ""),
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {k: v for k, v in params.items() if v}


def log_queryset(filters: LogFilters) -> QuerySet[ModerationAction]:
    qs = ModerationAction.objects.all()
    if filters.actor:
        qs = qs.filter(actor_id=filters.actor)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.article:
        qs = qs.filter(comment__article_id=filters.article)
    if filters.comment:
        qs = qs.filter(comment_id=filters.comment)
    tz = timezone.get_current_timezone()
    if filters.since:
        start = datetime.combine(filters.since, datetime.min.time(), tzinfo=tz)
        qs = qs.filter(created_at__gte=start)
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        qs = qs.filter(created_at__lt=end)
    return qs.order_by("-created_at", "-pk")


def log_page(
    filters: LogFilters, *, cursor: str | None = None, limit: int = 50
) -> tuple[list[ModerationAction], str | None]:
    qs = log_queryset(filters)
    keys = [("created_at", True, "dt"), ("pk", True, "int")]
    if cursor:
        qs = qs.filter(_after(keys, decode_cursor(cursor, ["dt", "int"])))
    rows = list(qs.select_related("actor", "subject_user", "comment__article")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1].created_at, rows[-1].pk])
    return rows, next_cursor


LOG_COLUMNS = [
    "time",
    "kind",
    "moderator",
    "automated",
    "comment_id",
    "article_id",
    "article",
    "author",
    "reason",
    "before_status",
    "after_status",
    "ban_until",
    "message",
]


def log_rows(filters: LogFilters) -> Iterator[list[str]]:
    """The filtered log as CSV rows, streamed in chunks (a year of decisions is fine)."""
    qs = log_queryset(filters).select_related("actor", "subject_user", "comment__article")
    for action in qs.iterator(chunk_size=2000):
        article = action.comment.article if action.comment_id else None
        yield [
            action.created_at.isoformat(),
            action.kind,
            action.actor.public_name if action.actor_id else "",
            "yes" if action.automated else "no",
            str(action.comment_id or ""),
            str(article.pk) if article else "",
            article.title if article else "",
            action.subject_user.public_name if action.subject_user_id else "",
            action.reason,
            action.before_status,
            action.after_status,
            action.ban_until.isoformat() if action.ban_until else "",
            action.message,
        ]


def moderators() -> list[User]:
    return list(
        User.objects.filter(Q(is_superuser=True) | Q(groups__name__in=[Role.MODERATOR, Role.ADMIN]))
        .distinct()
        .order_by("display_name", "pk")
    )


# --- The dashboard --------------------------------------------------------------------------


@dataclass
class Dashboard:
    days: list[date]
    comments: list[int]
    reports: list[int]
    approvals: list[int]
    rejections: list[int]
    statuses: dict[str, int]
    median_hours: float | None
    median_by_day: list[float]
    top_articles: list[tuple[int, str, int]]
    top_moderators: list[tuple[str, int]]


def _per_day(qs: QuerySet, field_name: str, days: list[date]) -> dict[date, int]:
    tz = timezone.get_current_timezone()
    rows = (
        qs.annotate(day=TruncDate(field_name, tzinfo=tz))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["day"]: row["n"] for row in rows}


def dashboard(*, days: int = 30, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    today = timezone.localdate(now)
    span = [today - timedelta(days=days - 1 - i) for i in range(days)]
    tz = timezone.get_current_timezone()
    start = datetime.combine(span[0], datetime.min.time(), tzinfo=tz)

    comments = Comment.objects.filter(created_at__gte=start)
    per_day_comments = _per_day(comments, "created_at", span)
    per_day_reports = _per_day(Report.objects.filter(created_at__gte=start), "created_at", span)
    decisions = ModerationAction.objects.filter(created_at__gte=start, kind__in=DECISION_KINDS)
    approvals = _per_day(decisions.filter(kind=ActionKind.APPROVE), "created_at", span)
    rejections = _per_day(decisions.exclude(kind=ActionKind.APPROVE), "created_at", span)
    statuses = {
        row["status"]: row["n"]
        for row in comments.values("status").annotate(n=Count("pk")).order_by()
    }

    waits: dict[date, list[float]] = defaultdict(list)
    all_waits: list[float] = []
    for created, resolved in Report.objects.filter(
        status=ReportStatus.RESOLVED, resolved_at__gte=start
    ).values_list("created_at", "resolved_at"):
        hours = max((resolved - created).total_seconds() / 3600, 0)
        waits[timezone.localdate(resolved)].append(hours)
        all_waits.append(hours)

    top_articles = [
        (row["comment__article_id"], row["comment__article__title"], row["n"])
        for row in Report.objects.filter(created_at__gte=start)
        .values("comment__article_id", "comment__article__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "comment__article_id")[:10]
    ]
    top_moderators = [
        (row["actor__display_name"] or f"Moderator {row['actor_id']}", row["n"])
        for row in decisions.filter(actor__isnull=False)
        .values("actor_id", "actor__display_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "actor_id")[:10]
    ]
    return Dashboard(
        days=span,
        comments=[per_day_comments.get(d, 0) for d in span],
        reports=[per_day_reports.get(d, 0) for d in span],
        approvals=[approvals.get(d, 0) for d in span],
        rejections=[rejections.get(d, 0) for d in span],
        statuses=statuses,
        median_hours=statistics.median(all_waits) if all_waits else None,
        median_by_day=[round(statistics.median(waits[d]), 1) if waits[d] else 0 for d in span],
        top_articles=top_articles,
        top_moderators=top_moderators,
    )
