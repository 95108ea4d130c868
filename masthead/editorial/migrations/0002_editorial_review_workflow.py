"""The "Editorial review" workflow: one "Editor approval" task for the editor group, assigned
to the root of the page tree (so every page, including a home page created later, is under it).

Wagtail's own default, "Moderators approval" for its unused "Moderators" group, gives way on the
root page. `masthead.editorial.workflow.ensure_workflow()` does the same at run time and is
called by `ensure_roles()`, for databases whose tables were emptied after migrating.
"""

from django.db import migrations

WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Editor approval"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    editors, _ = Group.objects.get_or_create(name="editor")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).order_by("pk").first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=content_type, active=True
        )
    task.groups.add(editors)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    assigned = WorkflowPage.objects.filter(page=root).first()
    if assigned is None:
        WorkflowPage.objects.create(page=root, workflow=workflow)
    elif assigned.workflow.name == WAGTAIL_DEFAULT_WORKFLOW:
        assigned.workflow = workflow
        assigned.save()


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME).delete()
    Workflow.objects.filter(name=WORKFLOW_NAME).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_corrections"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
