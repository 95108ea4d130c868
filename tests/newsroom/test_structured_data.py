"""JSON-LD, Open Graph, Twitter cards, canonical and feed links, read back with extruct."""

import json
from datetime import timedelta

import extruct
import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory

from masthead.newsroom.models import ArticlePage, SectionPage

BASE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.BASE_URL = BASE


def extract(html: str, url: str) -> dict:
    return extruct.extract(html, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True)


def opengraph(data: dict) -> dict:
    """Open Graph properties as a dict ("og:type" kept, which extruct's uniform form moves)."""
    (og,) = data["opengraph"]
    return {**og, "og:type": og["@type"]}


@pytest.fixture
def story(make_article, make_photo, author):
    article = make_article(
        "Ferry service returns to the island",
        standfirst="After two years without a boat, islanders can sail again.",
        authors=[author],
        tags=["transport", "islands"],
        lead_photo=make_photo("Harbour"),
        dateline="Ilha Verde",
    )
    ArticlePage.objects.filter(pk=article.pk).update(
        updated_at=article.first_published_at + timedelta(hours=2)
    )
    article.refresh_from_db()
    return article


def test_article_has_a_newsarticle_with_the_fields_google_reads(client, story, author):
    html = client.get(story.url).content.decode()
    data = extract(html, f"{BASE}{story.url}")
    (news,) = [item for item in data["json-ld"] if item["@type"] == "NewsArticle"]
    assert news["headline"] == story.title
    assert news["description"] == story.standfirst
    assert news["datePublished"] == story.first_published_at.isoformat()
    assert news["dateModified"] == story.updated_at.isoformat()
    assert news["author"] == [
        {
            "@type": "Person",
            "name": "Marta Silva",
            "url": f"{BASE}{author.get_absolute_url()}",
            "jobTitle": "City reporter",
        }
    ]
    assert news["publisher"]["name"] == "The Masthead Courier"
    assert news["publisher"]["@type"] == "NewsMediaOrganization"
    assert news["isAccessibleForFree"] is True
    assert news["mainEntityOfPage"]["@id"] == f"{BASE}{story.url}"
    assert news["articleSection"] == "News"
    assert sorted(news["keywords"]) == ["islands", "transport"]
    assert news["dateline"] == "Ilha Verde"
    (image,) = news["image"]
    assert image.startswith(f"{BASE}/media/images/") and image.endswith(".jpg")


def test_wire_story_credits_the_agency_as_an_organization(client, make_article, agency):
    agency.website = "https://atp.example"
    agency.save()
    story = make_article("Wire story", wire_agency=agency, wire_byline="By Ola Berg, ATP")
    data = extract(client.get(story.url).content.decode(), f"{BASE}{story.url}")
    (news,) = data["json-ld"]
    assert news["author"] == [
        {"@type": "Organization", "name": "Agence Test Presse", "url": "https://atp.example"}
    ]
    assert "image" not in news


def test_article_has_open_graph_and_twitter_card(client, story):
    response = client.get(story.url)
    html = response.content.decode()
    og = opengraph(extract(html, f"{BASE}{story.url}"))
    assert og["og:type"] == "article"
    assert og["og:title"] == story.title
    assert og["og:description"] == story.standfirst
    assert og["og:url"] == f"{BASE}{story.url}"
    assert og["og:site_name"] == "The Masthead Courier"
    assert og["og:image"].startswith(f"{BASE}/media/images/")
    assert og["og:image:width"] == "1000" and og["og:image:height"] == "625"
    assert og["og:image:alt"] == "Photo: Harbour"
    assert og["article:published_time"] == story.first_published_at.isoformat()
    assert og["article:modified_time"] == story.updated_at.isoformat()
    assert og["article:section"] == "News"
    soup = BeautifulSoup(html, "html.parser")
    tags = [m["content"] for m in soup.find_all("meta", property="article:tag")]
    assert sorted(tags) == ["islands", "transport"]
    twitter = {m["name"]: m["content"] for m in soup.find_all("meta", attrs={"name": True})}
    assert twitter["twitter:card"] == "summary_large_image"
    assert twitter["twitter:image"] == og["og:image"]
    assert soup.find("link", rel="canonical")["href"] == f"{BASE}{story.url}"


def test_story_without_photo_gets_a_small_card(client, make_article):
    story = make_article("No photo today")
    soup = BeautifulSoup(client.get(story.url).content, "html.parser")
    assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert soup.find("meta", property="og:image") is None


