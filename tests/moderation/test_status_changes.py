"""change_status: one conditional move between statuses that keeps counts and the live
version right, and the placeholders rejected or hidden comments leave in the thread."""

from __future__ import annotations

from django.db.models import Q

from masthead.community.models import Comment, CommentStatus, ThreadActivity
from masthead.community.services import change_status
from masthead.community.threads import thread_page
from masthead.newsroom.models import ArticlePage


def _count(article) -> int:
    return ArticlePage.objects.values_list("comment_count", flat=True).get(pk=article.pk)


def _version(article) -> int:
    return ThreadActivity.objects.values_list("version", flat=True).get(article_id=article.pk)


def test_it_moves_published_to_rejected_and_drops_the_counts(comment, reply):
    article = comment.article
    assert _count(article) == 2
    version = _version(article)
    assert change_status(reply, to=CommentStatus.REJECTED, expected={CommentStatus.PUBLISHED})
    assert _count(article) == 1
    assert Comment.objects.get(pk=comment.pk).reply_count == 0
    assert _version(article) == version + 1
    assert Comment.objects.get(pk=reply.pk).status == CommentStatus.REJECTED


def test_it_counts_a_comment_back_in_when_published(comment):
    change_status(comment, to=CommentStatus.PENDING, expected=None)
    assert _count(comment.article) == 0
    assert change_status(comment, to=CommentStatus.PUBLISHED, expected={CommentStatus.PENDING})
    assert _count(comment.article) == 1


def test_it_changes_nothing_when_the_status_is_not_as_expected(comment):
    version = _version(comment.article)
    moved = change_status(comment, to=CommentStatus.REJECTED, expected={CommentStatus.PENDING})
    assert moved is False
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PUBLISHED
    assert _count(comment.article) == 1
    assert _version(comment.article) == version


def test_the_second_of_two_stale_moves_loses(comment, moderator):
    first = Comment.objects.get(pk=comment.pk)
    second = Comment.objects.get(pk=comment.pk)
    expected = {CommentStatus.PUBLISHED}
    assert change_status(first, to=CommentStatus.REJECTED, expected=expected)
    assert not change_status(second, to=CommentStatus.REJECTED, expected=expected)
    assert _count(comment.article) == 0  # counted out once, not twice


def test_it_sets_fields_in_the_same_statement_and_honours_where(comment, moderator):
    assert not change_status(
        comment,
        to=CommentStatus.REJECTED,
        expected={CommentStatus.PUBLISHED},
        where=Q(open_reports__gt=0),
    )
    assert change_status(
        comment,
        to=CommentStatus.REJECTED,
        expected={CommentStatus.PUBLISHED},
        fields={"moderated_by": moderator, "rejection_reason": "spam"},
    )
    row = Comment.objects.get(pk=comment.pk)
    assert (row.moderated_by_id, row.rejection_reason) == (moderator.pk, "spam")
    assert comment.status == CommentStatus.REJECTED  # the object in hand follows


def test_a_rejected_comment_with_replies_stays_as_a_placeholder(comment, reply, third_reader):
    change_status(comment, to=CommentStatus.REJECTED, expected={CommentStatus.PUBLISHED})
    page = thread_page(article=comment.article, viewer=third_reader)
    assert [c.pk for c in page.comments] == [comment.pk]
    assert [r.pk for r in page.comments[0].replies] == [reply.pk]
    assert page.comments[0].is_placeholder_for(third_reader)


def test_a_rejected_comment_without_replies_leaves_the_thread(comment, third_reader):
    change_status(comment, to=CommentStatus.REJECTED, expected={CommentStatus.PUBLISHED})
    assert thread_page(article=comment.article, viewer=third_reader).comments == []
    assert thread_page(article=comment.article, viewer=None).comments == []


def test_a_hidden_comment_is_seen_by_its_author_only(comment, reader, third_reader):
    change_status(comment, to=CommentStatus.HIDDEN, expected={CommentStatus.PUBLISHED})
    assert thread_page(article=comment.article, viewer=third_reader).comments == []
    mine = thread_page(article=comment.article, viewer=reader).comments
    assert [c.pk for c in mine] == [comment.pk]
    assert not mine[0].is_placeholder_for(reader)


def test_the_thread_page_shows_the_removed_placeholder_not_the_words(client, comment, reply):
    change_status(comment, to=CommentStatus.REJECTED, expected={CommentStatus.PUBLISHED})
    html = client.get(f"/comments/{comment.article_id}/").content.decode()
    assert "This comment was removed by our moderators." in html
    assert "Fares are already too high." not in html
    assert "They were cheaper last year." in html


def test_the_author_sees_their_hidden_comment_marked(client, comment, reader):
    change_status(comment, to=CommentStatus.HIDDEN, expected={CommentStatus.PUBLISHED})
    client.force_login(reader)
    html = client.get(f"/comments/{comment.article_id}/").content.decode()
    assert "Fares are already too high." in html
    assert "Hidden while our team reviews it" in html
