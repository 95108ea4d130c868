"""Reader comment pages that work without JavaScript: the thread, posting, liking, editing and
deleting. Views stay thin: they find the reader and the objects, call the services and render.

The article page is cached whole and is the same for every reader, signed in or not: its
comments section is the public one (`thread_context(request, article)`), and session.js with
comments.js add the reader's part from `/api/v1/me/page-state`. The thread page here
(`/comments/<id>/`) is the personal, never-cached one: without JavaScript, signed-in readers
comment, reply and like there, and every form lands back there so its message shows. Nothing
touches `request.user` or the session unless the request carries a session cookie
(`masthead.core.sessions.signed_in_user`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from masthead.accounts import signin_cookie
from masthead.accounts.models import User
from masthead.community import services
from masthead.community.models import Comment, ThreadActivity
from masthead.community.services import CommentError
from masthead.community.threads import BadCursor, ThreadPage, thread_page
from masthead.core.ratelimit import client_ip
from masthead.core.sessions import has_session_cookie, signed_in_user
from masthead.newsroom.models import ArticlePage

PUBLISHED_MESSAGE = "Your comment is published."
PENDING_MESSAGE = "Thanks! Your comment will appear once our team has checked it."
REJECTED_MESSAGE = (
    "Your comment was not published: our automatic checks found it breaks our community "
    "guidelines. We've emailed you the reason and how to appeal."
)
SORT_LABELS = [("newest", "Newest"), ("oldest", "Oldest"), ("top", "Most liked")]


# --- Building the thread for a template -----------------------------------------------------


def _nest(page: ThreadPage, reader: User | None) -> None:
    """Give every shown comment `.nested` (its shown replies) and the reader's permissions."""
    for top in [*page.featured, *page.comments]:
        by_id: dict[int, Comment] = {top.pk: top}
        top.nested = []
        for reply in getattr(top, "replies", []):
            reply.nested = []
            by_id[reply.pk] = reply
            holder = by_id.get(reply.parent_id, top)
            holder.nested.append(reply)
    may_feature = reader is not None and services.can_feature(reader)
    for comment in page.all_comments():
        own = reader is not None and comment.author_id == reader.pk
        comment.can_feature = may_feature and comment.depth == 0 and comment.is_published
        comment.liked = comment.pk in page.liked_ids
        comment.is_own = own
        comment.can_edit = (
            own
            and (comment.is_published or comment.is_pending)
            and services.edit_window_open(comment)
        )
        comment.can_delete = own and not comment.is_deleted
        comment.can_like = reader is not None and not own and comment.is_published


def thread_context(
    request: HttpRequest,
    article: ArticlePage,
    *,
    sort: str = "newest",
    cursor: str | None = None,
    reply_to: int | None = None,
    body: str = "",
    error: CommentError | None = None,
    personal: bool = False,
) -> dict[str, Any]:
    """Everything the comments section needs: a page of the thread in fixed queries, the
    reader, and the form state to show again after an error.

    By default the section is the public one, the same for everyone whoever asks (what the
    cached article page shows). `personal=True` (the thread page) reads the signed-in reader:
    their forms, likes, own pending comments and messages."""
    reader = signed_in_user(request) if personal else None
    page = thread_page(article=article, viewer=reader, sort=sort, cursor=cursor)
    _nest(page, reader)
    shown_ids = {c.pk for c in page.all_comments()}
    if reply_to is not None and reply_to not in shown_ids:
        reply_to = None  # keep the reader's words in the main form rather than lose them
    article_url = article.get_url(request) or article.url
    thread_url = reverse("community:thread", args=[article.pk])
    return {
        "article": article,
        "article_url": article_url,
        "thread_url": thread_url,
        "thread": page,
        "reader": reader,
        "comments_open": article.comments_open,
        "reply_to": reply_to,
        "form_body": body,
        "form_error": error,
        "max_length": settings.MASTHEAD["COMMENT_MAX_LENGTH"],
        "live_poll_ms": settings.MASTHEAD.get("LIVE_POLL_MS", 5000),
        "sorts": SORT_LABELS,
        # Signing in leads to the thread page, where the form is (without JavaScript a cached
        # article cannot show it); comments.js points it back at the story.
        "login_url": login_url(thread_url + "#comment-form"),
        "signup_url": "/accounts/signup/",
        # Messages live in the cookie or the session: only read them for a reader who has one.
        "comment_messages": list(messages.get_messages(request))
        if personal and has_session_cookie(request)
        else [],
    }


def login_url(next_url: str) -> str:
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"


SECTION_CACHE_SECONDS = 600


def comments_context(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    """What ArticlePage.get_context adds: page one of the thread, newest first.

    Anonymous readers all see the same section, so it is rendered once per version of the
    thread and then served from the cache: a hot story's page costs one small query for its
    comments however many there are. The version moves in the same transaction as every
    change, so the cached copy is never stale.
    """
    if has_session_cookie(request):
        return thread_context(request, article)
    version = (
        ThreadActivity.objects.filter(article_id=article.pk)
        .values_list("version", flat=True)
        .first()
    ) or 0
    published = article.last_published_at.timestamp() if article.last_published_at else 0
    key = f"community:section:v1:{article.pk}:{version}:{published}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "community/includes/section.html", thread_context(request, article), request=request
        )
        cache.set(key, html, SECTION_CACHE_SECONDS)
    return {"comments_html": html}


# --- Helpers --------------------------------------------------------------------------------


def _article(article_id: int) -> ArticlePage:
    return get_object_or_404(ArticlePage.objects.live().public(), pk=article_id)


