"""The review workflow: writers submit stories, editors approve them.

One Wagtail workflow, "Editorial review", with a single group approval task, "Editor approval",
whose approvers are the editor role group. It is assigned to the root of the page tree, so it
covers the home page, every section and every story, including a home page created after the
migrations ran (as the demo loader and the tests do). Everything here is Wagtail's own machinery:
"Submit to Editorial review", "Approve", "Request changes", scheduled go-live and the history.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Editor approval"
# Wagtail's own migrations create this workflow on the root page for its "Moderators" group,
# which Masthead does not use; ours takes its place there.
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def ensure_workflow(*, approvers: Group | None = None) -> Workflow:
    """Create the review workflow and assign it to the page tree. Safe to run again.

    A workflow an administrator assigned to the root page in the CMS is left alone; only
    Wagtail's unused default is replaced.
    """
    with transaction.atomic():
        if approvers is None:
            approvers, _ = Group.objects.get_or_create(name="editor")
        task = GroupApprovalTask.objects.filter(name=TASK_NAME).order_by("pk").first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=TASK_NAME)
        task.groups.add(approvers)
        workflow = Workflow.objects.filter(name=WORKFLOW_NAME).order_by("pk").first()
        if workflow is None:
            workflow = Workflow.objects.create(name=WORKFLOW_NAME)
        if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        root = Page.get_first_root_node()
        if root is not None:
            assigned = WorkflowPage.objects.filter(page=root).select_related("workflow").first()
            if assigned is None:
                WorkflowPage.objects.create(page=root, workflow=workflow)
            elif assigned.workflow.name == WAGTAIL_DEFAULT_WORKFLOW:
                assigned.workflow = workflow
                assigned.save(update_fields=["workflow"])
    return workflow
