"""Wire copy into the newsroom: ninjs documents and feed entries become articles.

`import_document` is the one write for a ninjs document (the `importwire` command and the demo
call it); `create_story` and `update_story` are shared with the feed poller. Each document is
written in its own transaction, after its pictures were fetched, so a slow picture server never
holds the database.

Idempotency: a `WireItem` per wire `uri` remembers the version imported. The same version again
is "unchanged"; a newer one updates the article with a new revision (published again when the
story was live or `publish` is asked for); an older one is "skipped". Versions compare as numbers
when both are numbers, otherwise by the documents' `versioncreated` times; two different versions
that cannot be ordered count the incoming one as newer.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from masthead.newsroom.models import (
    ArticlePage,
    HomePage,
    Photo,
    SectionPage,
    WireAgency,
    check_copyright_pattern,
)
from masthead.wire.bodies import html_to_blocks, html_to_text, text_to_blocks, trim_words
from masthead.wire.fetch import Fetched, FetchError, fetch_image
from masthead.wire.models import WireItem, WirePicture, WireSource
from masthead.wire.ninjs import NinjsError, NotAStory, Picture, WireDocument, load_document

logger = logging.getLogger(__name__)

DEFAULT_SECTION = "Wire"
STANDFIRST_MAX = 400
HEADLINE_MAX = 255
SLUG_MAX = 70
TAGS_MAX = 20

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
SKIPPED, FAILED = "skipped", "failed"


class WireSetupError(Exception):
    """The newsroom is not ready for wire copy (no home page yet)."""


@dataclass
class ImportResult:
    status: str  # created | updated | unchanged | skipped | failed
    headline: str = ""
    reason: str = ""
    article: ArticlePage | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """What the report line says after the status and the file name."""
        if self.headline and self.reason:
            return f"{self.headline} ({self.reason})"
        return self.headline or self.reason


@dataclass
class StoryContent:
    """An article's worth of wire copy, whatever format it came in."""

    headline: str
    standfirst: str
    body: list[dict[str, Any]]
    dateline: str = ""
    byline: str = ""
    tags: Sequence[str] = ()
    agency: WireAgency | None = None
    photos: list[Photo] = field(default_factory=list)
    go_live_at: datetime | None = None


# --- Sections and agencies ------------------------------------------------------------------


