"""RSS 2.0 and Atom feeds of the newest stories: the whole site, one section, or one tag.

URLs (see distribution_urls.py): `/feed/` and `/feed/atom/`, `/feed/section/<slug>/` (+ `atom/`),
`/feed/tag/<slug>/` (+ `atom/`). Each feed holds the newest `MASTHEAD["FEED_ITEMS"]` live, public
stories: headline, absolute link, standfirst as the summary, the body as sanitised HTML
(`content:encoded` in RSS, `<content>` in Atom), authors, tags as categories, the first-published
and updated times, the copyright line and the lead photo as an enclosure.

A feed costs a fixed number of queries however many items it holds: tags, bylines and share
renditions are prefetched, and the links inside every body are resolved in one pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from taggit.models import Tag
from wagtail.rich_text import expand_db_html

from masthead.newsroom.models import (
    ArticleByline,
    ArticlePage,
    ArticleTag,
    NewsroomSettings,
    PhotoRendition,
    SectionPage,
)
from masthead.newsroom.seo import SHARE_IMAGE_FILTER, absolute_url, page_url, share_rendition

logger = logging.getLogger(__name__)

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# Marks the boundary between stories when every body's links are expanded in one pass.
ITEM_BOUNDARY = "\n<!--masthead-feed-item-->\n"
FEED_TAGS = {
    "p", "br", "a", "strong", "b", "em", "i", "ul", "ol", "li", "sup", "sub",
    "h2", "h3", "blockquote", "cite",
}  # fmt: skip


# --- Feed formats ---------------------------------------------------------------------------


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with the full story in `content:encoded`."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item) -> None:  # type: ignore[no-untyped-def]
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomWithContent(Atom1Feed):
    """Atom 1.0 with the full story in `<content type="html">` and one `<author>` per person."""

    def add_item_elements(self, handler, item) -> None:  # type: ignore[no-untyped-def]
        super().add_item_elements(handler, item)
        for name in item.get("author_names", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


# --- Bodies ---------------------------------------------------------------------------------


def _absolute_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"href", "src"}:
        return absolute_url(value) if value.startswith("/") else value
    return value


def sanitise_feed_html(html: str) -> str:
    """Story HTML safe for any feed reader: a short list of tags, links made absolute."""
    return nh3.clean(
        html,
        tags=FEED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_absolute_attribute,
        link_rel=None,
    )


def body_source(article: ArticlePage) -> str:
    """The article body as stored HTML: paragraphs, subheadings and quotes, in order.

    Read from the raw stream, so no block is fetched from the database; photos inside the body
    are left out (the lead photo travels as the enclosure).
    """
    parts = []
    for block in article.body.raw_data:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph" and isinstance(value, str):
            parts.append(value)
        elif kind == "subheading" and isinstance(value, str):
            parts.append(f"<h2>{escape(value)}</h2>")
        elif kind == "quote" and isinstance(value, dict):
            quote = f"<blockquote><p>{escape(value.get('text', ''))}</p>"
            if value.get("attribution"):
                quote += f"<p><cite>{escape(value['attribution'])}</cite></p>"
            parts.append(quote + "</blockquote>")
    return "".join(parts)


def feed_bodies(articles: list[ArticlePage]) -> list[str]:
    """Every article's body as sanitised HTML, with internal links resolved in one pass."""
    sources = [body_source(article).replace(ITEM_BOUNDARY, "") for article in articles]
    expanded = expand_db_html(ITEM_BOUNDARY.join(sources)).split(ITEM_BOUNDARY)
    if len(expanded) != len(articles):  # a body swallowed a boundary: expand one by one
        expanded = [expand_db_html(source) for source in sources]
    return [sanitise_feed_html(html) for html in expanded]


# --- What a feed lists ----------------------------------------------------------------------


@dataclass
class FeedSource:
    title: str
    description: str
    link: str
    feed_path: str
    atom_path: str
    articles: QuerySet
    site_settings: NewsroomSettings


def feed_articles(queryset: QuerySet) -> list[ArticlePage]:
    """The newest FEED_ITEMS stories of `queryset`, with tags, bylines and renditions attached."""
    limit = settings.MASTHEAD["FEED_ITEMS"]
    articles = list(
        queryset.prefetch_related(
            Prefetch("tagged_items", queryset=ArticleTag.objects.select_related("tag")),
            Prefetch("bylines", queryset=ArticleByline.objects.select_related("author")),
            Prefetch(
                "lead_photo__renditions",
                queryset=PhotoRendition.objects.filter(filter_spec=SHARE_IMAGE_FILTER),
            ),
        )[:limit]
    )
    for article, html in zip(articles, feed_bodies(articles), strict=True):
        article.feed_html = html
        article.feed_authors = feed_author_names(article)
        article.feed_image = feed_image(article)
    return articles


def feed_image(article: ArticlePage) -> Enclosure | None:
    rendition = share_rendition(article.lead_photo)
    if rendition is None:
        return None
    try:
        length = rendition.file.size
    except OSError:  # the file went missing from storage: still name the image
        length = 0
    return Enclosure(absolute_url(rendition.url), str(length), "image/jpeg")


