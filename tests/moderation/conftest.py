"""Moderation fixtures: the community ones (article, comment, banned and unverified readers)
plus a reply under the comment and a second moderator for "decided by someone else" rules."""

from __future__ import annotations

import pytest

from masthead.accounts.models import Role
from masthead.accounts.services import create_user
from masthead.community.services import post_comment
from tests.community.conftest import (  # noqa: F401  (fixtures shared with community tests)
    article,
    banned_reader,
    comment,
    grow_thread,
    unverified_reader,
)
from tests.conftest import PASSWORD


@pytest.fixture
def second_moderator(db):
    return create_user(
        email="max.moderator@example.com",
        password=PASSWORD,
        role=Role.MODERATOR,
        verified=True,
        display_name="Max",
    )


@pytest.fixture
def third_reader(db):
    return create_user(
        email="tia.third@example.com",
        password=PASSWORD,
        role=Role.READER,
        verified=True,
        display_name="Tia",
    )


@pytest.fixture
def reply(comment, second_reader):  # noqa: F811
    return post_comment(
        author=second_reader,
        article=comment.article,
        body="They were cheaper last year.",
        parent=comment,
    )
