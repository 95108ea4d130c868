"""Illegal-content notices (anyone may file one) and appeals (the author, once, decided by a
different moderator)."""

from __future__ import annotations

import pytest
from django.test import Client

from masthead.accounts.models import User
from masthead.community.models import Comment, CommentStatus
from masthead.moderation.models import Appeal, IllegalContentNotice, ModerationAction
from masthead.moderation.services import (
    ModerationError,
    NoticeForm,
    decide,
    decide_appeal,
    file_appeal,
    file_notice,
)
from masthead.newsroom.models import ArticlePage

NOTICE = {
    "law": "Defamation Act 2013, s.1",
    "explanation": "It falsely says I took bribes.",
    "name": "Nadia Notifier",
    "email": "nadia@example.com",
    "good_faith": "on",
}


def fresh(comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def notice_url(comment) -> str:
    return f"/comments/{comment.pk}/notice/"


def appeal_url(comment) -> str:
    return f"/moderation/appeal/{comment.pk}/"


@pytest.fixture
def removed(comment, moderator):
    decide(comment=comment, moderator=moderator, action="reject", reason="abuse")
    return fresh(comment)


# --- Notices --------------------------------------------------------------------------------


def test_anyone_can_file_a_notice_and_is_acknowledged(
    client, comment, mailoutbox, django_capture_on_commit_callbacks
):
    page = client.get(notice_url(comment))
    assert page.status_code == 200 and page.content.decode().count("<h1") == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(notice_url(comment), NOTICE, follow=True)
    assert response.status_code == 200
    assert "Notice received" in response.content.decode()
    notice = IllegalContentNotice.objects.get()
    assert (notice.law, notice.name, notice.reporter, notice.status) == (
        "Defamation Act 2013, s.1",
        "Nadia Notifier",
        None,
        "open",
    )
    assert fresh(comment).has_notice
    assert ModerationAction.objects.get().kind == "notice"
    assert [m.to for m in mailoutbox] == [["nadia@example.com"]]
    assert "Defamation Act 2013" in mailoutbox[0].body


def test_a_signed_in_notifier_is_remembered(client, comment, second_reader):
    client.force_login(second_reader)
    assert "sam.second@example.com" in client.get(notice_url(comment)).content.decode()
    client.post(notice_url(comment), NOTICE)
    assert IllegalContentNotice.objects.get().reporter == second_reader


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("law", ""),
        ("explanation", ""),
        ("explanation", "x" * 5001),
        ("name", " "),
        ("email", "not-an-email"),
        ("good_faith", None),
    ],
)
def test_an_incomplete_notice_is_refused_with_the_reason(client, comment, field, value):
    data = {**NOTICE}
    if value is None:
        del data[field]
    else:
        data[field] = value
    response = client.post(notice_url(comment), data)
    assert response.status_code == 400
    assert f'id="notice-{field.replace("_", "-")}-error"' in response.content.decode()
    assert not IllegalContentNotice.objects.exists()
    assert not fresh(comment).has_notice


def test_notices_are_rate_limited_per_address(client, comment, settings):
    settings.MASTHEAD = {**settings.MASTHEAD}
    settings.MASTHEAD["RATE_LIMITS"] = {**settings.MASTHEAD["RATE_LIMITS"], "notice_ip": "2/h"}
    for _ in range(2):
        assert client.post(notice_url(comment), NOTICE).status_code == 303
    refused = client.post(notice_url(comment), NOTICE)
    assert refused.status_code == 429 and refused.has_header("Retry-After")
    assert IllegalContentNotice.objects.count() == 2


def test_the_notice_form_needs_csrf(comment):
    assert Client(enforce_csrf_checks=True).post(notice_url(comment), NOTICE).status_code == 403


def test_no_notice_on_a_comment_readers_cannot_see(client, held_comment):
    assert client.get(notice_url(held_comment)).status_code == 404
    assert client.post(notice_url(held_comment), NOTICE).status_code == 404


@pytest.fixture
def held_comment(comment):
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.PENDING)
    return fresh(comment)


