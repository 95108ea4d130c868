"""Demo content for the editorial desk: a writer account, corrections and updates on two
stories, one story scheduled a few hours ahead and one waiting for an editor's review.

`load_demo_editorial()` runs after the newsroom demo content (it needs stories and sections)
and is safe to run again: what is already there is left as it is.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import OutputWrapper
from django.utils import timezone
from django.utils.crypto import get_random_string

from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user
from masthead.editorial.models import Correction
from masthead.editorial.services import add_correction
from masthead.newsroom.models import ArticlePage, SectionPage

if TYPE_CHECKING:
    from masthead.newsroom.demo.load import DemoAccount

WRITER_EMAIL = "writer@masthead.example"
WRITER_NAME = "Courier writer"

# (which listed story, newest first; kind; text; how long ago)
DEMO_NOTES = [
    (
        0,
        "update",
        "Added the council's reply, received after this story was first published.",
        timedelta(minutes=40),
    ),
    (
        2,
        "correction",
        "An earlier version of this story gave the wrong day for the vote. It was Tuesday, "
        "not Wednesday.",
        timedelta(hours=5),
    ),
]

SCHEDULED = {
    "title": "Night ferry timetable comes into force",
    "slug": "night-ferry-timetable",
    "standfirst": "Boats will run every 40 minutes until two in the morning from this weekend.",
    "dateline": "Harbourside",
    "body": [
        (
            "paragraph",
            "<p>The new timetable, agreed by the port authority last month, adds six late "
            "crossings on Fridays and Saturdays.</p>",
        )
    ],
}
SCHEDULED_IN = timedelta(hours=3)

IN_REVIEW = {
    "title": "Allotment waiting list passes 400 names",
    "slug": "allotment-waiting-list",
    "standfirst": "Growers say some plots have changed hands only twice in twenty years.",
    "dateline": "Northgate",
    "body": [
        (
            "paragraph",
            "<p>The parks department is looking at splitting the largest plots in two.</p>",
        )
    ],
}


def _say(stdout: IO[str] | OutputWrapper | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + ("" if isinstance(stdout, OutputWrapper) else "\n"))


def _writer_account() -> tuple[User, DemoAccount, bool]:
    """The demo writer, with a password kept beside the other demo accounts' passwords."""
    # Imported here: the newsroom demo loader imports this module.
    from masthead.newsroom.demo.load import DemoAccount

    path = Path(settings.VAR_DIR) / "demo-passwords.json"
    try:
        passwords: dict[str, str] = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        passwords = {}
    user = User.objects.filter(email__iexact=WRITER_EMAIL).first()
    password = passwords.get(WRITER_EMAIL)
    if password is None:
        password = passwords[WRITER_EMAIL] = get_random_string(16)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps(passwords, indent=2) + "\n")
        if user is not None:
            user.set_password(password)
            user.save(update_fields=["password"])
    created = user is None
    if user is None:
        user = create_user(
            email=WRITER_EMAIL,
            password=password,
            role=Role.WRITER,
            verified=True,
            display_name=WRITER_NAME,
        )
    return user, DemoAccount(role=Role.WRITER.value, email=WRITER_EMAIL, password=password), created


def _add_notes(stdout: IO[str] | OutputWrapper | None) -> None:
    if Correction.objects.exists():
        return
    stories = list(ArticlePage.objects.listed()[:3])
    for index, kind, text, ago in DEMO_NOTES:
        if index >= len(stories):
            continue
        try:
            add_correction(
                article=stories[index],
                kind=kind,
                text=text,
                by=None,
                noted_at=timezone.now() - ago,
            )
        except ValidationError as error:  # e.g. the story has unpublished changes
            _say(stdout, f"Skipped a demo {kind}: {' '.join(error.messages)}")
            continue
        article = "an" if kind == "update" else "a"
        _say(stdout, f"Added {article} {kind} to “{stories[index].title}”")


def _add_story(section: SectionPage, fields: dict, writer: User) -> ArticlePage | None:
    if ArticlePage.objects.filter(slug=fields["slug"]).exists():
        return None
    article = ArticlePage(live=False, owner=writer, **fields)
    section.add_child(instance=article)
    return article


def load_demo_editorial(*, stdout: IO[str] | OutputWrapper | None = None) -> list[DemoAccount]:
    """Add the editorial demo content; returns the writer's demo account for the summary."""
    writer, account, created = _writer_account()
    if created:
        _say(stdout, f"Created the writer account {WRITER_EMAIL}")
    _add_notes(stdout)
    section = SectionPage.objects.live().order_by("path").first()
    if section is None:
        return [account]
    scheduled = _add_story(section, SCHEDULED, writer)
    if scheduled is not None:
        scheduled.go_live_at = timezone.now() + SCHEDULED_IN
        scheduled.save_revision(user=writer).publish()  # approved: waits for its time
        _say(stdout, f"Scheduled “{scheduled.title}” to go live in {SCHEDULED_IN}")
    in_review = _add_story(section, IN_REVIEW, writer)
    if in_review is not None:
        in_review.save_revision(user=writer)
        workflow = in_review.get_workflow()
        if workflow is not None:
            workflow.start(in_review, writer)
            _say(stdout, f"Submitted “{in_review.title}” for {workflow.name}")
    return [account]
