"""Load the demo newsroom: site, sections, authors, wire agencies, photos, stories and accounts.

`load_demo_content()` is safe to run again: when the home page already exists it skips the
content, but still makes sure the demo accounts exist and every photo has the renditions the
templates ask for, and returns the same summary.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user, ensure_roles
from masthead.ads.models import AdSlot, HouseAd, size_of
from masthead.community.demo import load_demo_comments
from masthead.core.counters import hour_bucket
from masthead.editorial.demo import load_demo_editorial
from masthead.moderation.demo import load_demo_moderation
from masthead.newsroom.demo.content import (
    AGENCIES,
    AUTHORS,
    HOME_INTRO,
    HOUSE_ADS,
    PUBLICATION,
    SECTIONS,
    PhotoSpec,
    Story,
)
from masthead.newsroom.demo.photos import draw_photo
from masthead.newsroom.demo.stories import STORIES
from masthead.newsroom.models import (
    ArticleByline,
    ArticlePage,
    Author,
    HomePage,
    HomePageSlot,
    HourlyCount,
    NewsroomSettings,
    RelatedLink,
    SectionPage,
    SectionPageSlot,
    WireAgency,
)
from masthead.newsroom.popularity import READ, forget_ranking
from masthead.revenue.demo import load_demo_contributions
from masthead.revenue.models import AppealSettings
from masthead.wire.demo import load_demo_wire

# Renditions the templates use, generated up front so that first page views are fast. Keep
# these in step with the {% picture %} and {% image %} tags in the templates: a rendition is
# found by its exact spec string, and `format-{webp,jpeg} width-{480,800}` in a template
# expands to "format-webp|width-480" and so on (format first).
RENDITION_SPECS = (
    "format-webp|width-480",
    "format-webp|width-800",
    "format-webp|width-1200",
    "format-jpeg|width-480",
    "format-jpeg|width-800",
    "format-jpeg|width-1200",
    "format-webp|fill-400x250",
    "format-jpeg|fill-400x250",
)
# Author pages show a square byline picture with {% image %}, which keeps the order as written.
AUTHOR_RENDITION_SPECS = ("fill-160x160|format-webp",)

# Wagtail's background work, queued while the demo pages were saved.
INDEX_TASKS = (
    "modelsearch.tasks.insert_or_update_object_task",
    "wagtail.tasks.update_reference_index_task",
)
SEED = 20240611  # content is the same on every run; only the dates follow the clock
PUBLISHED_OVER = timedelta(days=10)  # stories are spread over the last ten days

DEMO_ACCOUNTS = [
    (Role.EDITOR, "editor@masthead.example", "Courier editor"),
    (Role.MODERATOR, "moderator@masthead.example", "Community desk"),
    (Role.ADMIN, "admin@masthead.example", "Site admin"),
    (Role.READER, "reader@masthead.example", "Riley from Northgate"),
]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


@dataclass
class DemoSummary:
    created: bool  # False when the content was already there
    sections: int
    articles: int
    photos: int
    accounts: list[DemoAccount] = field(default_factory=list)
    seconds: float = 0.0
    passwords_file: Path | None = None


def load_demo_content(*, stdout: IO[str] | OutputWrapper | None = None) -> DemoSummary:
    """Create the demo newsroom unless it is there already; returns what the site now holds."""
    started = time.monotonic()
    progress = Progress(stdout)
    ensure_roles()
    created = not HomePage.objects.exists()
    if created:
        _create_content(progress)
    else:
        progress.line("Demo content is already loaded; leaving it as it is.")
    _pregenerate_renditions(progress)
    _ensure_read_counts(progress)
    # Agency copy imported from ninjs documents, as the wire desk would.
    load_demo_wire(stdout=stdout)
    accounts, passwords_file = _ensure_accounts(progress)
    # A writer, corrections and updates, a scheduled story and one waiting for review.
    accounts += load_demo_editorial(stdout=stdout)
    # Comments last: they need the stories and the demo reader and moderator accounts.
    load_demo_comments(stdout=stdout)
    # The guidelines page and some work for the moderation desk: reports, held comments, a
    # legal notice and an appeal.
    load_demo_moderation(stdout=stdout)
    # Three months of test-mode reader support for the revenue dashboard.
    load_demo_contributions(stdout=stdout)
    # Wagtail queues search-index and reference updates as tasks; run them now so that search
    # works at once, even with `masthead demo --no-serve` and no worker running yet.
    _run_queued_tasks(progress)
    return DemoSummary(
        created=created,
        sections=SectionPage.objects.live().count(),
        articles=ArticlePage.objects.live().count(),
        photos=get_image_model().objects.count(),
        accounts=accounts,
        seconds=time.monotonic() - started,
        passwords_file=passwords_file,
    )


def _run_queued_tasks(progress: Progress) -> None:
    from django_tasks_db.models import DBTaskResult

    from masthead.editorial.worker import Worker

    # Only Wagtail's own index work: queued email stays for the worker, which prints it.
    index_tasks = DBTaskResult.objects.ready().filter(task_path__in=INDEX_TASKS)
    total = index_tasks.count()
    worker = Worker(jobs=[])
    done = 0
    # One line of progress instead of a log line per task. Wagtail's reference-index task
    # fails, harmlessly, for an inline row deleted before it ran; the task row records it.
    quiet = {"masthead.worker": logging.WARNING, "django_tasks": logging.CRITICAL}
    levels = {name: logging.getLogger(name).level for name in quiet}
    try:
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)
        while done < total:
            ran = worker.run_queued_tasks(limit=50, task_paths=INDEX_TASKS)
            if not ran:
                break
            done += ran
            progress.count("Updating the search index", min(done, total), total)
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


# --- Progress -------------------------------------------------------------------------------


class Progress:
    """Counts on one updating line on a terminal; a few plain lines anywhere else."""

    def __init__(self, out: IO[str] | OutputWrapper | None) -> None:
        self.out = out
        self.tty = bool(out is not None and getattr(out, "isatty", lambda: False)())
        self.label, self.started = "", time.monotonic()

    def _write(self, text: str) -> None:
        if self.out is None:
            return
        if isinstance(self.out, OutputWrapper):
            self.out.write(text, ending="")
        else:
            self.out.write(text)
        self.out.flush()

    def line(self, text: str) -> None:
        self._write(text + "\n")

    def count(self, label: str, done: int, total: int) -> None:
        if label != self.label:
            self.label, self.started = label, time.monotonic()
        took = f" ({time.monotonic() - self.started:.1f} s)" if done == total else ""
        if self.tty:
            self._write(f"\r{label} {done}/{total}{took}" + ("\n" if done == total else ""))
        elif done == total or done % 10 == 0:
            self._write(f"{label} {done}/{total}{took}\n")


# --- Content --------------------------------------------------------------------------------


def _all_photo_specs() -> list[PhotoSpec]:
    """Every photo the demo uses, in a fixed order: byline pictures, then story photos."""
    specs = [author.portrait for author in AUTHORS]
    for story in STORIES:
        if story.lead:
            specs.append(story.lead)
        specs.extend(value for kind, value in story.body if kind == "photo")
    # House ad pictures last, so that adding one does not redraw the story photos.
    specs.extend(ad.picture for ad in HOUSE_ADS if ad.picture)
    return specs


def _create_content(progress: Progress) -> None:
    specs = _all_photo_specs()
    images = _draw_photos(specs, progress)
    with transaction.atomic():
        photos = _save_photos(specs, images, progress)
        home, site = _create_site()
        sections = _create_sections(home)
        authors = _create_authors(photos)
        agencies = _create_agencies()
        _create_stories(sections, authors, agencies, photos, progress)
        _curate_fronts(home, sections)
        _create_house_ads(photos)
        NewsroomSettings.for_site(site)
        AppealSettings.for_site(site)


def _draw_photos(specs: list[PhotoSpec], progress: Progress) -> list[bytes]:
    """Draw in threads: Pillow releases the GIL while it filters and encodes."""
    images: list[bytes] = []
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        jobs = [
            pool.submit(draw_photo, spec.scene, seed, **spec.options)
            for seed, spec in enumerate(specs, start=SEED)
        ]
        for done, job in enumerate(jobs, start=1):
            images.append(job.result())
            progress.count("Drawing photos", done, len(jobs))
    return images


def _save_photos(specs: list[PhotoSpec], images: list[bytes], progress: Progress) -> dict[int, Any]:
    """Save each drawing as a Photo; returns them keyed by the id() of their spec."""
    photo_model = get_image_model()
    photos: dict[int, Any] = {}
    for done, (spec, data) in enumerate(zip(specs, images, strict=True), start=1):
        photo = photo_model(
            title=spec.title,
            description=spec.alt,
            credit=spec.credit,
            caption=spec.caption,
            file=ImageFile(BytesIO(data), name=f"{slugify(spec.title)[:80]}.jpg"),
        )
        photo._set_image_file_metadata()
        photo.save()
        photos[id(spec)] = photo
        progress.count("Saving photos", done, len(specs))
    return photos


def _create_site() -> tuple[HomePage, Site]:
    """Put a HomePage at the top of the tree in place of Wagtail's "Welcome" page."""
    root = Page.get_first_root_node()
    welcome = Page.objects.filter(
        depth=2,
        slug="home",
        numchild=0,
        content_type=ContentType.objects.get_for_model(Page),
    )
    for page in welcome:
        page.delete()  # its Site goes with it; it is recreated below
    slug = "home" if not root.get_children().filter(slug="home").exists() else "courier"
    home = root.add_child(instance=HomePage(title=PUBLICATION, slug=slug, intro=HOME_INTRO))
    home.save_revision().publish()
    site, _ = Site.objects.update_or_create(
        hostname="localhost",
        port=80,
        defaults={"root_page": home, "is_default_site": True, "site_name": PUBLICATION},
    )
    Site.objects.exclude(pk=site.pk).filter(is_default_site=True).update(is_default_site=False)
    return home, site