def test_hostile_headline_cannot_break_out_of_the_json_ld(client, make_article):
    hostile = "</script><script>alert(1)</script> & <!-- \u2028"
    story = make_article(hostile, standfirst="Ends with </SCRIPT> too")
    html = client.get(story.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    blocks = soup.find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    assert [s for s in soup.find_all("script") if not s.get("src")] == blocks
    data = json.loads(blocks[0].string)
    assert data["headline"] == hostile
    assert data["description"] == "Ends with </SCRIPT> too"
    assert "<script>alert(1)" not in html


def test_home_page_describes_the_website_and_its_search(client, home):
    html = client.get(home.url).content.decode()
    data = extract(html, f"{BASE}/")
    types = {item["@type"] for item in data["json-ld"]}
    assert types == {"WebSite", "NewsMediaOrganization"}
    (site,) = [item for item in data["json-ld"] if item["@type"] == "WebSite"]
    target = site["potentialAction"]["target"]["urlTemplate"]
    assert target == f"{BASE}/search/?q={{search_term_string}}"
    og = opengraph(data)
    assert og["og:type"] == "website"
    assert og["og:url"] == f"{BASE}/"


def test_every_public_page_names_its_canonical_address(client, story, home, author):
    pages = {
        home.url: f"{BASE}/",
        story.get_parent().url: f"{BASE}/news/",
        story.url: f"{BASE}{story.url}",
        "/tags/transport/": f"{BASE}/tags/transport/",
        author.get_absolute_url(): f"{BASE}{author.get_absolute_url()}",
        "/search/": f"{BASE}/search/",
    }
    for url, canonical in pages.items():
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        links = soup.find_all("link", rel="canonical")
        assert [link["href"] for link in links] == [canonical], url


def test_later_pages_of_a_list_are_canonical_to_themselves(client, make_article, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "PAGE_SIZE": 1}
    make_article("One", tags=["rain"])
    make_article("Two", tags=["rain"])
    soup = BeautifulSoup(client.get("/tags/rain/?page=2").content, "html.parser")
    assert soup.find("link", rel="canonical")["href"] == f"{BASE}/tags/rain/?page=2"


def test_missing_pages_have_no_canonical(client, home):
    for url in ("/no-such-page/", "/tags/no-such-tag/"):
        response = client.get(url)
        assert response.status_code == 404
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.find("link", rel="canonical") is None, url


def test_feeds_are_discoverable_from_fronts_sections_and_tags(client, story, home):
    def feeds(url: str) -> list[str]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        return [link["href"] for link in soup.find_all("link", rel="alternate")]

    site = [f"{BASE}/feed/", f"{BASE}/feed/atom/"]
    assert feeds(home.url) == site
    assert feeds(story.get_parent().url) == [*site, f"{BASE}/feed/section/news/"]
    assert feeds("/tags/transport/") == [*site, f"{BASE}/feed/tag/transport/"]
    assert feeds(story.url) == [*site, f"{BASE}/feed/section/news/"]
    for href in feeds("/tags/transport/"):
        assert client.get(href.removeprefix(BASE)).status_code == 200


def test_page_meta_costs_no_query_once_a_version_has_been_seen(
    client, story, django_assert_num_queries, django_assert_max_num_queries
):
    cache.clear()
    request = RequestFactory().get(story.url)
    template = Template("{% load seo_tags %}{% page_meta as meta %}{{ meta.json_ld|length }}")
    page = ArticlePage.objects.get(pk=story.pk)
    # The site settings are loaded once per request by the base template anyway.
    from masthead.newsroom.models import NewsroomSettings

    NewsroomSettings.for_request(request)
    # First view of this version: the site's root paths, section, bylines and tags (the article
    # template loads the first three too), and the share rendition made once.
    with django_assert_max_num_queries(10):
        assert template.render(Context({"page": page, "request": request})) == "1"
    page = ArticlePage.objects.get(pk=story.pk)
    with django_assert_num_queries(0):
        assert template.render(Context({"page": page, "request": request})) == "1"


def test_republishing_refreshes_the_cached_metadata(client, story):
    client.get(story.url)
    story.title = "Ferry service returns for good"
    story.save_revision().publish()
    data = extract(client.get(story.url).content.decode(), f"{BASE}{story.url}")
    assert data["json-ld"][0]["headline"] == "Ferry service returns for good"


def test_section_front_has_its_own_title_and_description(client, home):
    section = home.add_child(
        instance=SectionPage(title="Climate", slug="climate", description="Heat, rain, policy.")
    )
    og = opengraph(extract(client.get(section.url).content.decode(), f"{BASE}/climate/"))
    assert og["og:title"] == "Climate"
    assert og["og:description"] == "Heat, rain, policy."
