"""Readers report comments: the service, the API and the no-JavaScript page."""

from __future__ import annotations

import pytest
from django.test import Client

from masthead.accounts.services import issue_token
from masthead.community.models import Comment, CommentStatus
from masthead.community.services import post_comment
from masthead.moderation.models import ModerationAction, Report, ReportReason
from masthead.moderation.services import ModerationError, report_comment
from masthead.newsroom.models import ArticlePage


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {issue_token(user=user)[1]}"}


def api_url(comment) -> str:
    return f"/api/v1/comments/{comment.pk}/reports"


def page_url(comment) -> str:
    return f"/comments/{comment.pk}/report/"


def _count(article) -> int:
    return ArticlePage.objects.values_list("comment_count", flat=True).get(pk=article.pk)


@pytest.fixture
def readers(db):
    from masthead.accounts.models import Role
    from masthead.accounts.services import create_user

    return [
        create_user(
            email=f"r{n}@example.com",
            password="x",
            role=Role.READER,
            verified=True,
            display_name=f"R{n}",
        )
        for n in range(4)
    ]


# --- The service ----------------------------------------------------------------------------


def test_the_seven_reasons_are_seeded_with_stable_codes(db):
    codes = list(ReportReason.objects.active().values_list("code", flat=True))
    assert codes == ["abuse", "hate", "spam", "off_topic", "misinformation", "legal", "other"]
    assert ReportReason.objects.get(code="legal").hide_threshold == 1


def test_a_report_is_filed_and_counted(comment, second_reader):
    report, created = report_comment(
        reporter=second_reader, comment=comment, reason="spam", note=" buy now links "
    )
    assert created
    assert (report.reason.code, report.note, report.status) == ("spam", "buy now links", "open")
    row = Comment.objects.get(pk=comment.pk)
    assert row.open_reports == 1 and row.first_reported_at is not None
    assert row.status == CommentStatus.PUBLISHED  # one report is below the threshold


def test_a_second_report_by_the_same_reader_updates_the_first(comment, second_reader):
    report_comment(reporter=second_reader, comment=comment, reason="spam")
    report, created = report_comment(
        reporter=second_reader, comment=comment, reason="abuse", note="Changed my mind"
    )
    assert not created
    assert Report.objects.count() == 1
    assert (report.reason.code, report.note) == ("abuse", "Changed my mind")
    assert Comment.objects.get(pk=comment.pk).open_reports == 1


def test_reader_cannot_report_own_comment(comment, reader):
    with pytest.raises(ModerationError) as caught:
        report_comment(reporter=reader, comment=comment, reason="spam")
    assert (caught.value.code, caught.value.status) == ("own_comment", 403)


@pytest.mark.parametrize("reason", ["", "nonsense", "ABUSE"])
def test_an_unknown_reason_is_refused(comment, second_reader, reason):
    with pytest.raises(ModerationError) as caught:
        report_comment(reporter=second_reader, comment=comment, reason=reason)
    assert caught.value.code == "unknown_reason"
    assert not Report.objects.exists()


def test_an_inactive_reason_is_refused(comment, second_reader):
    ReportReason.objects.filter(code="off_topic").update(active=False)
    with pytest.raises(ModerationError):
        report_comment(reporter=second_reader, comment=comment, reason="off_topic")


def test_the_note_is_at_most_500_characters(comment, second_reader):
    report_comment(reporter=second_reader, comment=comment, reason="other", note="x" * 500)
    with pytest.raises(ModerationError) as caught:
        report_comment(reporter=second_reader, comment=comment, reason="other", note="x" * 501)
    assert caught.value.code == "too_long"


def test_pending_and_rejected_comments_cannot_be_reported(comment, second_reader):
    for status in (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.DELETED):
        comment.status = status
        with pytest.raises(ModerationError) as caught:
            report_comment(reporter=second_reader, comment=comment, reason="spam")
        assert caught.value.status == 404


def test_reports_are_rate_limited(comment, readers, settings):
    settings.MASTHEAD = {**settings.MASTHEAD}
    settings.MASTHEAD["RATE_LIMITS"] = {**settings.MASTHEAD["RATE_LIMITS"], "report": "2/m"}
    reporter = readers[0]
    report_comment(reporter=reporter, comment=comment, reason="spam")
    report_comment(reporter=reporter, comment=comment, reason="abuse")
    with pytest.raises(Exception) as caught:
        report_comment(reporter=reporter, comment=comment, reason="hate")
    assert caught.value.status == 429


# --- Thresholds -----------------------------------------------------------------------------


