"""What one reader sees differently on a cached public page: their account, their messages,
and on a story, what they may do in its thread. `GET /api/v1/me/page-state` serves it.

Public pages are the same bytes for everyone (so one cached copy serves every reader);
session.js asks for this only when the browser holds the `masthead_signed_in` hint. The answer
is private and never stored. Its cost does not grow with the thread: the reader's own comments
and likes on the story are read in one bounded query each.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse

from masthead.accounts.models import User
from masthead.accounts.templatetags.accounts_tags import pending_messages
from masthead.community import services
from masthead.community.models import Comment, CommentStatus, Reaction
from masthead.community.threads import readable_articles, shown_comments
from masthead.core.sessions import signed_in_user
from masthead.newsroom.models import ArticlePage

# Bounds, whatever the reader did: a story's page shows far fewer of their comments and likes.
OWN_COMMENTS = 200
LIKES = 500
OWN_UNPUBLISHED_SHOWN = 20
ARTICLE_FIELDS = ("id", "path", "depth", "url_path", "title", "live", "comment_mode")


def page_state(request: HttpRequest, article_id: int | None) -> dict[str, Any]:
    reader = signed_in_user(request)
    state: dict[str, Any] = {
        "signed_in": reader is not None,
        "display_name": None,
        "profile_url": None,
        "logout_url": None,
        "csrf_token": None,
        "messages": [
            {"level": message.level_tag, "text": str(message)}
            for message in pending_messages(request)
        ],
        "supporter": False,
        "article": None,
    }
    if reader is None:
        return state
    from masthead.revenue.services import is_supporter

    state.update(
        display_name=reader.public_name,
        profile_url=reverse("profile"),
        logout_url=reverse("account_logout"),
        csrf_token=get_token(request),
        supporter=is_supporter(reader),
    )
    if article_id is not None:
        article = readable_articles().only(*ARTICLE_FIELDS).filter(pk=article_id).first()
        if article is not None:
            state["article"] = _article_state(reader, article)
    return state


def _article_state(reader: User, article: ArticlePage) -> dict[str, Any]:
    own = list(
        shown_comments()
        .filter(article=article, author=reader)
        .order_by("-created_at", "-pk")[:OWN_COMMENTS]
    )
    liked = list(
        Reaction.objects.filter(user=reader, comment__article_id=article.pk)
        .order_by("-pk")
        .values_list("comment_id", flat=True)[:LIKES]
    )
    banned = reader.is_banned
    may_act = reader.is_active and not banned
    unpublished = [c for c in own if c.status in (CommentStatus.PENDING, CommentStatus.HIDDEN)][
        :OWN_UNPUBLISHED_SHOWN
    ]
    return {
        "id": article.pk,
        "comments_open": article.comments_open,
        "can_comment": article.comments_open and may_act,
        "notice": reader.suspension_notice if banned else "",
        "can_feature": may_act and services.can_feature(reader),
        "liked_ids": liked,
        "own_ids": [c.pk for c in own],
        "editable_ids": [
            c.pk
            for c in own
            if may_act
            and c.status in (CommentStatus.PUBLISHED, CommentStatus.PENDING)
            and services.edit_window_open(c)
        ],
        "deletable_ids": [c.pk for c in own if c.status != CommentStatus.DELETED],
        "own_comments": [
            {
                "id": c.pk,
                "parent_id": c.parent_id,
                "status": c.status,
                "html": _render_own(c, article, reader),
            }
            for c in reversed(unpublished)  # oldest first: each one goes on top of the list
        ],
    }


def _render_own(comment: Comment, article: ArticlePage, reader: User) -> str:
    """One of the reader's comments that only they see (awaiting review, or hidden after
    reports), through the thread's own template: escaped like every comment on the page."""
    comment.nested = []
    comment.is_own = True
    comment.liked = False
    comment.can_like = False
    comment.can_feature = False
    comment.can_edit = comment.is_pending and services.edit_window_open(comment)
    comment.can_delete = True
    return render_to_string(
        "community/includes/comment.html",
        {
            "comment": comment,
            "featured": False,
            "article": article,
            "comments_open": article.comments_open,
            "reader": None,  # no reply form inside: the page has its own
        },
    )
