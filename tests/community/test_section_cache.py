"""Anonymous readers get the comments section from the cache, and never a stale one."""

from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.community.services import delete_own_comment, post_comment, react


def bodies(client, article) -> list[str]:
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    return [b.get_text(strip=True) for b in soup.select('[data-part="comment"] [data-body]')]


def likes(client, article) -> list[str]:
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    return [b.get_text(strip=True) for b in soup.select("[data-like-count]")]


def test_every_change_shows_at_once_for_anonymous_readers(client, article, reader, second_reader):
    first = post_comment(author=reader, article=article, body="First")
    assert bodies(client, article) == ["First"]
    post_comment(author=second_reader, article=article, body="Second")
    assert bodies(client, article) == ["Second", "First"]
    react(comment=first, user=second_reader)
    assert likes(client, article) == ["0", "1"]
    delete_own_comment(comment=first, user=reader)
    assert bodies(client, article) == ["Second"]


def test_a_cached_article_page_costs_no_query_whatever_the_thread(
    client, article, reader, second_reader, settings
):
    limits = {name: "1000/m" for name in settings.MASTHEAD["RATE_LIMITS"]}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}
    for n in range(12):
        post_comment(author=reader if n % 2 else second_reader, article=article, body=f"c{n}")
    client.get(article.url)  # renders and stores the page and its comments section
    with CaptureQueriesContext(connection) as cached:
        response = client.get(article.url)
    assert response["X-Cache"] == "HIT"
    assert "c11" in response.content.decode()
    assert not cached.captured_queries


def test_signed_in_readers_get_the_same_section_and_their_own_on_the_thread_page(
    client, article, reader, second_reader
):
    post_comment(author=reader, article=article, body="Mine")
    anonymous = client.get(article.url).content.decode()
    client.force_login(reader)
    page = client.get(article.url).content.decode()
    assert page == anonymous
    assert 'name="csrfmiddlewaretoken"' not in page and "/edit" not in page
    thread = client.get(f"/comments/{article.pk}/").content.decode()
    assert "/edit" in thread and 'name="csrfmiddlewaretoken"' in thread