def ensure_section(*, name: str = DEFAULT_SECTION) -> SectionPage:
    """The section called `name` under the home page, created (and published) when missing."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("A section needs a name.")
    home = HomePage.objects.order_by("path").first()
    if home is None:
        raise WireSetupError(
            "There is no home page yet: load the demo (masthead demo) or create the site first."
        )
    slug = slugify(name)[:SLUG_MAX] or "wire"
    sections = SectionPage.objects.child_of(home)
    section = sections.filter(Q(title__iexact=name) | Q(slug=slug)).order_by("path").first()
    if section is not None:
        return section
    with transaction.atomic():
        section = home.add_child(instance=SectionPage(title=name[:255], slug=slug))
        section.save_revision().publish()
    return section


def find_or_create_agency(
    *, name: str, notice: str = "", year: int | None = None
) -> WireAgency | None:
    """The agency known by `name` (full or short name); a new one is made from the name and,
    when it fits, the copyright notice with its year turned into the {year} placeholder."""
    name = " ".join(name.split())[:100]
    if not name:
        return None
    agency = (
        WireAgency.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name))
        .order_by("pk")
        .first()
    )
    if agency is not None:
        return agency
    short_name = name if len(name) <= 20 else _initials(name)
    agency = WireAgency(name=name, short_name=short_name)
    pattern = _pattern_from_notice(notice, year)
    if pattern:
        agency.copyright_pattern = pattern
    agency.full_clean()
    agency.save()
    return agency


def _initials(name: str) -> str:
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", name) if word[0].isupper())
    return (initials if len(initials) >= 2 else name)[:20]


def _pattern_from_notice(notice: str, year: int | None) -> str:
    if not notice or len(notice) > 200:
        return ""
    pattern = notice.replace("{", "{{").replace("}", "}}")
    if year and str(year) in pattern:
        pattern = pattern.replace(str(year), "{year}")
    try:
        check_copyright_pattern(pattern, year=2000, agency="X")
    except ValidationError:
        return ""
    return pattern


# --- Stories --------------------------------------------------------------------------------


def standfirst_from(description: str, body: list[dict[str, Any]], headline: str) -> str:
    """The description, else the first paragraph, else the headline: plain, at most 400."""
    text = description
    if not text:
        text = next(
            (html_to_text(b["value"]) for b in body if b["type"] == "paragraph"),
            "",
        )
    return trim_words(text or headline, STANDFIRST_MAX)


def _free_slug(parent: SectionPage, headline: str, keep: ArticlePage | None = None) -> str:
    base = slugify(headline)
    if len(base) > SLUG_MAX:
        base = base[:SLUG_MAX].rsplit("-", 1)[0]
    base = base or "wire-story"
    taken = set(
        parent.get_children()
        .filter(slug__startswith=base)
        .exclude(pk=keep.pk if keep else None)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _body_json(content: StoryContent) -> str:
    blocks = list(content.body)
    for photo in content.photos[1:]:  # the first one leads; the rest follow the text
        blocks.append({"type": "photo", "value": {"photo": photo.pk, "caption": "", "credit": ""}})
    return json.dumps(blocks)


def create_story(*, content: StoryContent, section: SectionPage, publish: bool) -> ArticlePage:
    """A new article under `section`: a draft revision, published too when `publish`. With a
    go-live time in the future, publishing schedules it (an embargo)."""
    headline = trim_words(content.headline, HEADLINE_MAX)
    page = ArticlePage(
        title=headline,
        slug=_free_slug(section, headline),
        standfirst=content.standfirst,
        dateline=trim_words(content.dateline, 100),
        wire_agency=content.agency,
        wire_byline=trim_words(content.byline, 200),
        lead_photo=content.photos[0] if content.photos else None,
        body=_body_json(content),
        go_live_at=content.go_live_at,
        live=False,
    )
    page.tags.set(list(content.tags)[:TAGS_MAX])
    section.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def update_story(
    *,
    article: ArticlePage,
    content: StoryContent,
    publish: bool,
    updated_at: datetime | None = None,
) -> ArticlePage:
    """A new revision of `article` with the wire's newer copy, on top of its latest draft.
    Published when `publish` or when the story is live; a story readers already saw gets
    `updated_at`, so its page shows when it changed."""
    page = article.get_latest_revision_as_object()
    page.title = trim_words(content.headline, HEADLINE_MAX)
    page.standfirst = content.standfirst
    page.dateline = trim_words(content.dateline, 100)
    page.wire_agency = content.agency
    page.wire_byline = trim_words(content.byline, 200)
    if content.photos:
        page.lead_photo = content.photos[0]
    page.body = _body_json(content)
    page.tags.set(list(content.tags)[:TAGS_MAX])
    if article.first_published_at is not None:
        page.updated_at = updated_at or timezone.now()
    revision = page.save_revision()
    if publish or article.live:
        revision.publish()
    return ArticlePage.objects.get(pk=article.pk)


# --- ninjs documents ------------------------------------------------------------------------


def compare_versions(
    version: str,
    created: datetime | None,
    known_version: str,
    known_created: datetime | None,
) -> int:
    """1 when (version, created) is newer than the known one, 0 when the same, -1 when older."""

    def number(text: str) -> float | None:
        return float(text) if re.fullmatch(r"\d+(\.\d+)?", text or "") else None

    new, old = number(version), number(known_version)
    if new is not None and old is not None:
        return (new > old) - (new < old)
    if created is not None and known_created is not None:
        return (created > known_created) - (created < known_created)
    if version == known_version:
        return 0
    return 1


def _content_for(
    document: WireDocument, agency: WireAgency | None, photos: list[Photo]
) -> StoryContent:
    if document.body_html.strip():
        body = html_to_blocks(document.body_html)
    else:
        body = text_to_blocks(document.body_text)
    now = timezone.now()
    embargo = document.embargoed if document.embargoed and document.embargoed > now else None
    return StoryContent(
        headline=document.headline,
        standfirst=standfirst_from(document.description, body, document.headline),
        body=body,
        dateline=document.located,
        byline=document.byline,
        tags=document.tags,
        agency=agency,
        photos=photos,
        go_live_at=embargo,
    )


def fetch_pictures(
    pictures: Sequence[Picture], base_path: Path | None
) -> tuple[list[tuple[Picture, Fetched | Photo]], list[str]]:
    """Each picture's image, largest rendition that can be had first; pictures imported
    before are reused. Failures become warnings: the story imports without them."""
    found: list[tuple[Picture, Fetched | Photo]] = []
    warnings: list[str] = []
    known = {
        p.uri: p.photo
        for p in WirePicture.objects.filter(uri__in=[pic.key for pic in pictures]).select_related(
            "photo"
        )
    }
    for picture in pictures:
        if picture.key in known:
            found.append((picture, known[picture.key]))
            continue
        errors = []
        renditions = picture.renditions_largest_first()
        for rendition in renditions:
            try:
                found.append((picture, fetch_image(rendition.href, base_path=base_path)))
                break
            except FetchError as error:
                errors.append(f"{rendition.name or 'rendition'}: {error}")
        else:
            reason = "; ".join(errors) if errors else "no image rendition"
            warnings.append(f'picture "{trim_words(picture.title, 60)}" left out: {reason}')
    return found, warnings


def save_photos(found: list[tuple[Picture, Fetched | Photo]]) -> list[Photo]:
    photos = []
    for picture, image in found:
        if isinstance(image, Photo):
            photos.append(image)
            continue
        existing = WirePicture.objects.filter(uri=picture.key).select_related("photo").first()
        if existing is not None:  # another import got there first
            photos.append(existing.photo)
            continue
        photo = Photo(
            title=trim_words(picture.title, 255),
            credit=trim_words(picture.credit, 200),
            caption=trim_words(picture.caption, 400),
            # Agencies describe what a picture shows in its caption: the best alt text we have.
            description=trim_words(picture.caption or picture.title, 250),
            file=ImageFile(BytesIO(image.data), name=image.filename),
        )
        photo._set_image_file_metadata()
        photo.save()
        WirePicture.objects.create(uri=picture.key, photo=photo)
        photos.append(photo)
    return photos


def import_document(
    *,
    document: WireDocument,
    base_path: Path | None,
    section: SectionPage,
    publish: bool = False,
    agency: WireAgency | None = None,
) -> ImportResult:
    """Create, update or skip the article for one ninjs document (see the module docstring).

    `base_path` is the folder relative rendition paths are read from (None: no local files).
    `agency` credits every story to that agency; otherwise the document's copyright holder is
    found or created as an agency."""
    headline = trim_words(document.headline, HEADLINE_MAX)
    item = WireItem.objects.filter(uri=document.uri).select_related("article").first()
    if item is not None:
        order = compare_versions(
            document.version, document.version_created, item.version, item.version_created
        )
        if order == 0 and not document.withdrawn:
            return ImportResult(UNCHANGED, headline, "already imported", item.article)
        if order < 0:
            known = item.version or str(item.version_created or "")
            return ImportResult(SKIPPED, headline, f"older than the imported version {known}")

    if document.withdrawn:
        return _withdraw(document, item, headline)

    found, warnings = fetch_pictures(document.pictures, base_path)
    year = (document.version_created or document.first_created or timezone.now()).year
    with transaction.atomic():
        # Look again inside the transaction: another import may have written meanwhile.
        item = WireItem.objects.select_for_update().filter(uri=document.uri).first()
        if item is not None and (
            compare_versions(
                document.version, document.version_created, item.version, item.version_created
            )
            <= 0
        ):
            return ImportResult(UNCHANGED, headline, "imported meanwhile", item.article)
        credit = agency or find_or_create_agency(
            name=document.copyright_holder, notice=document.copyright_notice, year=year
        )
        content = _content_for(document, credit, save_photos(found))
        now = timezone.now()
        if item is None:
            article = create_story(content=content, section=section, publish=publish)
            WireItem.objects.create(
                uri=document.uri,
                version=document.version[:100],
                version_created=document.version_created,
                source=WireSource.NINJS,
                article=article,
                copyright_notice=document.copyright_notice[:500],
                imported_at=now,
                updated_at=now,
            )
            status = CREATED
        else:
            article = update_story(article=item.article, content=content, publish=publish)
            item.version = document.version[:100]
            item.version_created = document.version_created
            item.copyright_notice = document.copyright_notice[:500]
            item.updated_at = now
            item.save()
            status = UPDATED
    reason = ""
    if content.go_live_at and publish:
        reason = f"embargoed until {timezone.localtime(content.go_live_at):%Y-%m-%d %H:%M}"
    return ImportResult(status, headline, reason, article, warnings)


def _withdraw(document: WireDocument, item: WireItem | None, headline: str) -> ImportResult:
    """The agency withheld or cancelled the story: never import it; take it down if live."""
    if item is None:
        return ImportResult(SKIPPED, headline, f"{document.pubstatus} by the agency")
    with transaction.atomic():
        article = item.article
        if article.live:
            article.unpublish()
        item.version = document.version[:100]
        item.version_created = document.version_created
        item.updated_at = timezone.now()
        item.save()
    return ImportResult(
        UPDATED, headline, f"{document.pubstatus} by the agency: unpublished", article
    )


def import_file(
    *,
    path: Path,
    section: SectionPage,
    publish: bool = False,
    agency: WireAgency | None = None,
) -> ImportResult:
    """Read, parse and import one file; any problem is a "failed" (or "skipped") result with
    the reason, never an exception, so a batch goes on."""
    try:
        document = load_document(path)
    except NotAStory as error:
        return ImportResult(SKIPPED, reason=str(error))
    except NinjsError as error:
        return ImportResult(FAILED, reason=str(error))
    try:
        return import_document(
            document=document,
            base_path=path.parent,
            section=section,
            publish=publish,
            agency=agency,
        )
    except ValidationError as error:
        messages = "; ".join(error.messages)
        return ImportResult(FAILED, document.headline, f"not valid: {messages}")
    except DatabaseError as error:
        logger.exception("Wire import of %s failed", path)
        return ImportResult(FAILED, document.headline, f"database error: {error}")
    except Exception as error:  # one odd document must not stop a batch
        logger.exception("Wire import of %s failed", path)
        return ImportResult(FAILED, document.headline, f"unexpected error: {error!r}")
