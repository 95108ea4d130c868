"""Nobody can find out whether an email address has an account here.

Signing up with an address that has an account, signing in with an unknown address or with a
known one and a wrong password, and asking for a password reset: each pair must give answers a
client cannot tell apart (status, where it is sent next, the page it lands on, the cookies),
once the CSRF token and the echoed address are set aside. The difference goes by email, to the
owner of the address, and only there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client

from masthead.accounts.models import User
from tests.conftest import PASSWORD

NEW_PASSWORD = "another-long-passphrase-for-tests-7"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
CSRF_IN_SCRIPT = re.compile(r'"CSRF_TOKEN": "[^"]*"')  # the Wagtail admin's page config
# Cookies whose value is random per response (or carries the echoed address, as the messages
# cookie does: the landing page shows those messages and is compared instead).
RANDOM_COOKIES = {"csrftoken", "messages", django_settings.SESSION_COOKIE_NAME}


@dataclass
class Answer:
    status: int
    location: str
    landing_status: int
    landing: str  # the page the client ends on, tokens and addresses blanked
    cookies: dict[str, str]


def blank(text: str, *emails: str) -> str:
    text = CSRF.sub('name="csrfmiddlewaretoken" value=""', text)
    text = CSRF_IN_SCRIPT.sub('"CSRF_TOKEN": ""', text)
    for email in emails:
        text = re.sub(re.escape(email), "EMAIL", text, flags=re.IGNORECASE)
    return text


def answer(url: str, data: dict[str, str], *emails: str) -> Answer:
    """What a fresh client (no cookies of its own) sees for one POST, and where it lands."""
    client = Client()
    client.get(url)  # like a browser: the form first
    response = client.post(url, data)
    cookies = {
        name: ("<random>" if name in RANDOM_COOKIES else morsel.value)
        for name, morsel in response.cookies.items()
    }
    landing = client.get(response["Location"]) if response.status_code in (302, 303) else response
    return Answer(
        status=response.status_code,
        location=response.get("Location", ""),
        landing_status=landing.status_code,
        landing=blank(landing.content.decode(), *emails),
        cookies=cookies,
    )


def assert_same(a: Answer, b: Answer, what: str) -> None:
    assert (a.status, a.location, a.landing_status) == (b.status, b.location, b.landing_status), (
        f"{what}: {a.status} {a.location!r} -> {a.landing_status} vs "
        f"{b.status} {b.location!r} -> {b.landing_status}"
    )
    assert a.cookies == b.cookies, f"{what}: cookies differ: {a.cookies} vs {b.cookies}"
    assert a.landing == b.landing, f"{what}: the pages differ"


@pytest.fixture
def known(reader) -> User:
    return reader


def test_prevent_enumeration_is_on():
    # allauth's default, but the whole of this file rests on it: say so in settings too.
    from allauth.account import app_settings

    assert app_settings.PREVENT_ENUMERATION is True
    assert getattr(django_settings, "ACCOUNT_PREVENT_ENUMERATION", True) is True


@pytest.mark.parametrize("spelling", [str, str.upper], ids=["as-registered", "other-case"])
def test_signup_with_a_taken_address_looks_like_any_signup(known, mailoutbox, spelling):
    taken = spelling(known.email)
    fresh = "new.reader@example.com"
    form = {"display_name": "Newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    a = answer("/accounts/signup/", {**form, "email": taken}, taken, fresh)
    b = answer("/accounts/signup/", {**form, "email": fresh}, taken, fresh)
    assert_same(a, b, "signup")
    assert a.status == 302 and a.location == "/accounts/confirm-email/"
    # No second account; each address gets its own (different) email.
    assert User.objects.filter(email__iexact=known.email).count() == 1
    assert User.objects.filter(email=fresh).exists()
    assert {m.to[0].lower() for m in mailoutbox} == {known.email, fresh}


def test_wrong_password_and_unknown_address_give_the_same_refusal(known):
    unknown = "nobody.here@example.com"
    a = answer("/accounts/login/", {"login": known.email, "password": "wrong-" + PASSWORD})
    b = answer("/accounts/login/", {"login": unknown, "password": "wrong-" + PASSWORD})
    a.landing = blank(a.landing, known.email)
    b.landing = blank(b.landing, unknown)
    assert_same(a, b, "login")
    assert a.status == 200 and "not correct" in a.landing


def test_password_reset_says_the_same_for_any_address(known, mailoutbox):
    unknown = "nobody.here@example.com"
    a = answer("/accounts/password/reset/", {"email": known.email}, known.email, unknown)
    b = answer("/accounts/password/reset/", {"email": unknown}, known.email, unknown)
    assert_same(a, b, "password reset")
    assert a.status == 302 and a.location == "/accounts/password/reset/done/"
    assert len(mailoutbox) == 2  # a reset link to the owner; "no account here" to the other


def test_cms_password_reset_says_the_same_for_any_address(known, editor):
    unknown = "nobody.here@example.com"
    a = answer("/cms/password_reset/", {"email": editor.email}, editor.email, unknown)
    b = answer("/cms/password_reset/", {"email": unknown}, editor.email, unknown)
    assert_same(a, b, "CMS password reset")
    assert a.status == 302


def test_signup_page_for_a_taken_display_name_does_not_reveal_the_address(known):
    """The display name is public; the address behind it must never show."""
    form = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "email": "x.y@example.com"}
    response = Client().post("/accounts/signup/", {**form, "display_name": known.display_name})
    assert known.email not in response.content.decode()


def test_adding_an_address_that_has_an_account_looks_like_adding_any(known, second_reader):
    """Signed in, a reader who adds someone else's address learns nothing either."""
    taken, fresh = known.email, "brand.new@example.com"

    def add(email: str) -> Answer:
        client = Client()
        client.force_login(second_reader)
        with transaction.atomic():  # each try starts from the same account
            client.get("/accounts/email/")
            response = client.post("/accounts/email/", {"email": email, "action_add": ""})
            landing = client.get(response["Location"]) if response.status_code == 302 else response
            transaction.set_rollback(True)
        return Answer(
            status=response.status_code,
            location=response.get("Location", ""),
            landing_status=landing.status_code,
            landing=blank(landing.content.decode(), taken, fresh),
            cookies={},
        )

    a, b = add(taken), add(fresh)
    assert_same(a, b, "add an email address")
    assert a.status == 302
    assert User.objects.filter(email__iexact=taken).get() == known
