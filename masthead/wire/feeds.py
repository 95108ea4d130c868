"""RSS and Atom wire feeds pulled on a schedule into draft articles.

`poll_feed(feed)` fetches one feed (conditional GET with the ETag and Last-Modified of the last
answer, so an unchanged feed costs a 304), parses it with feedparser and turns each entry into a
draft in the feed's section: title → headline, summary → standfirst, content (or the summary) →
sanitised body, author → wire byline, categories → tags, the feed's agency → credit, and a Media
RSS picture or image enclosure (largest first, over http(s) only) → lead photo. The entry's
id (or link) is its `WireItem.uri`, so an entry is imported once.

When an entry changes (same id, newer `updated` time) the draft is updated, but only while the
desk has not taken it over: once an editor has saved the story, or it has been published, the
newsroom's version stands and the agency's change is only noted (the wire item's version moves
on, so it is not offered again). Feeds never publish by themselves.

`poll_due_feeds()` is the worker's periodic job: it polls the active feeds whose interval has
passed and returns how many it polled. Each feed is claimed with a conditional update first, so
two workers running at once never poll the same feed twice.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision

from masthead.newsroom.models import ArticlePage, SectionPage
from masthead.wire.bodies import html_to_blocks, html_to_text
from masthead.wire.fetch import FetchError, http_get
from masthead.wire.models import WireFeed, WireItem, WireSource
from masthead.wire.ninjs import Picture, Rendition
from masthead.wire.services import (
    CREATED,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    StoryContent,
    compare_versions,
    create_story,
    ensure_section,
    fetch_pictures,
    save_photos,
    standfirst_from,
    update_story,
)

logger = logging.getLogger(__name__)

MAX_FEED_BYTES = 10 << 20
MAX_ENTRIES = 200
KEPT = "kept"  # changed at the agency, but the desk's version stands
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


@dataclass
class PollResult:
    feed: WireFeed
    status: str  # "fetched" | "not modified" | "failed"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    skipped: int = 0
    error: str = ""

    def __str__(self) -> str:
        if self.status == "failed":
            return f"failed: {self.error}"
        if self.status == "not modified":
            return "not modified since the last poll"
        counts = [
            (self.created, "new"),
            (self.updated, "updated"),
            (self.kept, "kept as the desk edited them"),
            (self.unchanged, "unchanged"),
            (self.skipped, "skipped"),
        ]
        return ", ".join(f"{n} {label}" for n, label in counts if n) or "no entries"


def poll_feed(feed: WireFeed, *, now: datetime | None = None) -> PollResult:
    """Fetch and import one feed now, whatever its schedule; records the outcome on the feed."""
    now = now or timezone.now()
    try:
        response = http_get(
            feed.url, limit=MAX_FEED_BYTES, etag=feed.etag, modified=feed.modified, accept=ACCEPT
        )
    except FetchError as error:
        _record(feed, now, error=str(error))
        return PollResult(feed, "failed", error=str(error))
    if response.status == 304:
        _record(feed, now)
        return PollResult(feed, "not modified")

    # A stream, never bytes or a string: feedparser would take those for a path or a URL.
    parsed = feedparser.parse(io.BytesIO(response.data))
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "no RSS or Atom in the answer"
        error = f"not an RSS or Atom feed ({reason})"
        _record(feed, now, error=error)
        return PollResult(feed, "failed", error=error)

    section = feed.section or ensure_section()
    result = PollResult(feed, "fetched")
    for entry in parsed.entries[:MAX_ENTRIES]:
        try:
            status = import_entry(feed=feed, entry=entry, section=section)
        except Exception:  # one bad entry must not stop the rest of the feed
            logger.exception("Wire feed %s: entry %s failed", feed.url, entry.get("id"))
            status = SKIPPED
        counter = status if status in {CREATED, UPDATED, KEPT, UNCHANGED} else "skipped"
        setattr(result, counter, getattr(result, counter) + 1)
    _record(feed, now, etag=response.etag, modified=response.modified)
    return result


def _record(
    feed: WireFeed,
    now: datetime,
    *,
    error: str = "",
    etag: str | None = None,
    modified: str | None = None,
) -> None:
    changes: dict[str, Any] = {"last_polled_at": now, "last_error": error[:2000]}
    if etag is not None:
        changes["etag"] = etag[:200]
    if modified is not None:
        changes["modified"] = modified[:100]
    WireFeed.objects.filter(pk=feed.pk).update(**changes)
    for name, value in changes.items():
        setattr(feed, name, value)


def _entry_time(entry: Any) -> datetime | None:
    # dict.get: feedparser's own lookup maps a missing `updated` to `published` with a warning.
    parsed = dict.get(entry, "updated_parsed") or dict.get(entry, "published_parsed")
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=UTC)


def desk_has_taken_over(article: ArticlePage) -> bool:
    """Published once, or saved by a person (the importer saves without a user)."""
    if article.live or article.first_published_at is not None:
        return True
    return Revision.objects.for_instance(article).exclude(user=None).exists()


def _number(value: Any) -> int:
    try:
        return max(0, int(float(value)))
    except (TypeError, ValueError):
        return 0


def _picture(entry: Any, uri: str, headline: str) -> Picture | None:
    """The entry's picture from Media RSS (`media:content`) or an image enclosure."""
    renditions = []
    for media in entry.get("media_content") or []:
        kind = (media.get("type") or "").lower()
        if media.get("url") and (media.get("medium") == "image" or kind.startswith("image/")):
            renditions.append(
                Rendition(
                    href=media["url"],
                    name="media:content",
                    mimetype=kind,
                    width=_number(media.get("width")),
                    height=_number(media.get("height")),
                    size=_number(media.get("filesize")),
                )
            )
    for link in entry.get("links") or []:
        kind = (link.get("type") or "").lower()
        if link.get("rel") == "enclosure" and link.get("href") and kind.startswith("image/"):
            renditions.append(
                Rendition(
                    href=link["href"],
                    name="enclosure",
                    mimetype=kind,
                    size=_number(link.get("length")),
                )
            )
    if not renditions:
        return None
    credits = entry.get("media_credit") or []
    credit = html_to_text(credits[0].get("content", "")) if credits else ""
    return Picture(
        key=f"{uri}#picture",
        title=headline,
        caption="",
        credit=credit or html_to_text(entry.get("author", "")),
        renditions=tuple(renditions),
    )


