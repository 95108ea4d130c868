"""Every new and edited comment passes pre-screening: what it decides is stored with the
comment, recorded on the trail, and an automatic refusal is explained to the author."""

from __future__ import annotations

import pytest

from masthead.community.models import Comment, CommentStatus
from masthead.community.services import edit_comment, post_comment
from masthead.moderation.models import ModerationAction, ModerationSettings
from masthead.newsroom.models import ArticlePage


@pytest.fixture
def rules(db):
    config = ModerationSettings.load()
    config.banned_words = "scoundrel"
    config.suspect_words = "bribe"
    config.save()
    from masthead.moderation.screening import forget_config

    forget_config()
    return config


def count(article) -> int:
    return ArticlePage.objects.values_list("comment_count", flat=True).get(pk=article.pk)


def test_a_clean_comment_is_published_with_its_screening_stored(rules, article, reader):
    comment = post_comment(author=reader, article=article, body="A fair point, well made.")
    assert comment.status == CommentStatus.PUBLISHED
    row = Comment.objects.get(pk=comment.pk)
    assert isinstance(row.screening, list) and row.screening
    assert len(row.body_fingerprint) == 32
    assert not ModerationAction.objects.exists()


def test_a_suspect_word_holds_the_comment_on_the_record(rules, article, reader):
    comment = post_comment(author=reader, article=article, body="Was there a bribe involved?")
    assert comment.status == CommentStatus.PENDING
    assert "bribe" in Comment.objects.get(pk=comment.pk).screening_summary
    action = ModerationAction.objects.get()
    assert (action.kind, action.automated, action.after_status) == ("auto_hold", True, "pending")
    assert count(article) == 0


def test_a_banned_word_refuses_the_comment_and_tells_the_author(
    rules, article, reader, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(author=reader, article=article, body="The mayor is a scoundrel.")
    assert comment.status == CommentStatus.REJECTED
    assert ModerationAction.objects.get().kind == "auto_reject"
    assert count(article) == 0
    assert len(mailoutbox) == 1
    assert "our automatic pre-screening removed it" in mailoutbox[0].body
    assert f"/moderation/appeal/{comment.pk}/" in mailoutbox[0].body


def test_an_edit_that_breaks_the_rules_holds_a_published_comment(rules, comment, reader):
    assert count(comment.article) == 1
    edit_comment(comment=comment, user=reader, body="Someone took a bribe here.")
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING
    assert count(comment.article) == 0
    assert ModerationAction.objects.get().kind == "auto_hold"


def test_a_clean_edit_does_not_release_a_held_comment(rules, article, reader):
    held = post_comment(author=reader, article=article, body="Was there a bribe involved?")
    edit_comment(comment=held, user=reader, body="Was anything improper involved?")
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.PENDING


def test_the_no_javascript_form_says_a_refused_comment_was_not_published(
    client, rules, article, reader
):
    client.force_login(reader)
    response = client.post(
        f"/comments/{article.pk}/post", {"body": "What a scoundrel."}, follow=True
    )
    assert "Your comment was not published" in response.content.decode()
