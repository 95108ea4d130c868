"""The header's account area, and anonymous pages staying cookie-free (so they cache whole)."""

from bs4 import BeautifulSoup
from django.conf import settings


def account_links(response):
    nav = BeautifulSoup(response.content, "html.parser").find("nav", class_="account-nav")
    return [element.text.strip() for element in nav.find_all(["a", "button"])]


def test_anonymous_reader_sees_sign_in_and_create_account(client, home):
    assert account_links(client.get(home.url)) == ["Sign in", "Create account"]


def test_signed_in_reader_sees_profile_and_a_sign_out_button(client, home, reader):
    client.force_login(reader)
    response = client.get(home.url)
    assert account_links(response) == ["Your profile", "Sign out"]
    form = BeautifulSoup(response.content, "html.parser").find("form", action="/accounts/logout/")
    assert form["method"] == "post"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})


def test_sign_out_signs_out_and_says_so(client, home, reader):
    client.force_login(reader)
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert account_links(response) == ["Sign in", "Create account"]
    assert "You have signed out." in response.content.decode()


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
