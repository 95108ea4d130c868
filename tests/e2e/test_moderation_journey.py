"""A reader reports a comment; a moderator rejects it from the Reported queue with the
keyboard, another moderator's open queue lets it go by itself, the comment is gone for
readers, and its history shows the decision."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from masthead.community.models import Comment, CommentStatus
from masthead.community.services import post_comment
from masthead.moderation.models import ModerationAction, Report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_report_then_reject_from_the_keyboard(
    live_server,
    browser,
    signed_in_context,
    make_article,
    reader,
    second_reader,
    moderator,
    settings,
):
    from masthead.accounts.models import Role
    from masthead.accounts.services import create_user

    settings.MASTHEAD = {**settings.MASTHEAD, "DESK_POLL_MS": 400, "LIVE_POLL_MS": 400}
    other_moderator = create_user(
        email="max.moderator@example.com",
        password="correct-horse-battery-staple-42",
        role=Role.MODERATOR,
        verified=True,
        display_name="Max",
    )
    article = make_article("Ferry fares to rise in spring")
    comment = post_comment(author=reader, article=article, body="Buy cheap watches at my shop!")
    url = live_server.url + article.url

    # --- The reader reports it and is thanked. ----------------------------------------------
    reporter = signed_in_context(second_reader)
    page = reporter.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Report").click()
    page.get_by_label("Spam or advertising").check()
    page.get_by_label("Anything our team should know?").fill("Same advert on every story.")
    page.get_by_role("button", name="Send report").click()
    page.get_by_text("Thanks for your report").first.wait_for()
    report = Report.objects.get(comment=comment)
    assert (report.reason.code, report.note) == ("spam", "Same advert on every story.")

    # --- Two moderators have the Reported queue open. ---------------------------------------
    watcher_context = signed_in_context(other_moderator)
    watcher = watcher_context.new_page()
    watcher.goto(live_server.url + "/moderation/queue/reported/")
    watcher.locator(f"#item-{comment.pk}").wait_for()

    desk_context = signed_in_context(moderator)
    desk = desk_context.new_page()
    desk.on("pageerror", lambda error: errors.append(str(error)))
    desk.goto(live_server.url + "/moderation/queue/reported/")
    item = desk.locator(f"#item-{comment.pk}")
    item.wait_for()
    assert "Same advert on every story." in item.inner_text()
    assert "Spam or advertising" in item.inner_text()

    screenshots = Path(django_settings.VAR_DIR) / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(screenshots / "desk-reported.png"), full_page=True)

    # `?` shows the shortcuts; Escape closes them.
    desk.keyboard.press("?")
    help_dialog = desk.get_by_role("dialog", name="Keyboard shortcuts")
    help_dialog.wait_for()
    desk.keyboard.press("Escape")
    help_dialog.wait_for(state="hidden")

    # j/k move; r rejects the current comment for the reason shown beside the button.
    desk.keyboard.press("j")
    desk.keyboard.press("k")
    assert item.evaluate("node => node.classList.contains('is-current')")
    desk.keyboard.press("r")
    item.wait_for(state="detached")
    desk.get_by_role("status").filter(has_text="Rejected").wait_for()
    decided = Comment.objects.get(pk=comment.pk)
    assert decided.status == CommentStatus.REJECTED
    assert decided.moderated_by_id == moderator.pk
    assert decided.rejection_reason == "spam"

    # The other moderator's queue lets it go by itself, and says who decided.
    watcher.locator(f"#item-{comment.pk}").wait_for(state="detached", timeout=10_000)
    watcher.get_by_role("status").filter(has_text="decided by Mo").wait_for()

    # --- Gone for readers. ------------------------------------------------------------------
    anonymous = browser.new_context()
    public = anonymous.new_page()
    public.goto(url)
    assert "Buy cheap watches" not in public.content()
    assert public.locator('[data-part="comment-count"]').inner_text() == "0 comments"

    # --- The history shows the decision. ----------------------------------------------------
    desk.goto(live_server.url + f"/moderation/comment/{comment.pk}/")
    history = desk.locator("[data-history]")
    assert "Rejected" in history.inner_text() and "by Mo" in history.inner_text()
    desk.goto(live_server.url + "/moderation/dashboard/")
    desk.screenshot(path=str(screenshots / "desk-dashboard.png"), full_page=True)
    api = desk.request.get(live_server.url + f"/api/v1/moderation/comments/{comment.pk}/history")
    assert [entry["kind"] for entry in api.json()][-1] == "reject"
    assert ModerationAction.objects.filter(comment=comment, kind="reject").count() == 1
    assert errors == []
    for context in (reporter, watcher_context, desk_context, anonymous):
        context.close()
