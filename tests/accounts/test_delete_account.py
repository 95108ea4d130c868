""" "Delete my account": password again, then comments anonymised or removed, counts kept right."""

import pytest
from django.contrib.auth import SESSION_KEY

from masthead.accounts.models import User
from masthead.accounts.services import AccountError, delete_account
from masthead.community.models import Comment, CommentStatus, Reaction
from masthead.community.services import post_comment, react
from masthead.newsroom.models import ArticlePage, CommentMode
from tests.conftest import PASSWORD


@pytest.fixture
def article(make_article):
    return make_article("Ferry fares to rise in spring")


@pytest.fixture
def thread(article, reader, second_reader, make_article):
    """Rosa writes two comments and a reply, has one held, and likes one of Sam's; Sam likes
    Rosa's first comment and replies to it."""
    held = make_article("Harbour plans", comment_mode=CommentMode.PREMODERATED)
    rosa_first = post_comment(author=reader, article=article, body="Fares are too high")
    rosa_second = post_comment(author=reader, article=article, body="And the timetable")
    sam = post_comment(author=second_reader, article=article, body="They are fair")
    sam_reply = post_comment(
        author=second_reader, article=article, body="Disagree", parent=rosa_first
    )
    rosa_reply = post_comment(author=reader, article=article, body="Why?", parent=sam)
    rosa_held = post_comment(author=reader, article=held, body="Held back")
    react(comment=sam, user=reader)
    react(comment=sam_reply, user=reader)
    react(comment=rosa_first, user=second_reader)
    article.refresh_from_db()
    assert article.comment_count == 5
    return {
        "article": article,
        "held": held,
        "rosa": [rosa_first, rosa_second, rosa_reply, rosa_held],
        "sam": sam,
        "sam_reply": sam_reply,
    }


def fresh(comment):
    return Comment.objects.get(pk=comment.pk)


def test_wrong_password_deletes_nothing(reader, thread):
    with pytest.raises(AccountError) as error:
        delete_account(user=reader, password="not-my-password")
    assert error.value.code == "wrong_password"
    assert User.objects.filter(pk=reader.pk).exists()
    assert Reaction.objects.filter(user=reader).count() == 2


def test_staff_accounts_are_not_deleted_here(moderator):
    with pytest.raises(AccountError) as error:
        delete_account(user=moderator, password=PASSWORD)
    assert error.value.code == "staff"
    assert User.objects.filter(pk=moderator.pk).exists()


def test_anonymise_keeps_comments_as_former_reader_and_takes_back_likes(reader, thread, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "DELETED_ACCOUNT_COMMENTS": "anonymise"}

    delete_account(user=reader, password=PASSWORD)

    assert not User.objects.filter(email="rosa.reader@example.com").exists()
    for comment in thread["rosa"]:
        kept = fresh(comment)
        assert kept.author_id is None
        assert kept.author_name == "Former reader"
        assert kept.body == comment.body
        assert kept.status == comment.status
    assert fresh(thread["sam"]).like_count == 0
    assert fresh(thread["sam_reply"]).like_count == 0
    assert fresh(thread["rosa"][0]).like_count == 1  # Sam's like on it stays
    assert not Reaction.objects.filter(comment=thread["sam"]).exists()
    assert ArticlePage.objects.get(pk=thread["article"].pk).comment_count == 5
    assert fresh(thread["sam"]).reply_count == 1


def test_remove_turns_comments_into_placeholders_and_keeps_counts_right(reader, thread, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "DELETED_ACCOUNT_COMMENTS": "remove"}

    delete_account(user=reader, password=PASSWORD)

    for comment in thread["rosa"]:
        removed = fresh(comment)
        assert removed.status == CommentStatus.DELETED
        assert removed.body == removed.body_html == ""
        assert removed.author_id is None
    # Sam's two comments are all that is published now.
    article = ArticlePage.objects.get(pk=thread["article"].pk)
    assert article.comment_count == 2
    assert (
        article.comment_count
        == Comment.objects.filter(article=article, status=CommentStatus.PUBLISHED).count()
    )
    assert ArticlePage.objects.get(pk=thread["held"].pk).comment_count == 0
    assert fresh(thread["sam"]).reply_count == 0  # Rosa's reply to Sam is gone
    assert fresh(thread["rosa"][0]).reply_count == 1  # Sam's reply keeps its place
    assert fresh(thread["sam"]).like_count == 0
    # The placeholder with a reply stays visible; the others disappear.
    visible = Comment.objects.visible_to(None).filter(article=article)
    assert set(visible.values_list("pk", flat=True)) == {
        thread["rosa"][0].pk,
        thread["sam"].pk,
        thread["sam_reply"].pk,
    }


def test_delete_page_asks_for_the_password_again(client, home, reader):
    client.force_login(reader)
    response = client.get("/accounts/profile/delete/")
    assert response.status_code == 200
    assert b'type="password"' in response.content
    assert "Former reader" in response.content.decode()


def test_delete_page_with_a_wrong_password_explains_and_keeps_the_account(client, home, reader):
    client.force_login(reader)
    response = client.post("/accounts/profile/delete/", {"password": "nope"})
    assert response.status_code == 200
    assert "That password is not right" in response.content.decode()
    assert User.objects.filter(pk=reader.pk).exists()


def test_deleting_signs_out_and_says_goodbye_on_the_front_page(client, home, reader, thread):
    client.force_login(reader)
    response = client.post("/accounts/profile/delete/", {"password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    # The front page is the same for everyone; the goodbye comes from the page state, which
    # the short-lived `masthead_flash` hint tells the page's script to ask for.
    assert "Your account has been deleted" not in response.content.decode()
    assert client.cookies["masthead_flash"].value == "1"
    assert client.cookies["masthead_signed_in"].value == ""
    state = client.get("/api/v1/me/page-state").json()
    assert [m["text"] for m in state["messages"]] == [
        "Your account has been deleted. Thank you for reading with us."
    ]
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(pk=reader.pk).exists()
    assert client.get("/accounts/profile/").status_code == 302