def feed_author_names(article: ArticlePage) -> list[str]:
    names = [byline.author.name for byline in article.bylines.all()]
    if names:
        return names
    if article.wire_byline:
        byline = article.wire_byline.strip()
        return [byline[3:].strip() if byline.lower().startswith("by ") else byline]
    if article.wire_agency_id:
        return [article.wire_agency.name]
    return []


class ArticleFeed(Feed):
    """RSS 2.0 feed; `AtomArticleFeed` gives the same items as Atom."""

    feed_type = RssWithContent
    kind = "site"

    def get_object(self, request: HttpRequest, slug: str | None = None) -> FeedSource:
        site_settings = NewsroomSettings.for_request(request)
        name = site_settings.publication_name
        articles = ArticlePage.objects.listed()
        if self.kind == "section":
            section = SectionPage.objects.live().public().filter(slug=slug).order_by("path").first()
            if section is None:
                raise Http404("No such section.")
            return FeedSource(
                title=f"{name}: {section.title}",
                description=section.description or f"The newest stories in {section.title}.",
                link=page_url(section, request) or absolute_url("/"),
                feed_path=reverse("distribution:section_feed", args=[section.slug]),
                atom_path=reverse("distribution:section_feed_atom", args=[section.slug]),
                articles=articles.child_of(section),
                site_settings=site_settings,
            )
        if self.kind == "tag":
            tag = Tag.objects.filter(slug=slug).first()
            if tag is None:
                raise Http404("No such tag.")
            return FeedSource(
                title=f"{name}: stories tagged {tag.name}",
                description=f"The newest stories tagged {tag.name}.",
                link=absolute_url(reverse("newsroom:tag", args=[tag.slug])),
                feed_path=reverse("distribution:tag_feed", args=[tag.slug]),
                atom_path=reverse("distribution:tag_feed_atom", args=[tag.slug]),
                articles=articles.filter(tagged_items__tag=tag),
                site_settings=site_settings,
            )
        return FeedSource(
            title=name,
            description=site_settings.tagline or f"The newest stories from {name}.",
            link=absolute_url("/"),
            feed_path=reverse("distribution:feed"),
            atom_path=reverse("distribution:feed_atom"),
            articles=articles,
            site_settings=site_settings,
        )

    # Channel / feed.

    def title(self, obj: FeedSource) -> str:
        return obj.title

    def link(self, obj: FeedSource) -> str:
        return obj.link

    def description(self, obj: FeedSource) -> str:
        return obj.description

    def subtitle(self, obj: FeedSource) -> str:
        return obj.description

    def feed_url(self, obj: FeedSource) -> str:
        return absolute_url(obj.feed_path)

    def feed_copyright(self, obj: FeedSource) -> str:
        return f"© {obj.site_settings.publication_name}"

    def items(self, obj: FeedSource) -> list[ArticlePage]:
        articles = feed_articles(obj.articles)
        for article in articles:
            article.feed_copyright = article.copyright_line(obj.site_settings)
        return articles

    # Items.

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.standfirst

    def item_link(self, item: ArticlePage) -> str:
        return page_url(item) or absolute_url("/")

    def item_guid(self, item: ArticlePage) -> str:
        # Stable when the slug or section changes, so readers never see a story twice.
        host = urlsplit(settings.BASE_URL).hostname or "localhost"
        day = item.published_at.date().isoformat()
        return f"tag:{host},{day}:article:{item.pk}"

    def item_guid_is_permalink(self, item: ArticlePage) -> bool:
        return False

    def item_pubdate(self, item: ArticlePage):  # type: ignore[no-untyped-def]
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage):  # type: ignore[no-untyped-def]
        first = item.first_published_at
        if item.updated_at and first and item.updated_at > first:
            return item.updated_at
        return first

    def item_author_name(self, item: ArticlePage) -> str | None:
        names = item.feed_authors
        if not names:
            return None
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [tagged.tag.name for tagged in item.tagged_items.all()]

    def item_copyright(self, item: ArticlePage) -> str:
        return item.feed_copyright

    def item_enclosures(self, item: ArticlePage) -> list[Enclosure]:
        return [item.feed_image] if item.feed_image else []

    def item_extra_kwargs(self, item: ArticlePage) -> dict[str, Any]:
        return {"content_html": item.feed_html}


class AtomArticleFeed(ArticleFeed):
    feed_type = AtomWithContent

    def feed_url(self, obj: FeedSource) -> str:
        return absolute_url(obj.atom_path)

    def item_author_name(self, item: ArticlePage) -> str | None:
        return None  # one <author> element per person instead, see AtomWithContent

    def item_extra_kwargs(self, item: ArticlePage) -> dict[str, Any]:
        return {"content_html": item.feed_html, "author_names": item.feed_authors}


class SectionFeed(ArticleFeed):
    kind = "section"


class SectionAtomFeed(AtomArticleFeed):
    kind = "section"


class TagFeed(ArticleFeed):
    kind = "tag"


class TagAtomFeed(AtomArticleFeed):
    kind = "tag"