def _create_sections(home: HomePage) -> dict[str, SectionPage]:
    sections = {}
    for spec in SECTIONS:
        section = home.add_child(
            instance=SectionPage(title=spec.title, slug=spec.slug, description=spec.description)
        )
        section.save_revision().publish()
        sections[spec.slug] = section
    return sections


def _create_authors(photos: dict[int, Any]) -> dict[str, Author]:
    authors = {}
    for spec in AUTHORS:
        author, _ = Author.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "job_title": spec.job_title,
                "bio": spec.bio,
                "photo": photos[id(spec.portrait)],
            },
        )
        authors[spec.slug] = author
    return authors


def _create_agencies() -> dict[str, WireAgency]:
    agencies = {}
    for spec in AGENCIES:
        agency, _ = WireAgency.objects.get_or_create(
            name=spec.name,
            defaults={
                "short_name": spec.short_name,
                "copyright_pattern": spec.copyright_pattern,
                "website": spec.website,
            },
        )
        agency.full_clean()
        agencies[spec.short_name] = agency
    return agencies


def _publication_times(now: datetime) -> list[datetime]:
    """One time per story, oldest first: newsroom hours (07:00-22:00) over the last ten days."""
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo content, not secrets
    step_hours = 15 * PUBLISHED_OVER.days / len(STORIES)
    when = timezone.localtime(now) - timedelta(minutes=rng.randint(40, 80))
    times = []
    for _ in STORIES:
        if when.hour < 7:  # nothing goes out overnight: back to the evening before
            when = (when - timedelta(days=1)).replace(hour=21, minute=rng.randint(0, 59))
        elif when.hour >= 22:
            when = when.replace(hour=21, minute=rng.randint(0, 59))
        times.append(when.replace(second=0, microsecond=0))
        when -= timedelta(hours=step_hours + rng.uniform(-1.5, 1.5))
    return times[::-1]


