"""Moderation: every report, notice, decision and appeal goes through these functions.

Like `masthead.community.services`, each checks the rules, writes in one transaction (moving
the comment with `change_status`, which keeps counts and the live version right), appends a
`ModerationAction` to the audit trail, and raises `ModerationError` with a stable code and a
message fit to show. Emails leave once the transaction has committed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Min, Q
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from masthead.accounts.models import Role, User
from masthead.community.models import Comment, CommentStatus
from masthead.community.services import (
    CommentError,
    change_status,
    check_can_participate,
    check_rate,
    feature_comment,
)
from masthead.community.text import normalise
from masthead.core import ratelimit
from masthead.moderation.models import (
    DEFAULT_REPORT_THRESHOLD,
    ActionKind,
    Appeal,
    AppealStatus,
    CommunityGuidelinesPage,
    IllegalContentNotice,
    ModerationAction,
    ModerationSettings,
    NoticeStatus,
    Report,
    ReportReason,
    ReportStatus,
)

logger = logging.getLogger(__name__)

NOTE_MAX = 500
NOTICE_EXPLANATION_MAX = 5000
APPEAL_MAX = 2000
MODERATOR_NOTE_MAX = 2000
BAN_DAYS = (1, 7, 30)
PERMANENT = datetime(9999, 12, 31, tzinfo=UTC)
DECISIONS = ("approve", "reject", "ban")
NOTICE_RATE_IP = "5/h"


@dataclass
class ModerationError(CommentError):
    """A moderation rule refused the action; the API answers it like a CommentError."""


# --- Who and what ---------------------------------------------------------------------------


def can_moderate(user: User | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_role(Role.MODERATOR, Role.ADMIN)
    )


def check_moderator(user: User | None) -> None:
    if user is None or not user.is_authenticated:
        raise ModerationError("unauthenticated", "Sign in to moderate.", 401)
    if not can_moderate(user):
        raise ModerationError("forbidden", "Only moderators can do that.", 403)


def moderation_settings() -> ModerationSettings:
    return ModerationSettings.load()


def report_reasons() -> list[ReportReason]:
    return list(ReportReason.objects.active())


def guidelines_url() -> str | None:
    return CommunityGuidelinesPage.current_url()


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def appeal_url(comment: Comment) -> str:
    return absolute(reverse("reports:appeal", args=[comment.pk]))


def _record(
    *,
    comment: Comment | None,
    kind: str,
    actor: User | None = None,
    before: str = "",
    after: str = "",
    automated: bool | None = None,
    **values: object,
) -> ModerationAction:
    if automated is None:
        automated = actor is None and kind.startswith(("auto_", "report_", "escalate"))
    return ModerationAction.objects.create(
        comment=comment,
        kind=kind,
        actor=actor,
        automated=automated,
        before_status=before,
        after_status=after,
        **values,
    )


def _send(subject: str, template: str, context: dict, to: str) -> None:
    """Send once the transaction commits (a rolled-back decision sends nothing)."""
    body = render_to_string(template, {**context, "base_url": settings.BASE_URL})

    def deliver() -> None:
        try:
            send_mail(subject, body, None, [to])
        except Exception:  # a mail server down must not undo a decision already made
            logger.exception("could not send %r to a reader", subject)

    transaction.on_commit(deliver)


def _refresh_report_counts(comment: Comment) -> tuple[int, int]:
    """Set the comment's open-report count and oldest open report from the reports themselves;
    returns (open reports, lowest hiding threshold among their reasons)."""
    default = moderation_settings().report_threshold or DEFAULT_REPORT_THRESHOLD
    stats = Report.objects.filter(comment=comment, status=ReportStatus.OPEN).aggregate(
        n=Count("pk"),
        first=Min("created_at"),
        lowest=Min("reason__hide_threshold"),
        defaults=Count("pk", filter=Q(reason__hide_threshold__isnull=True)),
    )
    Comment.objects.filter(pk=comment.pk).update(
        open_reports=stats["n"], first_reported_at=stats["first"]
    )
    comment.open_reports, comment.first_reported_at = stats["n"], stats["first"]
    thresholds = [t for t in (stats["lowest"],) if t] + ([default] if stats["defaults"] else [])
    return stats["n"], min(thresholds) if thresholds else default


# --- Reports --------------------------------------------------------------------------------


def check_can_report(reporter: User | None, comment: Comment) -> None:
    """Signed in, taking part, not the author, and a comment readers can see."""
    check_can_participate(reporter, action="report")
    if comment.status not in {CommentStatus.PUBLISHED, CommentStatus.HIDDEN}:
        raise ModerationError("not_found", "That comment is not available.", 404)
    if comment.author_id == reporter.pk:
        raise ModerationError("own_comment", "You can't report your own comment.", 403)


def report_comment(
    *, reporter: User, comment: Comment, reason: str, note: str = "", ip: str | None = None
) -> tuple[Report, bool]:
    """File the reader's report, or update their earlier one; returns (report, created).

    When the open reports reach the lowest hiding threshold among their reasons (the site's
    default, 3, or 1 for a legal concern), a published comment is hidden until a moderator
    decides, unless a moderator has already approved it: then it only waits in the queue.
    """
    check_can_report(reporter, comment)
    chosen = ReportReason.objects.active().filter(code=reason or "").first()
    if chosen is None:
        codes = ", ".join(ReportReason.objects.active().values_list("code", flat=True))
        raise ModerationError(
            "unknown_reason", f"Choose which guideline the comment breaks ({codes}).", 400
        )
    note = normalise(note or "")
    if len(note) > NOTE_MAX:
        raise ModerationError(
            "too_long", f"The note can be at most {NOTE_MAX} characters; yours has {len(note)}."
        )
    check_rate("report", reporter, ip)

    now = timezone.now()
    with transaction.atomic():
        report = (
            Report.objects.select_for_update().filter(comment=comment, reporter=reporter).first()
        )
        created = report is None
        if created:
            try:
                with transaction.atomic():
                    report = Report.objects.create(
                        comment=comment,
                        reporter=reporter,
                        reason=chosen,
                        note=note,
                        created_at=now,
                        updated_at=now,
                    )
            except IntegrityError:  # the same reader, twice at once: the first one stands
                report = Report.objects.get(comment=comment, reporter=reporter)
                created = False
        if not created:
            report.reason, report.note, report.updated_at = chosen, note, now
            # A report on a comment a moderator has since decided opens again: it is news.
            report.status, report.resolution, report.resolved_at = ReportStatus.OPEN, "", None
            report.save(
                update_fields=[
                    "reason",
                    "note",
                    "updated_at",
                    "status",
                    "resolution",
                    "resolved_at",
                ]
            )
        count, threshold = _refresh_report_counts(comment)
        if count >= threshold and change_status(
            comment,
            to=CommentStatus.HIDDEN,
            expected={CommentStatus.PUBLISHED},
            where=Q(moderated_at__isnull=True),
        ):
            _record(
                comment=comment,
                kind=ActionKind.AUTO_HIDE,
                reason=chosen.code,
                before=CommentStatus.PUBLISHED,
                after=CommentStatus.HIDDEN,
                subject_user_id=comment.author_id,
                automated=True,
                detail={"trigger": "reports", "open_reports": count, "threshold": threshold},
            )
    return report, created


# --- Decisions ------------------------------------------------------------------------------


def _already_decided(comment: Comment) -> ModerationError:
    status = Comment.objects.filter(pk=comment.pk).values_list("status", flat=True).first()
    label = CommentStatus(status).label.lower() if status else "gone"
    return ModerationError(
        "already_decided",
        f"Someone already decided this comment (it is now {label}). Nothing was changed.",
        409,
    )


def _valid_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if reason and not ReportReason.objects.filter(code=reason).exists():
        raise ModerationError("unknown_reason", f"There is no guideline called “{reason}”.")
    return reason


def _ban_until(ban_days: int | None, now: datetime) -> datetime:
    if ban_days is None:
        return PERMANENT
    if ban_days not in BAN_DAYS:
        raise ModerationError(
            "invalid_ban", "A ban lasts 1, 7 or 30 days, or is permanent (no days)."
        )
    return now + timedelta(days=ban_days)


def _most_reported_reason(comment: Comment) -> str:
    row = (
        Report.objects.filter(comment=comment, status=ReportStatus.OPEN)
        .values("reason__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason__sort_order")
        .first()
    )
    if row:
        return row["reason__code"]
    return "legal" if comment.has_notice else "other"


def decide(
    *,
    comment: Comment,
    moderator: User,
    action: str,
    reason: str = "",
    ban_days: int | None = None,
    message: str = "",
) -> ModerationAction:
    """Approve, reject, or reject and ban the author. Decides from the state the moderator
    saw (`comment` as loaded): if anyone decided meanwhile, raises `already_decided` (409)
    and changes nothing. Resolves the open reports and notices, updates the author's trust,
    and sends the author a statement of reasons on removal."""
    check_moderator(moderator)
    if action not in DECISIONS:
        raise ModerationError("invalid_action", "The action must be approve, reject or ban.")
    reason = _valid_reason(reason)
    message = (message or "").strip()[:MODERATOR_NOTE_MAX]
    now = timezone.now()
    before = comment.status
    author = User.objects.filter(pk=comment.author_id).first() if comment.author_id else None
    ban_until = None
    if action == "ban":
        if author is None:
            raise ModerationError("no_author", "This comment's author no longer has an account.")
        if author.is_newsroom_staff or author.has_role(Role.MODERATOR, Role.EDITOR):
            raise ModerationError("staff", "Newsroom staff can't be banned from the desk.", 403)
        ban_until = _ban_until(ban_days, now)

    if action == "approve":
        to = CommentStatus.PUBLISHED
        # Approving a published comment only makes sense while something is open against it.
        decidable = {CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.PUBLISHED}
        where = Q(status__in=[CommentStatus.PENDING, CommentStatus.HIDDEN]) | Q(open_reports__gt=0)
        where |= Q(has_notice=True)
    else:
        to = CommentStatus.REJECTED
        decidable = {CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.PUBLISHED}
        if action == "ban":
            decidable.add(CommentStatus.REJECTED)  # ban the author of a comment already removed
        where = Q()
        reason = reason or _most_reported_reason(comment)
    if before not in decidable:
        raise _already_decided(comment)
    # Nobody decided since this moderator loaded it.
    where &= (
        Q(moderated_at=comment.moderated_at)
        if comment.moderated_at
        else Q(moderated_at__isnull=True)
    )

    with transaction.atomic():
        fields: dict[str, object] = {
            "moderated_at": now,
            "moderated_by": moderator,
            "rejection_reason": reason if to == CommentStatus.REJECTED else "",
            "open_reports": 0,
            "first_reported_at": None,
            "has_notice": False,
        }
        if to == CommentStatus.REJECTED:
            fields["featured_at"] = None
        if not change_status(comment, to=to, expected={before}, fields=fields, where=where):
            raise _already_decided(comment)

        resolution = "approved" if action == "approve" else "rejected"
        report_ids = list(
            Report.objects.filter(comment=comment, status=ReportStatus.OPEN).values_list(
                "pk", flat=True
            )
        )
        Report.objects.filter(pk__in=report_ids).update(
            status=ReportStatus.RESOLVED, resolution=resolution, resolved_at=now
        )
        notices = list(IllegalContentNotice.objects.filter(comment=comment, status="open"))
        outcome = "kept" if action == "approve" else "removed"
        IllegalContentNotice.objects.filter(pk__in=[n.pk for n in notices]).update(
            status=NoticeStatus.DECIDED, outcome=outcome, decided_at=now, decided_by=moderator
        )

        detail: dict[str, object] = {"reports": report_ids, "notices": [n.pk for n in notices]}
        counted = before != CommentStatus.REJECTED  # banning after a removal counts once
        if author is not None and counted:
            counter = "approved_comments" if action == "approve" else "rejected_comments"
            User.objects.filter(pk=author.pk).update(**{counter: F(counter) + 1})
            detail["trust"] = counter
        if ban_until is not None:
            detail["previous_ban_until"] = (
                author.banned_until.isoformat() if author.banned_until else None
            )
            detail["previous_ban_message"] = author.ban_message
            User.objects.filter(pk=author.pk).update(banned_until=ban_until, ban_message=message)
            author.banned_until, author.ban_message = ban_until, message

        record = _record(
            comment=comment,
            kind=action,
            actor=moderator,
            reason=reason,
            message=message,
            before=before,
            after=to,
            subject_user=author,
            ban_until=ban_until,
            detail=detail,
        )
        if to == CommentStatus.REJECTED and before != CommentStatus.REJECTED:
            _statement_of_reasons(comment, author, reason, automated=False)
        for notice in notices:
            _notice_decided(notice, comment, outcome)
    logger.info("comment %s: %s by moderator %s", comment.pk, action, moderator.pk)
    return record


def reason_label(code: str) -> str:
    if code == "legal_notice":
        return "a notice that it breaks the law"
    reason = ReportReason.objects.filter(code=code).first()
    return reason.label if reason else (code or "our community guidelines")


def _statement_of_reasons(
    comment: Comment,
    author: User | None,
    reason: str,
    *,
    automated: bool,
    reason_text: str = "",
) -> None:
    """The author is told what was removed, why, whether automated means were used, and how
    to appeal (EU Digital Services Act, art. 17)."""
    if author is None or not author.email or not moderation_settings().notify_authors:
        return
    context = {
        "comment": comment,
        "author": author,
        "reason": reason_text or reason_label(reason),
        "legal": reason == "legal",
        "automated": automated,
        "article_title": comment.article.title,
        "appeal_url": appeal_url(comment),
        "guidelines_url": guidelines_url(),
    }
    _send(
        "Your comment was removed",
        "moderation/email/statement_of_reasons.txt",
        context,
        author.email,
    )


def undo_last_decision(*, comment: Comment, moderator: User) -> ModerationAction:
    """Put the comment back as it was before its last decision: status, reports, notices,
    the author's trust and any ban that came with it. Undoing twice changes nothing."""
    check_moderator(moderator)
    last = (
        ModerationAction.objects.filter(
            comment=comment,
            kind__in=[*DECISIONS, ActionKind.UNDO, ActionKind.APPEAL_REVERSED],
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None or last.kind not in DECISIONS:
        raise ModerationError("nothing_to_undo", "There is no decision to undo.", 409)
    now = timezone.now()
    detail = last.detail or {}
    with transaction.atomic():
        moved = change_status(
            comment,
            to=last.before_status,
            expected={last.after_status},
            fields={
                "moderated_at": now,
                "moderated_by": moderator,
                "rejection_reason": "",
            },
            where=Q(moderated_at=comment.moderated_at) if comment.moderated_at else None,
        )
        if not moved:
            raise _already_decided(comment)
        Report.objects.filter(pk__in=detail.get("reports", [])).update(
            status=ReportStatus.OPEN, resolution="", resolved_at=None
        )
        if detail.get("notices"):
            IllegalContentNotice.objects.filter(pk__in=detail["notices"]).update(
                status=NoticeStatus.OPEN, outcome="", decided_at=None, decided_by=None
            )
            Comment.objects.filter(pk=comment.pk).update(has_notice=True)
            comment.has_notice = True
        _refresh_report_counts(comment)
        if last.subject_user_id and detail.get("trust"):
            counter = detail["trust"]
            User.objects.filter(pk=last.subject_user_id).update(
                **{counter: Greatest(F(counter) - 1, 0)}
            )
        if last.kind == "ban" and last.subject_user_id:
            previous = detail.get("previous_ban_until")
            User.objects.filter(pk=last.subject_user_id, banned_until=last.ban_until).update(
                banned_until=datetime.fromisoformat(previous) if previous else None,
                ban_message=detail.get("previous_ban_message", ""),
            )
        record = _record(
            comment=comment,
            kind=ActionKind.UNDO,
            actor=moderator,
            before=last.after_status,
            after=last.before_status,
            subject_user_id=last.subject_user_id,
            message=f"Undid “{last.get_kind_display()}”",
            detail={"undid": last.pk},
        )
    return record


def add_note(*, comment: Comment, moderator: User, text: str) -> ModerationAction:
    """A note for the team, on the comment's history; readers never see it."""
    check_moderator(moderator)
    text = (text or "").strip()
    if not text:
        raise ModerationError("empty", "Write the note first.")
    if len(text) > MODERATOR_NOTE_MAX:
        raise ModerationError("too_long", f"Notes can be at most {MODERATOR_NOTE_MAX} characters.")
    return _record(
        comment=comment,
        kind=ActionKind.NOTE,
        actor=moderator,
        message=text,
        subject_user_id=comment.author_id,
    )


def feature(*, comment: Comment, moderator: User, featured: bool = True) -> ModerationAction:
    """Pin a published comment above the thread (or unpin it), on the record."""
    check_moderator(moderator)
    with transaction.atomic():
        feature_comment(comment=comment, user=moderator, featured=featured)
        return _record(
            comment=comment,
            kind=ActionKind.FEATURE if featured else ActionKind.UNFEATURE,
            actor=moderator,
            subject_user_id=comment.author_id,
        )


def record_screening(
    *, comment: Comment, status: str, summary: str = "", results: list | None = None
) -> ModerationAction | None:
    """The audit entry for what pre-screening did to a new or edited comment (held or
    rejected); nothing is recorded for a comment that simply went through."""
    kinds = {CommentStatus.PENDING: ActionKind.AUTO_HOLD, CommentStatus.REJECTED: "auto_reject"}
    kind = kinds.get(status)
    if kind is None:
        return None
    record = _record(
        comment=comment,
        kind=kind,
        after=status,
        subject_user_id=comment.author_id,
        message=summary,
        detail={"results": results or []},
    )
    if status == CommentStatus.REJECTED:
        author = User.objects.filter(pk=comment.author_id).first() if comment.author_id else None
        rules = "; ".join(
            r.get("detail") or r.get("rule", "")
            for r in results or []
            if r.get("action") == "reject" and not r.get("shadow")
        )
        _statement_of_reasons(
            comment,
            author,
            "",
            automated=True,
            reason_text=f"our automatic checks found {rules or 'a problem'}",
        )
    return record


def escalation_cutoff() -> datetime:
    """Comments first reported before this are escalated to the top of the Reported queue."""
    hours = moderation_settings().escalate_after_hours or 48
    return timezone.now() - timedelta(hours=hours)


# --- Illegal-content notices ----------------------------------------------------------------


@dataclass
class NoticeForm:
    law: str = ""
    explanation: str = ""
    name: str = ""
    email: str = ""
    good_faith: bool = False


def check_notice(form: NoticeForm) -> dict[str, str]:
    """Field errors (empty when the notice is complete)."""
    errors: dict[str, str] = {}
    if not normalise(form.law):
        errors["law"] = "Name the law you believe the comment breaks."
    elif len(form.law) > 200:
        errors["law"] = "Keep the law's name to 200 characters."
    if not normalise(form.explanation):
        errors["explanation"] = "Explain why you believe the comment is illegal."
    elif len(form.explanation) > NOTICE_EXPLANATION_MAX:
        errors["explanation"] = (
            f"The explanation can be at most {NOTICE_EXPLANATION_MAX:,} characters; "
            f"yours has {len(form.explanation):,}."
        )
    if not normalise(form.name):
        errors["name"] = "Give your name."
    elif len(form.name) > 200:
        errors["name"] = "Keep your name to 200 characters."
    try:
        validate_email(form.email.strip())
    except ValidationError:
        errors["email"] = "Give an email address we can answer you at."
    if not form.good_faith:
        errors["good_faith"] = "Confirm that you file this notice in good faith."
    return errors


def file_notice(
    *, comment: Comment, form: NoticeForm, reporter: User | None = None, ip: str | None = None
) -> IllegalContentNotice:
    """Anyone may tell us a comment is illegal. The notice goes to the top of the desk and is
    acknowledged by email; the decision is emailed back too."""
    if comment.status not in {CommentStatus.PUBLISHED, CommentStatus.HIDDEN}:
        raise ModerationError("not_found", "That comment is not available.", 404)
    errors = check_notice(form)
    if errors:
        error = ModerationError("invalid", " ".join(errors.values()), 400)
        error.fields = errors  # type: ignore[attr-defined]
        raise error
    if ip:
        rate = settings.MASTHEAD["RATE_LIMITS"].get("notice_ip", NOTICE_RATE_IP)
        verdict = ratelimit.hit("notice_ip", f"ip:{ip}", rate)
        if not verdict.allowed:
            raise ModerationError(
                "rate_limited",
                "We've had several notices from your address. Please try again later.",
                429,
                retry_after=verdict.retry_after,
            )
    with transaction.atomic():
        notice = IllegalContentNotice.objects.create(
            comment=comment,
            # Plain text like every reader's words: no control or bidi characters (a NUL byte
            # would also be refused by PostgreSQL, a 500 on a public form).
            law=normalise(form.law),
            explanation=normalise(form.explanation),
            name=normalise(form.name),
            email=form.email.strip(),
            good_faith=True,
            reporter=reporter if reporter is not None and reporter.is_authenticated else None,
        )
        Comment.objects.filter(pk=comment.pk).update(has_notice=True)
        comment.has_notice = True
        _record(
            comment=comment,
            kind=ActionKind.NOTICE,
            reason="legal",
            message=notice.law,
            subject_user_id=comment.author_id,
            detail={"notice": notice.pk},
        )
        _send(
            "We received your notice",
            "moderation/email/notice_received.txt",
            {"notice": notice, "article_title": comment.article.title},
            notice.email,
        )
    return notice


def _notice_decided(notice: IllegalContentNotice, comment: Comment, outcome: str) -> None:
    _send(
        "Our decision on your notice",
        "moderation/email/notice_decided.txt",
        {"notice": notice, "removed": outcome == "removed", "article_title": comment.article.title},
        notice.email,
    )


# --- Appeals --------------------------------------------------------------------------------


def check_can_appeal(*, comment: Comment, author: User | None) -> None:
    """The author of a removed comment, once. A banned author may still appeal."""
    if author is None or not author.is_authenticated:
        raise ModerationError("unauthenticated", "Sign in to appeal.", 401)
    if comment.author_id != author.pk:
        raise ModerationError("forbidden", "Only the comment's author can appeal.", 403)
    if Appeal.objects.filter(comment=comment).exists():
        raise ModerationError(
            "already_appealed", "You've already appealed this decision; we'll email you.", 409
        )
    if comment.status != CommentStatus.REJECTED:
        raise ModerationError("not_removed", "This comment has not been removed.", 409)


def file_appeal(*, comment: Comment, author: User, text: str) -> Appeal:
    check_can_appeal(comment=comment, author=author)
    text = normalise(text or "")
    if not text:
        raise ModerationError("empty", "Tell us why the comment should be restored.")
    if len(text) > APPEAL_MAX:
        raise ModerationError(
            "too_long",
            f"An appeal can be at most {APPEAL_MAX:,} characters; yours has {len(text):,}.",
        )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(comment=comment, author=author, text=text)
            _record(
                comment=comment,
                kind=ActionKind.APPEAL,
                before=comment.status,
                after=comment.status,
                subject_user=author,
                message=text,
            )
    except IntegrityError as exc:
        raise ModerationError(
            "already_appealed", "You've already appealed this decision; we'll email you.", 409
        ) from exc
    return appeal


def remover_of(comment: Comment) -> int | None:
    """Who removed the comment (None when screening did): the last removal on the record."""
    last = (
        ModerationAction.objects.filter(
            comment=comment, kind__in=["reject", "ban", ActionKind.AUTO_REJECT]
        )
        .order_by("-created_at", "-pk")
        .values_list("actor_id", flat=True)
        .first()
    )
    return last


def decide_appeal(
    *, appeal: Appeal, moderator: User, outcome: str, note: str = ""
) -> ModerationAction:
    """A moderator other than the one who removed the comment upholds the removal or
    reverses it (the comment is published again and any ban that came with it lifted)."""
    check_moderator(moderator)
    if outcome not in {AppealStatus.UPHELD, AppealStatus.REVERSED}:
        raise ModerationError("invalid_outcome", "The outcome must be upheld or reversed.")
    comment = appeal.comment
    if remover_of(comment) == moderator.pk:
        raise ModerationError(
            "different_moderator",
            "You removed this comment: another moderator must decide the appeal.",
            403,
        )
    now = timezone.now()
    note = (note or "").strip()[:MODERATOR_NOTE_MAX]
    with transaction.atomic():
        claimed = Appeal.objects.filter(pk=appeal.pk, status=AppealStatus.OPEN).update(
            status=outcome, decided_by=moderator, decided_at=now, decision_note=note
        )
        if not claimed:
            raise ModerationError(
                "already_decided", "Someone already decided this appeal. Nothing was changed.", 409
            )
        appeal.status, appeal.decided_by, appeal.decided_at = outcome, moderator, now
        appeal.decision_note = note
        detail: dict[str, object] = {"appeal": appeal.pk}
        if outcome == AppealStatus.REVERSED:
            restored = change_status(
                comment,
                to=CommentStatus.PUBLISHED,
                expected={CommentStatus.REJECTED},
                fields={"moderated_at": now, "moderated_by": moderator, "rejection_reason": ""},
            )
            if not restored:
                raise _already_decided(comment)
            User.objects.filter(pk=appeal.author_id).update(
                rejected_comments=Greatest(F("rejected_comments") - 1, 0)
            )
            ban = (
                ModerationAction.objects.filter(comment=comment, kind="ban")
                .order_by("-created_at", "-pk")
                .first()
            )
            if ban is not None and ban.ban_until:
                lifted = User.objects.filter(
                    pk=appeal.author_id, banned_until=ban.ban_until
                ).update(banned_until=None, ban_message="")
                detail["ban_lifted"] = bool(lifted)
        kind = ActionKind.APPEAL_REVERSED if outcome == AppealStatus.REVERSED else "appeal_upheld"
        record = _record(
            comment=comment,
            kind=kind,
            actor=moderator,
            before=CommentStatus.REJECTED,
            after=comment.status,
            subject_user_id=appeal.author_id,
            message=note,
            detail=detail,
        )
        author = appeal.author
        if author.email:
            _send(
                "Our decision on your appeal",
                "moderation/email/appeal_decided.txt",
                {
                    "appeal": appeal,
                    "reversed": outcome == AppealStatus.REVERSED,
                    "article_title": comment.article.title,
                    "author": author,
                },
                author.email,
            )
    return record
