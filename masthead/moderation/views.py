"""Reader-facing moderation pages that work without JavaScript: reporting a comment, filing an
illegal-content notice, and appealing a removal. Thin: find the reader and the comment, call
the service, render. (The moderators' desk is in `desk.py`.)"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from masthead.community.models import Comment
from masthead.community.services import CommentError
from masthead.community.threads import readable_comments
from masthead.core.ratelimit import client_ip
from masthead.core.sessions import signed_in_user
from masthead.moderation import services
from masthead.moderation.models import Appeal, Report

THANKS = "Thank you. Your report has gone to our moderation team, who will review the comment."
UPDATED = (
    "You had already reported this comment, so we've updated your report with your new answer. "
    "Our moderation team will review it."
)


def _comment(comment_id: int) -> Comment:
    return get_object_or_404(
        readable_comments().select_related("article", "author"),
        pk=comment_id,
    )


def _article_url(request: HttpRequest, comment: Comment) -> str:
    return comment.article.get_url(request) or comment.article.url


def _with_retry_after(response: HttpResponse, error: CommentError | None) -> HttpResponse:
    if error is not None and error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Which guideline does the comment break? Signed-in readers only."""
    comment = _comment(comment_id)
    reader = signed_in_user(request)
    if reader is None:
        return redirect_to_login(request.get_full_path())
    error: CommentError | None = None
    chosen = request.POST.get("reason", "")
    note = request.POST.get("note", "")
    if request.method == "POST":
        try:
            _, created = services.report_comment(
                reporter=reader, comment=comment, reason=chosen, note=note, ip=client_ip(request)
            )
        except CommentError as exc:
            error = exc
        else:
            done = reverse("reports:report_sent", args=[comment.pk])
            return HttpResponseRedirect(f"{done}?{'new' if created else 'updated'}", status=303)
    else:
        try:
            services.check_can_report(reader, comment)
        except CommentError as exc:
            error = exc
        existing = Report.objects.filter(comment=comment, reporter=reader).first()
        if existing is not None:
            chosen, note = existing.reason.code, existing.note
    blocked = error is not None and error.code not in {"unknown_reason", "too_long", "rate_limited"}
    context = {
        "comment": comment,
        "article": comment.article,
        "article_url": _article_url(request, comment),
        "reasons": services.report_reasons(),
        "guidelines_url": services.guidelines_url(),
        "chosen": chosen,
        "note": note,
        "note_max": services.NOTE_MAX,
        "form_error": error,
        "blocked": blocked,
        "already": Report.objects.filter(comment=comment, reporter=reader).exists(),
        "reply_url": reverse("community:thread", args=[comment.article_id])
        + f"?reply_to={comment.pk}#reply-{comment.pk}",
    }
    response = render(
        request, "moderation/reader/report.html", context, status=error.status if error else 200
    )
    return _with_retry_after(response, error)


@require_http_methods(["GET", "HEAD"])
def report_sent(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The thank-you: the report has gone to the team (or the earlier one was updated)."""
    comment = _comment(comment_id)
    reader = signed_in_user(request)
    if reader is None:
        return redirect_to_login(request.get_full_path())
    mine = Report.objects.filter(comment=comment, reporter=reader).first()
    if mine is None:
        return HttpResponseRedirect(reverse("reports:report", args=[comment.pk]))
    context = {
        "comment": comment,
        "article_url": _article_url(request, comment),
        "message": UPDATED if "updated" in request.GET else THANKS,
    }
    return render(request, "moderation/reader/report_sent.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def notice(request: HttpRequest, comment_id: int) -> HttpResponse:
    """An illegal-content notice (EU Digital Services Act): anyone, signed in or not."""
    comment = _comment(comment_id)
    reader = signed_in_user(request)
    form = services.NoticeForm(
        name=reader.public_name if reader and request.method != "POST" else "",
        email=reader.email if reader and request.method != "POST" else "",
    )
    error: CommentError | None = None
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = services.NoticeForm(
            law=request.POST.get("law", ""),
            explanation=request.POST.get("explanation", ""),
            name=request.POST.get("name", ""),
            email=request.POST.get("email", ""),
            good_faith=request.POST.get("good_faith") == "on",
        )
        try:
            services.file_notice(comment=comment, form=form, reporter=reader, ip=client_ip(request))
        except CommentError as exc:
            error, errors = exc, getattr(exc, "fields", {})
        else:
            done = reverse("reports:notice_sent", args=[comment.pk])
            return HttpResponseRedirect(done, status=303)
    elif comment.status not in {"published", "hidden"}:
        error = CommentError("not_found", "That comment is not available.", 404)
    context = {
        "comment": comment,
        "article_url": _article_url(request, comment),
        "form": form,
        "form_error": error,
        "errors": errors,
        "blocked": error is not None and error.code == "not_found",
        "explanation_max": services.NOTICE_EXPLANATION_MAX,
        "report_url": reverse("reports:report", args=[comment.pk]),
    }
    response = render(
        request, "moderation/reader/notice.html", context, status=error.status if error else 200
    )
    return _with_retry_after(response, error)


@require_http_methods(["GET", "HEAD"])
def notice_sent(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    context = {"comment": comment, "article_url": _article_url(request, comment)}
    return render(request, "moderation/reader/notice_sent.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def appeal(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The author of a removed comment asks for a second look, once."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    reader = signed_in_user(request)
    if reader is None:
        return redirect_to_login(request.get_full_path())
    existing = Appeal.objects.filter(comment=comment, author=reader).first()
    error: CommentError | None = None
    text = request.POST.get("text", "")
    sent = False
    if existing is None:
        try:
            if request.method == "POST":
                existing = services.file_appeal(comment=comment, author=reader, text=text)
                sent = True
            else:
                services.check_can_appeal(comment=comment, author=reader)
        except CommentError as exc:
            error = exc
    context = {
        "comment": comment,
        "article": comment.article,
        "appeal": existing,
        "sent": sent,
        "text": text,
        "text_max": services.APPEAL_MAX,
        "form_error": error,
        "blocked": error is not None and error.code not in {"empty", "too_long"},
        "reason": services.reason_label(comment.rejection_reason),
    }
    status = error.status if error else 200
    return render(request, "moderation/reader/appeal.html", context, status=status)
