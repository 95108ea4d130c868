"""Demo moderation: the community guidelines page and some work for the desk.

`load_demo_moderation()` creates the guidelines page (in our own words) under the home page,
and, once, a handful of reports on demo comments (one comment hidden after three reports, one
after a legal concern), comments held by pre-screening, an illegal-content notice, and a
removed comment whose author appealed. Reports go through `report_comment`, so counts and the
trail are as the services write them; no email is sent.
"""

from __future__ import annotations

import random
from typing import IO

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from masthead.accounts.models import Role, User
from masthead.community.models import Comment, CommentStatus
from masthead.community.services import change_status
from masthead.moderation.models import (
    ActionKind,
    Appeal,
    CommunityGuidelinesPage,
    IllegalContentNotice,
    ModerationAction,
    Report,
)
from masthead.moderation.services import report_comment
from masthead.newsroom.models import HomePage

SEED = 20240613

GUIDELINES_INTRO = (
    "Your Voice is where readers argue, add what they know and keep us honest. These are the "
    "few rules that keep it worth reading."
)
GUIDELINES_BODY = """
<h2>Talk about the story, with the people here</h2>
<p>Disagree as strongly as you like with an argument; never with a person's worth. Name-calling,
threats, pile-ons and digging into someone's private life are removed, and repeat offenders are
suspended.</p>
<h2>No hate</h2>
<p>Comments that demean people for where they come from, their faith, gender, sexuality,
disability or age are removed, however politely they are phrased.</p>
<h2>No spam, no selling</h2>
<p>Links are welcome when they add to the conversation. Adverts, the same text pasted again and
again, and links to junk are not.</p>
<h2>Stay on topic</h2>
<p>Each thread belongs to its story. Bring other subjects to the stories about them.</p>
<h2>Get the facts right</h2>
<p>Say what you know and how you know it. Claims that are false and could mislead or harm readers
are removed; if you think we got a fact wrong, tell us and we will check.</p>
<h2>Mind the law</h2>
<p>Do not accuse named people of crimes, comment on live court cases in ways that could prejudice
them, or identify anyone the law protects, such as victims and children. Such comments can be
hidden at once while we check them.</p>
<h2>How we moderate</h2>
<ul>
<li>Some comments are checked before they appear; most appear at once and are checked when
readers report them.</li>
<li>Use <b>Report</b> on any comment that breaks these guidelines. Disagreeing is not a reason to
report: reply instead.</li>
<li>If we remove your comment we email you why, and you can appeal once; a different moderator
decides.</li>
<li>Believe a comment is illegal? Every comment's report page links to a legal notice form.</li>
</ul>
"""

HELD = [
    (
        "Best prices on solar panels this week only, see my profile and the three links in it.",
        [
            {
                "rule": "links",
                "action": "hold",
                "score": 3.0,
                "detail": "3 links",
                "shadow": False,
            }
        ],
        "held: 3 links",
    ),
    (
        "Everyone knows the councillor took a backhander for this vote.",
        [
            {
                "rule": "suspect_words",
                "action": "hold",
                "score": 1.0,
                "detail": "suspect word 'backhander'",
                "shadow": False,
            }
        ],
        "held: suspect word 'backhander'",
    ),
]


