"""GET /api/v1/comments?ids=: what an open page refreshes (likes, edits, deletions)."""

from masthead.community.services import delete_own_comment, edit_comment, post_comment, react
from masthead.newsroom.models import CommentMode


def test_it_returns_current_counts_and_bodies_of_the_asked_comments(
    client, article, comment, second_reader
):
    other = post_comment(author=second_reader, article=article, body="Me too.")
    react(comment=comment, user=second_reader)
    edit_comment(comment=comment, user=comment.author, body="Fares are high.")
    response = client.get(f"/api/v1/comments?ids={comment.pk},{other.pk},999")
    assert response.status_code == 200
    assert not response.cookies and "Cookie" not in response.get("Vary", "")
    first, second = response.json()
    assert (first["id"], first["like_count"], first["edited"]) == (comment.pk, 1, True)
    assert first["body_html"] == "<p>Fares are high.</p>"
    assert (second["id"], second["status"], second["edited"]) == (other.pk, "published", False)


def test_deleted_comments_come_back_as_deleted_and_pending_only_to_their_author(
    client, make_article, article, comment, reader, second_reader
):
    post_comment(author=second_reader, article=article, body="Kept.", parent=comment)
    delete_own_comment(comment=comment, user=reader)
    held_article = make_article("Held", comment_mode=CommentMode.PREMODERATED)
    held = post_comment(author=second_reader, article=held_article, body="Wait for me.")
    ids = f"{comment.pk},{held.pk}"
    assert [
        (c["id"], c["status"], c["body_html"])
        for c in client.get(f"/api/v1/comments?ids={ids}").json()
    ] == [(comment.pk, "deleted", "")]
    client.force_login(second_reader)
    statuses = {c["id"]: c["status"] for c in client.get(f"/api/v1/comments?ids={ids}").json()}
    assert statuses == {comment.pk: "deleted", held.pk: "pending"}


def test_bad_or_too_many_ids_are_a_400(client, db):
    assert client.get("/api/v1/comments?ids=1,x").status_code == 400
    assert client.get("/api/v1/comments?ids=").status_code == 400
    too_many = ",".join(str(n) for n in range(1, 102))
    response = client.get(f"/api/v1/comments?ids={too_many}")
    assert response.status_code == 400
    assert response.json()["error"]
