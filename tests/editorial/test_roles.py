"""Roles: writers draft and submit, editors publish and approve, admins do everything."""

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage

from masthead.accounts.models import Role, User
from masthead.accounts.services import ensure_roles
from masthead.editorial.workflow import TASK_NAME, WORKFLOW_NAME


def page_codenames(role: Role) -> set[str]:
    root = Page.get_first_root_node()
    return set(
        GroupPagePermission.objects.filter(group__name=role.value, page=root).values_list(
            "permission__codename", flat=True
        )
    )


def test_adduser_creates_a_writer_with_cms_access(db, client, capsys):
    call_command("adduser", "w@example.com", "--password", "pw-long-enough-1", "--role", "writer")
    user = User.objects.get(email="w@example.com")
    assert user.has_role(Role.WRITER) and not user.has_role(Role.EDITOR)
    assert user.is_staff and not user.is_superuser
    assert "Created writer w@example.com" in capsys.readouterr().out
    client.force_login(user)
    assert client.get("/cms/").status_code == 200


def test_writer_can_add_and_change_pages_but_not_publish(writer):
    assert page_codenames(Role.WRITER) == {"add_page", "change_page"}
    assert "publish_page" in page_codenames(Role.EDITOR)
    writer_perms = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(group__name="writer").values_list(
            "content_type__app_label", "codename"
        )
    }
    assert {"wagtailimages.add_image", "newsroom.add_author", "newsroom.change_author"} <= (
        writer_perms
    )


def test_writer_can_open_the_new_article_form(client, writer, section):
    client.force_login(writer)
    response = client.get(f"/cms/pages/add/newsroom/articlepage/{section.pk}/")
    assert response.status_code == 200
    # No publish button for a writer; the workflow's submit button instead.
    assert b'name="action-publish"' not in response.content
    assert b"Submit to Editorial review" in response.content


def test_editor_sees_the_publish_button(client, editor, section):
    client.force_login(editor)
    response = client.get(f"/cms/pages/add/newsroom/articlepage/{section.pk}/")
    assert b'name="action-publish"' in response.content


def test_ensure_roles_is_idempotent(db):
    ensure_roles()
    counts = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Workflow.objects.count(),
        WorkflowPage.objects.count(),
    )
    groups = ensure_roles()
    assert counts == (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Workflow.objects.count(),
        WorkflowPage.objects.count(),
    )
    assert set(groups) == set(Role)
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1


def test_the_editor_group_approves_in_the_workflow(db):
    ensure_roles()
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    (task,) = [task.specific for task in workflow.tasks]
    assert task.name == TASK_NAME
    assert [group.name for group in task.groups.all()] == ["editor"]