def _slug(headline: str, limit: int = 70) -> str:
    slug = slugify(headline)
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]


def _body(story: Story, photos: dict[int, Any]) -> str:
    blocks = []
    for kind, value in story.body:
        if kind == "photo":
            value = {"photo": photos[id(value)].pk, "caption": "", "credit": ""}
        blocks.append({"type": kind, "value": value})
    return json.dumps(blocks)


def _create_stories(
    sections: dict[str, SectionPage],
    authors: dict[str, Author],
    agencies: dict[str, WireAgency],
    photos: dict[int, Any],
    progress: Progress,
) -> None:
    # First every page as a draft, so that "Read:" links can point at any story...
    pages: dict[str, ArticlePage] = {}
    for done, story in enumerate(STORIES, start=1):
        agency = agencies[story.wire] if story.wire else None
        page = ArticlePage(
            title=story.headline,
            slug=_slug(story.headline),
            standfirst=story.standfirst,
            dateline=story.dateline,
            wire_agency=agency,
            wire_byline=story.wire_byline,
            lead_photo=photos[id(story.lead)] if story.lead else None,
            lead_photo_caption=story.lead_caption,
            body=_body(story, photos),
            comment_mode=story.comment_mode,
            comments_closed_message=story.comments_closed_message,
            live=False,
        )
        sections[story.section].add_child(instance=page)
        pages[story.key] = page
        progress.count("Writing stories", done, len(STORIES))

    # ...then bylines, tags and links, and publish each at its own time in the past.
    times = _publication_times(timezone.now())
    for done, (story, when) in enumerate(zip(STORIES, times, strict=True), start=1):
        page = pages[story.key]
        page.bylines = [ArticleByline(author=authors[slug]) for slug in story.authors]
        page.related_links = [RelatedLink(target=pages[key]) for key in story.read]
        page.tags.add(*story.tags)
        if story.updated_after_hours is not None:
            page.updated_at = when + timedelta(hours=story.updated_after_hours)
        page.full_clean()
        revision = page.save_revision()
        revision.publish()
        Revision.objects.filter(pk=revision.pk).update(created_at=when)
        Page.objects.filter(pk=page.pk).update(
            first_published_at=when, last_published_at=when, latest_revision_created_at=when
        )
        progress.count("Publishing stories", done, len(STORIES))


