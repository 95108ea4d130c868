"""`GET /api/v1/me/page-state`: the reader's part of a cached public page.

Story pages are the same bytes for everyone; session.js asks this for what differs: the
account links, flash messages, and on a story the form, likes, own comments and notices.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.accounts.models import User
from masthead.community.models import Comment
from masthead.community.services import delete_own_comment, post_comment, react
from masthead.community.views import PUBLISHED_MESSAGE
from masthead.newsroom.models import CommentMode

URL = "/api/v1/me/page-state"


def state_of(client, article=None) -> dict:
    response = client.get(URL, {"article": article.pk} if article else {})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response.json()


def test_an_anonymous_caller_is_told_signed_out_and_no_session_is_touched(client, article):
    response = client.get(URL, {"article": article.pk})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response.json() == {
        "signed_in": False,
        "display_name": None,
        "profile_url": None,
        "logout_url": None,
        "csrf_token": None,
        "messages": [],
        "supporter": False,
        "article": None,
    }
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()


def test_a_signed_in_reader_gets_their_name_links_token_and_supporter_state(client, reader):
    User.objects.filter(pk=reader.pk).update(is_monthly_supporter=True)
    client.force_login(reader)
    state = state_of(client)
    assert state["signed_in"] is True
    assert state["display_name"] == "Rosa"
    assert (state["profile_url"], state["logout_url"]) == (
        "/accounts/profile/",
        "/accounts/logout/",
    )
    assert len(state["csrf_token"]) >= 32
    assert state["supporter"] is True
    assert state["article"] is None


def test_the_token_it_gives_lets_the_script_post_a_comment(article, second_reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(second_reader)
    token = state_of(client, article)["csrf_token"]
    response = client.post(
        f"/api/v1/articles/{article.pk}/comments",
        {"body": "Posted from the cached page."},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


def test_messages_are_handed_over_once(client, article, second_reader):
    client.force_login(second_reader)
    client.post(f"/comments/{article.pk}/post", {"body": "A good plan."})
    state = state_of(client)
    assert state["messages"] == [{"level": "success", "text": PUBLISHED_MESSAGE}]
    assert state_of(client)["messages"] == []


def test_on_a_story_it_says_what_the_reader_may_do_with_each_comment(
    client, article, reader, second_reader
):
    others = post_comment(author=second_reader, article=article, body="Not mine.")
    unliked = post_comment(author=second_reader, article=article, body="Not liked.")
    mine = post_comment(author=reader, article=article, body="Mine, fresh.")
    old = post_comment(author=reader, article=article, body="Mine, old.")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    gone = post_comment(author=reader, article=article, body="Mine, deleted.")
    delete_own_comment(comment=gone, user=reader)
    react(comment=others, user=reader)
    client.force_login(reader)
    story = state_of(client, article)["article"]
    assert story["id"] == article.pk
    assert story["comments_open"] is story["can_comment"] is True
    assert story["notice"] == ""
    assert story["can_feature"] is False
    assert story["liked_ids"] == [others.pk]
    assert unliked.pk not in story["liked_ids"]
    assert sorted(story["own_ids"]) == sorted([mine.pk, old.pk, gone.pk])
    assert story["editable_ids"] == [mine.pk]
    assert sorted(story["deletable_ids"]) == sorted([mine.pk, old.pk])
    assert story["own_comments"] == []  # all of them are public already


def test_the_readers_pending_comment_comes_as_escaped_html_only_to_them(
    client, make_article, reader, second_reader
):
    article = make_article("Harbour plan", comment_mode=CommentMode.PREMODERATED)
    User.objects.filter(pk=reader.pk).update(display_name="<b>Rosa</b>")
    reader.refresh_from_db()
    pending = post_comment(
        author=reader, article=article, body='<script>alert(1)</script> "Held" & <i>back</i>'
    )
    assert pending.is_pending
    client.force_login(reader)
    [own] = state_of(client, article)["article"]["own_comments"]
    assert (own["id"], own["parent_id"], own["status"]) == (pending.pk, None, "pending")
    html = own["html"]
    assert html.startswith('<li class="comment comment--depth-0 comment--pending"')
    assert f'id="comment-{pending.pk}"' in html
    assert "Awaiting review" in html
    assert "<script" not in html and "<b>Rosa" not in html and "<i>back" not in html
    assert "&lt;b&gt;Rosa&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html
    assert "csrfmiddlewaretoken" not in html
    assert f'href="/comments/c/{pending.pk}/edit"' in html
    assert "/report/" not in html
    client.force_login(second_reader)
    assert state_of(client, article)["article"]["own_comments"] == []
    client.logout()
    assert "Held" not in client.get(article.url).content.decode()


def test_editors_may_feature_and_readers_may_not(client, article, editor, reader):
    client.force_login(editor)
    assert state_of(client, article)["article"]["can_feature"] is True
    client.force_login(reader)
    assert state_of(client, article)["article"]["can_feature"] is False


def test_a_banned_reader_gets_the_notice_and_no_form(client, article, banned_reader):
    client.force_login(banned_reader)
    story = state_of(client, article)["article"]
    assert story["can_comment"] is False
    assert story["notice"].startswith("Your account is suspended from taking part until")


def test_a_closed_story_offers_no_form(client, make_article, reader):
    article = make_article("Trial opens", comment_mode=CommentMode.CLOSED)
    client.force_login(reader)
    story = state_of(client, article)["article"]
    assert story["comments_open"] is story["can_comment"] is False


def test_an_unknown_story_is_no_story_and_a_bad_id_is_a_json_error(client, reader):
    client.force_login(reader)
    assert state_of(client, type("Missing", (), {"pk": 999999})())["article"] is None
    response = client.get(URL, {"article": "abc"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"


def test_a_stale_signed_in_hint_is_cleared(client, article):
    client.cookies["masthead_signed_in"] = "1"
    response = client.get(URL)
    assert response.json()["signed_in"] is False
    assert response.cookies["masthead_signed_in"].value == ""
    assert response.cookies["masthead_signed_in"]["max-age"] == 0


def _queries(client, article) -> int:
    with CaptureQueriesContext(connection) as queries:
        state_of(client, article)
    return len(queries)


@pytest.mark.parametrize("persona", ["reader", "editor"])
def test_its_cost_does_not_grow_with_the_thread(
    request, client, make_article, grow_thread, reader, second_reader, persona
):
    user = request.getfixturevalue(persona)
    small, big = make_article("Small thread"), make_article("Big thread")
    grow_thread(small, [reader, second_reader], 5, replies_each=2)
    grow_thread(big, [reader, second_reader], 80, replies_each=3)
    for article in (small, big):
        for comment in Comment.objects.filter(article=article).exclude(author=user)[:3]:
            react(comment=comment, user=user)
        post_comment(author=user, article=article, body=f"Mine on {article.title}")
    client.force_login(user)
    _queries(client, small)  # warm what is cached per process (site root, roles)
    assert _queries(client, big) == _queries(client, small)
