"""Most read: the read beacon counts without a database write per view; the ranking sums the
last hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client
from wagtail.models import PageViewRestriction

from masthead.core import counters
from masthead.newsroom.models import HourlyCount, SectionPage
from masthead.newsroom.popularity import READ, most_read, read_ranking, record_read

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"


@pytest.fixture(autouse=True)
def _fresh_buffer(settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "COUNTER_FLUSH_SECONDS": 3600}
    counters.reset()
    yield
    counters.reset()


def beacon(client: Client, article_id: int, agent: str = BROWSER, **extra):
    return client.post(f"/reads/{article_id}", HTTP_USER_AGENT=agent, **extra)


def reads_of(article_id: int) -> int:
    counters.flush()
    return sum(
        HourlyCount.objects.filter(kind=READ, key=str(article_id)).values_list("count", flat=True)
    )


def test_the_beacon_counts_a_read_without_a_cookie_or_a_csrf_token(make_article):
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    response = beacon(client, article.pk)
    assert response.status_code == 204
    assert not response.cookies
    assert not HourlyCount.objects.exists()  # buffered, not written per view
    assert reads_of(article.pk) == 1


def test_the_beacon_refuses_unknown_and_unpublished_stories(client, make_article):
    pulled = make_article("Pulled story")
    pulled.unpublish()
    assert beacon(client, 999_999).status_code == 404
    assert beacon(client, pulled.pk).status_code == 404
    assert reads_of(pulled.pk) == 0


def test_the_beacon_refuses_private_stories(client, make_article):
    private = make_article("Members only")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert beacon(client, private.pk).status_code == 404


def test_the_beacon_only_takes_a_post(client, make_article):
    article = make_article()
    assert client.get(f"/reads/{article.pk}").status_code == 405


def test_robots_are_not_counted(client, make_article):
    article = make_article()
    response = beacon(client, article.pk, agent="Mozilla/5.0 (compatible; bingbot/2.0)")
    assert response.status_code == 204
    assert reads_of(article.pk) == 0


def test_one_address_cannot_inflate_the_count(client, make_article, settings):
    limits = {**settings.MASTHEAD["RATE_LIMITS"], "read_ip": "3/m"}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}
    article = make_article()
    statuses = [beacon(client, article.pk).status_code for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]
    assert reads_of(article.pk) == 3
    other = beacon(client, article.pk, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 204


def test_the_article_page_sends_the_beacon_from_a_script_file(client, make_article):
    article = make_article()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one("[data-read-beacon]")["data-read-beacon"] == f"/reads/{article.pk}"
    assert any(
        script.get("src", "").endswith("masthead/reads.js") for script in soup.find_all("script")
    )


def test_most_read_ranks_stories_by_reads_in_the_window(make_article):
    quiet, busy, middling = (make_article(f"Story {n}") for n in range(3))
    for article, reads in [(quiet, 1), (busy, 9), (middling, 4)]:
        for _ in range(reads):
            record_read(article.pk)
    # Reads from before the window do not count.
    counters.increment(READ, quiet.pk, 100, when=datetime.now(UTC) - timedelta(hours=30))
    counters.flush()
    ranked = most_read(3, 24)
    assert ranked == [busy, middling, quiet]
    assert [story.reads for story in ranked] == [9, 4, 1]
    assert most_read(2, 24) == [busy, middling]
    assert most_read(3, 48)[0] == quiet


def test_most_read_leaves_out_pulled_stories_and_keeps_to_a_section(make_article, home):
    climate = home.add_child(instance=SectionPage(title="Climate", slug="climate"))
    news_story = make_article("News story")
    climate_story = make_article("Climate story", parent=climate)
    pulled = make_article("Pulled story")
    for article, reads in [(pulled, 10), (news_story, 5), (climate_story, 2)]:
        counters.increment(READ, article.pk, reads)
    counters.flush()
    pulled.unpublish()
    assert most_read(5, 24) == [news_story, climate_story]
    assert most_read(5, 24, within=climate) == [climate_story]


def test_the_ranking_is_one_query_and_then_cached(make_article, django_assert_num_queries):
    article = make_article()
    counters.increment(READ, article.pk, 3)
    counters.flush()
    cache.clear()
    with django_assert_num_queries(1):
        assert read_ranking(24) == [(article.pk, 3)]
    counters.increment(READ, article.pk, 3)
    counters.flush()
    with django_assert_num_queries(0):
        assert read_ranking(24) == [(article.pk, 3)]  # up to a minute behind


def test_most_read_queries_do_not_grow_with_the_number_of_stories(
    make_article, django_assert_max_num_queries
):
    for n in range(12):
        article = make_article(f"Story {n}")
        counters.increment(READ, article.pk, n + 1)
    counters.flush()
    cache.clear()
    with django_assert_max_num_queries(4):
        assert len(most_read(5, 24)) == 5


def test_an_absurd_story_number_is_refused_not_a_server_error(client, db):
    assert beacon(client, 10**30).status_code == 404
