"""Every cacheable public page is the same bytes whoever asks, signed in or not.

The page cache serves one stored copy to every reader, so nothing personal may be rendered
into it: not the account links, a flash message, a form's CSRF token, like/edit/delete/feature
buttons, a suspension notice, nor a reader's own comments awaiting review. Here the page cache
is off, so each request really renders the page for that reader.
"""

import pytest
from django.contrib.messages import constants
from django.core.cache import cache, caches

from masthead.accounts.models import User
from masthead.community.services import feature_comment, post_comment, react
from masthead.moderation.services import report_comment
from masthead.newsroom.models import CommentMode


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    masthead = settings.MASTHEAD
    if "PAGE_CACHE" in masthead:
        masthead = {**masthead, "PAGE_CACHE": {**masthead["PAGE_CACHE"], "ENABLED": False}}
    settings.MASTHEAD = masthead


def fresh_get(client, url):
    cache.clear()
    caches["pages"].clear()
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.fixture
def newsroom(make_article, author, reader, second_reader, editor, moderator):
    """A story with a lively thread: each persona has something of their own in it."""
    story = make_article(
        "Ferry fares to rise", tags=["ferries"], authors=[author], comment_mode=CommentMode.OPEN
    )
    held = make_article("Harbour plan", comment_mode=CommentMode.PREMODERATED)
    mine = post_comment(author=reader, article=story, body="Fares are already too high.")
    theirs = post_comment(author=second_reader, article=story, body="Cheaper than the bus.")
    post_comment(author=second_reader, article=story, body="Agreed.", parent=mine)
    post_comment(author=reader, article=held, body="Awaiting a moderator.")
    react(comment=theirs, user=reader)
    feature_comment(comment=theirs, user=editor)
    reported = post_comment(author=reader, article=story, body="Reported one.")
    for reporter in (second_reader, editor, moderator):
        report_comment(reporter=reporter, comment=reported, reason="abuse")
    reported.refresh_from_db()
    assert reported.is_hidden  # shown to its author only
    User.objects.filter(pk=reader.pk).update(is_monthly_supporter=True)
    return {"story": story, "held": held, "author": author}


def public_urls(newsroom, home, section) -> list[str]:
    return [
        newsroom["story"].url,
        newsroom["held"].url,
        home.url,
        section.url,
        "/tags/ferries/",
        f"/authors/{newsroom['author'].slug}/",
        "/corrections/",
    ]


@pytest.mark.parametrize("persona", ["reader", "second_reader", "editor", "banned_reader"])
def test_signed_in_readers_get_the_bytes_anonymous_readers_get(
    request, client, newsroom, home, section, persona
):
    urls = public_urls(newsroom, home, section)
    anonymous = {url: fresh_get(client, url).content for url in urls}
    assert {url: fresh_get(client, url).content for url in urls} == anonymous  # deterministic

    user = request.getfixturevalue(persona)
    client.force_login(user)
    client.cookies["masthead_signed_in"] = "1"
    for url in urls:
        response = fresh_get(client, url)
        assert response.content == anonymous[url], f"{url} differs for {persona}"
        # Storable by any cache: the render read no session and set no cookie.
        assert "cookie" not in response.get("Vary", "").lower(), url
        assert not response.cookies, url
    assert user.public_name.encode() not in anonymous[newsroom["held"].url]


def test_a_pending_message_is_not_rendered_into_a_public_page_but_kept_for_its_reader(
    client, newsroom, reader
):
    story = newsroom["story"]
    anonymous = fresh_get(client, story.url).content
    client.force_login(reader)
    client.post("/accounts/profile/", {"display_name": "Rosa"})  # "Saved. …" waits
    assert fresh_get(client, story.url).content == anonymous
    state = client.get("/api/v1/me/page-state", {"article": story.pk}).json()
    assert [m["text"] for m in state["messages"]] == [
        "Saved. Your comments now show your new name."
    ]
    assert constants.DEFAULT_TAGS[constants.SUCCESS] == state["messages"][0]["level"]


def test_the_wagtail_user_bar_is_not_on_public_pages(client, newsroom, editor):
    client.force_login(editor)
    html = fresh_get(client, newsroom["story"].url).content.decode()
    assert "wagtail-userbar" not in html and "/cms/pages/" not in html
