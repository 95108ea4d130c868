"""Distribution: feeds, sitemaps, robots.txt and site search (URL names under `distribution:`).

- `/feed/`, `/feed/atom/`: every section; `/feed/section/<slug>/` and `/feed/tag/<slug>/`
  (each with an `atom/` twin) for one section or one tag. Wagtail serves pages at
  `/<section>/…`, so the per-section feeds live under `/feed/` where they cannot clash.
- `/sitemap.xml` (an index) and `/sitemap-<fronts|articles|tags|authors>.xml`,
  `/news-sitemap.xml` (Google News, last 48 hours), `/robots.txt`.
- `/search/?q=`.
"""

from django.urls import path

from masthead.newsroom import feeds, search, sitemaps

app_name = "distribution"
urlpatterns = [
    path("feed/", feeds.ArticleFeed(), name="feed"),
    path("feed/atom/", feeds.AtomArticleFeed(), name="feed_atom"),
    path("feed/section/<slug:slug>/", feeds.SectionFeed(), name="section_feed"),
    path("feed/section/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("feed/tag/<slug:slug>/", feeds.TagFeed(), name="tag_feed"),
    path("feed/tag/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news_sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("search/", search.search_view, name="search"),
]
