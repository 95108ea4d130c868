"""post_comment: who may post, what text is accepted, and how counts follow."""

import threading

import pytest
from django.db import connection

from masthead.community.models import Comment, CommentStatus
from masthead.community.services import CommentError, post_comment
from masthead.newsroom.models import ArticlePage, CommentMode


def count(article) -> int:
    return ArticlePage.objects.get(pk=article.pk).comment_count


def test_verified_reader_posts_and_the_count_moves(article, reader):
    comment = post_comment(author=reader, article=article, body="Good news for the harbour.")
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.body_html == "<p>Good news for the harbour.</p>"
    assert count(article) == 1


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [("unverified_reader", "unverified", 403), ("banned_reader", "banned", 403)],
)
def test_unverified_and_banned_readers_are_refused(request, article, persona, code, status):
    with pytest.raises(CommentError) as error:
        post_comment(author=request.getfixturevalue(persona), article=article, body="Hello")
    assert (error.value.code, error.value.status) == (code, status)
    assert count(article) == 0


def test_verification_requirement_can_be_relaxed(article, unverified_reader, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "COMMENTS_REQUIRE_VERIFIED_EMAIL": False}
    assert post_comment(author=unverified_reader, article=article, body="Hi").is_published


@pytest.mark.parametrize("body", ["", "   \n\n  ", "\x00\x01"])
def test_empty_comment_is_refused(article, reader, body):
    with pytest.raises(CommentError) as error:
        post_comment(author=reader, article=article, body=body)
    assert error.value.code == "empty"


def test_too_long_comment_is_refused_with_the_limit(article, reader, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "COMMENT_MAX_LENGTH": 50}
    with pytest.raises(CommentError) as error:
        post_comment(author=reader, article=article, body="x" * 51)
    assert error.value.code == "too_long" and "50" in error.value.message
    assert post_comment(author=reader, article=article, body="x" * 50).is_published


@pytest.mark.parametrize(
    ("mode", "code"), [(CommentMode.CLOSED, "closed"), (CommentMode.LEGAL, "closed_legal")]
)
def test_closed_story_refuses_comments(make_article, reader, mode, code):
    article = make_article(comment_mode=mode, comments_closed_message="Sub judice.")
    with pytest.raises(CommentError) as error:
        post_comment(author=reader, article=article, body="Hello")
    assert error.value.code == code
    if mode == CommentMode.LEGAL:
        assert error.value.message == "Sub judice."


def test_premoderated_story_holds_comments_and_does_not_count_them(make_article, reader):
    article = make_article(comment_mode=CommentMode.PREMODERATED)
    comment = post_comment(author=reader, article=article, body="Hello")
    assert comment.status == CommentStatus.PENDING
    assert count(article) == 0


def test_staff_comments_skip_premoderation_and_carry_a_badge(make_article, moderator):
    article = make_article(comment_mode=CommentMode.PREMODERATED)
    comment = post_comment(author=moderator, article=article, body="Thanks all, keep it civil.")
    assert comment.is_published and comment.author_is_staff


def test_identical_text_twice_in_a_row_is_refused(article, reader):
    post_comment(author=reader, article=article, body="Same words")
    with pytest.raises(CommentError) as error:
        post_comment(author=reader, article=article, body="  Same words ")
    assert error.value.code == "duplicate"


def test_reply_to_unknown_or_other_story_comment_is_refused(article, make_article, reader, comment):
    with pytest.raises(CommentError) as error:
        post_comment(author=reader, article=article, body="Reply", parent=999_999)
    assert error.value.code == "unknown_parent"
    other = make_article("Another story")
    with pytest.raises(CommentError) as error:
        post_comment(author=reader, article=other, body="Reply", parent=comment)
    assert error.value.code == "unknown_parent"


def test_replies_nest_three_levels_then_stay_beside_the_comment_they_answer(
    article, reader, second_reader, comment
):
    level2 = post_comment(author=second_reader, article=article, body="Two", parent=comment)
    level3 = post_comment(author=reader, article=article, body="Three", parent=level2)
    deeper = post_comment(author=second_reader, article=article, body="Four", parent=level3)
    assert (level2.depth, level3.depth, deeper.depth) == (1, 2, 2)
    assert deeper.parent == level2 and deeper.in_reply_to == level3
    assert {level2.root_id, level3.root_id, deeper.root_id} == {comment.pk}
    assert Comment.objects.get(pk=level2.pk).reply_count == 2
    assert count(article) == 4


def test_rate_limit_refuses_the_sixth_comment_in_a_minute_with_retry_after(article, reader):
    for n in range(5):
        post_comment(author=reader, article=article, body=f"Comment number {n}")
    with pytest.raises(CommentError) as error:
        post_comment(author=reader, article=article, body="One too many")
    assert error.value.status == 429 and 1 <= error.value.retry_after <= 61
    assert count(article) == 5


def test_rate_limit_per_address_covers_many_accounts(article, reader, second_reader, settings):
    settings.MASTHEAD = {
        **settings.MASTHEAD,
        "RATE_LIMITS": {**settings.MASTHEAD["RATE_LIMITS"], "comment_ip": "2/m"},
    }
    post_comment(author=reader, article=article, body="a", ip="203.0.113.9")
    post_comment(author=second_reader, article=article, body="b", ip="203.0.113.9")
    with pytest.raises(CommentError) as error:
        post_comment(author=reader, article=article, body="c", ip="203.0.113.9")
    assert error.value.code == "rate_limited"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_count_stays_right_under_concurrent_posts(make_article, reader, second_reader, settings):
    settings.MASTHEAD = {
        **settings.MASTHEAD,
        "RATE_LIMITS": {**settings.MASTHEAD["RATE_LIMITS"], "comment": "100/m"},
    }
    article = make_article()
    errors = []

    def write(author, n):
        try:
            for i in range(8):
                post_comment(author=author, article=article, body=f"{author.pk}-{n}-{i}")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(a, n))
        for n, a in enumerate([reader, second_reader, reader, second_reader])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(article) == Comment.objects.filter(article=article).published().count() == 32


def test_publishing_an_older_revision_keeps_the_comment_count(article, reader, second_reader):
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.standfirst = "Updated standfirst, saved before the comments arrived."
    revision = draft.save_revision()
    post_comment(author=reader, article=article, body="First")
    post_comment(author=second_reader, article=article, body="Second")
    revision.publish()
    assert count(article) == 2
    assert ArticlePage.objects.get(pk=article.pk).standfirst.startswith("Updated standfirst")


def test_publishing_repairs_a_drifted_count(article, reader):
    post_comment(author=reader, article=article, body="Only one")
    ArticlePage.objects.filter(pk=article.pk).update(comment_count=41)
    ArticlePage.objects.get(pk=article.pk).save_revision().publish()
    assert count(article) == 1
