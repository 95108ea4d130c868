import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from wagtail.models import APIToken

from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user


def test_adduser_creates_a_verified_moderator(db, capsys):
    call_command(
        "adduser",
        "mod@example.com",
        "--password",
        "s3cret-enough-pw",
        "--role",
        "moderator",
        "--verified",
    )
    user = User.objects.get(email="mod@example.com")
    assert user.check_password("s3cret-enough-pw")
    assert user.has_role(Role.MODERATOR) and not user.has_role(Role.EDITOR)
    assert user.is_staff and not user.is_superuser
    assert EmailAddress.objects.get(user=user).verified
    assert "Created moderator mod@example.com" in capsys.readouterr().out


def test_adduser_reader_is_unverified_by_default_and_not_staff(db):
    call_command("adduser", "r@example.com", "--password", "pw-long-enough-1", "--role", "reader")
    user = User.objects.get(email="r@example.com")
    assert not user.is_staff
    assert not EmailAddress.objects.get(user=user).verified


def test_adduser_token_is_stored_only_as_a_digest(db, capsys):
    call_command("adduser", "t@example.com", "--password", "pw-long-enough-1", "--token")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    token = APIToken.objects.get(user__email="t@example.com")
    assert raw.startswith(token.prefix)
    assert raw not in token.key_hash


def test_adduser_refuses_a_duplicate_email_whatever_its_case(db):
    create_user(email="dup@example.com", password="pw-long-enough-1")
    with pytest.raises(CommandError, match="already exists"):
        call_command("adduser", "DUP@example.com", "--password", "pw-long-enough-1")


def test_adduser_refuses_an_invalid_email(db):
    with pytest.raises(CommandError):
        call_command("adduser", "not-an-email", "--password", "pw-long-enough-1")


def test_admin_holds_every_role(admin):
    assert admin.is_superuser
    assert all(admin.has_role(role) for role in Role)


def test_editor_can_reach_the_cms_and_reader_cannot(client, editor, reader):
    client.force_login(editor)
    assert client.get("/cms/").status_code == 200
    client.force_login(reader)
    assert client.get("/cms/").status_code == 302
