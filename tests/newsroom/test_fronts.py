"""Fronts: the editors' lead and picks, then Latest, Most read and Most commented."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from masthead.core import counters
from masthead.newsroom.models import ArticlePage, HomePageSlot, SectionPage, SectionPageSlot
from masthead.newsroom.popularity import READ
from tests.caching.helpers import page_cache_off


@pytest.fixture(autouse=True)
def _fresh_buffer(settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "COUNTER_FLUSH_SECONDS": 3600}
    counters.reset()
    yield
    counters.reset()


def soup_of(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def part(soup: BeautifulSoup, name: str) -> list[str]:
    found = soup.select_one(f'[data-part="{name}"]')
    if found is None:
        return []
    return [a.get_text(strip=True) for a in found.select(".teaser__headline a, .rank__link")]


def curate(front, lead=None, picks=()):
    slot_model = HomePageSlot if front.specific_class.__name__ == "HomePage" else SectionPageSlot
    front.lead_story = lead
    front.slots = [slot_model(article=story) for story in picks]
    front.save_revision().publish()
    front.refresh_from_db()


@pytest.fixture
def stories(make_article):
    # Oldest first: "Story 0" is the newest one (make_article publishes a minute apart).
    return [make_article(f"Story {n}") for n in range(6)]


def test_the_editors_lead_and_picks_come_first_in_their_order(client, home, stories):
    curate(home, lead=stories[4], picks=[stories[2], stories[5]])
    soup = soup_of(client, home.url)
    assert part(soup, "front-lead") == ["Story 4"]
    assert part(soup, "front-slots") == ["Story 2", "Story 5"]
    assert part(soup, "latest") == ["Story 0", "Story 1", "Story 3"]


def test_without_a_pick_the_newest_story_leads(client, home, stories):
    soup = soup_of(client, home.url)
    assert part(soup, "front-lead") == ["Story 0"]
    assert soup.select_one('[data-part="front-slots"]') is None
    assert part(soup, "latest") == ["Story 1", "Story 2", "Story 3", "Story 4", "Story 5"]


def test_pulled_picks_drop_out_silently(client, home, stories):
    curate(home, lead=stories[3], picks=[stories[1], stories[4]])
    stories[3].unpublish()
    stories[4].unpublish()
    soup = soup_of(client, home.url)
    assert part(soup, "front-lead") == ["Story 0"]  # the newest, since the pick is gone
    assert part(soup, "front-slots") == ["Story 1"]
    assert "Story 3" not in soup.get_text() and "Story 4" not in soup.get_text()


def test_drafts_are_never_shown(client, home, section, stories):
    draft = ArticlePage(title="Draft scoop", slug="draft-scoop", standfirst="Not yet.", live=False)
    section.add_child(instance=draft)
    draft.save_revision()
    curate(home, picks=[draft])
    for url in [home.url, section.url]:
        assert "Draft scoop" not in soup_of(client, url).get_text()


def test_a_section_front_keeps_to_its_own_stories(client, home, section, stories, make_article):
    climate = home.add_child(instance=SectionPage(title="Climate", slug="climate"))
    heat = make_article("Heatwave warning", parent=climate)
    floods = make_article("Flood defences", parent=climate)
    curate(climate, lead=stories[0], picks=[floods, stories[1]])
    soup = soup_of(client, climate.url)
    assert part(soup, "front-lead") == ["Heatwave warning"]  # the pick from News is ignored
    assert part(soup, "front-slots") == ["Flood defences"]
    assert soup.select_one('[data-part="latest"]') is None  # nothing else to list
    assert heat.title not in part(soup_of(client, section.url), "latest")


def test_the_lead_and_picks_show_on_the_first_page_only(client, home, stories, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "PAGE_SIZE": 2}
    curate(home, lead=stories[5], picks=[stories[4]])
    first = soup_of(client, home.url)
    assert part(first, "latest") == ["Story 0", "Story 1"]
    second = soup_of(client, home.url + "?page=2")
    assert second.select_one('[data-part="front-lead"]') is None
    assert part(second, "latest") == ["Story 2", "Story 3"]
    assert soup_of(client, home.url + "?page=abc").select_one('[data-part="front-lead"]')


def test_most_read_and_most_commented_show_beside_the_stories(client, home, stories):
    for story, reads in [(stories[3], 30), (stories[1], 12)]:
        counters.increment(READ, story.pk, reads)
    counters.flush()
    old = stories[5]
    ArticlePage.objects.filter(pk=old.pk).update(
        comment_count=99, first_published_at=timezone.now() - timedelta(days=9)
    )
    ArticlePage.objects.filter(pk=stories[2].pk).update(comment_count=4)
    ArticlePage.objects.filter(pk=stories[4].pk).update(comment_count=11)
    cache.clear()
    soup = soup_of(client, home.url)
    assert part(soup, "most-read") == ["Story 3", "Story 1"]
    # The last week's stories only: a nine-day-old thread does not stay on top for ever.
    assert part(soup, "most-commented") == ["Story 4", "Story 2"]
    counts = [a.get_text() for a in soup.select('[data-part="most-commented"] .rank__count')]
    assert counts == ["11 comments", "4 comments"]


def test_empty_boxes_are_left_out(client, home, stories):
    soup = soup_of(client, home.url)
    assert soup.select_one('[data-part="most-read"]') is None
    assert soup.select_one('[data-part="most-commented"]') is None


def test_an_empty_front_says_so(client, home, section):
    soup = soup_of(client, section.url)
    assert "No stories here yet." in soup.select_one('[data-part="latest"]').get_text()


def _queries(client, url, django_assert_max_num_queries, limit):
    """Queries to render the front itself: the page cache is off, or a hit would make none."""
    with override_settings(MASTHEAD=page_cache_off()):
        client.get(url)  # renditions, site root paths and cached fragments on the first view
        with django_assert_max_num_queries(limit) as captured:
            assert client.get(url).status_code == 200
    return len(captured)


def test_front_queries_do_not_grow_with_the_number_of_stories(
    client, home, section, make_article, make_photo, django_assert_max_num_queries
):
    photo = make_photo("Harbour")

    def add(count: int, start: int) -> list[ArticlePage]:
        made = [make_article(f"Story {start + n}", lead_photo=photo) for n in range(count)]
        for n, story in enumerate(made):
            counters.increment(READ, story.pk, n + 1)
            ArticlePage.objects.filter(pk=story.pk).update(comment_count=n)
        counters.flush()
        cache.clear()
        return made

    few = add(5, 0)
    curate(home, lead=few[2], picks=few[3:5])
    curate(section, lead=few[1], picks=few[:1])
    small = {
        url: _queries(client, url, django_assert_max_num_queries, 30)
        for url in [home.url, section.url]
    }
    more = add(45, 5)
    curate(home, lead=more[2], picks=more[3:9])
    curate(section, lead=more[1], picks=more[10:16])
    for url, count in small.items():
        assert _queries(client, url, django_assert_max_num_queries, count) <= count, url


def test_editors_pick_the_lead_and_stories_in_the_cms(client, editor, home):
    client.force_login(editor)
    response = client.get(f"/cms/pages/{home.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Front page picks" in html
    assert 'name="slots-TOTAL_FORMS"' in html
    assert 'name="lead_story"' in html


def test_an_editor_curates_the_home_page_in_the_cms(client, editor, home, stories):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    client.force_login(editor)
    response = client.post(
        f"/cms/pages/{home.pk}/edit/",
        nested_form_data(
            {
                "title": home.title,
                "slug": home.slug,
                "intro": "",
                "lead_story": stories[3].pk,
                "slots": inline_formset([{"article": stories[5].pk}, {"article": stories[1].pk}]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content[:2000]
    soup = soup_of(client, home.url)
    assert part(soup, "front-lead") == ["Story 3"]
    assert part(soup, "front-slots") == ["Story 5", "Story 1"]
