"""The moderation desk: queues, an item's page, decisions, the log and the dashboard.

Everything works as plain forms (POST, then back to the queue with a message); `desk.js` makes
the same actions instant through the desk API. Views stay thin: they check the moderator, read
through `queues`, and write only through `masthead.moderation.services`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from masthead.accounts.models import User
from masthead.community.models import Comment
from masthead.core.sessions import signed_in_user
from masthead.moderation import charts, queues, services
from masthead.moderation.models import ActionKind, Appeal, AppealStatus
from masthead.moderation.services import ModerationError

DECISIONS = {"approve", "reject", "ban"}
BAN_CHOICES = [("1", "1 day"), ("7", "7 days"), ("30", "30 days"), ("permanent", "Permanently")]
BULK_MAX = 100
POLL_MS = 3000


class Refused(Exception):
    pass


def moderator_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to sign in; signed-in people who do not moderate get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = signed_in_user(request)
        if user is None:
            return redirect_to_login(request.get_full_path())
        if not services.can_moderate(user):
            return render(request, "moderation/desk/forbidden.html", status=403)
        request.moderator = user  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


# --- Reading input --------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 2**63 else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def queue_filters(params: Any) -> queues.Filters:
    return queues.Filters(
        article=_int(params.get("article")),
        reason=(params.get("reason") or "")[:40],
        q=(params.get("q") or "").strip()[:200],
        author=_int(params.get("author")),
    )


def log_filters(params: Any) -> queues.LogFilters:
    kind = params.get("kind") or ""
    return queues.LogFilters(
        actor=_int(params.get("actor")),
        kind=kind if kind in ActionKind.values else "",
        article=_int(params.get("article")),
        comment=_int(params.get("comment")),
        since=_date(params.get("since")),
        until=_date(params.get("until")),
    )


def ban_days(value: str | None) -> int | None:
    """ "1", "7", "30" or "permanent" (None) for a ban; anything else is refused."""
    if value == "permanent":
        return None
    if value in {"1", "7", "30"}:
        return int(value)
    raise Refused("Choose how long the ban lasts: 1, 7 or 30 days, or permanently.")


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/moderation/"):
        target = default
    return HttpResponseRedirect(target, status=303)


def _comment(comment_id: int) -> Comment:
    try:
        return queues.comment_for_moderator(comment_id)
    except Comment.DoesNotExist as exc:
        raise Http404("No such comment.") from exc


def _desk(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    context.setdefault("current_queue", None)
    counts = queues.queue_counts()
    context.update(
        nav=[{"queue": q, "count": counts.get(q.name)} for q in queues.QUEUES.values()],
        moderator=request.moderator,  # type: ignore[attr-defined]
        ban_choices=BAN_CHOICES,
    )
    return render(request, template, context, status=status)


DONE_MESSAGES = {
    "approve": "Approved: the comment is published.",
    "reject": "Rejected: the comment is removed.",
    "ban": "Rejected and the author is suspended.",
}


def already_decided_message(comment: Comment, exc: ModerationError) -> str:
    """ "Already decided by Max", or the service's own words when no moderator decided it
    (its author deleted it, or screening removed it)."""
    by = queues.last_decider(comment)
    return f"Already decided by {by}: nothing changed." if by else exc.message


def apply_decision(
    *,
    comment: Comment,
    moderator: User,
    action: str,
    reason: str,
    days: Any,
    message: str,
    seen: str | None = None,
) -> None:
    """The one call the forms and the API make; raises ModerationError. `seen` is the state
    the moderator decided from: if another moderator has decided since, it is refused."""
    services.decide(
        comment=queues.as_seen(comment, seen),
        moderator=moderator,
        action=action,
        reason=reason,
        ban_days=days,
        message=message,
    )


# --- Queues ---------------------------------------------------------------------------------


@require_GET
@moderator_only
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("moderation:queue", args=["reported"]))


@require_GET
@moderator_only
def queue(request: HttpRequest, name: str) -> HttpResponse:
    if name not in queues.QUEUES:
        raise Http404("No such queue.")
    filters = queue_filters(request.GET)
    cursor = request.GET.get("cursor") or None
    status = 200
    try:
        page = queues.queue_page(
            name,
            filters=filters,
            cursor=cursor,
            escalate_after=queues.escalation_window(request),
        )
    except queues.BadCursor as exc:
        messages.error(request, str(exc))
        page = queues.queue_page(name, filters=filters)
        status = 400
    here = request.get_full_path()
    next_url = None
    if page.next_cursor:
        next_url = "?" + urlencode({**filters.as_params(), "cursor": page.next_cursor})
    context = {
        "page": page,
        "current_queue": name,
        "filters": filters,
        "reasons": queues.active_reasons(),
        "here": here,
        "next_url": next_url,
        "first_url": "?" + urlencode(filters.as_params()) if cursor else None,
        "poll_ms": settings.MASTHEAD.get("DESK_POLL_MS", POLL_MS),
    }
    return _desk(request, "moderation/desk/queue.html", context, status=status)


@require_GET
@moderator_only
def item(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    context = {
        "comment": comment,
        "reports": queues.item_reports(comment),
        "history": queues.item_history(comment),
        "appeal": queues.item_appeal(comment),
        "notices": queues.item_notices(comment),
        "reasons": queues.active_reasons(),
        "here": request.get_full_path(),
    }
    return _desk(request, "moderation/desk/item.html", context)


# --- Decisions ------------------------------------------------------------------------------


@require_POST
@moderator_only
def decide(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    action = request.POST.get("action", "")
    fallback = reverse("moderation:item", args=[comment.pk])
    try:
        if action not in DECISIONS:
            raise Refused("Choose approve, reject or ban.")
        days = ban_days(request.POST.get("ban_days")) if action == "ban" else None
        apply_decision(
            comment=comment,
            moderator=request.moderator,  # type: ignore[attr-defined]
            action=action,
            reason=(request.POST.get("reason") or "")[:40],
            days=days,
            message=(request.POST.get("message") or "")[:2000],
            seen=request.POST.get("seen"),
        )
    except Refused as exc:
        messages.error(request, str(exc))
    except ModerationError as exc:
        if exc.code == "already_decided":
            messages.warning(request, already_decided_message(comment, exc))
        else:
            messages.error(request, exc.message)
    else:
        messages.success(request, DONE_MESSAGES[action])
    return _back(request, fallback)


@require_POST
@moderator_only
def bulk(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    ids = [pk for pk in (_int(v) for v in request.POST.getlist("ids")) if pk][:BULK_MAX]
    fallback = reverse("moderation:queue", args=["reported"])
    if action not in {"approve", "reject"} or not ids:
        messages.error(request, "Select some comments, then approve or reject them.")
        return _back(request, fallback)
    done, already, failed = bulk_decide(
        ids=ids,
        moderator=request.moderator,  # type: ignore[attr-defined]
        action=action,
        reason=(request.POST.get("reason") or "")[:40],
        seen={pk: request.POST.get(f"seen-{pk}", "") for pk in ids},
    )
    verb = "Approved" if action == "approve" else "Rejected"
    if done:
        messages.success(request, f"{verb} {len(done)} comment{'s' if len(done) != 1 else ''}.")
    for pk, by in already:
        messages.warning(request, f"Comment {pk} was already decided by {by}: nothing changed.")
    for pk, text in failed:
        messages.error(request, f"Comment {pk}: {text}")
    return _back(request, fallback)


def bulk_decide(
    *,
    ids: list[int],
    moderator: User,
    action: str,
    reason: str,
    seen: dict[int, str] | None = None,
) -> tuple[list[int], list[tuple[int, str]], list[tuple[int, str]]]:
    """Decide each selected comment in turn: (done, already decided by, refused)."""
    found = {c.pk: c for c in Comment.objects.select_related("article").filter(pk__in=ids)}
    done: list[int] = []
    already: list[tuple[int, str]] = []
    failed: list[tuple[int, str]] = []
    for pk in ids:
        comment = found.get(pk)
        if comment is None:
            failed.append((pk, "No such comment."))
            continue
        try:
            apply_decision(
                comment=comment,
                moderator=moderator,
                action=action,
                reason=reason,
                days=None,
                message="",
                seen=(seen or {}).get(pk),
            )
        except ModerationError as exc:
            if exc.code == "already_decided":
                already.append((pk, queues.last_decider(comment) or "someone else"))
            else:
                failed.append((pk, exc.message))
        else:
            done.append(pk)
    return done, already, failed


@require_POST
@moderator_only
def undo(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    try:
        services.undo_last_decision(comment=comment, moderator=request.moderator)  # type: ignore[attr-defined]
    except ModerationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Undone: the comment is back where it was.")
    return _back(request, reverse("moderation:item", args=[comment.pk]))


@require_POST
@moderator_only
def note(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    try:
        services.add_note(
            comment=comment,
            moderator=request.moderator,  # type: ignore[attr-defined]
            text=(request.POST.get("text") or "")[:2000],
        )
    except ModerationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Note added. Only the newsroom sees it.")
    return _back(request, reverse("moderation:item", args=[comment.pk]))


@require_POST
@moderator_only
def feature(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    featured = request.POST.get("featured") == "1"
    try:
        services.feature(
            comment=comment,
            moderator=request.moderator,  # type: ignore[attr-defined]
            featured=featured,
        )
    except ModerationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Featured above the thread." if featured else "Unfeatured.")
    return _back(request, reverse("moderation:item", args=[comment.pk]))


@require_POST
@moderator_only
def appeal_decision(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    outcome = request.POST.get("outcome", "")
    appeal = Appeal.objects.filter(comment=comment).first()
    fallback = reverse("moderation:queue", args=["appeals"])
    if appeal is None or outcome not in {AppealStatus.UPHELD, AppealStatus.REVERSED}:
        messages.error(request, "Choose to keep the removal or restore the comment.")
        return _back(request, fallback)
    try:
        services.decide_appeal(
            appeal=appeal,
            moderator=request.moderator,  # type: ignore[attr-defined]
            outcome=outcome,
            note=(request.POST.get("note") or "")[:2000],
        )
    except ModerationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Appeal decided: the removal stands."
            if outcome == AppealStatus.UPHELD
            else "Appeal decided: the comment is restored.",
        )
    return _back(request, fallback)


# --- Log and dashboard ----------------------------------------------------------------------


@require_GET
@moderator_only
def log(request: HttpRequest) -> HttpResponse:
    filters = log_filters(request.GET)
    status = 200
    try:
        rows, next_cursor = queues.log_page(filters, cursor=request.GET.get("cursor") or None)
    except queues.BadCursor as exc:
        messages.error(request, str(exc))
        rows, next_cursor = queues.log_page(filters)
        status = 400
    params = filters.as_params()
    context = {
        "rows": rows,
        "filters": filters,
        "kinds": ActionKind.choices,
        "moderators": queues.moderators(),
        "next_url": "?" + urlencode({**params, "cursor": next_cursor}) if next_cursor else None,
        "desk_section": "log",
        "csv_url": reverse("moderation:log_csv") + ("?" + urlencode(params) if params else ""),
    }
    return _desk(request, "moderation/desk/log.html", context, status=status)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@moderator_only
def log_csv(request: HttpRequest) -> StreamingHttpResponse:
    filters = log_filters(request.GET)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(queues.LOG_COLUMNS)
        for row in queues.log_rows(filters):
            yield writer.writerow([_safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="moderation-log.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _safe_cell(value: str) -> str:
    """Keep spreadsheet programs from running a reader's words as a formula."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def _duration(hours: float | None) -> str:
    if hours is None:
        return ""
    if hours < 1:
        minutes = round(hours * 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{hours:.1f} hours"


PERIODS = (7, 30, 90)
STATUS_SHARES = [
    ("published", "published", "Published at once or approved"),
    ("pending", "held", "Held for review"),
    ("hidden", "hidden", "Hidden after reports"),
    ("rejected", "rejected", "Removed"),
]


@require_GET
@moderator_only
def dashboard(request: HttpRequest) -> HttpResponse:
    days = _int(request.GET.get("days")) or 30
    if days not in PERIODS:
        days = 30
    data = queues.dashboard(days=days)
    labels = [d.strftime("%-d %b") for d in data.days]
    Series = charts.Series
    context = {
        "days": days,
        "periods": PERIODS,
        "data": data,
        "comments_chart": charts.bar_chart(
            title="Comments per day",
            labels=labels,
            series=[Series("comments", "Comments", data.comments)],
        ),
        "reports_chart": charts.bar_chart(
            title="Reports per day",
            labels=labels,
            series=[Series("reports", "Reports", data.reports)],
        ),
        "decisions_chart": charts.bar_chart(
            title="Decisions per day",
            labels=labels,
            series=[
                Series("approved", "Approved", data.approvals),
                Series("rejected", "Rejected", data.rejections),
            ],
        ),
        "share_chart": charts.share_bar(
            title="What happened to the comments posted in this period",
            parts=[
                (key, label, data.statuses.get(status, 0)) for status, key, label in STATUS_SHARES
            ],
        ),
        "wait_chart": charts.bar_chart(
            title="Median hours from report to decision, per day",
            labels=labels,
            series=[Series("wait", "Median wait", data.median_by_day)],
            unit=" h",
        ),
        "articles_chart": charts.hbar_chart(
            title="Most-reported articles",
            rows=[(title, n) for _, title, n in data.top_articles],
            key="reports",
        ),
        "moderators_chart": charts.hbar_chart(
            title="Busiest moderators (decisions)",
            rows=data.top_moderators,
            key="approved",
        ),
        "desk_section": "dashboard",
        "median_wait": _duration(data.median_hours),
        "comments_total": sum(data.comments),
        "reports_total": sum(data.reports),
        "decisions_total": sum(data.approvals) + sum(data.rejections),
        "share_legend": [(key, label) for _, key, label in STATUS_SHARES],
    }
    return _desk(request, "moderation/desk/dashboard.html", context)
