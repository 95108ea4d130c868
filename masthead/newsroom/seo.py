"""What search engines, social networks and feed readers see of a page.

`page_meta(...)` builds one plain dict per page (canonical URL, Open Graph, Twitter card, feed
links, schema.org JSON-LD) that `includes/page_meta.html` renders in the `<head>`. Every URL
in it is absolute, built from `settings.BASE_URL` so that feeds, sitemaps and cards agree.

An article's part is cached per published version (like its "Read:" links), so a page view
costs no extra query once the first reader has seen that version.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from masthead.newsroom.models import ArticlePage, HomePage, NewsroomSettings, Photo, SectionPage

logger = logging.getLogger(__name__)

# One rendition serves Open Graph, Twitter and JSON-LD: 1200 px wide (never upscaled), JPEG,
# which every network accepts. Feeds use the same one for their enclosure.
SHARE_IMAGE_FILTER = "width-1200|format-jpeg"
ARTICLE_META_CACHE_SECONDS = 300
# Pages that are not Wagtail pages but are public and worth a canonical link, by URL name,
# with the context variable that proves the page rendered its real content (not a 404).
CANONICAL_VIEWS = {
    "newsroom:tag": "tag",
    "newsroom:author": "author",
    "distribution:search": "search_form",
    "editorial:corrections": "page_obj",
    "contribute": None,
}

JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(url: str) -> str:
    """`url` made absolute on the site's public address (BASE_URL); absolute URLs pass."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{settings.BASE_URL.split(':', 1)[0]}:{url}"
    return settings.BASE_URL + (url if url.startswith("/") else f"/{url}")


def page_url(page: Page, request: HttpRequest | None = None) -> str | None:
    """The absolute public URL of a page, or None if the page is not routable."""
    parts = page.get_url_parts(request=request)
    if parts is None:
        return None
    return absolute_url(parts[2])


def json_ld(data: Any) -> SafeString:
    """JSON for a `<script type="application/ld+json">` block that no string can break out of.

    `<`, `>` and `&` are written as \\u escapes, so a headline such as
    `</script><script>alert(1)</script>` stays inside the JSON string.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped just above


def iso(value) -> str | None:  # type: ignore[no-untyped-def]
    return value.isoformat() if value else None


def language_tag() -> str:
    """LANGUAGE_CODE as a BCP 47 tag, e.g. 'en-gb' -> 'en-GB'."""
    language, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{language}-{region.upper()}" if region else language


def publication_name(request: HttpRequest | None) -> str:
    if request is not None:
        try:
            return NewsroomSettings.for_request(request).publication_name
        except Exception:  # a request without a matching site: fall back quietly
            logger.debug("No newsroom settings for this request", exc_info=True)
    return settings.WAGTAIL_SITE_NAME


def share_rendition(photo: Photo | None):  # type: ignore[no-untyped-def]
    """The lead photo's share-sized rendition, or None if there is none or it cannot be made."""
    if photo is None:
        return None
    try:
        return photo.get_rendition(SHARE_IMAGE_FILTER)
    except Exception:  # a missing or broken original must not break the page
        logger.warning("No share image for photo %s", photo.pk, exc_info=True)
        return None


def share_image(photo: Photo | None) -> dict[str, Any] | None:
    rendition = share_rendition(photo)
    if rendition is None:
        return None
    return {
        "url": absolute_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": photo.alt_text,
    }


def publisher(name: str) -> dict[str, Any]:
    return {"@type": "NewsMediaOrganization", "name": name, "url": absolute_url("/")}


def feed_links(
    site_name: str, *, section: SectionPage | None = None, tag: Any = None
) -> list[dict[str, str]]:
    links = [
        {
            "title": f"{site_name}: latest stories (RSS)",
            "url": absolute_url(reverse("distribution:feed")),
            "type": "application/rss+xml",
        },
        {
            "title": f"{site_name}: latest stories (Atom)",
            "url": absolute_url(reverse("distribution:feed_atom")),
            "type": "application/atom+xml",
        },
    ]
    if section is not None:
        links.append(
            {
                "title": f"{site_name}: {section.title} (RSS)",
                "url": absolute_url(reverse("distribution:section_feed", args=[section.slug])),
                "type": "application/rss+xml",
            }
        )
    if tag is not None:
        links.append(
            {
                "title": f"{site_name}: stories tagged {tag.name} (RSS)",
                "url": absolute_url(reverse("distribution:tag_feed", args=[tag.slug])),
                "type": "application/rss+xml",
            }
        )
    return links


# --- Articles -------------------------------------------------------------------------------


def article_authors(article: ArticlePage) -> list[dict[str, Any]]:
    """Staff bylines as schema.org Persons, the wire agency as an Organization."""
    people: list[dict[str, Any]] = [
        {
            "@type": "Person",
            "name": author.name,
            "url": absolute_url(author.get_absolute_url()),
            **({"jobTitle": author.job_title} if author.job_title else {}),
        }
        for author in article.authors
    ]
    if article.wire_agency_id:
        agency = article.wire_agency
        people.append(
            {
                "@type": "Organization",
                "name": agency.name,
                **({"url": agency.website} if agency.website else {}),
            }
        )
    return people


