"""In a real browser: ads.js shows one house ad per slot and counts its impression once;
reads.js counts the read. Both through beacons, with the page itself untouched."""

from __future__ import annotations

import time

import pytest

from masthead.ads.models import IMPRESSION, HouseAd
from masthead.core import counters
from masthead.newsroom.models import HourlyCount
from masthead.newsroom.popularity import READ

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def counted(kind: str, key: int, want: int, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    total = 0
    while time.monotonic() < deadline:
        total = sum(
            HourlyCount.objects.filter(kind=kind, key=str(key)).values_list("count", flat=True)
        )
        if total >= want:
            break
        time.sleep(0.1)
    return total


def test_one_ad_shows_per_slot_and_reads_and_impressions_are_counted(
    browser, live_server, settings, make_article
):
    # Every beacon is written at once here, so the test can see it in the database.
    settings.MASTHEAD = {**settings.MASTHEAD, "COUNTER_FLUSH_SECONDS": 0}
    counters.reset()
    ads = [
        HouseAd.objects.create(
            name=f"Ad {n}",
            slot="leaderboard",
            text=f"House ad {n}",
            link_url="https://example.org/",
        )
        for n in range(3)
    ]
    article = make_article(body=[("paragraph", f"<p>Paragraph {n}.</p>") for n in range(6)])

    # Headless Chromium says so in its User-Agent, and robots are not counted: look like a reader.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        user_agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36",
    )
    page = context.new_page()
    page.goto(live_server.url + article.url)
    leaderboard = page.locator('[data-slot="leaderboard"] [data-ad-id]')
    assert leaderboard.count() == 3
    page.wait_for_function(
        "document.querySelectorAll('[data-slot=\"leaderboard\"] [data-ad-id]:not([hidden])')"
        ".length === 1"
    )
    shown = int(
        page.locator('[data-slot="leaderboard"] [data-ad-id]:not([hidden])').get_attribute(
            "data-ad-id"
        )
    )
    assert shown in {ad.pk for ad in ads}

    assert counted(READ, article.pk, 1) == 1
    assert counted(IMPRESSION, shown, 1) == 1
    # Scrolling the ad away and back does not count it again on the same page view.
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -4000)
    page.wait_for_timeout(500)
    assert counted(IMPRESSION, shown, 2, timeout=1) == 1

    page.reload()
    assert counted(READ, article.pk, 2) == 2
    context.close()
    counters.reset()
