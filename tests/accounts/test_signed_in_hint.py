"""The `masthead_signed_in` hint: set at sign-in, cleared at sign-out, readable by scripts.

Public pages are cached and the same for everyone; the hint is how their script knows to ask
for the reader's part (the session cookie itself is HttpOnly). It grants nothing by itself.
"""

from django.conf import settings

from tests.conftest import PASSWORD

HINT = "masthead_signed_in"


def sign_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def test_signing_in_sets_a_script_readable_hint_beside_the_session(client, home, reader):
    response = sign_in(client, reader)
    assert response.status_code == 302
    hint = response.cookies[HINT]
    assert hint.value == "1"
    assert not hint["httponly"]
    assert hint["samesite"] == "Lax" and hint["path"] == "/"
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]


def test_signing_out_clears_it_and_leaves_a_short_message_hint(client, home, reader):
    sign_in(client, reader)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.cookies[HINT].value == ""
    assert response.cookies[HINT]["max-age"] == 0
    assert response.cookies["masthead_flash"].value == "1"
    assert 0 < int(response.cookies["masthead_flash"]["max-age"]) <= 300
    state = client.get("/api/v1/me/page-state").json()
    assert state["signed_in"] is False and state["messages"]
    assert client.cookies["masthead_flash"].value == ""  # the endpoint cleared it


def test_a_personal_page_repairs_a_missing_hint_and_drops_a_stale_one(client, make_article, reader):
    article = make_article()
    client.force_login(reader)  # e.g. signed in through the CMS: no hint yet
    response = client.get(f"/comments/{article.pk}/")
    assert response.cookies[HINT].value == "1"
    assert HINT not in client.get(f"/comments/{article.pk}/").cookies  # nothing to change
    client.logout()
    client.cookies[HINT] = "1"
    response = client.get(f"/comments/{article.pk}/")
    assert response.cookies[HINT].value == ""


def test_the_logout_page_still_asks_before_signing_out(client, home, reader):
    sign_in(client, reader)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    assert client.get("/api/v1/me/page-state").json()["signed_in"] is True