def ensure_guidelines_page() -> CommunityGuidelinesPage | None:
    existing = CommunityGuidelinesPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.first()
    if home is None:
        return None
    page = CommunityGuidelinesPage(
        title="Community guidelines",
        slug="community-guidelines",
        intro=GUIDELINES_INTRO,
        body=GUIDELINES_BODY.strip(),
        show_in_menus=False,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_demo_moderation(*, stdout: IO[str] | OutputWrapper | None = None) -> int:
    """The guidelines page, and desk work unless there are reports already. Returns how many
    reports were made."""
    from masthead.newsroom.demo.load import Progress

    progress = Progress(stdout)
    ensure_guidelines_page()
    if Report.objects.exists() or not Comment.objects.exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo content, not secrets
    readers = list(
        User.objects.filter(
            groups__name=Role.READER, is_active=True, banned_until__isnull=True
        ).order_by("pk")[:40]
    )
    moderator = User.objects.filter(groups__name=Role.MODERATOR).order_by("pk").first()
    candidates = list(
        Comment.objects.filter(
            status=CommentStatus.PUBLISHED, author__groups__name=Role.READER, depth__gt=0
        )
        .select_related("article")
        .order_by("-created_at")[:400]
    )
    if len(readers) < 6 or len(candidates) < 12:
        return 0
    targets = rng.sample(candidates, 12)
    # (reason per report): a few with one or two reports, one hidden by three, one by a
    # legal concern.
    plans = [
        ["spam"],
        ["off_topic"],
        ["abuse", "abuse"],
        ["misinformation"],
        ["spam", "spam"],
        ["abuse", "hate", "abuse"],
        ["legal"],
        ["other"],
    ]
    notes = {
        "spam": "Same advert as yesterday.",
        "abuse": "Personal attack on another reader.",
        "legal": "This could be defamatory. Please check before it spreads.",
        "misinformation": "The figures are made up.",
    }
    made = 0
    with transaction.atomic():
        for comment, reasons in zip(targets, plans, strict=False):
            reporters = [r for r in readers if r.pk != comment.author_id]
            for reason, reporter in zip(reasons, rng.sample(reporters, len(reasons)), strict=True):
                report_comment(
                    reporter=reporter, comment=comment, reason=reason, note=notes.get(reason, "")
                )
                made += 1
        _held(targets[8].article, readers)
        _notice(targets[9])
        if moderator is not None:
            _appeal(targets[10], moderator)
    progress.line(f"Moderation desk: {made} reports, 2 held comments, 1 notice, 1 appeal.")
    return made


def _held(article, readers: list[User]) -> None:  # type: ignore[no-untyped-def]
    from masthead.community.services import thread_changed
    from masthead.community.text import render_comment_text

    for (body, results, summary), author in zip(HELD, readers[-2:], strict=True):
        comment = Comment.objects.create(
            article=article,
            author=author,
            body=body,
            body_html=render_comment_text(body),
            status=CommentStatus.PENDING,
            screening=results,
            screening_summary=summary,
        )
        ModerationAction.objects.create(
            comment=comment,
            kind=ActionKind.AUTO_HOLD,
            automated=True,
            after_status=CommentStatus.PENDING,
            subject_user=author,
            message=summary,
            detail={"results": results},
        )
    thread_changed(article.pk)


NOTICED_COMMENT = (
    "Everyone on the quay knows who set the harbour fire. The trial next month is a formality; "
    "ask anyone who was in the Anchor that night what he was carrying."
)


def _notice(near: Comment) -> None:
    """A notice needs a comment that plausibly breaks the law, so the demo writes one."""
    from masthead.community.services import recount_comments, thread_changed
    from masthead.community.text import render_comment_text

    comment = Comment.objects.create(
        article=near.article,
        author=near.author,
        body=NOTICED_COMMENT,
        body_html=render_comment_text(NOTICED_COMMENT),
        status=CommentStatus.PUBLISHED,
    )
    recount_comments(near.article_id)
    thread_changed(near.article_id)
    notice = IllegalContentNotice.objects.create(
        comment=comment,
        law="Contempt of Court Act 1981",
        explanation=(
            "The trial of the harbour fire case starts next month. This comment says the "
            "accused is guilty and describes evidence that has not been heard in court."
        ),
        name="Alex Morgan",
        email="alex.morgan@example.org",
        good_faith=True,
    )
    Comment.objects.filter(pk=comment.pk).update(has_notice=True)
    ModerationAction.objects.create(
        comment=comment,
        kind=ActionKind.NOTICE,
        reason="legal",
        message=notice.law,
        subject_user_id=comment.author_id,
        detail={"notice": notice.pk},
    )


def _appeal(comment: Comment, moderator: User) -> None:
    now = timezone.now()
    moved = change_status(
        comment,
        to=CommentStatus.REJECTED,
        expected={CommentStatus.PUBLISHED},
        fields={"moderated_at": now, "moderated_by": moderator, "rejection_reason": "off_topic"},
    )
    if not moved or comment.author_id is None:
        return
    ModerationAction.objects.create(
        comment=comment,
        kind="reject",
        actor=moderator,
        reason="off_topic",
        before_status=CommentStatus.PUBLISHED,
        after_status=CommentStatus.REJECTED,
        subject_user_id=comment.author_id,
    )
    User.objects.filter(pk=comment.author_id).update(rejected_comments=1)
    Appeal.objects.create(
        comment=comment,
        author_id=comment.author_id,
        text="My comment was about the bus routes in this story, not off topic at all.",
    )
    ModerationAction.objects.create(
        comment=comment,
        kind=ActionKind.APPEAL,
        before_status=CommentStatus.REJECTED,
        after_status=CommentStatus.REJECTED,
        subject_user_id=comment.author_id,
    )
