"""The API keeps removed, deleted and hidden comments in place for their replies, without
their words or author; a hidden comment's own author still sees it."""

from __future__ import annotations

import pytest

from masthead.accounts.services import issue_token
from masthead.community.models import CommentStatus
from masthead.community.services import change_status, post_comment


@pytest.fixture
def thread(comment, second_reader):
    reply = post_comment(
        author=second_reader, article=comment.article, body="Buses are cheaper.", parent=comment
    )
    return comment, reply


def page(client, article, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.get(f"/api/v1/articles/{article.pk}/comments?sort=oldest", **headers)
    assert response.status_code == 200
    return response.json()["items"]


@pytest.mark.parametrize("status", [CommentStatus.REJECTED, CommentStatus.HIDDEN])
def test_a_removed_or_hidden_comment_with_replies_loses_its_words(client, thread, status):
    comment, reply = thread
    assert change_status(comment, to=status, expected={CommentStatus.PUBLISHED})
    [shown] = page(client, comment.article)
    assert shown["id"] == comment.pk
    assert shown["body_html"] == "" and shown["author"] == ""
    assert "Fares are already too high" not in str(shown)
    assert [r["id"] for r in shown["replies"]] == [reply.pk]


def test_a_hidden_comment_is_still_shown_to_its_author(client, thread, reader, second_reader):
    comment, _ = thread
    change_status(comment, to=CommentStatus.HIDDEN, expected={CommentStatus.PUBLISHED})
    _, own_token = issue_token(user=reader)
    _, other_token = issue_token(user=second_reader)
    [mine] = page(client, comment.article, own_token)
    assert "Fares are already too high" in mine["body_html"]
    assert mine["status"] == "hidden"
    [theirs] = page(client, comment.article, other_token)
    assert theirs["body_html"] == ""
