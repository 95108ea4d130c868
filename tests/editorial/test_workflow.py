"""The review workflow through the CMS: a writer submits, an editor approves, history and
revert are Wagtail's own."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Revision, WorkflowState

from masthead.editorial.workflow import WORKFLOW_NAME
from masthead.newsroom.models import ArticlePage

from .conftest import article_form


def add_url(section) -> str:
    return f"/cms/pages/add/newsroom/articlepage/{section.pk}/"


def edit_url(page) -> str:
    return f"/cms/pages/{page.pk}/edit/"


def submit_as_writer(client, writer, section, **fields) -> ArticlePage:
    client.force_login(writer)
    response = client.post(add_url(section), article_form(**{"action-submit": "submit", **fields}))
    assert response.status_code == 302, response.content[:3000]
    return ArticlePage.objects.get(slug=fields.get("slug", "night-buses-return"))


def approve_as_editor(client, editor, article, **fields):
    client.force_login(editor)
    return client.post(
        edit_url(article),
        article_form(
            **{"action-workflow-action": "true", "workflow-action-name": "approve", **fields}
        ),
    )


def test_every_article_is_under_the_editorial_review_workflow(make_article):
    article = make_article()
    assert article.get_workflow().name == WORKFLOW_NAME


def test_writer_submits_a_draft_for_review(client, writer, section):
    article = submit_as_writer(client, writer, section)
    assert not article.live
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert state.requested_by == writer
    assert article.current_workflow_task.name == "Editor approval"
    client.logout()
    assert client.get("/news/night-buses-return/").status_code == 404


def test_writer_cannot_publish_through_the_cms(client, writer, section):
    client.force_login(writer)
    response = client.post(add_url(section), article_form(**{"action-publish": "publish"}))
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="night-buses-return")
    assert not article.live and article.first_published_at is None
    # Not on an existing story either.
    response = client.post(
        edit_url(article), article_form(title="Changed", **{"action-publish": "publish"})
    )
    article.refresh_from_db()
    assert not article.live
    assert article.latest_revision.as_object().title == "Changed"  # saved as a draft only


def test_writer_cannot_approve_their_own_story(client, writer, section):
    article = submit_as_writer(client, writer, section)
    approve_as_editor(client, writer, article)  # a writer posting the editor's action
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_task is not None


def test_editor_approves_and_the_story_goes_live(client, writer, editor, section):
    article = submit_as_writer(client, writer, section)
    # The editor finds it waiting on the CMS dashboard.
    client.force_login(editor)
    assert b"Night buses return to the valley" in client.get("/cms/").content
    response = approve_as_editor(client, editor, article)
    assert response.status_code == 302, response.content[:3000]
    article.refresh_from_db()
    assert article.live
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_APPROVED
    client.logout()
    assert b"The first bus leaves the square at midnight." in client.get(article.url).content


def test_editor_requests_changes_and_the_writer_resubmits(client, writer, editor, section):
    article = submit_as_writer(client, writer, section)
    client.force_login(editor)
    client.post(
        edit_url(article),
        article_form(**{"action-workflow-action": "true", "workflow-action-name": "reject"}),
    )
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    client.force_login(writer)
    response = client.post(
        edit_url(article), article_form(title="Night buses return", **{"action-submit": "1"})
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_editor_approves_with_a_go_live_time_and_the_story_waits(client, writer, editor, section):
    article = submit_as_writer(client, writer, section)
    go_live = timezone.localtime() + timedelta(hours=2)
    response = approve_as_editor(
        client, editor, article, go_live_at=go_live.strftime("%Y-%m-%d %H:%M")
    )
    assert response.status_code == 302, response.content[:3000]
    article.refresh_from_db()
    assert not article.live
    scheduled = Revision.objects.get(object_id=str(article.pk), approved_go_live_at__isnull=False)
    assert abs(scheduled.approved_go_live_at - go_live) < timedelta(minutes=1)
    client.logout()
    assert client.get("/news/night-buses-return/").status_code == 404


def test_editor_compares_revisions_and_reverts_to_an_older_one(client, editor, section):
    client.force_login(editor)
    client.post(add_url(section), article_form(**{"action-publish": "1"}))
    article = ArticlePage.objects.get(slug="night-buses-return")
    first = article.live_revision
    client.post(
        edit_url(article),
        article_form(title="Night buses return, but only at weekends", **{"action-publish": "1"}),
    )
    article.refresh_from_db()
    second = article.live_revision
    assert second.pk != first.pk and article.title.endswith("only at weekends")

    compare = client.get(f"/cms/pages/{article.pk}/revisions/compare/{first.pk}...{second.pk}/")
    assert compare.status_code == 200
    assert b"only at weekends" in compare.content

    revert_url = f"/cms/pages/{article.pk}/revisions/{first.pk}/revert/"
    shown = client.get(revert_url)
    assert shown.status_code == 200
    assert b'value="Night buses return to the valley"' in shown.content
    # The revert view is the editor filled with the old revision; publishing it reverts.
    response = client.post(revert_url, article_form(**{"action-publish": "1"}))
    assert response.status_code == 302, response.content[:3000]
    article.refresh_from_db()
    assert article.title == "Night buses return to the valley"
    assert article.live_revision.pk not in {first.pk, second.pk}
    from wagtail.models import PageLogEntry

    assert PageLogEntry.objects.filter(page=article, action="wagtail.revert").exists()
