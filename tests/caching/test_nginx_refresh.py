"""nginx has no purge by key: the pages stored under a key are fetched again through it with
`X-Masthead-Refresh: 1`, which makes nginx replace its copy."""

from __future__ import annotations


def test_an_edit_refreshes_every_page_that_carried_the_story(
    client, front_cache, run_purges, home, make_article
):
    recorder = front_cache("nginx")
    story = make_article("Council votes")
    other = make_article("Ferry timetable changes")
    for url in (
        story.url,
        other.url,
        home.url,
        home.url + "?page=1",
        home.url + "?page=1&utm_source=x",
    ):
        client.get(url)

    story.title = "Council votes to reopen the tram line"
    with run_purges():
        story.save_revision().publish()

    refreshed = sorted(request.path for request in recorder.requests)
    # As nginx keys them: the address each reader asked for.
    assert refreshed == sorted(
        [story.url, home.url, home.url + "?page=1", home.url + "?page=1&utm_source=x"]
    )
    for request in recorder.requests:
        assert request.method == "GET"
        assert request.headers["host"] == "testserver"
        assert request.headers["x-masthead-refresh"] == "1"
        assert request.headers["x-forwarded-proto"] == "http"


def test_a_stored_copy_goes_out_with_its_lifetimes_unchanged_and_no_age(client, make_article):
    """A hit was checked against every purge, so caches in front count its lifetimes from now."""
    article = make_article()
    first = client.get(article.url)
    second = client.get(article.url)
    assert second["X-Cache"] == "HIT"
    assert second["Cache-Control"] == first["Cache-Control"]
    assert "Age" not in second
