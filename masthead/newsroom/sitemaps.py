"""Sitemaps, the Google News sitemap and robots.txt.

`/sitemap.xml` is a sitemap index naming one sitemap per kind of page (`/sitemap-fronts.xml`,
`-articles`, `-tags`, `-authors`), each split into pages of at most `limit` URLs (`?p=2`…) by
Django's sitemaps framework, so the site can grow past 50,000 stories. `/news-sitemap.xml`
lists the stories first published in the last `MASTHEAD["NEWS_SITEMAP_HOURS"]` hours (at most
1,000, as Google News asks). All addresses are absolute, on `settings.BASE_URL`.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from taggit.models import Tag
from wagtail.models import Page

from masthead.newsroom.models import (
    ArticleByline,
    ArticlePage,
    ArticleTag,
    Author,
    HomePage,
    NewsroomSettings,
    SectionPage,
)
from masthead.newsroom.seo import absolute_url

NEWS_SITEMAP_MAX = 1000
NEWS_NAMESPACE = "http://www.google.com/schemas/sitemap-news/0.9"


class PublicSitemap(Sitemap):
    """Absolute URLs on BASE_URL, whatever host the request came in on."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.BASE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:  # type: ignore[no-untyped-def]
        parts = urlsplit(settings.BASE_URL)
        return parts.netloc + parts.path.rstrip("/")


class PageSitemap(PublicSitemap):
    def location(self, item: Page) -> str:
        parts = item.get_url_parts()
        return parts[2] if parts else "/"


class FrontSitemap(PageSitemap):
    """The home page and the section fronts."""

    changefreq = "hourly"

    def items(self):  # type: ignore[no-untyped-def]
        return (
            Page.objects.live()
            .public()
            .type(HomePage, SectionPage)
            .only("id", "path", "depth", "url_path", "locale_id")
            .order_by("path")
        )


ARTICLE_FIELDS = (
    *("id", "path", "depth", "url_path", "locale_id"),
    *("first_published_at", "last_published_at", "updated_at"),
)


class ArticleSitemap(PageSitemap):
    limit = 10_000

    def items(self):  # type: ignore[no-untyped-def]
        return (
            ArticlePage.objects.live()
            .public()
            .only(*ARTICLE_FIELDS)
            .order_by("-first_published_at", "-pk")
        )

    def lastmod(self, item: ArticlePage):  # type: ignore[no-untyped-def]
        times = [t for t in (item.last_published_at, item.updated_at) if t is not None]
        return max(times, default=None)


class TagSitemap(PublicSitemap):
    """Tag pages with at least one live, public story."""

    limit = 10_000

    def items(self):  # type: ignore[no-untyped-def]
        tagged = ArticleTag.objects.filter(
            tag=OuterRef("pk"),
            content_object__in=ArticlePage.objects.live().public().values("pk"),
        )
        return Tag.objects.filter(Exists(tagged)).order_by("slug")

    def location(self, item: Tag) -> str:
        return reverse("newsroom:tag", args=[item.slug])


class AuthorSitemap(PublicSitemap):
    """Author pages of writers with at least one live, public story."""

    limit = 10_000

    def items(self):  # type: ignore[no-untyped-def]
        credited = ArticleByline.objects.filter(
            author=OuterRef("pk"),
            article__in=ArticlePage.objects.live().public().values("pk"),
        )
        return Author.objects.filter(Exists(credited)).order_by("slug")


SITEMAPS = {
    "fronts": FrontSitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """One entry per page of each sitemap section, with absolute URLs."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        site = sitemap_class()
        location = absolute_url(reverse("distribution:sitemap_section", args=[section]))
        pages = site.paginator.num_pages
        for number in range(1, pages + 1):
            url = location if number == 1 else f"{location}?p={number}"
            entries.append(sitemap_views.SitemapIndexItem(url, None))
    return render(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml; charset=utf-8",
    )


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    return sitemap_views.sitemap(
        request, sitemaps=SITEMAPS, section=section, template_name="newsroom/feeds/sitemap.xml"
    )


def news_articles():  # type: ignore[no-untyped-def]
    """Stories first published within NEWS_SITEMAP_HOURS, newest first, at most 1,000."""
    since = timezone.now() - timedelta(hours=settings.MASTHEAD["NEWS_SITEMAP_HOURS"])
    return (
        ArticlePage.objects.live()
        .public()
        .filter(first_published_at__gte=since)
        .only("id", "title", "path", "depth", "url_path", "locale_id", "first_published_at")
        .order_by("-first_published_at", "-pk")[:NEWS_SITEMAP_MAX]
    )


def news_language() -> str:
    """Google News wants an ISO 639 code; only Chinese keeps its script (zh-cn, zh-tw)."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]


@require_GET
def news_sitemap(request: HttpRequest) -> HttpResponse:
    publication = NewsroomSettings.for_request(request).publication_name
    items = []
    for article in news_articles():
        parts = article.get_url_parts()
        if parts is None:
            continue
        items.append(
            {
                "loc": absolute_url(parts[2]),
                "title": article.title,
                "published": article.first_published_at,
            }
        )
    return render(
        request,
        "newsroom/feeds/news_sitemap.xml",
        {"items": items, "publication": publication, "language": news_language()},
        content_type="application/xml; charset=utf-8",
    )


# Private or pointless for crawlers: the CMS, staff desks, accounts, the API, per-story
# comment fragments, ad click-throughs and site search result pages.
ROBOTS_DISALLOW = [
    "/cms/",
    "/moderation/",
    "/revenue/",
    "/api/",
    "/accounts/",
    "/comments/",
    "/ads/",
    "/search/",
]


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "robots.txt",
        {
            "disallow": ROBOTS_DISALLOW,
            "sitemaps": [
                absolute_url(reverse("distribution:sitemap")),
                absolute_url(reverse("distribution:news_sitemap")),
            ],
        },
        content_type="text/plain; charset=utf-8",
    )