def test_three_reports_hide_a_published_comment(comment, readers):
    article = comment.article
    report_comment(reporter=readers[0], comment=comment, reason="spam")
    report_comment(reporter=readers[1], comment=comment, reason="abuse")
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PUBLISHED
    assert _count(article) == 1
    report_comment(reporter=readers[2], comment=comment, reason="spam")
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.HIDDEN
    assert _count(article) == 0
    action = ModerationAction.objects.get(comment=comment)
    assert (action.kind, action.automated, action.actor) == ("auto_hide", True, None)
    assert (action.before_status, action.after_status) == ("published", "hidden")


def test_one_legal_report_hides_a_comment(comment, second_reader):
    report_comment(reporter=second_reader, comment=comment, reason="legal")
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.HIDDEN


def test_the_threshold_is_a_setting(comment, readers):
    from masthead.moderation.models import ModerationSettings

    settings_ = ModerationSettings.load()
    settings_.report_threshold = 2
    settings_.save()
    report_comment(reporter=readers[0], comment=comment, reason="spam")
    report_comment(reporter=readers[1], comment=comment, reason="spam")
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.HIDDEN


def test_a_reason_can_carry_its_own_threshold(comment, readers):
    ReportReason.objects.filter(code="hate").update(hide_threshold=2)
    report_comment(reporter=readers[0], comment=comment, reason="hate")
    report_comment(reporter=readers[1], comment=comment, reason="spam")
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.HIDDEN


def test_updating_a_report_does_not_count_twice(comment, readers):
    for _ in range(3):
        report_comment(reporter=readers[0], comment=comment, reason="spam")
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PUBLISHED


def test_a_comment_a_moderator_approved_is_not_hidden_again(comment, readers, moderator):
    from masthead.moderation.services import decide

    report_comment(reporter=readers[0], comment=comment, reason="spam")
    decide(comment=Comment.objects.get(pk=comment.pk), moderator=moderator, action="approve")
    for reader in readers[1:]:
        report_comment(reporter=reader, comment=comment, reason="spam")
    row = Comment.objects.get(pk=comment.pk)
    assert (row.status, row.open_reports) == (CommentStatus.PUBLISHED, 3)


def test_a_hidden_comment_leaves_the_public_thread_and_the_api(client, comment, readers):
    for reader in readers[:3]:
        report_comment(reporter=reader, comment=comment, reason="abuse")
    html = client.get(comment.article.url).content.decode()
    assert "Fares are already too high." not in html
    data = client.get(f"/api/v1/articles/{comment.article_id}/comments").json()
    assert data["comment_count"] == 0 and data["items"] == []


def test_the_author_is_never_told_who_reported(client, comment, reader, second_reader):
    report_comment(reporter=second_reader, comment=comment, reason="legal", note="Sam here")
    client.force_login(reader)
    html = client.get(f"/comments/{comment.article_id}/").content.decode()
    assert "Fares are already too high." in html  # the author still sees it, marked
    assert "Hidden while our team reviews it" in html
    assert "Sam" not in html
    # On the (cached, public) story page their script gets it from the page state.
    state = client.get(f"/api/v1/me/page-state?article={comment.article_id}").json()
    [own] = state["article"]["own_comments"]
    assert own["id"] == comment.pk and "Hidden while our team reviews it" in own["html"]
    assert "Sam" not in str(state)


# --- The API --------------------------------------------------------------------------------


def test_api_report_gives_202(client, comment, second_reader):
    response = client.post(
        api_url(comment),
        {"reason": "spam", "note": "Links to a shop"},
        content_type="application/json",
        headers=bearer(second_reader),
    )
    assert response.status_code == 202
    assert response.json()["status"] == "received"
    assert "gone to our moderation team" in response.json()["message"]
    again = client.post(
        api_url(comment),
        {"reason": "abuse"},
        content_type="application/json",
        headers=bearer(second_reader),
    )
    assert again.status_code == 202 and again.json()["status"] == "updated"
    assert Report.objects.get().reason.code == "abuse"


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, 401, "unauthenticated"),
        ("unverified_reader", 403, "unverified"),
        ("banned_reader", 403, "banned"),
        ("reader", 403, "own_comment"),
        ("second_reader", 202, None),
        ("moderator", 202, None),
    ],
)
def test_api_permission_matrix(client, comment, request, who, status, code):
    headers = bearer(request.getfixturevalue(who)) if who else {}
    response = client.post(
        api_url(comment), {"reason": "spam"}, content_type="application/json", headers=headers
    )
    assert response.status_code == status
    if code:
        assert response.json()["error"] == code
    assert Report.objects.exists() == (status == 202)


