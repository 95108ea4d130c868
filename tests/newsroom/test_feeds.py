"""RSS and Atom feeds, read back with feedparser the way a feed reader would."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.newsroom.models import ArticlePage, SectionPage

BASE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.BASE_URL = BASE


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def test_site_feed_lists_live_stories_newest_first_with_absolute_links(client, make_article):
    now = timezone.now()
    older = make_article("Harbour ferry returns", published_at=now - timedelta(hours=5))
    newer = make_article("Library opens on Sundays", published_at=now - timedelta(hours=1))
    response, feed = parse(client, "/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    assert feed.entries[0].link == f"{BASE}{newer.url}"
    assert feed.feed.link == f"{BASE}/"
    assert feed.feed.title == "The Masthead Courier"


def test_atom_feed_holds_the_same_stories(client, make_article):
    story = make_article("Night buses extended")
    response, feed = parse(client, "/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == [story.title]
    assert feed.entries[0].link == f"{BASE}{story.url}"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{BASE}/feed/atom/"]


def test_entries_carry_summary_body_dates_and_guid(client, make_article):
    story = make_article(
        "Bridge repairs finish early",
        standfirst="Engineers handed the bridge back two weeks ahead of plan.",
        body=[
            ("paragraph", "<p>Traffic <b>resumed</b> at dawn.</p>"),
            ("subheading", "What changes for cyclists"),
            ("quote", {"text": "We are relieved", "attribution": "A shopkeeper"}),
        ],
    )
    for url in ("/feed/", "/feed/atom/"):
        _, feed = parse(client, url)
        entry = feed.entries[0]
        assert entry.summary == story.standfirst
        body = entry.content[0].value
        assert "<b>resumed</b>" in body
        assert "<h2>What changes for cyclists</h2>" in body
        assert "<blockquote>" in body and "A shopkeeper" in body
        published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
        assert abs(published - story.first_published_at) < timedelta(seconds=1)
        assert entry.id.startswith("tag:news.example.org,") and entry.id.endswith(
            f":article:{story.pk}"
        )


def test_updated_time_is_the_editors_updated_at(client, make_article):
    story = make_article("Water main burst")
    later = story.first_published_at + timedelta(hours=3)
    ArticlePage.objects.filter(pk=story.pk).update(updated_at=later)
    _, feed = parse(client, "/feed/atom/")
    updated = datetime(*feed.entries[0].updated_parsed[:6], tzinfo=UTC)
    assert abs(updated - later) < timedelta(seconds=1)


def test_authors_are_byline_names_or_the_wire_credit(client, make_article, author, agency):
    from masthead.newsroom.models import Author

    second = Author.objects.create(name="Tomas Reyes")
    make_article("Staff story", authors=[author, second])
    make_article("Wire story", wire_agency=agency, wire_byline="By Ola Berg, ATP")
    make_article("Agency story", wire_agency=agency)
    _, rss = parse(client, "/feed/")
    by_title = {entry.title: entry for entry in rss.entries}
    assert by_title["Staff story"].author == "Marta Silva and Tomas Reyes"
    assert by_title["Wire story"].author == "Ola Berg, ATP"
    assert by_title["Agency story"].author == "Agence Test Presse"
    _, atom = parse(client, "/feed/atom/")
    by_title = {entry.title: entry for entry in atom.entries}
    assert [a.name for a in by_title["Staff story"].authors] == ["Marta Silva", "Tomas Reyes"]


def test_tags_become_categories_and_lead_photo_an_enclosure(client, make_article, make_photo):
    make_article("Heat record", tags=["weather", "climate"], lead_photo=make_photo("Sun"))
    for url in ("/feed/", "/feed/atom/"):
        _, feed = parse(client, url)
        entry = feed.entries[0]
        assert sorted(tag.term for tag in entry.tags) == ["climate", "weather"]
        (enclosure,) = entry.enclosures
        assert enclosure.href.startswith(f"{BASE}/media/images/")
        assert enclosure.type == "image/jpeg"
        assert int(enclosure.length) > 0


def test_feed_never_shows_drafts_or_private_stories(client, make_article, section, home):
    make_article("Public story")
    draft = ArticlePage(title="Draft story", slug="draft", standfirst="Not yet.", live=False)
    section.add_child(instance=draft)
    draft.save_revision()
    hidden = home.add_child(instance=SectionPage(title="Members", slug="members"))
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    make_article("Members only story", parent=hidden)
    unpublished = make_article("Withdrawn story")
    unpublished.unpublish()
    for url in ("/feed/", "/feed/atom/"):
        _, feed = parse(client, url)
        assert [entry.title for entry in feed.entries] == ["Public story"]
    assert client.get("/feed/section/members/").status_code == 404


def test_body_is_sanitised_and_links_made_absolute(client, make_article):
    target = make_article("Earlier story")
    make_article(
        "Story with links",
        body=[
            (
                "paragraph",
                f'<p>See <a linktype="page" id="{target.pk}">the earlier story</a> and '
                '<a href="/contribute">support us</a>.</p>',
            ),
        ],
    )
    # A hostile body written straight into the stream (as a bad import might) is cleaned.
    story = ArticlePage.objects.get(title="Story with links")
    raw = list(story.body.raw_data)
    raw.append({"type": "paragraph", "value": '<p onclick="x()">Hi<script>alert(1)</script></p>'})
    ArticlePage.objects.filter(pk=story.pk).update(body=raw)
    _, feed = parse(client, "/feed/")
    body = next(e for e in feed.entries if e.title == "Story with links").content[0].value
    assert f'href="{BASE}{target.url}"' in body
    assert f'href="{BASE}/contribute"' in body
    assert "script" not in body and "onclick" not in body and "<p>Hi</p>" in body


def test_section_feed_lists_only_that_section(client, make_article, home):
    climate = home.add_child(instance=SectionPage(title="Climate", slug="climate"))
    make_article("Council story")
    make_article("Glacier story", parent=climate)
    for url in ("/feed/section/climate/", "/feed/section/climate/atom/"):
        _, feed = parse(client, url)
        assert [entry.title for entry in feed.entries] == ["Glacier story"]
        assert feed.feed.title == "The Masthead Courier: Climate"
        assert feed.feed.link == f"{BASE}{climate.url}"


def test_tag_feed_lists_only_tagged_stories(client, make_article):
    make_article("Tram story", tags=["transport"])
    make_article("Food story", tags=["food"])
    for url in ("/feed/tag/transport/", "/feed/tag/transport/atom/"):
        _, feed = parse(client, url)
        assert [entry.title for entry in feed.entries] == ["Tram story"]
        assert feed.feed.link == f"{BASE}/tags/transport/"


def test_unknown_section_or_tag_is_404(client, db, home):
    for url in (
        "/feed/section/nope/",
        "/feed/section/nope/atom/",
        "/feed/tag/nope/",
        "/feed/tag/nope/atom/",
    ):
        assert client.get(url).status_code == 404, url


def test_feed_is_bounded_by_feed_items(client, make_article, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "FEED_ITEMS": 3}
    for n in range(5):
        make_article(f"Story {n}")
    _, feed = parse(client, "/feed/")
    assert [entry.title for entry in feed.entries] == ["Story 0", "Story 1", "Story 2"]


def test_feed_query_count_does_not_grow_with_items(
    client, make_article, make_photo, author, django_assert_max_num_queries
):
    target = make_article("Linked story")

    def add(n: int) -> None:
        for i in range(n):
            make_article(
                f"Story {i}",
                tags=["a", "b"],
                authors=[author],
                lead_photo=make_photo(f"Photo {i}"),
                body=[("paragraph", f'<p><a linktype="page" id="{target.pk}">x</a></p>')],
            )

    add(2)
    client.get("/feed/")  # renditions are made once, on the first fetch
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(12) as few:
        parse(client, "/feed/")
    baseline = len(few)
    add(8)
    client.get("/feed/")
    cache.clear()
    with django_assert_max_num_queries(baseline):
        _, feed = parse(client, "/feed/")
    assert len(feed.entries) == 11


def test_anonymous_feed_sets_no_cookie(client, make_article):
    make_article()
    response = client.get("/feed/")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
