import pytest
from allauth.account.models import EmailAddress

from masthead.accounts.models import Role
from masthead.accounts.services import create_user
from masthead.community.models import Comment, CommentStatus
from masthead.community.services import post_comment
from masthead.community.text import render_comment_text

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def unverified_reader(db):
    user = create_user(
        email="uma.unverified@example.com", password=PASSWORD, role=Role.READER, display_name="Uma"
    )
    assert not EmailAddress.objects.get(user=user).verified
    return user


@pytest.fixture
def banned_reader(db):
    from datetime import timedelta

    from django.utils import timezone

    user = create_user(
        email="bo.banned@example.com",
        password=PASSWORD,
        role=Role.READER,
        verified=True,
        display_name="Bo",
    )
    user.banned_until = timezone.now() + timedelta(days=7)
    user.save(update_fields=["banned_until"])
    return user


@pytest.fixture
def article(make_article):
    return make_article("Ferry fares to rise in spring")


@pytest.fixture
def comment(article, reader):
    return post_comment(author=reader, article=article, body="Fares are already too high.")


@pytest.fixture
def grow_thread(db):
    """Bulk-make a thread of a given size (posting is tested elsewhere; here size matters)."""

    def grow(article, authors, top_level: int, replies_each: int) -> None:
        tops = Comment.objects.bulk_create(
            Comment(
                article=article,
                author=authors[n % len(authors)],
                body=f"Top {n}",
                body_html=render_comment_text(f"Top {n}"),
                status=CommentStatus.PUBLISHED,
                reply_count=replies_each,
            )
            for n in range(top_level)
        )
        Comment.objects.bulk_create(
            Comment(
                article=article,
                author=authors[(n + 1) % len(authors)],
                parent=top,
                root=top,
                depth=1,
                body=f"Reply {n}",
                body_html=render_comment_text(f"Reply {n}"),
                status=CommentStatus.PUBLISHED,
            )
            for top in tops
            for n in range(replies_each)
        )

    return grow
