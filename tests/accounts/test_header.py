"""The header's account area, and anonymous pages staying cookie-free (so they cache whole)."""

from bs4 import BeautifulSoup
from django.conf import settings


def account_links(response):
    nav = BeautifulSoup(response.content, "html.parser").find("nav", class_="account-nav")
    return [element.text.strip() for element in nav.find_all(["a", "button"])]


def test_anonymous_reader_sees_sign_in_and_create_account(client, home):
    assert account_links(client.get(home.url)) == ["Sign in", "Create account"]


def test_signed_in_reader_gets_the_same_public_page_and_their_links_on_personal_pages(
    client, home, reader
):
    anonymous = client.get(home.url).content
    client.force_login(reader)
    assert client.get(home.url).content == anonymous  # filled in by session.js
    response = client.get("/accounts/profile/")
    assert account_links(response) == ["Your profile", "Sign out"]
    nav = BeautifulSoup(response.content, "html.parser").find("nav", class_="account-nav")
    assert nav.select_one("[data-account-name]").get_text() == "Rosa"
    form = nav.find("form", action="/accounts/logout/")
    assert form["method"] == "post"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})


def test_sign_out_signs_out_and_says_so(client, home, reader):
    client.force_login(reader)
    client.cookies["masthead_signed_in"] = "1"
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert account_links(response) == ["Sign in", "Create account"]
    assert client.cookies["masthead_signed_in"].value == ""  # cleared
    assert client.cookies["masthead_flash"].value == "1"
    state = client.get("/api/v1/me/page-state").json()
    assert state["signed_in"] is False
    assert [m["text"] for m in state["messages"]] == ["You have signed out."]
    assert client.get("/api/v1/me/page-state").json()["messages"] == []  # shown once


def test_anonymous_front_and_article_pages_set_no_cookie_and_do_not_vary_on_cookie(
    client, home, make_article
):
    article = make_article()
    for url in [home.url, article.url]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, f"{url} sets {list(response.cookies)}"
        assert "Set-Cookie" not in response.headers, url
        assert "cookie" not in response.headers.get("Vary", "").lower(), url


def test_a_stale_session_cookie_shows_the_anonymous_links(client, home):
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    assert account_links(client.get(home.url)) == ["Sign in", "Create account"]
