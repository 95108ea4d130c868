"""Signing up: email, public display name, password twice; verification by emailed link."""

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup

from masthead.accounts.models import Role, User

PASSWORD = "a-long-and-unusual-passphrase-7"


def signup(client, **overrides):
    data = {
        "email": "nia.new@example.com",
        "display_name": "Nia",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def test_signup_page_asks_for_email_display_name_and_password_twice(client, home):
    soup = BeautifulSoup(client.get("/accounts/signup/").content, "html.parser")
    form = soup.find("form", class_="account-form")
    names = [field["name"] for field in form.find_all("input") if field["type"] != "hidden"]
    assert names == ["email", "display_name", "password1", "password2"]
    assert soup.find("label", attrs={"for": "id_display_name"}).text.startswith("Display name")


def test_signup_saves_the_display_name_and_sends_a_verification_email(client, home, mailoutbox):
    response = signup(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="nia.new@example.com")
    assert user.display_name == "Nia"
    assert user.has_role(Role.READER)
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nia.new@example.com"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_following_the_emailed_link_verifies_the_address(client, home, mailoutbox):
    signup(client)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    path = link.group(1)

    page = client.get(path)
    assert page.status_code == 200
    assert b"Confirm" in page.content
    response = client.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nia.new@example.com").verified


def test_the_verification_sent_page_has_our_header_and_one_h1(client, home):
    response = signup(client, email="ola@example.com", display_name="Ola")
    soup = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    assert len(soup.find_all("h1")) == 1
    assert soup.find("header", class_="site-header")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("N", "at least 2 characters"),
        ("N" * 61, "at most 60 characters"),
        ("nia@example.com", "email address"),
        ("Moderator", "reserved"),
        ("Nia\u200b\u0007", "invisible characters"),
        ("   ", "This field is required"),
    ],
)
def test_signup_refuses_a_bad_display_name_with_a_clear_message(
    client, home, mailoutbox, name, message
):
    response = signup(client, display_name=name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="nia.new@example.com").exists()
    assert mailoutbox == []


def test_display_name_spaces_are_tidied(client, home):
    signup(client, display_name="  Nia   of   Leith ")
    assert User.objects.get(email="nia.new@example.com").display_name == "Nia of Leith"


def test_signup_refuses_mismatched_passwords(client, home):
    response = signup(client, password2=PASSWORD + "x")
    assert "You must type the same password each time." in response.content.decode()
    assert not User.objects.exists()


def test_a_new_reader_cannot_comment_before_verifying(client, home, make_article):
    from masthead.community.services import CommentError, post_comment

    signup(client)
    user = User.objects.get(email="nia.new@example.com")
    with pytest.raises(CommentError) as error:
        post_comment(author=user, article=make_article(), body="First!")
    assert error.value.code == "unverified"


ACCOUNT_PAGES_ANONYMOUS = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/confirm-email/",
]
ACCOUNT_PAGES_SIGNED_IN = [
    "/accounts/logout/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/profile/",
    "/accounts/profile/delete/",
]


def _check_page(response, url):
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.find_all("h1")) == 1, url
    assert soup.find("header", class_="site-header") and soup.find("footer"), url
    assert soup.find("main"), url
    # The CSP forbids inline script and style: none may be shipped.
    for script in soup.find_all("script"):
        assert script.has_attr("src"), f"{url}: inline script {script}"
    assert not soup.find_all("style"), url
    assert not soup.find_all(attrs={"style": True}), url


def test_account_pages_wear_masthead_and_ship_no_inline_code(client, home, reader):
    for url in ACCOUNT_PAGES_ANONYMOUS:
        _check_page(client.get(url), url)
    client.force_login(reader)
    for url in ACCOUNT_PAGES_SIGNED_IN:
        _check_page(client.get(url), url)
