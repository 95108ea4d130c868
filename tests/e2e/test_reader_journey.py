"""A reader opens the demo front page, follows a story and sees every part of the article."""

from pathlib import Path

import pytest
from django.conf import settings

from masthead.newsroom.demo.load import load_demo_content
from masthead.newsroom.models import ArticlePage

# Transactional (the live server runs in another thread); the rollback restores what
# migrations made (root page, root collection) for the tests that follow.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTICLE_PARTS = [
    "ad-slot",
    "appeal",
    "headline",
    "standfirst",
    "byline",
    "dateline",
    "photo",
    "photo-credit",
    "photo-caption",
    "body",
    "copyright",
    "tags",
    "related",
    "comments",
    "comment-count",
]


def test_reader_reads_a_demo_story_without_javascript(live_server, page):
    load_demo_content()
    screenshots = Path(settings.VAR_DIR) / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)

    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    teasers = page.locator(".teaser__headline a")
    assert teasers.count() >= 10
    page.screenshot(path=str(screenshots / "front.png"), full_page=True)

    # Pick a staff story with a dateline and a lead photo, then reach it by clicking.
    story = (
        ArticlePage.objects.listed()
        .filter(wire_agency__isnull=True, lead_photo__isnull=False, bylines__isnull=False)
        .exclude(dateline="")
        .distinct()
        .first()
    )
    assert story is not None
    page.goto(live_server.url + story.section.url)
    page.get_by_role("link", name=story.title, exact=True).first.click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(story.url.rstrip("/"))

    for part in ARTICLE_PARTS:
        locator = page.locator(f'[data-part="{part}"]').first
        assert locator.is_visible(), f"data-part={part} is not visible"
    assert page.locator('[data-part="headline"]').inner_text() == story.title
    assert page.locator('[data-part="comment-count"]').inner_text().endswith("comments")
    ad_label = page.locator('[data-part="ad-slot"]').first.inner_text()
    assert ad_label.lower().startswith("advertisement")

    # The lead photo really loaded, as a WebP rendition chosen from a srcset.
    lead = page.locator('[data-part="photo"] img').first
    assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
    assert ".webp" in lead.evaluate("img => img.currentSrc")

    # Keyboard users see where focus is: the skip link appears on Tab.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    page.screenshot(path=str(screenshots / "article.png"), full_page=True)
    assert (screenshots / "article.png").stat().st_size > 10_000