def test_the_decision_is_emailed_to_the_notifier(
    comment, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_notice(comment=comment, form=NoticeForm(**{**NOTICE, "good_faith": True}))
        decide(comment=fresh(comment), moderator=moderator, action="reject", reason="legal")
    notifier = [m for m in mailoutbox if m.to == ["nadia@example.com"]]
    assert [m.subject for m in notifier] == [
        "We received your notice",
        "Our decision on your notice",
    ]
    assert "we removed the comment" in notifier[1].body
    notice = IllegalContentNotice.objects.get()
    assert (notice.status, notice.outcome, notice.decided_by) == ("decided", "removed", moderator)
    assert not fresh(comment).has_notice


def test_keeping_a_noticed_comment_tells_the_notifier(
    comment, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    file_notice(comment=comment, form=NoticeForm(**{**NOTICE, "good_faith": True}))
    with django_capture_on_commit_callbacks(execute=True):
        decide(comment=fresh(comment), moderator=moderator, action="approve")
    assert "decided to keep it published" in mailoutbox[-1].body
    assert IllegalContentNotice.objects.get().outcome == "kept"


def test_the_report_page_links_to_the_notice_form(client, comment, second_reader):
    client.force_login(second_reader)
    assert notice_url(comment) in client.get(f"/comments/{comment.pk}/report/").content.decode()


# --- Appeals --------------------------------------------------------------------------------


def test_the_author_appeals_once(client, removed, reader):
    client.force_login(reader)
    page = client.get(appeal_url(removed))
    assert page.status_code == 200
    assert "Abusive or harassing" in page.content.decode()
    response = client.post(appeal_url(removed), {"text": "It was a joke between friends."})
    assert response.status_code == 200
    assert "will review your appeal" in response.content.decode()
    appeal = Appeal.objects.get()
    assert (appeal.author, appeal.status) == (reader, "open")
    assert ModerationAction.objects.filter(kind="appeal").count() == 1
    with pytest.raises(ModerationError) as caught:
        file_appeal(comment=removed, author=reader, text="Again")
    assert caught.value.code == "already_appealed"
    again = client.get(appeal_url(removed)).content.decode()
    assert "You've appealed this removal" in again


def test_a_banned_author_can_still_appeal(removed, reader):
    User.objects.filter(pk=reader.pk).update(banned_until="9999-12-31T00:00:00Z")
    file_appeal(comment=removed, author=User.objects.get(pk=reader.pk), text="Please")
    assert Appeal.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("second_reader", 403), ("moderator", 403)])
def test_only_the_author_can_appeal(client, removed, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(appeal_url(removed)).status_code == status
    assert client.post(appeal_url(removed), {"text": "Mine"}).status_code == status
    assert not Appeal.objects.exists()


def test_anonymous_appeal_goes_to_sign_in(client, removed):
    assert client.get(appeal_url(removed))["Location"].startswith("/accounts/login/")


def test_a_published_comment_cannot_be_appealed(client, comment, reader):
    client.force_login(reader)
    assert client.get(appeal_url(comment)).status_code == 409


def test_an_empty_or_long_appeal_is_refused(client, removed, reader):
    client.force_login(reader)
    assert client.post(appeal_url(removed), {"text": "  "}).status_code == 400
    assert client.post(appeal_url(removed), {"text": "x" * 2001}).status_code == 400
    assert not Appeal.objects.exists()


def test_the_moderator_who_removed_cannot_decide_the_appeal(removed, reader, moderator):
    appeal = file_appeal(comment=removed, author=reader, text="Unfair")
    with pytest.raises(ModerationError) as caught:
        decide_appeal(appeal=appeal, moderator=moderator, outcome="reversed")
    assert (caught.value.code, caught.value.status) == ("different_moderator", 403)
    assert Appeal.objects.get().status == "open"


def test_a_reversed_appeal_restores_the_comment(
    removed, reader, second_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    appeal = file_appeal(comment=removed, author=reader, text="Unfair")
    with django_capture_on_commit_callbacks(execute=True):
        action = decide_appeal(
            appeal=appeal, moderator=second_moderator, outcome="reversed", note="Fair point."
        )
    row = fresh(removed)
    assert row.status == CommentStatus.PUBLISHED
    assert ArticlePage.objects.get(pk=removed.article_id).comment_count == 1
    assert (action.kind, action.actor) == ("appeal_reversed", second_moderator)
    assert User.objects.get(pk=reader.pk).rejected_comments == 0
    assert "published again" in mailoutbox[-1].body and "Fair point." in mailoutbox[-1].body


def test_a_reversed_appeal_lifts_the_ban_that_came_with_the_removal(
    comment, reader, moderator, second_moderator
):
    decide(comment=comment, moderator=moderator, action="ban", ban_days=30, reason="abuse")
    appeal = file_appeal(comment=fresh(comment), author=reader, text="Unfair")
    decide_appeal(appeal=appeal, moderator=second_moderator, outcome="reversed")
    assert not User.objects.get(pk=reader.pk).is_banned


def test_an_upheld_appeal_keeps_the_removal(removed, reader, second_moderator, admin):
    appeal = file_appeal(comment=removed, author=reader, text="Unfair")
    decide_appeal(appeal=appeal, moderator=second_moderator, outcome="upheld")
    assert fresh(removed).status == CommentStatus.REJECTED
    assert Appeal.objects.get().status == "upheld"
    with pytest.raises(ModerationError) as caught:
        decide_appeal(appeal=Appeal.objects.get(), moderator=admin, outcome="reversed")
    assert caught.value.code == "already_decided"


def test_readers_cannot_decide_appeals(removed, reader, second_reader):
    appeal = file_appeal(comment=removed, author=reader, text="Unfair")
    with pytest.raises(ModerationError) as caught:
        decide_appeal(appeal=appeal, moderator=second_reader, outcome="reversed")
    assert caught.value.status == 403
