import pytest
from allauth.account.models import EmailAddress

from masthead.accounts.models import Role
from masthead.accounts.services import create_user
from masthead.community.services import post_comment

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
