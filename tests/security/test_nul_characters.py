"""A NUL character in reader or staff input is a clear 400, never a 500 from the database."""

from __future__ import annotations

from django.test import Client

from masthead.community import services as community
from masthead.community.models import Comment


def test_the_api_refuses_a_nul_in_a_json_body(make_article, reader):
    article = make_article()
    client = Client()
    client.force_login(reader)
    response = client.post(
        f"/api/v1/articles/{article.pk}/comments",
        data='{"body": "a hidden \\u0000 character"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert not Comment.objects.exists()


def test_a_form_with_a_nul_is_refused_before_any_view_reads_it(make_article, reader, moderator):
    article = make_article()
    comment = community.post_comment(author=reader, article=article, body="Fine words.")
    desk = Client()
    desk.force_login(moderator)
    response = desk.post(f"/moderation/comment/{comment.pk}/note", {"note": "see\x00this"})
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_a_query_string_with_a_nul_is_refused(client, make_article):
    make_article()
    response = client.get("/search/", {"q": "tram\x00"})
    assert response.status_code == 400
    assert client.get("/api/v1/articles", {"cursor": "\x00"}).json()["error"] == "bad_request"


def test_ordinary_text_passes(make_article, reader):
    article = make_article()
    client = Client()
    client.force_login(reader)
    response = client.post(f"/comments/{article.pk}/post", {"body": "Plain words, no tricks."})
    assert response.status_code in {200, 302, 303}
    assert Comment.objects.filter(body="Plain words, no tricks.").exists()
