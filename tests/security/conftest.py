"""Personas and one small world for the security tests.

Personas (fixture names; `personas` maps the short names used in tables to the users):

| short name | fixture        | who                                                          |
|------------|----------------|--------------------------------------------------------------|
| anonymous  | -              | no session at all                                            |
| unverified | `unverified`   | signed up, email address not confirmed                       |
| reader     | `reader`       | a verified reader (tests/conftest.py) who owns nothing here  |
| banned     | `banned`       | a reader suspended by a moderator's decision                 |
| author     | `author_reader`| owns the objects under test: comments, report, notice,      |
|            |                | appeal, contribution, API token                              |
| other      | `other_reader` | another signed-in reader, who guesses the author's ids       |
| writer     | `writer`       | Role.WRITER (CMS: drafts, no publishing)                     |
| moderator  | `moderator`    | Role.MODERATOR                                               |
| editor     | `editor`       | Role.EDITOR                                                  |
| admin      | `admin`        | Role.ADMIN (superuser)                                       |

(`author` in tests/conftest.py is a newsroom byline, so the comment author is `author_reader`.)

`world` holds one live article and everything a URL parameter can point at, each created
through the services the way readers and moderators create them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user, issue_token
from masthead.ads.models import HouseAd
from masthead.community.models import Comment, CommentStatus
from masthead.community.services import post_comment
from masthead.moderation import services as moderation
from masthead.moderation.models import Appeal, IllegalContentNotice, Report
from masthead.newsroom.models import ArticlePage, CommentMode
from masthead.revenue.models import Contribution
from tests.conftest import PASSWORD

PERSONAS = (
    "anonymous",
    "unverified",
    "reader",
    "banned",
    "author",
    "other",
    "writer",
    "moderator",
    "editor",
    "admin",
)
READERS = frozenset({"unverified", "reader", "banned", "author", "other"})
STAFF = frozenset({"writer", "moderator", "editor", "admin"})


def _person(email: str, role: Role, name: str, *, verified: bool = True) -> User:
    return create_user(
        email=email, password=PASSWORD, role=role, verified=verified, display_name=name
    )


@pytest.fixture
def unverified(db) -> User:
    return _person("una.unverified@example.com", Role.READER, "Una", verified=False)


@pytest.fixture
def author_reader(db) -> User:
    return _person("abe.author@example.com", Role.READER, "Abe")


@pytest.fixture
def other_reader(second_reader) -> User:
    return second_reader


@pytest.fixture
def writer(db) -> User:
    return _person("wil.writer@example.com", Role.WRITER, "Wil")


@pytest.fixture
def banned(db, make_article, moderator) -> User:
    """Suspended the way the desk does it: a moderator rejects a comment with a 7-day ban."""
    user = _person("bo.banned@example.com", Role.READER, "Bo")
    article = make_article("Bridge closed for repairs")
    comment = post_comment(author=user, article=article, body="Buy cheap watches here.")
    moderation.decide(comment=comment, moderator=moderator, action="ban", reason="spam", ban_days=7)
    user.refresh_from_db()
    assert user.is_banned
    return user


@dataclass
class World:
    article: ArticlePage
    others_comment: Comment  # by `reader`: what the author reports and notices
    published: Comment  # the author's
    pending: Comment  # the author's, awaiting review
    rejected: Comment  # the author's, removed by a moderator and appealed
    report: Report
    notice: IllegalContentNotice
    appeal: Appeal
    contribution: Contribution  # the author's, paid
    token: str  # the author's API bearer token (plaintext)
    ad: HouseAd
    byline_slug: str  # the story's byline (an author page)
    section_slug: str
    tag_slug: str


@pytest.fixture
def world(make_article, section, author, reader, author_reader, moderator) -> World:
    article = make_article(
        "Harbour wall to be rebuilt after storm", tags=["harbour"], authors=[author]
    )
    others = post_comment(author=reader, article=article, body="About time, it was crumbling.")
    published = post_comment(author=author_reader, article=article, body="Who pays for it?")
    rejected = post_comment(author=author_reader, article=article, body="The mayor is a crook.")
    moderation.decide(comment=rejected, moderator=moderator, action="reject", reason="abuse")
    # Pre-moderated for one comment, so it waits for review.
    article.comment_mode = CommentMode.PREMODERATED
    pending = post_comment(author=author_reader, article=article, body="Will the ferry stop?")
    article.comment_mode = CommentMode.OPEN
    assert pending.status == CommentStatus.PENDING, pending.status
    report, _ = moderation.report_comment(
        reporter=author_reader, comment=others, reason="spam", note="Looks like an advert"
    )
    notice = moderation.file_notice(
        comment=others,
        reporter=author_reader,
        form=moderation.NoticeForm(
            law="Defamation Act 2013",
            explanation="It names a private person and says they stole money, which is false.",
            name="Abe",
            email=author_reader.email,
            good_faith=True,
        ),
    )
    appeal = moderation.file_appeal(
        comment=rejected, author=author_reader, text="It was a joke about the mayor's hat."
    )
    contribution = Contribution.objects.create(
        frequency="once",
        amount=1500,
        currency="EUR",
        status="paid",
        name="Abe Author",
        email=author_reader.email,
        reader=author_reader,
        provider="test",
    )
    _, token = issue_token(user=author_reader, name="Abe's script")
    for comment in (others, published, pending, rejected):
        comment.refresh_from_db()
    return World(
        article=article,
        others_comment=others,
        published=published,
        pending=pending,
        rejected=rejected,
        report=report,
        notice=notice,
        appeal=appeal,
        contribution=contribution,
        token=token,
        ad=HouseAd.objects.create(
            name="Newsletter",
            slot="sidebar",
            text="Get the morning briefing",
            link_url="https://example.org/newsletter",
        ),
        byline_slug=author.slug,
        section_slug=section.slug,
        tag_slug="harbour",
    )


@pytest.fixture
def personas(
    unverified, reader, banned, author_reader, other_reader, writer, moderator, editor, admin
) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "unverified": unverified,
        "reader": reader,
        "banned": banned,
        "author": author_reader,
        "other": other_reader,
        "writer": writer,
        "moderator": moderator,
        "editor": editor,
        "admin": admin,
    }
