"""Distribution: feeds, sitemaps, robots.txt and site search (URL names under `distribution:`).

- `/feed/`, `/feed/atom/`: every section; `/feed/section/<slug>/` and `/feed/tag/<slug>/`
  (each with an `atom/` twin) for one section or one tag. Wagtail serves pages at
  `/<section>/…`, so the per-section feeds live under `/feed/` where they cannot clash.
- `/sitemap.xml` (an index) and `/sitemap-<fronts|articles|tags|authors>.xml`,
  `/news-sitemap.xml` (Google News, last 48 hours), `/robots.txt`.
- `/search/?q=`.
"""

from collections.abc import Callable
from typing import Any

from django.urls import path

from masthead.caching import cacheable_view
from masthead.caching import keys as surrogate
from masthead.caching.pages import SITE
from masthead.newsroom import feeds, search, sitemaps

# The same for every reader, so cacheable like the fronts: any story arriving, leaving or
# changing purges `feeds`; a section renamed purges `nav`; site settings purge `site`.
LISTS = (surrogate.FEEDS, surrogate.NAV, SITE)


def listed(view: Callable[..., Any]) -> Callable[..., Any]:
    return cacheable_view(view, keys=LISTS, kind="list")


app_name = "distribution"
urlpatterns = [
    path("feed/", listed(feeds.ArticleFeed()), name="feed"),
    path("feed/atom/", listed(feeds.AtomArticleFeed()), name="feed_atom"),
    path("feed/section/<slug:slug>/", listed(feeds.SectionFeed()), name="section_feed"),
    path(
        "feed/section/<slug:slug>/atom/",
        listed(feeds.SectionAtomFeed()),
        name="section_feed_atom",
    ),
    path("feed/tag/<slug:slug>/", listed(feeds.TagFeed()), name="tag_feed"),
    path("feed/tag/<slug:slug>/atom/", listed(feeds.TagAtomFeed()), name="tag_feed_atom"),
    path("sitemap.xml", listed(sitemaps.sitemap_index), name="sitemap"),
    path("sitemap-<slug:section>.xml", listed(sitemaps.sitemap_section), name="sitemap_section"),
    path("news-sitemap.xml", listed(sitemaps.news_sitemap), name="news_sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    # Not kept by Masthead's own cache (/search/ bypasses it: one entry per query would crowd
    # out the pages), but a cache in front may keep a results page for its 30 seconds.
    path("search/", listed(search.search_view), name="search"),
]
