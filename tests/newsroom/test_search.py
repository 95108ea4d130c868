"""Site search at /search/?q=: ranking, highlighting, escaping, pagination, bad input.

Wagtail queues search-index updates as background tasks when pages are saved; the `search`
fixture first runs the queued tasks with django-tasks-db's own worker code (as `masthead worker`
does in production; its command loop would close the test's database connection), then asks
/search/.
"""

import pytest
from bs4 import BeautifulSoup
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from masthead.editorial.worker import Worker
from masthead.newsroom.models import ArticlePage, SectionPage


@pytest.fixture
def search(client):
    # Wagtail queues its index updates as tasks: run them as the worker would, then search.
    worker = Worker(jobs=[])

    def get(query=None, **params):
        while worker.run_queued_tasks():
            pass
        assert not DBTaskResult.objects.failed().exists()
        if query is not None:
            params["q"] = query
        return client.get("/search/", params)

    return get


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def result_headlines(response) -> list[str]:
    return [h.get_text() for h in soup_of(response).select(".search-result__headline")]


def test_reader_finds_a_story_by_a_word_of_its_headline(client, search, make_article):
    story = make_article("Ferry timetable changes in spring")
    make_article("Library opens on Sundays")
    response = search("ferry")
    assert response.status_code == 200
    assert result_headlines(response) == [story.title]
    soup = soup_of(response)
    link = soup.select_one(".search-result__headline a")
    assert link["href"] == story.url
    assert "1 story found" in soup.select_one("[data-part=search-count]").get_text()
    meta = soup.select_one(".search-result__meta").get_text()
    assert "News" in meta and str(story.first_published_at.year) in meta


def test_words_in_the_standfirst_and_body_are_found(client, search, make_article):
    make_article("A quiet weekend", standfirst="Lighthouse keepers meet in Porto.")
    make_article(
        "Another quiet day",
        body=[("paragraph", "<p>The orchestra rehearsed all night.</p>")],
    )
    assert result_headlines(search("lighthouse")) == ["A quiet weekend"]
    assert result_headlines(search("orchestra")) == ["Another quiet day"]


def test_stories_about_the_words_rank_above_passing_mentions(client, search, make_article):
    for n in range(6):  # a realistic archive: most stories do not mention the words at all
        make_article(f"Unrelated story {n}", body=[("paragraph", "<p>Nothing here.</p>")])
    make_article(
        "Parking fees rise", body=[("paragraph", "<p>Drivers near the tram depot pay more.</p>")]
    )
    make_article(
        "Tram depot to be rebuilt",
        standfirst="The old tram depot will be replaced by a larger depot for new trams.",
        body=[("paragraph", "<p>The tram depot has served the city since 1902.</p>")],
    )
    assert result_headlines(search("tram depot")) == [
        "Tram depot to be rebuilt",
        "Parking fees rise",
    ]


def test_all_words_must_match_unless_nothing_matches_them_all(client, search, make_article):
    make_article("Harbour cranes removed")
    make_article("Harbour festival returns")
    assert result_headlines(search("harbour cranes")) == ["Harbour cranes removed"]
    # No story has both words: show the stories with either rather than nothing.
    assert set(result_headlines(search("cranes festival"))) == {
        "Harbour cranes removed",
        "Harbour festival returns",
    }


def test_matched_words_are_highlighted_in_headline_and_snippet(client, search, make_article):
    make_article(
        "Council approves budget",
        standfirst="The council met on Monday; councillors voted late.",
    )
    soup = soup_of(search("Council"))
    headline_marks = [m.get_text() for m in soup.select(".search-result__headline mark")]
    snippet_marks = [m.get_text() for m in soup.select(".search-result__snippet mark")]
    assert headline_marks == ["Council"]
    assert snippet_marks == ["council", "councillors", "Councillors"]


def test_snippet_shows_the_passage_around_a_match_deep_in_the_body(client, search, make_article):
    filler = " ".join(["The committee talked about many other things."] * 12)
    make_article(
        "Long report",
        body=[("paragraph", f"<p>{filler} Then the glassblower spoke about kilns.</p>")],
    )
    snippet = soup_of(search("glassblower")).select_one(".search-result__snippet")
    text = snippet.get_text()
    assert text.startswith("…")
    assert "glassblower" in text
    assert len(text) <= 245
    assert [m.get_text() for m in snippet.select("mark")] == ["glassblower"]


def test_markup_in_a_headline_is_shown_escaped_never_rendered(client, search, make_article):
    make_article(
        "Why <b>bold</b> claims need checking",
        standfirst="A reader asked about <script>alert(1)</script> in our copy & more.",
    )
    response = search("bold claims")
    html = response.content.decode()
    soup = soup_of(response)
    headline = soup.select_one(".search-result__headline a")
    assert headline.find("b") is None
    assert headline.get_text() == "Why <b>bold</b> claims need checking"
    assert "&lt;b&gt;<mark>bold</mark>&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert soup.select_one(".search-result__snippet script") is None