def _comment(comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("article", "author").filter(article__live=True),
        pk=comment_id,
    )


def _thread_url(article_id: int) -> str:
    return reverse("community:thread", args=[article_id])


def _back(request: HttpRequest, comment: Comment) -> HttpResponseRedirect:
    """Back where the reader was (a safe `next`), at the comment: by default the thread page,
    which shows the reader's message (the cached article page shows none)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = _thread_url(comment.article_id)
    return HttpResponseRedirect(f"{target.split('#')[0]}#comment-{comment.pk}", status=303)


def _login(request: HttpRequest, article: ArticlePage) -> HttpResponseRedirect:
    return redirect_to_login(f"{_thread_url(article.pk)}#comment-form")


def _with_retry_after(response: HttpResponse, error: CommentError | None) -> HttpResponse:
    if error is not None and error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- Views ----------------------------------------------------------------------------------


def render_thread(
    request: HttpRequest, article: ArticlePage, *, status: int = 200, **state: Any
) -> HttpResponse:
    sort = request.GET.get("sort", "newest")
    cursor = request.GET.get("cursor") or None
    try:
        context = thread_context(request, article, sort=sort, cursor=cursor, personal=True, **state)
    except BadCursor as exc:
        context = thread_context(request, article, personal=True, **state)
        context["thread_error"] = str(exc)
        status = 400 if status == 200 else status
    response = render(request, "community/thread.html", context, status=status)
    signin_cookie.sync(request, response)
    return _with_retry_after(response, state.get("error"))


@require_http_methods(["GET", "HEAD"])
def thread(request: HttpRequest, article_id: int) -> HttpResponse:
    """The whole thread, page by page and in any order, as the signed-in reader sees it: the
    no-JavaScript comment and reply forms, likes, their own comments awaiting review."""
    article = _article(article_id)
    return render_thread(request, article, reply_to=_int_or_none(request.GET.get("reply_to")))


@require_POST
def post(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    reader = signed_in_user(request)
    if reader is None:
        return _login(request, article)
    body = request.POST.get("body", "")
    parent_id = _int_or_none(request.POST.get("parent_id"))
    try:
        comment = services.post_comment(
            author=reader, article=article, body=body, parent=parent_id, ip=client_ip(request)
        )
    except CommentError as error:
        return render_thread(
            request, article, status=error.status, reply_to=parent_id, body=body, error=error
        )
    if comment.is_published:
        messages.success(request, PUBLISHED_MESSAGE)
    elif comment.is_rejected:
        messages.error(request, REJECTED_MESSAGE)
    else:
        messages.info(request, PENDING_MESSAGE)
    # The thread page, not the cached article: it shows the message and a pending comment.
    return HttpResponseRedirect(f"{_thread_url(article.pk)}#comment-{comment.pk}", status=303)


def _reaction(request: HttpRequest, comment_id: int, *, like: bool) -> HttpResponse:
    comment = _comment(comment_id)
    reader = signed_in_user(request)
    if reader is None:
        return _login(request, comment.article)
    try:
        if like:
            services.react(comment=comment, user=reader, ip=client_ip(request))
        else:
            services.unreact(comment=comment, user=reader)
    except CommentError as error:
        messages.error(request, error.message)
    return _back(request, comment)


@require_POST
def feature(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Editors and moderators pin a comment above the thread, or unpin it."""
    comment = _comment(comment_id)
    reader = signed_in_user(request)
    if reader is None:
        return _login(request, comment.article)
    featured = request.POST.get("featured") == "1"
    try:
        services.feature_comment(comment=comment, user=reader, featured=featured)
    except CommentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Comment featured." if featured else "Comment unpinned.")
    return _back(request, comment)


@require_POST
def like(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _reaction(request, comment_id, like=True)


@require_POST
def unlike(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _reaction(request, comment_id, like=False)


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    reader = signed_in_user(request)
    if reader is None:
        return _login(request, comment.article)
    body = comment.body
    error: CommentError | None = None
    try:
        if request.method == "POST":
            body = request.POST.get("body", "")
            services.edit_comment(comment=comment, user=reader, body=body)
            messages.success(request, "Your comment is updated.")
            return _back(request, comment)
        services.check_editable(comment=comment, user=reader)
    except CommentError as exc:
        error = exc
    context = {
        "comment": comment,
        "article": comment.article,
        "article_url": comment.article.get_url(request) or comment.article.url,
        "thread_url": _thread_url(comment.article_id),
        "form_body": body,
        "form_error": error,
        "editable": error is None or error.code in {"empty", "too_long"},
        "max_length": settings.MASTHEAD["COMMENT_MAX_LENGTH"],
    }
    response = render(
        request, "community/edit.html", context, status=error.status if error else 200
    )
    return _with_retry_after(response, error)


@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    reader = signed_in_user(request)
    if reader is None:
        return _login(request, comment.article)
    article_url = comment.article.get_url(request) or comment.article.url
    if comment.author_id != reader.pk:
        error = CommentError("forbidden", "You can only delete your own comments.", 403)
        context = {"comment": comment, "article_url": article_url, "form_error": error}
        return render(request, "community/delete.html", context, status=403)
    if request.method == "POST":
        services.delete_own_comment(comment=comment, user=reader)
        messages.success(request, "Your comment is deleted.")
        return HttpResponseRedirect(f"{_thread_url(comment.article_id)}#comments", status=303)
    context = {"comment": comment, "article_url": article_url, "form_error": None}
    return render(request, "community/delete.html", context)
