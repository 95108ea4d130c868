"""Moderators decide: approve, reject, ban, undo, notes, featuring; the audit trail, trust,
emails, and two moderators deciding the same comment at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from masthead.accounts.models import User
from masthead.community.models import Comment, CommentStatus
from masthead.community.services import CommentError, post_comment
from masthead.moderation.models import ModerationAction, ModerationSettings, Report
from masthead.moderation.services import (
    ModerationError,
    add_note,
    decide,
    feature,
    report_comment,
    undo_last_decision,
)
from masthead.newsroom.models import ArticlePage, CommentMode


def fresh(comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def count(article) -> int:
    return ArticlePage.objects.values_list("comment_count", flat=True).get(pk=article.pk)


@pytest.fixture
def held(make_article, reader):
    article = make_article("Bridge closes for repairs", comment_mode=CommentMode.PREMODERATED)
    return post_comment(author=reader, article=article, body="About time they fixed it.")


@pytest.fixture
def reported(comment, second_reader):
    report_comment(reporter=second_reader, comment=comment, reason="abuse", note="Rude")
    return fresh(comment)


# --- Who may decide -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reader", "second_reader", "editor", "banned_reader"])
def test_only_moderators_decide(held, request, who):
    with pytest.raises(ModerationError) as caught:
        decide(comment=held, moderator=request.getfixturevalue(who), action="approve")
    assert caught.value.status == 403
    assert fresh(held).status == CommentStatus.PENDING


def test_admins_decide(held, admin):
    decide(comment=held, moderator=admin, action="approve")
    assert fresh(held).status == CommentStatus.PUBLISHED


def test_an_unknown_action_is_refused(held, moderator):
    with pytest.raises(ModerationError) as caught:
        decide(comment=held, moderator=moderator, action="delete")
    assert caught.value.code == "invalid_action"


# --- Approve and reject ---------------------------------------------------------------------


def test_approving_a_held_comment_publishes_it_and_counts_it(held, moderator, reader):
    assert count(held.article) == 0
    action = decide(comment=held, moderator=moderator, action="approve")
    row = fresh(held)
    assert row.status == CommentStatus.PUBLISHED
    assert (row.moderated_by_id, row.moderated_at is not None) == (moderator.pk, True)
    assert count(held.article) == 1
    assert (action.kind, action.actor, action.before_status, action.after_status) == (
        "approve",
        moderator,
        "pending",
        "published",
    )
    assert User.objects.get(pk=reader.pk).approved_comments == 1


def test_rejecting_removes_it_everywhere_and_resolves_reports(reported, moderator, reader):
    action = decide(comment=reported, moderator=moderator, action="reject", reason="abuse")
    row = fresh(reported)
    assert (row.status, row.rejection_reason, row.open_reports) == ("rejected", "abuse", 0)
    assert count(reported.article) == 0
    assert list(Report.objects.values_list("status", "resolution")) == [("resolved", "rejected")]
    assert action.detail["reports"] == [Report.objects.get().pk]
    user = User.objects.get(pk=reader.pk)
    assert (user.rejected_comments, user.trust) == (1, -3)


def test_rejecting_without_a_reason_uses_the_most_reported_one(reported, moderator):
    decide(comment=reported, moderator=moderator, action="reject")
    assert fresh(reported).rejection_reason == "abuse"


def test_an_unknown_rejection_reason_is_refused(reported, moderator):
    with pytest.raises(ModerationError) as caught:
        decide(comment=reported, moderator=moderator, action="reject", reason="rudeness")
    assert caught.value.code == "unknown_reason"
    assert fresh(reported).status == CommentStatus.PUBLISHED


def test_approving_a_reported_comment_keeps_it_and_closes_the_reports(reported, moderator):
    decide(comment=reported, moderator=moderator, action="approve")
    row = fresh(reported)
    assert (row.status, row.open_reports, row.first_reported_at) == ("published", 0, None)
    assert Report.objects.get().resolution == "approved"


def test_approving_a_hidden_comment_brings_it_back(comment, second_reader, moderator):
    report_comment(reporter=second_reader, comment=comment, reason="legal")
    assert count(comment.article) == 0
    decide(comment=fresh(comment), moderator=moderator, action="approve")
    assert fresh(comment).status == CommentStatus.PUBLISHED
    assert count(comment.article) == 1


def test_a_published_comment_with_nothing_open_cannot_be_approved_again(comment, moderator):
    with pytest.raises(ModerationError) as caught:
        decide(comment=comment, moderator=moderator, action="approve")
    assert (caught.value.code, caught.value.status) == ("already_decided", 409)


def test_rejecting_unpins_a_featured_comment(comment, moderator):
    feature(comment=comment, moderator=moderator)
    decide(comment=fresh(comment), moderator=moderator, action="reject", reason="spam")
    assert fresh(comment).featured_at is None


def test_replies_stay_under_a_removed_placeholder(client, comment, reply, moderator):
    decide(comment=comment, moderator=moderator, action="reject", reason="abuse")
    html = client.get(comment.article.url).content.decode()
    assert "This comment was removed by our moderators." in html
    assert "They were cheaper last year." in html
    assert "Fares are already too high." not in html


# --- Two moderators, one comment ------------------------------------------------------------


def test_the_second_of_two_decisions_on_stale_objects_is_409_and_changes_nothing(
    held, moderator, second_moderator
):
    mine = fresh(held)
    theirs = fresh(held)
    decide(comment=mine, moderator=moderator, action="approve")
    with pytest.raises(ModerationError) as caught:
        decide(comment=theirs, moderator=second_moderator, action="reject", reason="spam")
    assert (caught.value.code, caught.value.status) == ("already_decided", 409)
    assert "already decided" in caught.value.message
    assert fresh(held).status == CommentStatus.PUBLISHED
    assert ModerationAction.objects.filter(kind__in=["approve", "reject"]).count() == 1
    assert count(held.article) == 1


def test_deciding_the_same_way_twice_is_409(reported, moderator, second_moderator):
    decide(comment=fresh(reported), moderator=moderator, action="reject", reason="abuse")
    with pytest.raises(ModerationError) as caught:
        decide(comment=fresh(reported), moderator=second_moderator, action="reject")
    assert caught.value.status == 409
    assert User.objects.get(pk=reported.author_id).rejected_comments == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_at_once_one_wins(make_article, reader, moderator, second_moderator):
    article = make_article("Tram works", comment_mode=CommentMode.PREMODERATED)
    held = post_comment(author=reader, article=article, body="Finally.")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def work(who: User, action: str) -> None:
        stale = Comment.objects.get(pk=held.pk)
        barrier.wait()
        try:
            decide(comment=stale, moderator=who, action=action, reason="spam")
            outcomes.append("ok")
        except ModerationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(moderator, "approve")),
        threading.Thread(target=work, args=(second_moderator, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_decided", "ok"]
    assert ModerationAction.objects.filter(kind__in=["approve", "reject"]).count() == 1
    status = Comment.objects.get(pk=held.pk).status
    assert count(article) == (1 if status == CommentStatus.PUBLISHED else 0)


# --- Bans -----------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 7, 30])
def test_ban_for_days(reported, moderator, reader, days):
    action = decide(
        comment=reported,
        moderator=moderator,
        action="ban",
        reason="abuse",
        ban_days=days,
        message="Personal attacks.",
    )
    user = User.objects.get(pk=reader.pk)
    expected = timezone.now() + timedelta(days=days)
    assert abs((user.banned_until - expected).total_seconds()) < 60
    assert user.is_banned and user.ban_message == "Personal attacks."
    assert (action.kind, action.ban_until, action.subject_user_id) == (
        "ban",
        user.banned_until,
        reader.pk,
    )
    assert fresh(reported).status == CommentStatus.REJECTED


def test_a_permanent_ban(reported, moderator, reader):
    decide(comment=reported, moderator=moderator, action="ban", reason="hate")
    assert User.objects.get(pk=reader.pk).banned_until.year == 9999
    assert "permanently" in User.objects.get(pk=reader.pk).suspension_notice


def test_a_ban_length_other_than_1_7_30_is_refused(reported, moderator, reader):
    with pytest.raises(ModerationError) as caught:
        decide(comment=reported, moderator=moderator, action="ban", ban_days=3)
    assert caught.value.code == "invalid_ban"
    assert not User.objects.get(pk=reader.pk).is_banned


def test_staff_cannot_be_banned(make_article, editor, moderator):
    article = make_article()
    staff_comment = post_comment(author=editor, article=article, body="Editor's note.")
    with pytest.raises(ModerationError) as caught:
        decide(comment=staff_comment, moderator=moderator, action="ban")
    assert caught.value.status == 403


def test_a_banned_reader_cannot_comment_react_or_report_and_sees_why(
    client, reported, moderator, reader, second_reader
):
    decide(comment=reported, moderator=moderator, action="ban", ban_days=7, message="Be civil.")
    banned = User.objects.get(pk=reader.pk)
    other = post_comment(author=second_reader, article=reported.article, body="Hello.")
    for attempt in (
        lambda: post_comment(author=banned, article=reported.article, body="Let me back"),
        lambda: report_comment(reporter=banned, comment=other, reason="spam"),
    ):
        with pytest.raises(CommentError) as caught:
            attempt()
        assert caught.value.code == "banned"
        assert "Be civil." in caught.value.message and "until" in caught.value.message
    client.force_login(banned)
    assert "Be civil." not in client.get(reported.article.url).content.decode()  # cached page
    html = client.get(f"/comments/{reported.article_id}/").content.decode()
    assert 'data-part="suspension"' in html and "Be civil." in html
    state = client.get(f"/api/v1/me/page-state?article={reported.article_id}").json()
    assert "Be civil." in state["article"]["notice"]
    assert state["article"]["can_comment"] is False


def test_banning_the_author_of_an_already_removed_comment(reported, moderator, reader):
    decide(comment=reported, moderator=moderator, action="reject", reason="abuse")
    decide(comment=fresh(reported), moderator=moderator, action="ban", ban_days=1)
    user = User.objects.get(pk=reader.pk)
    assert user.is_banned and user.rejected_comments == 1  # counted once


# --- Undo -----------------------------------------------------------------------------------


def test_undo_puts_a_rejection_back(reported, moderator, second_moderator, reader):
    decide(comment=reported, moderator=moderator, action="reject", reason="abuse")
    action = undo_last_decision(comment=fresh(reported), moderator=second_moderator)
    row = fresh(reported)
    assert (row.status, row.open_reports, row.rejection_reason) == ("published", 1, "")
    assert count(reported.article) == 1
    assert Report.objects.get().status == "open"
    assert User.objects.get(pk=reader.pk).rejected_comments == 0
    assert (action.kind, action.before_status, action.after_status) == (
        "undo",
        "rejected",
        "published",
    )


def test_undo_lifts_the_ban_that_came_with_the_decision(reported, moderator, reader):
    decide(comment=reported, moderator=moderator, action="ban", ban_days=30)
    undo_last_decision(comment=fresh(reported), moderator=moderator)
    assert not User.objects.get(pk=reader.pk).is_banned


def test_undo_puts_a_held_comment_back_in_the_queue(held, moderator, reader):
    decide(comment=held, moderator=moderator, action="approve")
    undo_last_decision(comment=fresh(held), moderator=moderator)
    assert fresh(held).status == CommentStatus.PENDING
    assert count(held.article) == 0
    assert User.objects.get(pk=reader.pk).approved_comments == 0


def test_undo_twice_is_refused(held, moderator):
    decide(comment=held, moderator=moderator, action="approve")
    undo_last_decision(comment=fresh(held), moderator=moderator)
    with pytest.raises(ModerationError) as caught:
        undo_last_decision(comment=fresh(held), moderator=moderator)
    assert caught.value.code == "nothing_to_undo"


def test_undo_on_a_stale_object_after_another_decision_is_409(held, moderator):
    stale = fresh(held)
    decide(comment=stale, moderator=moderator, action="approve")
    old = Comment.objects.get(pk=held.pk)
    undo_last_decision(comment=fresh(held), moderator=moderator)
    decide(comment=fresh(held), moderator=moderator, action="reject", reason="spam")
    with pytest.raises(ModerationError):
        undo_last_decision(comment=old, moderator=moderator)


# --- Notes, featuring, the trail ------------------------------------------------------------


def test_notes_are_on_the_record_only(client, comment, moderator):
    add_note(comment=comment, moderator=moderator, text="Watch this thread.")
    note = ModerationAction.objects.get(kind="note")
    assert (note.message, note.actor) == ("Watch this thread.", moderator)
    assert "Watch this thread." not in client.get(comment.article.url).content.decode()
    with pytest.raises(ModerationError):
        add_note(comment=comment, moderator=moderator, text="   ")


def test_feature_is_recorded(comment, moderator, reader):
    feature(comment=comment, moderator=moderator)
    feature(comment=fresh(comment), moderator=moderator, featured=False)
    assert list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True)) == [
        "feature",
        "unfeature",
    ]
    with pytest.raises(ModerationError):
        feature(comment=comment, moderator=reader)


def test_every_decision_is_on_the_trail(comment, readers_for_trail, moderator):
    for reader in readers_for_trail:
        report_comment(reporter=reader, comment=comment, reason="spam")
    decide(comment=fresh(comment), moderator=moderator, action="approve")
    undo_last_decision(comment=fresh(comment), moderator=moderator)
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["auto_hide", "approve", "undo"]


@pytest.fixture
def readers_for_trail(second_reader, third_reader, editor):
    return [second_reader, third_reader, editor]


# --- Emails ---------------------------------------------------------------------------------


def test_removal_sends_the_author_a_statement_of_reasons(
    reported, moderator, reader, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(comment=reported, moderator=moderator, action="reject", reason="abuse")
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [reader.email]
    assert "Fares are already too high." in email.body
    assert "Abusive or harassing" in email.body
    assert "a member of our moderation team reviewed it" in email.body
    assert f"/moderation/appeal/{reported.pk}/" in email.body
    assert "Sam" not in email.body  # never who reported


def test_no_email_when_the_setting_is_off(
    reported, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    settings_ = ModerationSettings.load()
    settings_.notify_authors = False
    settings_.save()
    with django_capture_on_commit_callbacks(execute=True):
        decide(comment=reported, moderator=moderator, action="reject", reason="abuse")
    assert mailoutbox == []


def test_approval_sends_nothing(held, moderator, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decide(comment=held, moderator=moderator, action="approve")
    assert mailoutbox == []


def test_a_refused_decision_sends_nothing(
    held, moderator, second_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    stale = fresh(held)
    decide(comment=fresh(held), moderator=moderator, action="approve")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ModerationError):
        decide(comment=stale, moderator=second_moderator, action="reject", reason="spam")
    assert mailoutbox == []
