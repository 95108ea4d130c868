import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from masthead.newsroom.models import Author, CommentMode
from tests.caching.helpers import page_cache_off

PARTS_IN_READING_ORDER = [
    "ad-slot",
    "appeal",
    "headline",
    "standfirst",
    "byline",
    "dateline",
    "photo",
    "photo-caption",
    "photo-credit",
    "body",
    "copyright",
    "tags",
    "related",
    "comments",
    "comment-count",
]


@pytest.fixture
def full_article(make_article, make_photo, author):
    make_article("Older story about the tram", tags=["transport"])
    return make_article(
        "Tram line will return to the riverside by 2028",
        authors=[author],
        dateline="Porto",
        lead_photo=make_photo("Tram depot", credit="Ines Duarte"),
        tags=["transport", "council"],
        body=[
            ("paragraph", "<p>The first trams will run in spring.</p>"),
            ("subheading", "What changes for riders"),
            ("quote", {"text": "We waited long enough.", "attribution": "A rider"}),
            ("photo", {"photo": make_photo("New rails"), "caption": "", "credit": ""}),
        ],
    )


def test_article_page_shows_every_part_in_reading_order(client, full_article):
    response = client.get(full_article.url)
    assert response.status_code == 200
    html = response.content.decode()
    positions = []
    for part in PARTS_IN_READING_ORDER:
        match = re.search(rf'data-part="{part}"', html)
        assert match, f"missing data-part={part}"
        positions.append(match.start())
    assert positions == sorted(positions)


def test_article_page_credits_staff_author_and_publication(client, full_article):
    soup = BeautifulSoup(client.get(full_article.url).content, "html.parser")
    assert soup.select_one('[data-part="byline"]').get_text(" ", strip=True) == "By Marta Silva"
    assert soup.select_one('[data-part="dateline"]').get_text(strip=True) == "Porto"
    year = full_article.first_published_at.year
    assert soup.select_one('[data-part="copyright"]').get_text(strip=True) == (
        f"© The Masthead Courier {year}"
    )
    assert soup.select_one('[data-part="photo-credit"]').get_text(strip=True) == (
        "Photograph: Ines Duarte"
    )


def test_lead_photo_is_responsive_webp_and_inline_photo_is_lazy(client, full_article):
    soup = BeautifulSoup(client.get(full_article.url).content, "html.parser")
    lead, inline = soup.select('[data-part="photo"]')
    webp = lead.select_one('source[type="image/webp"]')
    assert webp is not None and webp["srcset"].count("w,") >= 1
    assert lead.img.get("loading") != "lazy"
    assert lead.img["alt"]
    assert inline.img["loading"] == "lazy"


def test_wire_story_carries_agency_credit_and_copyright(client, make_article, agency):
    article = make_article(
        "Storm closes ports along the coast", wire_agency=agency, wire_byline="By Paul Neri, ATP"
    )
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one('[data-part="byline"]').get_text(strip=True) == "By Paul Neri, ATP"
    assert soup.select_one('[data-part="copyright"]').get_text(strip=True) == (
        f"© ATP {article.first_published_at.year}"
    )


def test_related_links_show_editor_picks_before_tag_matches(client, make_article):
    by_tag = make_article("Bus fares frozen", tags=["transport"])
    picked = make_article("Bridge repairs finish early")
    article = make_article("Tram line returns", tags=["transport"])
    article.related_links.create(target=picked)
    article.save_revision().publish()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    links = [a.get_text() for a in soup.select('[data-part="related"] a')]
    assert links == [picked.title, by_tag.title]


def test_comment_count_reads_zero_on_a_new_story(client, full_article):
    soup = BeautifulSoup(client.get(full_article.url).content, "html.parser")
    assert soup.select_one('[data-part="comment-count"]').get_text(strip=True) == "0 comments"
    assert "Your Voice" in soup.select_one('[data-part="comments"]').get_text()


def test_legal_closure_shows_the_editors_message(client, make_article):
    article = make_article(
        "Trial of former mayor begins",
        comment_mode=CommentMode.LEGAL,
        comments_closed_message="Comments are closed while the case is before the court.",
    )
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert "while the case is before the court" in soup.select_one('[data-part="comments"]').text


def test_anonymous_article_page_sets_no_cookie_and_varies_on_nothing_personal(client, full_article):
    response = client.get(full_article.url)
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_article_page_sends_a_strict_content_security_policy(client, full_article):
    policy = client.get(full_article.url)["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_article_page_has_no_inline_script_or_style(client, full_article):
    soup = BeautifulSoup(client.get(full_article.url).content, "html.parser")
    # JSON-LD is data, not code: browsers never run it, and the CSP does not apply to it.
    scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
    assert all(script.get("src") for script in scripts)
    assert not soup.find_all("style")
    assert not soup.find_all(style=True)


def _queries_to_render(client, url) -> int:
    """Queries to render the page itself: the page cache is off, or a hit would make none."""
    with override_settings(MASTHEAD=page_cache_off()):
        client.get(url)  # the first view makes the renditions
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
    return len(queries)


def test_article_page_query_count_does_not_grow_with_tags_photos_or_authors(
    client, make_article, make_photo, author
):
    def photo_blocks(count):
        return [
            ("photo", {"photo": make_photo(f"Flood {n}"), "caption": "", "credit": ""})
            for n in range(count)
        ]

    small = make_article(
        "One photo of the flood",
        authors=[author],
        lead_photo=make_photo("A"),
        tags=["flood"],
        body=photo_blocks(1),
    )
    second = Author.objects.create(name="Joao Reis")
    big = make_article(
        "Six photos of the flood",
        authors=[author, second],
        lead_photo=make_photo("B"),
        tags=[f"tag{n}" for n in range(8)],
        body=photo_blocks(6),
    )
    small_count = _queries_to_render(client, small.url)
    assert small_count <= 25
    assert _queries_to_render(client, big.url) == small_count