def _content(feed: WireFeed, entry: Any) -> StoryContent:
    content = entry.get("content") or []
    content_html = next((c.get("value", "") for c in content if c.get("value")), "")
    summary_html = entry.get("summary", "")
    body = html_to_blocks(content_html or summary_html)
    headline = html_to_text(entry.get("title", ""))
    tags = []
    for tag in entry.get("tags") or []:
        name = html_to_text(tag.get("label") or tag.get("term") or "")[:100]
        if name and name.lower() not in {t.lower() for t in tags}:
            tags.append(name)
    return StoryContent(
        headline=headline,
        standfirst=standfirst_from(html_to_text(summary_html), body, headline),
        body=body,
        byline=html_to_text(entry.get("author", "")),
        tags=tags,
        agency=feed.agency,
    )


def import_entry(*, feed: WireFeed, entry: Any, section: SectionPage) -> str:
    """One feed entry into a draft: created, updated, kept, unchanged or skipped."""
    uri = (entry.get("id") or entry.get("link") or "").strip()
    if not uri or len(uri) > 500 or not html_to_text(entry.get("title", "")):
        return SKIPPED
    when = _entry_time(entry)
    version = when.isoformat() if when else ""
    item = WireItem.objects.filter(uri=uri).select_related("article").first()
    if item is not None:
        if compare_versions(version, when, item.version, item.version_created) <= 0:
            return UNCHANGED
        if desk_has_taken_over(item.article):
            # The newsroom's version stands; note the agency's so it is not offered again.
            WireItem.objects.filter(pk=item.pk).update(
                version=version, version_created=when, updated_at=timezone.now()
            )
            return KEPT
    content = _content(feed, entry)
    picture = _picture(entry, uri, content.headline)
    # Fetched before the transaction: a slow picture server must not hold the database.
    found, warnings = fetch_pictures([picture] if picture else [], base_path=None)
    for warning in warnings:
        logger.warning("Wire feed %s, entry %s: %s", feed.url, uri, warning)
    with transaction.atomic():
        item = WireItem.objects.select_for_update().filter(uri=uri).first()
        if item is not None and (
            compare_versions(version, when, item.version, item.version_created) <= 0
            or desk_has_taken_over(item.article)
        ):
            return UNCHANGED  # another poll got there first, or an editor just did
        content.photos = save_photos(found)
        now = timezone.now()
        if item is None:
            article = create_story(content=content, section=section, publish=False)
            WireItem.objects.create(
                uri=uri,
                version=version,
                version_created=when,
                source=WireSource.FEED,
                feed=feed,
                article=article,
                imported_at=now,
                updated_at=now,
            )
            return CREATED
        update_story(article=item.article, content=content, publish=False)
        item.version, item.version_created, item.updated_at = version, when, now
        item.save(update_fields=["version", "version_created", "updated_at"])
        return UPDATED


def poll_due_feeds() -> int:
    """The worker's job: poll every active feed whose interval has passed; returns how many."""
    now = timezone.now()
    polled = 0
    for feed in WireFeed.objects.filter(active=True).select_related("agency", "section"):
        if not feed.is_due(now):
            continue
        # Claim the feed: if another worker polled it meanwhile, this update matches nothing.
        claimed = WireFeed.objects.filter(pk=feed.pk, last_polled_at=feed.last_polled_at).update(
            last_polled_at=now
        )
        if not claimed:
            continue
        polled += 1
        try:
            result = poll_feed(feed, now=now)
        except Exception as error:  # a broken feed must not stop the others
            logger.exception("Wire feed %s could not be polled", feed.url)
            _record(feed, now, error=f"unexpected error: {error}")
            continue
        logger.info("Wire feed %s: %s", feed.name, result)
    return polled
