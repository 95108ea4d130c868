from masthead.accounts.services import issue_token
from masthead.community.services import post_comment


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {issue_token(user=user)[1]}"}


def test_all_replies_of_a_long_thread_page_oldest_first(
    client, comment, article, reader, second_reader, settings
):
    limits = {name: "1000/m" for name in settings.MASTHEAD["RATE_LIMITS"]}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}
    replies = [
        post_comment(
            author=second_reader if n % 2 else reader,
            article=article,
            body=f"Reply {n}",
            parent=comment,
        )
        for n in range(7)
    ]
    seen, cursor = [], None
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"/api/v1/comments/{comment.pk}/replies{query}").json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == [r.pk for r in replies]


def test_replies_of_a_reply_are_not_a_thread(client, comment, article, second_reader):
    reply = post_comment(author=second_reader, article=article, body="Reply", parent=comment)
    assert client.get(f"/api/v1/comments/{reply.pk}/replies").status_code == 404


def test_editor_features_a_comment_and_it_leads_the_thread(
    client, comment, article, editor, second_reader
):
    post_comment(author=second_reader, article=article, body="A newer comment")
    response = client.post(
        f"/api/v1/comments/{comment.pk}/feature",
        {"featured": True},
        content_type="application/json",
        headers=bearer(editor),
    )
    assert response.status_code == 200 and response.json()["featured"] is True
    thread = client.get(f"/api/v1/articles/{article.pk}/comments").json()
    assert [c["id"] for c in thread["featured"]] == [comment.pk]
    assert comment.pk not in [c["id"] for c in thread["items"]]


def test_readers_cannot_feature_comments(client, comment, second_reader):
    response = client.post(
        f"/api/v1/comments/{comment.pk}/feature",
        {"featured": True},
        content_type="application/json",
        headers=bearer(second_reader),
    )
    assert (response.status_code, response.json()["error"]) == (403, "forbidden")


def test_editor_features_from_the_thread_page_without_javascript(
    client, comment, article, editor, reader
):
    client.force_login(editor)
    assert f"/comments/c/{comment.pk}/feature" not in client.get(article.url).content.decode()
    page = client.get(f"/comments/{article.pk}/").content.decode()
    assert f"/comments/c/{comment.pk}/feature" in page
    response = client.post(f"/comments/c/{comment.pk}/feature", {"featured": "1"})
    assert response.status_code in {302, 303}
    assert response["Location"] == f"/comments/{article.pk}/#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.featured_at is not None
    client.post(f"/comments/c/{comment.pk}/feature", {"featured": "0"})
    comment.refresh_from_db()
    assert comment.featured_at is None


def test_readers_see_no_feature_button_and_cannot_post_one(client, comment, article, second_reader):
    client.force_login(second_reader)
    page = client.get(f"/comments/{article.pk}/").content.decode()
    assert f"/comments/c/{comment.pk}/feature" not in page
    client.post(f"/comments/c/{comment.pk}/feature", {"featured": "1"})
    comment.refresh_from_db()
    assert comment.featured_at is None
