"""The comments API: contract shapes, auth (session with CSRF, bearer), errors as JSON."""

import pytest
from django.test import Client

from masthead.accounts.services import issue_token
from masthead.community.models import Comment
from masthead.community.services import post_comment
from masthead.newsroom.models import CommentMode


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {issue_token(user=user)[1]}"}


def url(article) -> str:
    return f"/api/v1/articles/{article.pk}/comments"


def test_post_with_a_token_returns_201_with_id_and_status(client, article, reader):
    response = client.post(
        url(article),
        {"body": "Well reported."},
        content_type="application/json",
        headers=bearer(reader),
    )
    assert response.status_code == 201
    comment = Comment.objects.get()
    assert response.json() == {"id": comment.pk, "status": "published"}


def test_post_on_premoderated_story_reports_pending(client, make_article, reader):
    article = make_article(comment_mode=CommentMode.PREMODERATED)
    response = client.post(
        url(article), {"body": "Hold me"}, content_type="application/json", headers=bearer(reader)
    )
    assert response.json()["status"] == "pending"


def test_anonymous_post_is_401_json(client, article):
    response = client.post(url(article), {"body": "Hi"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_session_post_needs_the_csrf_token(article, reader):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    refused = browser.post(url(article), {"body": "Hi"}, content_type="application/json")
    assert refused.status_code == 403
    token = browser.get("/api/v1/csrf").json()["csrf_token"]
    accepted = browser.post(
        url(article),
        {"body": "Hi"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"body": ""}, 400, "empty"),
        ({"body": "x" * 3001}, 400, "too_long"),
        ({"body": "Hi", "parent_id": 424242}, 404, "unknown_parent"),
        ({"nobody": "Hi"}, 422, "invalid"),
        ({"body": ["not", "text"]}, 422, "invalid"),
    ],
)
def test_bad_posts_get_their_own_json_error(client, article, reader, payload, status, code):
    response = client.post(
        url(article), payload, content_type="application/json", headers=bearer(reader)
    )
    assert response.status_code == status
    assert response.json()["error"] == code
    assert response.json()["message"]


def test_malformed_json_is_a_4xx_not_a_500(client, article, reader):
    response = client.post(
        url(article), "{not json", content_type="application/json", headers=bearer(reader)
    )
    assert 400 <= response.status_code < 500


def test_closed_story_and_unknown_story(client, make_article, reader):
    closed = make_article(comment_mode=CommentMode.CLOSED)
    response = client.post(
        url(closed), {"body": "Hi"}, content_type="application/json", headers=bearer(reader)
    )
    assert (response.status_code, response.json()["error"]) == (403, "closed")
    response = client.post(
        "/api/v1/articles/999999/comments",
        {"body": "Hi"},
        content_type="application/json",
        headers=bearer(reader),
    )
    assert response.status_code == 404


