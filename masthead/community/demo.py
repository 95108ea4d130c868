"""Demo reader comments: readers and believable threads for the demo newsroom.

`load_demo_comments()` gives the demo stories their "Your Voice" threads: one big story (the
tram extension vote) with a 2,000-comment thread, a dozen with 20-200 comments, a pre-moderated
story with comments awaiting review, and a few quiet ones. The texts were written for this
project. Everything is bulk-inserted and the denormalised counts (article comment count, reply
and like counts) are set to match the rows, so the demo looks like the services wrote it.

It does nothing when any comment exists, so `masthead demo` can run again safely.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user
from masthead.community.models import Comment, CommentStatus, Reaction, ReactionKind
from masthead.community.text import render_comment_text
from masthead.newsroom.models import ArticlePage, CommentMode

SEED = 20240612
BIG_THREAD = 2000  # comments on the big story, replies included
BIG_STORY_SLUG = "green-line-tram-extension-to-eastfield-approved-after-six-hour-debate"
BATCH = 500
STAFF_EMAIL = "moderator@masthead.example"  # "Community desk", from DEMO_ACCOUNTS
READER_EMAIL = "reader@masthead.example"  # Riley, the demo reader who can sign in

# Thread sizes for the stories after the big one, in the order they were published (newest
# first). Closed stories keep what they had before they closed; legal ones have none.
SIZES = [200, 160, 120, 96, 80, 64, 52, 44, 36, 30, 24, 20, 14, 9, 6, 4, 3, 2, 1]
PREMODERATED_PUBLISHED, PREMODERATED_PENDING = 26, 5

READERS = [
    "Priya from Hillcrest",
    "Tom Okafor",
    "Millbrook Mum",
    "Dai Pritchard",
    "Aisha K.",
    "Old Quay Pete",
    "Lena Marsh",
    "Gwen from Saltmarsh",
    "Harbourside Cyclist",
    "Marek W.",
    "Janet Ellery",
    "Northgate Nick",
    "Sofia Brandt",
    "Retired Teacher",
    "Callum Reid",
    "Eastfield Resident",
    "Bea Thornton",
    "Ravi Mehta",
    "Tannery Row Tenant",
    "Frances O'Neill",
    "Josh the Bus Driver",
    "Hana Sato",
    "Arden Angler",
    "Morwenna P.",
    "Kofi Mensah",
    "Sunday Swimmer",
    "Ellie Vance",
    "Grandad Bill",
    "Yusuf A.",
    "Clare in Millbrook",
    "Student Nurse",
    "Oskar Lind",
    "Helen Achebe",
    "Quay Street Trader",
    "Rhys Gower",
    "Dot Whitfield",
    "Night Shift Nat",
    "Imogen Farr",
    "Saltmarsh Sailor",
    "Ardenmouth Born and Bred",
]

# Top-level comments. "{topic}" becomes a short form of the story's headline.
COMMENTS = [
    "Finally. I've been waiting years for someone to say this out loud.",
    "Good to see {topic} covered properly rather than in three lines on page twelve.",
    "Does anyone know how this is being paid for? The article doesn't say where the money "
    "comes from.",
    "I was at the meeting. It was nowhere near as one-sided as this makes it sound.",
    "My gran would have had a lot to say about this. Forty years she lived on that street.",
    "The council's own papers are online if anyone wants to check the numbers: "
    "https://example.org/council/meetings/papers",
    "This is exactly the kind of local reporting we'd lose without the Courier. Thank you.",
    "Not convinced. We've heard promises like this before and nothing changed.",
    "Genuine question: who was actually consulted? Nobody on our road got a letter.",
    "Three cheers for the people who kept pushing for this when everyone said it was hopeless.",
    "It's easy to be cynical, but this one looks like it might actually work.",
    "The photos are lovely. Whoever took the one by the river deserves a raise.",
    "I'd like to see a follow-up in a year. Announcements are cheap; results aren't.",
    "Speaking as someone who works in this area: the details matter far more than the "
    "headline.\n\nThe real test is what happens in the first winter.",
    "Can we talk about parking for once? Every plan seems to pretend cars just vanish.",
    "My kids will grow up with this as normal. That's the bit that gets me.",
    "Someone should ask why this took so long. The problem was obvious a decade ago.",
    "Lovely to read some good news for a change.",
    "I disagree with most of the comments here, but I'm glad we can argue about it civilly.",
    "The figure in the fourth paragraph seems off. Is that per year or in total?",
    "We moved here two years ago and stories like this are why we're staying.",
    "Millbrook always seems to be last in the queue. Would be nice to be first for once.",
    "If anyone wants to help, the residents' group meets on Thursdays at the library.",
    "Every time {topic} comes up, the same five people dominate the debate. Let others talk.",
    "Worth reading alongside the report itself, which is more cautious than the quotes here.",
    "I've written to my councillor. Took five minutes. Recommend it, whatever your view.",
    "Honestly this is a bit overdue, but better late than never.",
    "I think people are underestimating how much disruption this will cause in the short term.",
    "Brilliant. My dad worked on the docks and he'd have loved to see this.",
    "Could the Courier publish the full list of who voted which way? That would help.",
    "Not everything has to be a culture war. This is just sensible.",
    "Sad to see so much negativity. Ardenmouth can do good things when it tries.",
    "Where's the plan for people with disabilities? Nothing in the article about access.",
    "I'll believe it when I see it.",
    "This affects small businesses far more than anyone in the council chamber seems to realise.",
    "As a nurse I can tell you the reality on the ground is very different from the press release.",
    "For context, the last time this was tried was 1998, and it was scrapped within two years.",
    "The map in the article is really helpful, thanks.",
    "Ten years on this estate and this is the first thing that's actually changed for us.",
    "Wish the piece had talked to some younger people. We're the ones who'll live with it.",
    "Somebody has finally done the sums. About time.",
    "The comments here are better informed than half the speeches on Tuesday night.",
    "There's a good summary on the residents' association site too: "
    "www.example.org/residents-update",
    "I'm torn on this one.\n\nOn one hand it's clearly needed. On the other, the people "
    "paying for it aren't the ones who'll benefit first.",
    "Just here to say the reporter got the history right, which makes a change.",
    "How is this going to work in winter, when the river floods every other year?",
    "I run a shop on Quay Street. Happy to talk to anyone from the council who wants to know "
    "what it's really like.",
    "Fair play to everyone involved. This is what local democracy should look like.",
    "That quote from the chair of the committee is going to age badly.",
    "The cost per household works out at less than a coffee a month. Seems worth it.",
    "Our street was promised the same thing in 2015. Still waiting.",
    "Really well written piece. Clear, fair, and it didn't tell me what to think.",
    "Let's not pretend this solves everything, but it's a real step.",
    "Anyone else remember when {topic} was front page for a week and then vanished?",
    "It's the maintenance budget I worry about. New things are easy to open and hard to keep.",
    "Would love to hear from the people who actually did the work, not just the officials.",
    "Good decision. Now get on with it before the money disappears.",
    "I've lived in Northgate all my life. This is the biggest change I can remember.",
    "The comparison with other cities is useful. We're not the first to try this, and "
    "others made it work.",
    "Please keep reporting on this. It matters.",
]

# Replies to other readers.
REPLIES = [
    "Agreed, completely.",
    "I don't think that's quite right. The report says the opposite on page 9.",
    "Exactly what I was going to say.",
    "Have you actually read the proposal? It covers that in some detail.",
    "Fair point, I hadn't thought of it that way.",
    "That's a bit harsh. People worked hard on this.",
    "Same experience here.",
    "Source? Genuinely curious, not trying to start a row.",
    "Here you go: https://example.org/data/ardenmouth-2024.csv",
    "Ha, my neighbour said exactly the same thing this morning.",
    "You're not wrong, but it was worse before.",
    "This. A hundred times this.",
    "I was there too and I remember it differently.",
    "Thanks for the link, very useful.",
    "Respectfully, I disagree. It's not perfect, but it's better than nothing.",
    "The Thursday meetings are open to everyone, by the way. Come along.",
    "Maybe, but who's going to pay for the alternative?",
    "It's in the last paragraph of the article.",
    "My dad says the same, and he's been right before.",
    "Good question. I'd like to know too.",
    "I think we agree more than it sounds. The problem is the timing, not the idea.",
    "Not everyone can cycle, though. That's the point people keep missing.",
    "Spot on.",
    "That was a different scheme, run by a different council.",
    "I asked my councillor the same thing. Still waiting for an answer.",
    "You'd think so, but the numbers say otherwise.",
    "Well said.",
    "That's a lovely memory, thank you for sharing it.",
    "I work there, and yes, it really is that bad some weeks.",
    "Let's see what happens. I hope you're right.",
    "Could not agree less, but I appreciate you explaining your view.",
    "It was on the radio this morning too.",
    "The consultation closed in March; it's all in the minutes.",
    "Both things can be true at once.",
    "Sorry, but that's not what the article says.",
    "Happy to be proved wrong on this one.",
    "I'd sign a petition for that.",
    "There's a longer explanation here: https://example.org/explainer",
    "Yes! Finally someone mentions the buses.",
    "It's a start.",
]

STAFF_REPLIES = [
    "Thanks for raising this. We've asked the council for the full breakdown and will add it "
    "to the story when we have it.",
    "A reminder to keep it civil, everyone: argue with the idea, not the person. Thanks for "
    "the thoughtful discussion so far.",
    "Good catch on the figure: it's the total over five years. We've clarified the wording.",
]

ADD_ONS = [
    "",
    "",
    "",
    " Just my two pence.",
    " Happy to be corrected.",
    " Rant over.",
    " Thanks for the reporting.",
    "\n\nEdit to add: I'm not against it in principle, I just want it done well.",
    "\n\nAlso, the bus timetable changes in the autumn make this even more pressing.",
]


@dataclass
class Plan:
    article: ArticlePage
    total: int
    pending: int = 0
    big: bool = False
    topic: str = ""
    nodes: list[Comment] = field(default_factory=list)


SMALL_WORDS = {"a", "an", "the", "to", "of", "for", "as", "in", "on", "at", "after", "and"}


def _topic(title: str) -> str:
    """A few words of the headline that read well inside a sentence."""
    words = title.split(":")[0].split()[:5]
    while len(words) > 1 and words[-1].lower() in SMALL_WORDS:
        words.pop()
    return " ".join(words).strip(",;'\u2018\u2019")


def _make_plans(big_thread: int) -> list[Plan]:
    articles = list(ArticlePage.objects.live().order_by("-first_published_at", "-pk"))
    commentable = [a for a in articles if a.comment_mode != CommentMode.LEGAL]
    if not commentable:
        return []
    big = next(
        (a for a in commentable if a.slug == BIG_STORY_SLUG),
        next((a for a in commentable if a.comment_mode == CommentMode.OPEN), commentable[0]),
    )
    plans = [Plan(big, big_thread, big=True)]
    sizes = iter(SIZES)
    for article in commentable:
        if article is big:
            continue
        if article.comment_mode == CommentMode.PREMODERATED:
            plans.append(Plan(article, PREMODERATED_PUBLISHED, pending=PREMODERATED_PENDING))
        else:
            plans.append(Plan(article, next(sizes, 0)))
    for plan in plans:
        plan.topic = _topic(plan.article.title)
    return [p for p in plans if p.total or p.pending]


def _ensure_readers() -> tuple[list[User], User | None]:
    """The demo readers (no password: they exist to have written comments) and Riley."""
    readers = []
    existing = {
        u.email: u for u in User.objects.filter(email__endswith="@readers.masthead.example")
    }
    for name in READERS:
        email = f"{slugify(name).replace('-', '.')}@readers.masthead.example"
        user = existing.get(email)
        if user is None:
            # No password: make_password(None) is unusable and costs no hashing.
            user = create_user(
                email=email, password=None, role=Role.READER, verified=True, display_name=name
            )  # type: ignore[arg-type]
        readers.append(user)
    riley = User.objects.filter(email__iexact=READER_EMAIL).first()
    if riley is not None:
        readers.append(riley)
    staff = (
        User.objects.filter(email__iexact=STAFF_EMAIL).first()
        or User.objects.filter(is_staff=True).order_by("pk").first()
    )
    return readers, staff


def _likes(rng: random.Random, *, top: bool, big: bool) -> int:
    """Most comments get a few likes; a handful get many."""
    roll = rng.random()
    if roll < 0.35:
        return 0
    if roll < 0.85:
        return rng.randint(1, 4)
    if roll < 0.97:
        return rng.randint(5, 15)
    return rng.randint(16, 38 if (top and big) else 25)


def _when(rng: random.Random, start: datetime, end: datetime, *, early: float = 0.25) -> datetime:
    """A moment in [start, end], busiest soon after `start` (stories draw comments early)."""
    span = max((end - start).total_seconds(), 60.0)
    offset = min(rng.expovariate(1 / (span * early)), span)
    return start + timedelta(seconds=offset)


def _build(
    plan: Plan,
    rng: random.Random,
    readers: list[User],
    staff: User | None,
    now: datetime,
    html: dict[str, str],
) -> list[list[Comment]]:
    """The plan's comments in insertion order: top level, replies, replies to replies, and
    level-3 comments that answer another level-3 comment (`in_reply_to`)."""
    article = plan.article
    start = article.first_published_at or (now - timedelta(days=1))
    start = min(start + timedelta(minutes=3), now - timedelta(minutes=5))

    def text(pool: list[str], add_on: bool) -> str:
        body = rng.choice(pool).replace("{topic}", plan.topic)
        return body + (rng.choice(ADD_ONS) if add_on else "")

    def make(body: str, author: User, created: datetime, *, status=CommentStatus.PUBLISHED):  # type: ignore[no-untyped-def]
        if body not in html:
            html[body] = render_comment_text(body)
        staff_author = author.is_staff or author.is_superuser
        return Comment(
            article=article,
            author=author,
            body=body,
            body_html=html[body],
            status=status,
            created_at=created,
            author_is_staff=staff_author,
        )

    total = plan.total
    n_top = max(1, round(total * (0.55 if total >= 20 else 0.8)))
    n_reply = round((total - n_top) * 0.65)
    n_deep = total - n_top - n_reply
    if staff is not None and plan.big:
        n_reply -= len(STAFF_REPLIES)  # the desk's replies are part of the total

    top = [
        make(text(COMMENTS, True), rng.choice(readers), _when(rng, start, now))
        for _ in range(n_top)
    ]
    # Replies gather under a few popular comments, as they do.
    weights = [rng.paretovariate(1.3) for _ in top]
    level1: list[Comment] = []
    for _ in range(n_reply):
        parent = rng.choices(top, weights)[0]
        reply = make(text(REPLIES, rng.random() < 0.2), rng.choice(readers), parent.created_at)
        reply.parent, reply.root, reply.depth = parent, parent, 1
        reply.created_at = _when(rng, parent.created_at, now, early=0.05)
        level1.append(reply)
    level2: list[Comment] = []
    answers: list[Comment] = []
    deep_parents = level1 or []
    for index in range(n_deep if deep_parents else 0):
        parent = rng.choice(deep_parents)
        reply = make(text(REPLIES, False), rng.choice(readers), parent.created_at)
        reply.parent, reply.root, reply.depth = parent, parent.root, 2
        reply.created_at = _when(rng, parent.created_at, now, early=0.05)
        # Some answer an earlier level-3 comment: they sit beside it and name it.
        siblings = [c for c in level2 if c.parent is parent]
        if siblings and index % 3 == 0:
            reply.in_reply_to = rng.choice(siblings)
            reply.created_at = max(reply.created_at, reply.in_reply_to.created_at)
            answers.append(reply)  # inserted after the comments they name
        else:
            level2.append(reply)

    if staff is not None and plan.big and top:
        # The community desk answers the most-replied comments, and two comments are featured.
        order = sorted(range(len(top)), key=lambda i: -weights[i])
        busiest = [top[i] for i in order[: len(STAFF_REPLIES)]]
        for parent, body in zip(busiest, STAFF_REPLIES, strict=False):
            reply = make(body, staff, _when(rng, parent.created_at, now, early=0.05))
            reply.parent, reply.root, reply.depth = parent, parent, 1
            level1.append(reply)
        for comment in busiest[:2]:
            comment.featured_at = min(comment.created_at + timedelta(hours=2), now)

    if plan.pending:
        # Pre-moderated: a few new comments wait for the desk (Riley's among them).
        waiting = readers[-1:] + readers[: plan.pending - 1]
        for author in waiting:
            top.append(
                make(
                    text(COMMENTS, False),
                    author,
                    now - timedelta(minutes=rng.randint(5, 90)),
                    status=CommentStatus.PENDING,
                )
            )
        if staff is not None:
            for parent, body in zip(top[:1], STAFF_REPLIES[:1], strict=False):
                reply = make(body, staff, _when(rng, parent.created_at, now, early=0.05))
                reply.parent, reply.root, reply.depth = parent, parent, 1
                level1.append(reply)
    for comment in (*level1, *level2, *answers):
        comment.created_at = min(comment.created_at, now)
    return [top, level1, level2, answers]


def _likers(
    comments: list[Comment], rng: random.Random, readers: list[User], big: bool
) -> list[tuple[Comment, list[User]]]:
    liked = []
    for comment in comments:
        if comment.status != CommentStatus.PUBLISHED:
            continue
        pool = [r for r in readers if r.pk != comment.author_id]
        count = min(_likes(rng, top=comment.depth == 0, big=big), len(pool))
        if count:
            who = rng.sample(pool, count)
            comment.like_count = count
            liked.append((comment, who))
    return liked


def load_demo_comments(
    *, stdout: IO[str] | OutputWrapper | None = None, big_thread: int = BIG_THREAD
) -> int:
    """Add demo readers and comment threads unless there are comments already.

    Returns how many comments were created (0 when there were some already)."""
    from masthead.newsroom.demo.load import Progress

    progress = Progress(stdout)
    if Comment.objects.exists():
        progress.line("Demo comments are already there; leaving them as they are.")
        return 0
    started = time.monotonic()
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo content, not secrets
    now = timezone.now()
    with transaction.atomic():
        readers, staff = _ensure_readers()
        plans = _make_plans(big_thread)
        html: dict[str, str] = {}
        levels: list[list[Comment]] = [[], [], [], []]
        reactions: list[tuple[Comment, list[User]]] = []
        for plan in plans:
            built = _build(plan, rng, readers, staff, now, html)
            for depth, rows in enumerate(built):
                levels[depth].extend(rows)
                reactions.extend(_likers(rows, rng, readers, plan.big))
        # Reply counts: published children of each comment (levels are complete in memory).
        for child in (*levels[1], *levels[2], *levels[3]):
            if child.status == CommentStatus.PUBLISHED:
                child.parent.reply_count += 1
        created = 0
        for rows in levels:
            # Parents were inserted by the previous level, so their pks are known now.
            Comment.objects.bulk_create(rows, batch_size=BATCH)
            created += len(rows)
            progress.count("Writing demo comments", created, sum(map(len, levels)))
        Reaction.objects.bulk_create(
            [
                Reaction(
                    comment=comment,
                    user=user,
                    kind=ReactionKind.LIKE,
                    created_at=_when(rng, comment.created_at, now, early=0.1),
                )
                for comment, users in reactions
                for user in users
            ],
            batch_size=BATCH * 2,
            ignore_conflicts=True,
        )
        for plan in plans:
            published = Comment.objects.filter(
                article=plan.article, status=CommentStatus.PUBLISHED
            ).count()
            ArticlePage.objects.filter(pk=plan.article.pk).update(comment_count=published)
    progress.line(
        f"Added {created:,} demo comments on {len(plans)} stories "
        f"({time.monotonic() - started:.1f} s)"
    )
    return created
