"""An article rendered without the page cache (its miss path) costs a few queries, and what it
keeps between renders (the story's parts, its route, site settings, the appeal) follows every
change at once: an edit, a correction, an unpublish, a move, a renamed section, new settings,
a comment."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from masthead.community.services import post_comment
from masthead.editorial.services import add_correction
from masthead.newsroom.models import NewsroomSettings, SectionPage
from masthead.revenue.models import AppealSettings


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    settings.MASTHEAD = {
        **settings.MASTHEAD,
        "PAGE_CACHE": {**settings.MASTHEAD["PAGE_CACHE"], "ENABLED": False},
    }


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    assert "X-Cache" not in response or response["X-Cache"] != "HIT"
    return BeautifulSoup(response.content, "html.parser")


def part(soup: BeautifulSoup, name: str) -> str:
    found = soup.select_one(f'[data-part="{name}"]')
    return found.get_text(" ", strip=True) if found else ""


@pytest.fixture
def story(make_article, make_photo, author):
    article = make_article(
        "Ferry fares to rise",
        tags=["ferries"],
        authors=[author],
        lead_photo=make_photo(),
        body=[
            ("paragraph", "<p>Fares go up in May.</p>"),
            ("paragraph", "<p>The operator blames fuel.</p>"),
        ],
    )
    return article


def test_a_story_rendered_again_costs_one_query_and_the_same_bytes(client, story):
    first = client.get(story.url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(story.url)
    # Only the view restrictions: the site, its home page and the route are kept.
    assert len(queries) == 1, [query["sql"][:120] for query in queries]
    assert second.content == first.content
    soup = BeautifulSoup(second.content, "html.parser")
    assert part(soup, "byline") == "By Marta Silva"
    assert part(soup, "tags") == "Tags ferries"
    assert "The operator blames fuel." in part(soup, "body")
    assert soup.select_one('[data-part="photo"] img') is not None


def test_an_edit_shows_at_once(client, story, make_article):
    page(client, story.url)
    story.title = "Ferry fares to rise by a fifth"
    story.body = [("paragraph", "<p>Fares go up in June.</p>")]
    story.tags.set(["ferries", "fuel"])
    story.lead_photo = None
    story.save_revision().publish()
    soup = page(client, story.url)
    assert part(soup, "headline") == "Ferry fares to rise by a fifth"
    assert part(soup, "body") == "Fares go up in June."
    assert part(soup, "tags") == "Tags ferries fuel"
    assert soup.select_one('[data-part="photo"]') is None


def test_a_correction_shows_at_once(client, story, editor):
    page(client, story.url)
    add_correction(article=story, kind="correction", text="Fares rise in June.", by=editor)
    assert "Fares rise in June." in part(page(client, story.url), "corrections")


def test_an_unpublished_story_is_gone_at_once(client, story):
    page(client, story.url)
    story.refresh_from_db()
    story.unpublish()
    assert client.get(story.url).status_code == 404


def test_a_moved_story_answers_at_its_new_address_only(client, home, story):
    old_url = story.url
    page(client, old_url)
    sport = home.add_child(instance=SectionPage(title="Sport", slug="sport"))
    story.refresh_from_db()
    story.move(sport, pos="last-child")
    story.refresh_from_db()
    # Wagtail's redirects app sends readers of the old address on, rather than a 404.
    moved = client.get(old_url)
    assert moved.status_code == 301
    assert moved["Location"] == story.url
    assert part(page(client, story.url), "headline") == "Ferry fares to rise"


def test_a_renamed_section_moves_its_stories(client, section, story):
    old_url = story.url
    page(client, old_url)
    section.slug = "local-news"
    section.title = "Local news"
    section.save_revision().publish()
    story.refresh_from_db()
    assert story.url != old_url
    assert client.get(old_url).status_code == 404
    soup = page(client, story.url)
    assert soup.select_one(".kicker").get_text(strip=True) == "Local news"


def test_the_comment_count_follows_the_thread(client, story, reader):
    assert part(page(client, story.url), "comment-count") == "0 comments"
    post_comment(author=reader, article=story, body="Good to know.")
    assert part(page(client, story.url), "comment-count") == "1 comment"


def test_new_settings_and_appeal_show_at_once(client, section, story):
    site = Site.objects.get(is_default_site=True)
    page(client, story.url)
    newsroom = NewsroomSettings.for_site(site)
    newsroom.publication_name = "The Harbour Herald"
    newsroom.save()
    appeal = AppealSettings.for_site(site)
    appeal.heading = "Keep the ferry desk going"
    appeal.save()
    soup = page(client, story.url)
    assert soup.select_one(".site-title").get_text(strip=True) == "The Harbour Herald"
    assert "Keep the ferry desk going" in soup.select_one("[data-appeal]").get_text()
    appeal.hidden_in_sections.add(section)
    appeal.save()
    assert page(client, story.url).select("[data-appeal]") == []


def test_a_preview_shows_the_draft_not_the_published_story(client, story):
    page(client, story.url)
    story.body = [("paragraph", "<p>Draft: fares go up in July.</p>")]
    story.save_revision()
    preview = story.get_latest_revision_as_object().make_preview_request()
    assert b"Draft: fares go up in July." in preview.content
    assert "Fares go up in May." in part(page(client, story.url), "body")


def test_the_site_of_a_request_is_found_without_a_query_and_follows_changes(rf, home, story):
    from wagtail.models import Page

    from masthead.caching.pages import SITE
    from masthead.caching.purge import purge
    from masthead.newsroom.services import prime_site

    def route(path: str):
        request = rf.get(path)
        prime_site(request)
        return request, Page.route_for_request(request, path)

    route(story.url)
    with CaptureQueriesContext(connection) as queries:
        request, (found, _, _) = route(story.url)
    assert found.pk == story.pk and queries.captured_queries == []
    assert request._wagtail_site.root_page.title == "The Test Gazette"

    home.title = "The Evening Gazette"
    home.save_revision().publish()
    request, _ = route(story.url)
    assert request._wagtail_site.root_page.title == "The Evening Gazette"

    site = Site.objects.get(is_default_site=True)
    site.site_name = "Gazette"
    site.save()
    purge({SITE})  # what saving a Site does once masthead.caching.signals purges it
    request, _ = route(story.url)
    assert request._wagtail_site.site_name == "Gazette"


def test_a_wire_story_needs_no_query_for_its_agency_and_follows_its_edits(
    client, make_article, agency
):
    story = make_article("Quake hits coast", wire_agency=agency)
    client.get(story.url)
    with CaptureQueriesContext(connection) as queries:
        soup = page(client, story.url)
    assert len(queries) == 1, [query["sql"][:120] for query in queries]
    assert "© ATP" in part(soup, "copyright")
    agency.short_name = "AWS"
    agency.save()
    assert "© AWS" in part(page(client, story.url), "copyright")