def test_rate_limited_post_is_429_with_retry_after(client, article, reader):
    headers = bearer(reader)
    for n in range(5):
        client.post(
            url(article), {"body": f"n{n}"}, content_type="application/json", headers=headers
        )
    response = client.post(
        url(article), {"body": "again"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert response.json()["error"] == "rate_limited"


def test_retry_with_the_same_idempotency_key_posts_once(client, article, reader):
    headers = {**bearer(reader), "Idempotency-Key": "3f1c-retry"}
    first = client.post(
        url(article), {"body": "Once"}, content_type="application/json", headers=headers
    )
    second = client.post(
        url(article), {"body": "Once"}, content_type="application/json", headers=headers
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Comment.objects.count() == 1


def test_thread_lists_nested_replies_with_names_badges_and_counts(
    client, article, reader, second_reader, moderator
):
    top = post_comment(author=reader, article=article, body="Top")
    reply = post_comment(author=moderator, article=article, body="Staff reply", parent=top)
    level3 = post_comment(author=second_reader, article=article, body="Third", parent=reply)
    post_comment(author=reader, article=article, body="Deep", parent=level3)
    body = client.get(url(article)).json()
    assert body["comment_count"] == 4
    (item,) = body["items"]
    assert item["author"] == "Rosa" and item["reply_count"] == 1
    assert [r["body_html"] for r in item["replies"]] == [
        "<p>Staff reply</p>",
        "<p>Third</p>",
        "<p>Deep</p>",
    ]
    assert item["replies"][0]["badges"] == ["staff"]
    assert item["replies"][2]["in_reply_to"] == "Sam"


def test_thread_pages_with_a_cursor_in_each_sort(client, article, reader, second_reader):
    made = [
        post_comment(
            author=reader if n % 2 else second_reader, article=article, body=f"Comment {n}"
        )
        for n in range(5)
    ]
    for sort, expected in [("newest", made[::-1]), ("oldest", made)]:
        seen, cursor = [], None
        while True:
            query = f"?sort={sort}&limit=2" + (f"&cursor={cursor}" if cursor else "")
            body = client.get(url(article) + query).json()
            seen += [item["id"] for item in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert seen == [c.pk for c in expected], sort


def test_bad_sort_or_cursor_is_400(client, article):
    assert client.get(url(article) + "?sort=loudest").status_code == 400
    assert client.get(url(article) + "?cursor=@@@").json()["error"] == "bad_request"


def test_since_returns_only_newer_published_comments(client, article, reader, second_reader):
    first = post_comment(author=reader, article=article, body="First")
    newer = post_comment(author=second_reader, article=article, body="Newer")
    body = client.get(url(article) + f"?since={first.pk}").json()
    assert body["total_new"] == 1 and [i["id"] for i in body["items"]] == [newer.pk]


def test_pending_comment_is_visible_to_its_author_only(client, make_article, reader, second_reader):
    article = make_article(comment_mode=CommentMode.PREMODERATED)
    post_comment(author=reader, article=article, body="Waiting")
    assert client.get(url(article)).json()["items"] == []
    mine = client.get(url(article), headers=bearer(reader)).json()["items"]
    assert [i["status"] for i in mine] == ["pending"]
    assert client.get(url(article), headers=bearer(second_reader)).json()["items"] == []


def test_like_is_idempotent_and_unlike_undoes_it(client, comment, second_reader):
    headers = bearer(second_reader)
    reactions = f"/api/v1/comments/{comment.pk}/reactions"
    assert client.post(reactions, headers=headers).json() == {"like_count": 1, "liked": True}
    assert client.post(reactions, headers=headers).json() == {"like_count": 1, "liked": True}
    assert client.delete(reactions, headers=headers).json() == {"like_count": 0, "liked": False}
    assert client.delete(reactions, headers=headers).json() == {"like_count": 0, "liked": False}


def test_reader_cannot_like_own_comment(client, comment, reader):
    response = client.post(f"/api/v1/comments/{comment.pk}/reactions", headers=bearer(reader))
    assert (response.status_code, response.json()["error"]) == (409, "own_comment")


def test_edit_and_delete_are_for_the_author_only(client, comment, reader, second_reader):
    path = f"/api/v1/comments/{comment.pk}"
    other = client.patch(
        path, {"body": "Hijack"}, content_type="application/json", headers=bearer(second_reader)
    )
    assert other.status_code == 403
    edited = client.patch(
        path,
        {"body": "Fares are far too high."},
        content_type="application/json",
        headers=bearer(reader),
    )
    assert edited.status_code == 200 and edited.json()["edited"] is True
    assert client.delete(path, headers=bearer(second_reader)).status_code == 403
    assert client.delete(path, headers=bearer(reader)).status_code == 204


def test_live_counter_is_tiny_cacheable_and_moves_on_change(
    client, article, reader, django_capture_on_commit_callbacks
):
    live = f"/api/v1/articles/{article.pk}/comments/live"
    before = client.get(live)
    assert "max-age=2" in before["Cache-Control"]
    # Marked for caches in front (nginx stores only what carries a surrogate key).
    assert before["Surrogate-Key"] == f"comments-{article.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(author=reader, article=article, body="New")
    after = client.get(live).json()
    assert after["comment_count"] == 1
    assert after["version"] > before.json()["version"]


def test_anonymous_thread_read_does_not_vary_on_cookie(client, comment, article):
    response = client.get(url(article))
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
