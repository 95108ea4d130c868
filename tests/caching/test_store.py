"""What the page cache stores and how it serves it: no database on a hit, the comments section
kept current inside a stored page, nothing personal ever stored, purges seen by every process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

from masthead.caching.store import purge_tokens
from masthead.community.services import post_comment


def test_a_hit_makes_no_database_query(client, make_article, django_assert_num_queries):
    story = make_article()
    assert client.get(story.url)["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        response = client.get(story.url)
    assert response["X-Cache"] == "HIT"


def test_a_new_comment_shows_in_the_stored_page(client, make_article, reader):
    story = make_article()
    before = client.get(story.url)
    assert b"0 comments" in before.content

    comment = post_comment(author=reader, article=story, body="Fares are already too high.")
    assert comment.status == "published"

    after = client.get(story.url)
    assert after["X-Cache"] == "HIT"  # the page stays stored: only its comments moved
    assert b"Fares are already too high." in after.content
    assert b"1 comment" in after.content
    assert int(after["Content-Length"]) == len(after.content)
    # The page around the section is byte for byte the one stored.
    head = before.content.split(b'<section class="comments"')[0]
    assert after.content.startswith(head)


def test_a_hot_thread_renders_its_section_at_most_once_per_interval(
    client, settings, make_article, reader, second_reader
):
    settings.MASTHEAD = {
        **settings.MASTHEAD,
        "PAGE_CACHE": {**settings.MASTHEAD["PAGE_CACHE"], "FRAGMENT_RENDER_SECONDS": 60},
    }
    story = make_article()
    client.get(story.url)
    post_comment(author=reader, article=story, body="First in.")
    assert b"First in." in client.get(story.url).content  # purged: rendered again
    post_comment(author=second_reader, article=story, body="Second in.")
    # Rendered less than a minute ago: readers get that section until the interval is over.
    page = client.get(story.url)
    assert page["X-Cache"] == "HIT"
    assert b"First in." in page.content and b"Second in." not in page.content


def test_a_signed_in_reader_never_leaves_their_page_in_the_cache(client, make_article, reader):
    story = make_article()
    client.force_login(reader)
    client.get(story.url)
    client.logout()
    client.cookies.clear()
    anonymous = client.get(story.url)
    assert reader.display_name.encode() not in anonymous.content
    assert not anonymous.cookies
    assert "Cookie" not in anonymous.get("Vary", "")


@pytest.mark.urls("tests.caching.urls")
def test_a_marked_page_is_stored_and_served(client, db):
    assert client.get("/t/public/")["X-Cache"] == "MISS"
    response = client.get("/t/public/")
    assert response["X-Cache"] == "HIT"
    assert response.content == b"the same for everyone"


@pytest.mark.urls("tests.caching.urls")
@pytest.mark.parametrize("path", ["/t/session/", "/t/cookie/", "/t/vary/"])
def test_a_marked_page_that_turned_personal_is_not_stored(client, db, path):
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    first = client.get(path)
    assert "private" in first["Cache-Control"]
    assert "Surrogate-Key" not in first
    client.cookies.clear()
    assert "X-Cache" not in client.get(path) or client.get(path)["X-Cache"] != "HIT"


@pytest.mark.urls("tests.caching.urls")
def test_a_page_reading_the_session_goes_out_private(client, db):
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    response = client.get("/t/personal/")
    assert "private" in response["Cache-Control"]


def test_a_purge_from_another_process_reaches_this_one(client, make_article):
    story = make_article()
    client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "HIT"

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
        "MASTHEAD_PAGE_CACHE_DIR": str(settings.CACHES["pages"].get("LOCATION", "")),
    }
    code = (
        "import django; django.setup(); "
        "from masthead.caching.store import purge_tokens; "
        f"purge_tokens(['article-{story.pk}'])"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)

    assert client.get(story.url)["X-Cache"] == "MISS"


def test_a_purge_during_a_render_keeps_that_render_out(client, make_article, monkeypatch):
    story = make_article()
    from masthead.caching import fragments

    real = fragments.comments

    def purge_meanwhile(request, article):
        html = real(request, article)
        purge_tokens([f"article-{article.pk}"])  # an editor publishes while we render
        return html

    monkeypatch.setattr(fragments, "comments", purge_meanwhile)
    assert client.get(story.url)["X-Cache"] == "MISS"
    monkeypatch.setattr(fragments, "comments", real)
    assert client.get(story.url)["X-Cache"] == "MISS"  # the racing render was not kept
    assert client.get(story.url)["X-Cache"] == "HIT"


def test_a_signed_in_reader_is_served_the_stored_page(client, make_article, reader):
    story = make_article()
    anonymous = client.get(story.url)
    client.force_login(reader)
    signed_in = client.get(story.url)
    assert signed_in["X-Cache"] == "HIT"
    assert signed_in.content == anonymous.content
    assert not signed_in.cookies


def test_pages_are_served_and_published_while_the_cache_is_down(client, settings, make_article):
    story = make_article()
    # A Redis nobody listens on: every cache call fails at once.
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    response = client.get(story.url)
    assert response.status_code == 200
    assert b"Your Voice" in response.content
    assert b"masthead-fragment" not in response.content
    story.title = "Still published"
    story.save_revision().publish()
    assert b"Still published" in client.get(story.url).content


def test_a_process_serves_its_recent_pages_only_while_their_tokens_are_current(
    client, make_article
):
    """A hit reads only the version tokens once this process has the page: the shared copy
    may even be gone. A purge (from anywhere) moves a token, and the copy is not used."""
    from django.core.cache import caches

    from masthead.caching.middleware import recent
    from masthead.caching.store import entry_key, page_url

    recent.clear()
    story = make_article()
    client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "HIT"  # now remembered by this process
    caches["pages"].delete(entry_key(page_url("http", "testserver", story.url, "")))
    assert client.get(story.url)["X-Cache"] == "HIT"
    purge_tokens([f"article-{story.pk}"])
    assert client.get(story.url)["X-Cache"] == "MISS"
