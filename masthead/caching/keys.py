"""Surrogate keys: the names a cached page is filed under, so a change can purge exactly the
pages that show it. Pages carry them in `Surrogate-Key` (space-separated: nginx, Varnish,
Fastly) and `Cache-Tag` (comma-separated: Cloudflare)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from masthead.newsroom.models import ArticlePage

NAV = "nav"
FEEDS = "feeds"
CORRECTIONS = "corrections"
FRONT_HOME = "front-home"


def page(page_id: int) -> str:
    return f"page-{page_id}"


def article(article_id: int) -> str:
    return f"article-{article_id}"


def section(section_id: int) -> str:
    return f"section-{section_id}"


def tag(slug: str) -> str:
    return f"tag-{slug}"


def author(slug: str) -> str:
    return f"author-{slug}"


def comments(article_id: int) -> str:
    return f"comments-{article_id}"


def articles(stories: Iterable[Any]) -> set[str]:
    """`article-<id>` for every story a page lists (None and non-articles are skipped)."""
    return {article(story.pk) for story in stories if story is not None}


def membership(story: ArticlePage) -> set[str]:
    """The list pages a story appears on besides the home front: its section front, its tags'
    pages and its authors' pages, as keys. Read from the story as it is now (the live row or a
    revision's content)."""
    found: set[str] = set()
    parent_id = _parent_id(story)
    if parent_id:
        found.add(section(parent_id))
    found |= {tag(item.tag.slug) for item in story.tagged_items.all() if item.tag_id}
    found |= {author(byline.author.slug) for byline in story.bylines.all() if byline.author_id}
    return found


def _parent_id(story: ArticlePage) -> int | None:
    from wagtail.models import Page

    if not story.path or story.depth <= 1:
        return None
    return (
        Page.objects.filter(path=story.path[: -story.steplen]).values_list("pk", flat=True).first()
    )