def test_api_refuses_bad_input_with_4xx(client, comment, second_reader):
    headers = bearer(second_reader)
    for payload in ({}, {"reason": "nope"}, {"reason": "spam", "note": "x" * 501}):
        response = client.post(
            api_url(comment), payload, content_type="application/json", headers=headers
        )
        assert 400 <= response.status_code < 500, payload
        assert "error" in response.json()
    missing = client.post(
        "/api/v1/comments/999999/reports",
        {"reason": "spam"},
        content_type="application/json",
        headers=headers,
    )
    assert missing.status_code == 404


def test_api_lists_the_reasons(client, db):
    data = client.get("/api/v1/report-reasons").json()
    assert [r["code"] for r in data["items"]][:2] == ["abuse", "hate"]
    assert all(r["help_text"] for r in data["items"])


def test_api_session_report_needs_csrf(comment, second_reader):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(second_reader)
    refused = browser.post(api_url(comment), {"reason": "spam"}, content_type="application/json")
    assert refused.status_code == 403
    assert not Report.objects.exists()


# --- The page -------------------------------------------------------------------------------


def test_every_comment_but_ones_own_has_a_report_link(client, comment, reader, second_reader):
    other = post_comment(author=second_reader, article=comment.article, body="Not really.")
    client.force_login(reader)
    html = client.get(f"/comments/{comment.article_id}/").content.decode()
    assert f'href="/comments/{other.pk}/report/" data-part="report"' in html
    assert f'href="/comments/{comment.pk}/report/"' not in html
    # The story page is the same for everyone; its script drops the link from the reader's own.
    state = client.get(f"/api/v1/me/page-state?article={comment.article_id}").json()
    assert comment.pk in state["article"]["own_ids"]
    assert other.pk not in state["article"]["own_ids"]


def test_anonymous_readers_see_the_link_and_are_sent_to_sign_in(client, comment):
    assert (
        f'href="/comments/{comment.pk}/report/"' in client.get(comment.article.url).content.decode()
    )
    response = client.get(page_url(comment))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client.post(page_url(comment), {"reason": "spam"}).status_code == 302
    assert not Report.objects.exists()


def test_the_page_lists_the_reasons_and_says_disagreeing_is_not_a_report(
    client, comment, second_reader
):
    client.force_login(second_reader)
    response = client.get(page_url(comment))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for reason in ReportReason.objects.active():
        assert f'value="{reason.code}"' in html and reason.label in html
    assert "contempt of court" in html
    assert "Disagreeing with a comment is not a reason to report it" in html
    assert f"reply_to={comment.pk}" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_sending_the_page_thanks_the_reader(client, comment, second_reader):
    client.force_login(second_reader)
    response = client.post(page_url(comment), {"reason": "spam", "note": "Shop links"}, follow=True)
    assert response.status_code == 200
    assert "gone to our moderation team" in response.content.decode()
    assert Report.objects.get().note == "Shop links"
    again = client.post(page_url(comment), {"reason": "abuse"}, follow=True).content.decode()
    assert "already reported this comment" in again
    assert Report.objects.count() == 1


def test_the_page_keeps_the_readers_words_after_an_error(client, comment, second_reader):
    client.force_login(second_reader)
    response = client.post(page_url(comment), {"note": "<b>forgot</b> the reason"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose which guideline" in html
    assert "&lt;b&gt;forgot&lt;/b&gt; the reason" in html  # escaped, kept


@pytest.mark.parametrize(
    ("who", "status", "text"),
    [
        ("reader", 403, "You can&#x27;t report your own comment."),
        ("banned_reader", 403, "suspended"),
        ("unverified_reader", 403, "confirm your email"),
    ],
)
def test_the_page_explains_why_a_reader_cannot_report(client, comment, request, who, status, text):
    client.force_login(request.getfixturevalue(who))
    response = client.get(page_url(comment))
    assert response.status_code == status
    assert text in response.content.decode()
    assert client.post(page_url(comment), {"reason": "spam"}).status_code == status
    assert not Report.objects.exists()


def test_the_page_needs_csrf(comment, second_reader):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(second_reader)
    assert browser.post(page_url(comment), {"reason": "spam"}).status_code == 403
    assert not Report.objects.exists()


def test_the_page_for_an_unknown_comment_is_404(client, second_reader, db):
    client.force_login(second_reader)
    assert client.get("/comments/424242/report/").status_code == 404
