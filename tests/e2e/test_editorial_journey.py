"""A writer drafts a story and submits it; an editor approves it with a go-live time a few
minutes ahead; the worker publishes it at that time, and readers find it on the front, in the feed
and in search. Nothing of it shows before then (the embargo)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision, WorkflowState

from masthead.accounts.models import Role
from masthead.accounts.services import create_user
from masthead.newsroom.models import ArticlePage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADLINE = "Lighthouse keepers return to Cabo Verde point"
STANDFIRST = "The light is staffed again for the first time since automation in 1998."
SEARCH_WORD = "lighthouse"


def test_writer_to_editor_to_scheduled_publication(
    live_server, browser, signed_in_context, home, section, editor
):
    writer = create_user(
        email="wes.writer@example.com",
        password="correct-horse-battery-staple-42",
        role=Role.WRITER,
        verified=True,
        display_name="Wes",
    )
    screenshots = Path(django_settings.VAR_DIR) / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []

    # --- The writer drafts the story and submits it for review. -----------------------------
    desk = signed_in_context(writer)
    page = desk.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/cms/pages/add/newsroom/articlepage/{section.pk}/")
    page.locator("#id_title").fill(HEADLINE)
    page.locator("#id_standfirst").fill(STANDFIRST)
    page.locator("#id_dateline").fill("Sagres")
    page.get_by_role("tab", name="Promote").click()
    page.locator("#id_slug").fill("lighthouse-keepers-return")
    # No "Publish" for a writer: the menu offers the review workflow instead.
    assert page.locator('button[name="action-publish"]').count() == 0
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Editorial review").click()
    page.wait_for_url(f"**/cms/pages/{section.pk}/")
    article = ArticlePage.objects.get(title=HEADLINE)
    assert not article.live
    assert article.current_workflow_task.name == "Editor approval"
    page.screenshot(path=str(screenshots / "editorial-submitted.png"), full_page=True)

    # --- The editor sets a go-live time and approves. ---------------------------------------
    review = signed_in_context(editor)
    editor_page = review.new_page()
    editor_page.on("pageerror", lambda error: errors.append(str(error)))
    editor_page.goto(f"{live_server.url}/cms/")
    assert HEADLINE in editor_page.content()  # waiting for the editor on the dashboard
    editor_page.goto(f"{live_server.url}/cms/pages/{article.pk}/edit/")
    # The CMS takes minutes: a go-live time two to three minutes ahead.
    go_live = timezone.localtime().replace(second=0, microsecond=0) + timedelta(minutes=3)
    editor_page.get_by_role("button", name="Toggle status").click()
    editor_page.get_by_role("button", name="Set schedule").click()
    # Set the field's value without focusing it: the date picker's pop-up calendar would
    # otherwise cover the dialog's button (typing into it is the picker's business).
    editor_page.locator("#id_go_live_at").evaluate(
        "(field, value) => { field.value = value; }", go_live.strftime("%Y-%m-%d %H:%M")
    )
    editor_page.get_by_role("button", name="Save schedule").click()
    editor_page.get_by_text("has been updated").wait_for()
    editor_page.locator("footer").get_by_role("button", name="More actions").click()
    editor_page.get_by_role("button", name="Approve and Publish").click()
    editor_page.wait_for_url(f"**/cms/pages/{section.pk}/")
    editor_page.screenshot(path=str(screenshots / "editorial-approved.png"), full_page=True)
    article.refresh_from_db()
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_APPROVED
    assert not article.live, "approved with a go-live time: scheduled, not yet published"
    assert article.go_live_at == go_live

    # --- Embargoed until then: the worker does nothing early, readers see nothing. ----------
    call_command("worker", "--once")
    article.refresh_from_db()
    assert not article.live
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.goto(live_server.url + "/")
    assert HEADLINE not in reader.content()
    story_url = f"{live_server.url}/{section.slug}/lighthouse-keepers-return/"
    assert reader.request.get(story_url).status == 404
    assert HEADLINE not in reader.request.get(live_server.url + "/feed/").text()

    # --- At the go-live time, one worker pass publishes it. --------------------------------
    # Rather than wait minutes, bring the approved schedule forward to a moment ago, as the
    # clock would: the revision Wagtail holds for publication and the page's go-live time.
    due = timezone.now() - timedelta(seconds=1)
    scheduled = Revision.objects.get(object_id=str(article.pk), approved_go_live_at=go_live)
    content = {**scheduled.content, "go_live_at": due.isoformat()}
    Revision.objects.filter(pk=scheduled.pk).update(content=content, approved_go_live_at=due)
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=due)
    call_command("worker", "--once")
    article.refresh_from_db()
    assert article.live

    reader.goto(live_server.url + "/")
    front = reader.content()
    assert HEADLINE in front
    reader.goto(live_server.url + article.url)
    assert reader.locator('[data-part="headline"]').inner_text() == HEADLINE
    feed = reader.request.get(live_server.url + "/feed/").text()
    assert HEADLINE in feed
    # Wagtail queues its search index updates as tasks; the same worker pass ran them.
    reader.goto(f"{live_server.url}/search/?q={SEARCH_WORD}")
    found = reader.get_by_role("link", name=HEADLINE)  # the matched word is highlighted
    assert found.count() == 1
    assert found.get_attribute("href").endswith(article.url)
    reader.screenshot(path=str(screenshots / "editorial-search.png"), full_page=True)
    assert errors == []
    for context in (desk, review, reader_context):
        context.close()