def test_a_query_matching_an_entity_name_does_not_break_the_escaping(client, search, make_article):
    make_article("Fish & chips shop closes", standfirst="Salt & vinegar: the amp story.")
    html = search("amp chips").content.decode()
    assert "&amp; <mark>chips</mark>" in html
    assert "&<mark>amp</mark>;" not in html
    assert "<mark>amp</mark> story" in html


def test_results_are_paginated_and_keep_the_query(client, search, make_article, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "PAGE_SIZE": 2}
    for n in range(5):
        make_article(f"Flood warning {n}")
    first = search("flood")
    assert len(result_headlines(first)) == 2
    assert "5 stories found" in first.content.decode()
    soup = soup_of(first)
    assert soup.select_one("a[rel=next]")["href"] == "?q=flood&page=2"
    last = search("flood", page="3")
    assert len(result_headlines(last)) == 1
    assert "Page 3 of 3" in last.content.decode()
    # Garbage or out-of-range page numbers give the nearest page, not an error.
    assert len(result_headlines(search("flood", page="abc"))) == 2
    assert len(result_headlines(search("flood", page="99"))) == 1


def test_search_never_shows_drafts_or_private_stories(client, search, make_article, section, home):
    make_article("Public tunnel story")
    draft = ArticlePage(title="Draft tunnel story", slug="d", standfirst="Soon.", live=False)
    section.add_child(instance=draft)
    draft.save_revision()
    members = home.add_child(instance=SectionPage(title="Members", slug="members"))
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    make_article("Members tunnel story", parent=members)
    make_article("Withdrawn tunnel story").unpublish()
    assert result_headlines(search("tunnel")) == ["Public tunnel story"]


def test_empty_query_shows_a_prompt_and_searches_nothing(client, search, make_article):
    make_article()
    for query in ("", "   ", "\t\n"):
        response = search(query)
        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.select_one(".search__prompt") is not None
        assert soup.select(".search-result") == []
    assert search().status_code == 200


def test_overlong_query_is_refused_with_a_message(client, search, db, home):
    response = search("word " * 60)
    assert response.status_code == 400
    assert "at most 200 characters" in soup_of(response).select_one("[role=alert]").get_text()


def test_punctuation_and_search_syntax_never_break_the_search(client, search, make_article):
    make_article("Rates NEAR record")
    for query in ('"', "*", "NEAR(", "a AND OR NOT", "-", "^rates", "'; DROP TABLE", "!!!"):
        response = search(query)
        assert response.status_code == 200, query
    # A NUL character is refused before any view runs (masthead.core.middleware).
    assert search("\x00").status_code == 400
    assert result_headlines(search('"record"*')) == ["Rates NEAR record"]


def test_no_results_says_so(client, search, make_article):
    make_article()
    response = search("xylophone")
    assert "No stories found for “xylophone”" in response.content.decode()


def test_search_page_has_one_h1_no_cookie_and_is_not_indexed(client, search, make_article):
    make_article("Museum reopens")
    for params in ({}, {"q": "museum"}, {"q": "museum " * 50}):
        response = search(**params)
        soup = soup_of(response)
        assert len(soup.find_all("h1")) == 1
        assert not response.cookies
        assert "csrfmiddlewaretoken" not in response.content.decode()
    searched = soup_of(search("museum"))
    assert searched.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert searched.find("link", rel="canonical") is None
    blank = soup_of(search())
    assert blank.find("link", rel="canonical")["href"].endswith("/search/")


def test_every_page_has_a_search_form_in_the_header(client, make_article, home):
    story = make_article()
    for url in (home.url, story.url, "/tags/no-such/"):
        form = soup_of(client.get(url)).select_one("header [data-part=site-search]")
        assert form["action"] == "/search/" and form["method"] == "get"
        assert form.select_one("input[name=q]") is not None


def test_result_page_query_count_does_not_grow_with_results(
    client, search, make_article, home, settings, django_assert_max_num_queries
):
    settings.MASTHEAD = {**settings.MASTHEAD, "PAGE_SIZE": 50}
    for n in range(3):
        make_article(f"Budget story {n}")
    search()  # index the stories
    with django_assert_max_num_queries(20) as few:
        client.get("/search/", {"q": "budget"})
    baseline = len(few)
    climate = home.add_child(instance=SectionPage(title="Climate", slug="climate"))
    for n in range(20):
        make_article(f"More budget story {n}", parent=climate if n % 2 else None)
    search()
    with django_assert_max_num_queries(baseline):
        response = client.get("/search/", {"q": "budget"})
    assert len(result_headlines(response)) == 23
    sections = [m.get_text() for m in soup_of(response).select(".search-result__meta a")]
    assert sorted(set(sections)) == ["Climate", "News"]
