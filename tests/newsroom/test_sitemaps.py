"""Sitemap index, per-kind sitemaps and the Google News sitemap, parsed as XML."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.newsroom.models import ArticlePage, SectionPage

BASE = "https://news.example.org"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.BASE_URL = BASE


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own response


def locations(root) -> list[str]:
    return [loc.text for loc in root.iter(f"{SM}loc")]


def all_urls(client) -> list[str]:
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{SM}sitemapindex"
    urls = []
    for sitemap in locations(index):
        root = xml(client, sitemap.removeprefix(BASE))
        assert root.tag == f"{SM}urlset"
        urls += locations(root)
    return urls


def test_sitemap_lists_home_sections_articles_tags_and_authors(
    client, make_article, author, home, section
):
    story = make_article("Dam opens", tags=["water"], authors=[author])
    urls = all_urls(client)
    assert f"{BASE}/" in urls
    assert f"{BASE}{section.url}" in urls
    assert f"{BASE}{story.url}" in urls
    assert f"{BASE}/tags/water/" in urls
    assert f"{BASE}{author.get_absolute_url()}" in urls
    assert all(url.startswith(BASE) for url in urls)


def test_articles_carry_their_last_modified_time(client, make_article):
    story = make_article("Dam opens")
    later = timezone.now() + timedelta(hours=1)
    ArticlePage.objects.filter(pk=story.pk).update(updated_at=later)
    root = xml(client, "/sitemap-articles.xml")
    (url,) = root.findall(f"{SM}url")
    assert url.find(f"{SM}loc").text == f"{BASE}{story.url}"
    lastmod = url.find(f"{SM}lastmod").text
    assert lastmod == timezone.localtime(later).isoformat()


def test_sitemaps_leave_out_drafts_private_pages_and_unused_tags(
    client, make_article, section, home
):
    make_article("Public story", tags=["open"])
    draft = ArticlePage(title="Draft", slug="draft", standfirst="Soon.", live=False)
    section.add_child(instance=draft)
    members = home.add_child(instance=SectionPage(title="Members", slug="members"))
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    make_article("Secret story", parent=members, tags=["secret"])
    withdrawn = make_article("Withdrawn", tags=["gone"])
    withdrawn.unpublish()
    urls = all_urls(client)
    assert not [u for u in urls if "draft" in u or "members" in u]
    assert f"{BASE}/tags/open/" in urls
    assert f"{BASE}/tags/secret/" not in urls and f"{BASE}/tags/gone/" not in urls
    assert f"{BASE}{withdrawn.url}" not in urls


def test_large_sitemaps_are_split_into_pages_named_in_the_index(client, make_article):
    from masthead.newsroom import sitemaps

    for n in range(5):
        make_article(f"Story {n}")
    original = sitemaps.ArticleSitemap.limit
    sitemaps.ArticleSitemap.limit = 2
    try:
        named = locations(xml(client, "/sitemap.xml"))
        pages = [u for u in named if "sitemap-articles" in u]
        assert pages == [
            f"{BASE}/sitemap-articles.xml",
            f"{BASE}/sitemap-articles.xml?p=2",
            f"{BASE}/sitemap-articles.xml?p=3",
        ]
        seen = []
        for page in pages:
            seen += locations(xml(client, page.removeprefix(BASE)))
        assert len(seen) == len(set(seen)) == 5
    finally:
        sitemaps.ArticleSitemap.limit = original


def test_unknown_sitemap_is_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_news_sitemap_lists_only_the_last_48_hours(client, make_article, section):
    now = timezone.now()
    fresh = make_article("Fresh & new <story>", published_at=now - timedelta(hours=3))
    make_article("Old story", published_at=now - timedelta(hours=49))
    draft = ArticlePage(title="Draft", slug="draft", standfirst="Soon.", live=False)
    section.add_child(instance=draft)
    root = xml(client, "/news-sitemap.xml")
    assert root.tag == f"{SM}urlset"
    (url,) = root.findall(f"{SM}url")
    assert url.find(f"{SM}loc").text == f"{BASE}{fresh.url}"
    news = url.find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "The Masthead Courier"
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "en"
    assert news.find(f"{NEWS}title").text == "Fresh & new <story>"
    published = news.find(f"{NEWS}publication_date").text
    assert published == timezone.localtime(fresh.first_published_at).isoformat()


def test_news_sitemap_leaves_out_private_stories(client, make_article, home):
    members = home.add_child(instance=SectionPage(title="Members", slug="members"))
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    make_article("Secret story", parent=members)
    assert xml(client, "/news-sitemap.xml").findall(f"{SM}url") == []


def test_news_sitemap_is_capped_and_cheap(
    client, make_article, monkeypatch, django_assert_max_num_queries
):
    from masthead.newsroom import sitemaps

    monkeypatch.setattr(sitemaps, "NEWS_SITEMAP_MAX", 3)
    make_article("First story")
    with django_assert_max_num_queries(10) as one:
        xml(client, "/news-sitemap.xml")
    baseline = len(one)
    for n in range(5):
        make_article(f"Story {n}")
    with django_assert_max_num_queries(baseline):
        root = xml(client, "/news-sitemap.xml")
    assert len(root.findall(f"{SM}url")) == 3
