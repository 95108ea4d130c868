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


def test_cached_section_costs_one_query_whatever_the_thread(
    client, article, reader, second_reader, settings
):
    limits = {name: "1000/m" for name in settings.MASTHEAD["RATE_LIMITS"]}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}
    for n in range(12):
        post_comment(author=reader if n % 2 else second_reader, article=article, body=f"c{n}")
    client.get(article.url)  # renders and caches the section
    with CaptureQueriesContext(connection) as cached:
        client.get(article.url)
    assert not any("community_comment" in q["sql"] for q in cached.captured_queries)
    assert sum("community_threadactivity" in q["sql"] for q in cached.captured_queries) == 1


def test_signed_in_readers_get_their_own_section(client, article, reader, second_reader):
    post_comment(author=reader, article=article, body="Mine")
    bodies(client, article)  # warm the anonymous copy
    client.force_login(reader)
    page = client.get(article.url).content.decode()
    assert "Edit" in page and 'name="csrfmiddlewaretoken"' in page