def _front_picks(section: SectionPage) -> list[ArticlePage]:
    """A lead and three picks for a section: the fullest of its six newest photo stories
    leads (what an editor would put on top), the next newest follow."""
    recent = list(
        ArticlePage.objects.live()
        .child_of(section)
        .exclude(lead_photo=None)
        .order_by("-first_published_at", "-pk")[:6]
    )
    if not recent:
        return []
    lead = max(recent, key=lambda story: len(story.body))
    return [lead, *[story for story in recent if story != lead][:3]]


def _curate_fronts(home: HomePage, sections: dict[str, SectionPage]) -> None:
    """Editors' picks: on each section front, and on the home page each section's lead."""
    leads = []
    for section in sections.values():
        picks = _front_picks(section)
        if not picks:
            continue
        leads.append(picks[0])
        section.lead_story = picks[0]
        section.slots = [SectionPageSlot(article=story) for story in picks[1:]]
        section.save_revision().publish()
    if leads:
        home.lead_story = leads[0]
        home.slots = [HomePageSlot(article=story) for story in leads[1:4]]
        home.save_revision().publish()


def _create_house_ads(photos: dict[int, Any]) -> None:
    sizes = dict(AdSlot.objects.values_list("name", "size"))
    for ad in HOUSE_ADS:
        image = photos[id(ad.picture)] if ad.picture else None
        HouseAd.objects.get_or_create(
            name=ad.name,
            defaults={"slot": ad.slot, "text": ad.text, "link_url": ad.link_url, "image": image},
        )
        if image is not None and ad.slot in sizes:  # the renditions the slot will ask for
            width, height = size_of(sizes[ad.slot])
            image.get_renditions(
                f"fill-{width}x{height}|format-webp", f"fill-{width * 2}x{height * 2}|format-webp"
            )


# Reads per hour for "Most read" on a fresh demo: newer stories are read more.
DEMO_READ_HOURS = 24
DEMO_READ_STORIES = 20


def _ensure_read_counts(progress: Progress) -> None:
    """Give "Most read" something to show, unless stories were read in the last day already.

    Counts go straight into the table the counters write to; nothing else is touched.
    """
    now = timezone.now()
    first_hour = hour_bucket(now) - timedelta(hours=DEMO_READ_HOURS - 1)
    if HourlyCount.objects.filter(kind=READ, hour__gte=first_hour).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo content, not secrets
    stories = list(
        ArticlePage.objects.live().order_by("-first_published_at", "-pk")[:DEMO_READ_STORIES]
    )
    rows = []
    for rank, story in enumerate(stories):
        popularity = rng.uniform(0.3, 1.0) * (DEMO_READ_STORIES - rank) * 12
        for hours_ago in range(DEMO_READ_HOURS):
            hour = hour_bucket(now) - timedelta(hours=hours_ago)
            if hour < (story.first_published_at or now) - timedelta(hours=1):
                continue  # nobody read it before it was out
            count = int(popularity * rng.uniform(0.4, 1.2))
            if count:
                rows.append(HourlyCount(kind=READ, key=str(story.pk), hour=hour, count=count))
    HourlyCount.objects.bulk_create(rows)
    forget_ranking()
    progress.line(f"Counted demo reads for {len(stories)} stories.")


# --- Renditions -----------------------------------------------------------------------------


def _pregenerate_renditions(progress: Progress) -> None:
    """Make every rendition the templates use; photos that have them already are quick."""
    portraits = set(Author.objects.exclude(photo=None).values_list("photo_id", flat=True))
    photos = list(get_image_model().objects.order_by("pk"))
    for done, photo in enumerate(photos, start=1):
        specs = AUTHOR_RENDITION_SPECS if photo.pk in portraits else RENDITION_SPECS
        photo.get_renditions(*specs)
        progress.count("Making renditions", done, len(photos))


# --- Accounts -------------------------------------------------------------------------------


def _ensure_accounts(progress: Progress) -> tuple[list[DemoAccount], Path]:
    """Create the demo accounts, with passwords kept in var/ so every run prints the same."""
    path = Path(settings.VAR_DIR) / "demo-passwords.json"
    try:
        passwords: dict[str, str] = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        passwords = {}
    accounts = []
    changed = False
    for role, email, display_name in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=email).first()
        password = passwords.get(email)
        if password is None:
            password = passwords[email] = get_random_string(16)
            changed = True
            if user is not None:  # the account outlived the file: give it the new password
                user.set_password(password)
                user.save(update_fields=["password"])
        if user is None:
            create_user(
                email=email,
                password=password,
                role=role,
                verified=True,
                display_name=display_name,
            )
            progress.line(f"Created the {role.value} account {email}")
        accounts.append(DemoAccount(role=role.value, email=email, password=password))
    if changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps(passwords, indent=2) + "\n")
    return accounts, path