def article_data(article: ArticlePage, site_name: str) -> dict[str, Any]:
    """Everything an article's `<head>` needs, independent of the request (so it can be cached)."""
    url = page_url(article)
    section = article.section
    tags = [tag.name for tag in article.tags.all()]
    image = share_image(article.lead_photo)
    published = article.first_published_at or article.go_live_at
    modified = max(
        (when for when in (article.updated_at, published) if when is not None), default=None
    )
    description = article.search_description or article.standfirst
    structured: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(published),
        "dateModified": iso(modified),
        "author": article_authors(article),
        "publisher": publisher(site_name),
        "isAccessibleForFree": True,
        "inLanguage": language_tag(),
    }
    if image:
        structured["image"] = [image["url"]]
    if section is not None:
        structured["articleSection"] = section.title
    if tags:
        structured["keywords"] = tags
    if article.dateline:
        structured["dateline"] = article.dateline
    return {
        "canonical": url,
        "title": article.seo_title or article.title,
        "description": description,
        "og_type": "article",
        "image": image,
        "article": {
            "published_time": iso(published),
            "modified_time": iso(modified),
            "section": section.title if section is not None else "",
            "authors": [absolute_url(a.get_absolute_url()) for a in article.authors],
            "tags": tags,
        },
        "section_feed": (
            {"title": section.title, "slug": section.slug} if section is not None else None
        ),
        "json_ld": [structured],
    }


def article_meta(article: ArticlePage, request: HttpRequest | None, site_name: str) -> dict:
    """`article_data`, cached per published version of a live article."""
    if not article.pk or not article.live or getattr(request, "is_preview", False):
        return article_data(article, site_name)
    published = article.last_published_at.timestamp() if article.last_published_at else 0
    updated = article.updated_at.timestamp() if article.updated_at else 0
    key = f"seo:article:v1:{article.pk}:{published}:{updated}:{_short_hash(site_name)}"
    data = cache.get(key)
    if data is None:
        data = article_data(article, site_name)
        cache.set(key, data, ARTICLE_META_CACHE_SECONDS)
    return data


def article_meta_html_key(page: Any, request: HttpRequest | None) -> str | None:
    """The cache key of a live article's rendered `<head>` metadata, or None for any other page
    (and previews). Made of what the metadata is made of: the published version, the update
    time and the site's name (the feed links and URLs come from settings)."""
    if type(page) is not ArticlePage or request is None:
        return None
    if not page.pk or not page.live or getattr(request, "is_preview", False):
        return None
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    updated = page.updated_at.timestamp() if page.updated_at else 0
    site_name = _short_hash(publication_name(request))
    return f"seo:article-html:v1:{page.pk}:{published}:{updated}:{site_name}"


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


# --- Fronts and listings --------------------------------------------------------------------


def website_json_ld(site_name: str) -> list[dict[str, Any]]:
    home = absolute_url("/")
    return [
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": site_name,
            "url": home,
            "inLanguage": language_tag(),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {
                    "@type": "EntryPoint",
                    "urlTemplate": absolute_url(reverse("distribution:search"))
                    + "?q={search_term_string}",
                },
                "query-input": "required name=search_term_string",
            },
        },
        {"@context": "https://schema.org", **publisher(site_name)},
    ]


def with_page_number(url: str | None, context: dict[str, Any]) -> str | None:
    """A paginated list's canonical URL names its page (Google treats each page on its own)."""
    page_obj = context.get("page_obj")
    number = getattr(page_obj, "number", 1)
    if url and number and number > 1:
        return f"{url}?page={number}"
    return url


def page_meta(context: dict[str, Any]) -> dict[str, Any]:
    """The `<head>` metadata for whatever page `context` renders."""
    request: HttpRequest | None = context.get("request")
    site_name = publication_name(request)
    meta: dict[str, Any] = {
        "site_name": site_name,
        "locale": language_tag().replace("-", "_"),
        "canonical": None,
        "title": "",
        "description": "",
        "og_type": "website",
        "image": None,
        "article": None,
        "json_ld": [],
        "noindex": False,
    }
    section = tag = None
    page = context.get("page")
    if isinstance(page, Page):
        specific = page.specific_deferred if type(page) is Page else page
        if isinstance(specific, ArticlePage):
            data = article_meta(specific, request, site_name)
            meta.update({k: v for k, v in data.items() if k != "section_feed"})
            meta["feeds"] = feed_links(site_name)
            if data["section_feed"]:
                meta["feeds"].append(_section_feed_link(site_name, **data["section_feed"]))
            return meta
        meta["canonical"] = with_page_number(page_url(specific, request), context)
        meta["title"] = specific.seo_title or specific.title
        meta["description"] = specific.search_description or _front_description(specific)
        if isinstance(specific, HomePage):
            meta["json_ld"] = website_json_ld(site_name)
        elif isinstance(specific, SectionPage):
            section = specific
    else:
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match else None
        if view_name in CANONICAL_VIEWS:
            needs = CANONICAL_VIEWS[view_name]
            if needs is None or needs in context:
                meta["canonical"] = with_page_number(absolute_url(request.path), context)
        tag = context.get("tag") if view_name == "newsroom:tag" else None
        author = context.get("author") if view_name == "newsroom:author" else None
        if tag is not None:
            meta["title"] = f"Stories tagged {tag.name}"
            meta["description"] = f"Every story tagged {tag.name}, newest first."
        elif author is not None:
            meta["title"] = author.name
            meta["description"] = f"Stories by {author.name}" + (
                f", {author.job_title}" if author.job_title else ""
            )
        if view_name == "distribution:search" and context.get("query"):
            # Result pages are endless variations of the same stories: keep them out of indexes.
            meta["canonical"] = None
            meta["noindex"] = True
    meta["feeds"] = feed_links(site_name, section=section, tag=tag)
    return meta


def _front_description(page: Page) -> str:
    return getattr(page, "description", "") or getattr(page, "intro", "") or ""


def _section_feed_link(site_name: str, *, title: str, slug: str) -> dict[str, str]:
    return {
        "title": f"{site_name}: {title} (RSS)",
        "url": absolute_url(reverse("distribution:section_feed", args=[slug])),
        "type": "application/rss+xml",
    }
