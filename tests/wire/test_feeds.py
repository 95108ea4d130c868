"""Wire feeds: RSS and Atom served by a real local HTTP server, parsed by feedparser, become
drafts; conditional GETs make an unchanged feed cheap; changed entries update drafts the desk
has not taken over; the worker's job polls only the feeds that are due."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from masthead.newsroom.models import ArticlePage, SectionPage
from masthead.wire.feeds import poll_due_feeds, poll_feed
from masthead.wire.models import WireFeed, WireItem, WireSource
from tests.wire.conftest import Route, WireServer, jpeg

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
RSS = (FEEDS / "agency-rss.xml").read_bytes()
ATOM = (FEEDS / "agency-atom.xml").read_bytes()


def rss(server: WireServer, document: bytes = RSS) -> bytes:
    return document.replace(b"{server}", server.url.encode())


@pytest.fixture
def rss_feed(wire_server, agency, section) -> WireFeed:
    wire_server.routes["/regional.rss"] = Route(
        rss(wire_server), "application/rss+xml", etag='"rss-1"'
    )
    wire_server.routes["/pictures/tide.jpg"] = Route(jpeg((1500, 1000)), "image/jpeg")
    wire_server.routes["/pictures/tide-small.jpg"] = Route(jpeg((300, 200)), "image/jpeg")
    return WireFeed.objects.create(
        name="Northwire regional",
        url=f"{wire_server.url}/regional.rss",
        agency=agency,
        section=section,
    )


@pytest.fixture
def atom_feed(wire_server, home) -> WireFeed:
    wire_server.routes["/business.atom"] = Route(
        ATOM, "application/atom+xml", last_modified="Wed, 08 Apr 2026 11:00:00 GMT"
    )
    return WireFeed.objects.create(name="Meridian business", url=f"{wire_server.url}/business.atom")


def story(uri: str) -> ArticlePage:
    return WireItem.objects.get(uri=uri).article


def test_polling_an_rss_feed_creates_drafts_in_its_section(rss_feed, agency, section):
    result = poll_feed(rss_feed)

    assert (result.status, result.created) == ("fetched", 2)
    tide = story("northwire:regional:4471")
    assert tide.title == "Tide gauge at Kessling records highest spring tide in a decade"
    assert tide.standfirst == (
        "The harbour master closed the lower quay for three hours as the water rose."
    )
    assert not tide.live
    assert tide.get_parent() == section.page_ptr
    assert tide.wire_agency == agency
    assert tide.wire_byline == "Tomasz Rell"
    assert sorted(tide.tags.names()) == ["Harbours", "Weather"]
    body = json.dumps(list(tide.body.raw_data))
    assert "<b>harbour mouth</b>" in body
    assert "alert" not in body and "<script" not in body
    item = WireItem.objects.get(uri="northwire:regional:4471")
    assert (item.source, item.feed) == (WireSource.FEED, rss_feed)
    strike = story("northwire:regional:4472")
    assert strike.standfirst == "Drivers accepted a two-year pay offer."
    assert "<i>two-year</i>" in json.dumps(list(strike.body.raw_data))  # summary as body
    rss_feed.refresh_from_db()
    assert rss_feed.etag == '"rss-1"'
    assert rss_feed.last_polled_at is not None and rss_feed.last_error == ""


def test_a_feed_entry_brings_its_picture_and_a_missing_one_is_left_out(rss_feed, wire_server):
    poll_feed(rss_feed)

    photo = story("northwire:regional:4471").lead_photo
    assert photo.width == 1500  # media:content, larger than the enclosure
    assert photo.credit == "Ines Varga/Northwire"
    assert not wire_server.hits("/pictures/tide-small.jpg")
    assert wire_server.hits("/pictures/depot-missing.jpg")  # tried, answered 404
    assert story("northwire:regional:4472").lead_photo is None


def test_polling_an_atom_feed_creates_drafts_in_the_wire_section(atom_feed):
    result = poll_feed(atom_feed)

    assert result.created == 2
    cider = story("urn:meridianwire:business:881")
    assert cider.title == "Vell valley cider makers form a co-operative"
    assert cider.standfirst == "Eleven small producers will share one press and one brand."
    assert cider.wire_byline == "Hanne Skov"
    assert sorted(cider.tags.names()) == ["Cider", "business"]
    assert [block.block_type for block in cider.body] == ["paragraph", "subheading", "paragraph"]
    assert "onclick" not in json.dumps(list(cider.body.raw_data))
    assert cider.get_parent().title == "Wire"
    assert SectionPage.objects.get(title="Wire").live
    port = story("urn:meridianwire:business:882")
    assert port.title == "Port of Kessling posts record quarter"  # markup in a title goes


def test_a_second_poll_sends_the_etag_and_a_304_imports_nothing(rss_feed, wire_server):
    poll_feed(rss_feed)

    result = poll_feed(rss_feed)

    assert result.status == "not modified"
    assert wire_server.hits("/regional.rss")[-1]["If-None-Match"] == '"rss-1"'
    assert ArticlePage.objects.count() == 2


def test_a_second_poll_sends_last_modified_and_unchanged_entries_stay(atom_feed, wire_server):
    poll_feed(atom_feed)

    result = poll_feed(atom_feed)

    assert wire_server.hits("/business.atom")[-1]["If-Modified-Since"] == (
        "Wed, 08 Apr 2026 11:00:00 GMT"
    )
    assert (result.status, result.unchanged, result.created) == ("fetched", 2, 0)
    assert ArticlePage.objects.count() == 2


def changed_rss() -> bytes:
    return (
        RSS.decode()
        .replace(
            "Tide gauge at Kessling records highest spring tide in a decade",
            "Spring tide floods Kessling's lower quay",
        )
        .replace("Tue, 10 Mar 2026 08:05:00 GMT", "Tue, 10 Mar 2026 12:15:00 GMT")
        .encode()
    )


def test_a_changed_entry_updates_its_draft(rss_feed, wire_server):
    poll_feed(rss_feed)
    wire_server.routes["/regional.rss"] = Route(rss(wire_server, changed_rss()), etag='"rss-2"')

    result = poll_feed(rss_feed)

    assert (result.updated, result.unchanged, result.created) == (1, 1, 0)
    tide = story("northwire:regional:4471")
    assert not tide.live
    assert tide.get_latest_revision_as_object().title == "Spring tide floods Kessling's lower quay"
    assert ArticlePage.objects.count() == 2


def test_a_changed_entry_leaves_a_story_the_desk_published_alone(rss_feed, wire_server, editor):
    poll_feed(rss_feed)
    tide = story("northwire:regional:4471")
    tide.title = "Highest spring tide in ten years at Kessling"
    tide.save_revision(user=editor).publish(user=editor)
    wire_server.routes["/regional.rss"] = Route(rss(wire_server, changed_rss()), etag='"rss-2"')

    result = poll_feed(rss_feed)

    assert result.kept == 1
    tide = story("northwire:regional:4471")
    assert tide.title == "Highest spring tide in ten years at Kessling"
    assert tide.get_latest_revision_as_object().title == tide.title
    assert poll_feed(rss_feed).status == "not modified"


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (None, "HTTP 404"),
        (Route(b"<html><body>Maintenance</body></html>", "text/html"), "not an RSS or Atom feed"),
    ],
)
def test_a_feed_that_fails_records_why(home, wire_server, route, error):
    if route is not None:
        wire_server.routes["/broken"] = route
    feed = WireFeed.objects.create(name="Broken", url=f"{wire_server.url}/broken")

    result = poll_feed(feed)

    assert result.status == "failed"
    feed.refresh_from_db()
    assert error in feed.last_error and error in str(result)
    assert feed.last_polled_at is not None
    assert not ArticlePage.objects.exists()


def test_a_feed_nobody_answers_for_records_why(home, refused_url):
    feed = WireFeed.objects.create(name="Gone", url=f"{refused_url}/feed")

    poll_feed(feed)

    feed.refresh_from_db()
    assert "cannot connect" in feed.last_error


def test_the_worker_job_polls_only_active_feeds_that_are_due(rss_feed, atom_feed, wire_server):
    WireFeed.objects.filter(pk=atom_feed.pk).update(
        last_polled_at=timezone.now() - timedelta(minutes=5)  # polls every 15 minutes
    )
    WireFeed.objects.create(name="Switched off", url=f"{wire_server.url}/off", active=False)

    assert poll_due_feeds() == 1
    assert not wire_server.hits("/business.atom") and not wire_server.hits("/off")
    assert ArticlePage.objects.count() == 2
    assert poll_due_feeds() == 0  # just polled: not due again for 15 minutes

    WireFeed.objects.filter(pk=atom_feed.pk).update(
        last_polled_at=timezone.now() - timedelta(minutes=16)
    )
    assert poll_due_feeds() == 1
    assert ArticlePage.objects.count() == 4


def test_pullwire_polls_every_active_feed_with_all(rss_feed, atom_feed):
    out = io.StringIO()
    call_command("pullwire", "--all", stdout=out)

    lines = sorted(out.getvalue().splitlines())
    assert lines == ["Meridian business: 2 new", "Northwire regional: 2 new"]

    out = io.StringIO()
    call_command("pullwire", stdout=out)
    assert out.getvalue().strip() == "No wire feed is due."


def test_pullwire_exits_with_1_when_a_feed_fails(home, wire_server):
    WireFeed.objects.create(name="Missing", url=f"{wire_server.url}/missing")
    out = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("pullwire", stdout=out)

    assert error.value.returncode == 1
    assert out.getvalue().startswith("Missing: failed: HTTP 404")


def test_editors_manage_wire_feeds_in_the_cms(client, admin, rss_feed):
    client.force_login(admin)

    listing = client.get("/cms/snippets/wire/wirefeed/")
    assert listing.status_code == 200
    assert "Northwire regional" in listing.content.decode()
    assert client.get(f"/cms/snippets/wire/wirefeed/edit/{rss_feed.pk}/").status_code == 200
    assert client.get("/cms/snippets/wire/wirefeed/add/").status_code == 200


def test_readers_cannot_reach_the_wire_feeds_in_the_cms(client, reader, rss_feed):
    client.force_login(reader)

    response = client.get("/cms/snippets/wire/wirefeed/")

    assert response.status_code in {302, 403}


def test_the_worker_polls_the_due_wire_feeds(rss_feed):
    out = io.StringIO()

    call_command("worker", "--once", stdout=out)

    assert "masthead.wire.feeds.poll_due_feeds: 1" in out.getvalue().splitlines()
    assert WireItem.objects.filter(feed=rss_feed).count() == 2
