"""Clicks and impressions: counted through the buffered counters, shown in the CMS listing."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from masthead.ads.models import CLICK, IMPRESSION, HouseAd
from masthead.core import counters
from masthead.newsroom.models import HourlyCount

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"


@pytest.fixture
def ad(db) -> HouseAd:
    return HouseAd.objects.create(
        name="Briefing",
        slot="leaderboard",
        text="Get the morning briefing",
        link_url="https://example.org/briefing?from=ad",
    )


def count(kind: str, ad_id: int) -> int:
    counters.flush()
    return sum(
        HourlyCount.objects.filter(kind=kind, key=str(ad_id)).values_list("count", flat=True)
    )


def test_a_click_is_counted_and_goes_to_the_stored_address(client, ad):
    response = client.get(f"/ads/click/{ad.pk}", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "https://example.org/briefing?from=ad"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert not HourlyCount.objects.exists()  # buffered
    assert count(CLICK, ad.pk) == 1


def test_a_click_never_goes_where_the_query_string_says(client, ad):
    response = client.get(
        f"/ads/click/{ad.pk}?next=https://evil.example/&url=https://evil.example/",
        HTTP_USER_AGENT=BROWSER,
    )
    assert response["Location"] == "https://example.org/briefing?from=ad"


def test_clicks_on_unknown_or_link_less_ads_are_refused(client, ad):
    assert client.get("/ads/click/999999", HTTP_USER_AGENT=BROWSER).status_code == 404
    quiet = HouseAd.objects.create(name="No link", slot="sidebar", text="Just words")
    assert client.get(f"/ads/click/{quiet.pk}", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert client.get("/ads/click/abc/").status_code == 404


def test_robot_clicks_are_followed_but_not_counted(client, ad):
    response = client.get(f"/ads/click/{ad.pk}", HTTP_USER_AGENT="Googlebot/2.1")
    assert response.status_code == 302
    assert count(CLICK, ad.pk) == 0


def test_an_impression_beacon_is_counted_without_cookie_or_csrf_token(ad):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/ads/impressions/{ad.pk}", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 204
    assert not response.cookies
    assert count(IMPRESSION, ad.pk) == 1


def test_impression_beacons_refuse_unknown_ads_and_gets(client, ad):
    assert client.post("/ads/impressions/999999", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert client.get(f"/ads/impressions/{ad.pk}", HTTP_USER_AGENT=BROWSER).status_code == 405
    assert count(IMPRESSION, 999999) == 0


def test_impressions_from_one_address_are_rate_limited(client, ad, settings):
    limits = {**settings.MASTHEAD["RATE_LIMITS"], "ad_impression_ip": "2/m"}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}
    statuses = [
        client.post(f"/ads/impressions/{ad.pk}", HTTP_USER_AGENT=BROWSER).status_code
        for _ in range(4)
    ]
    assert statuses == [204, 204, 429, 429]
    assert count(IMPRESSION, ad.pk) == 2


def test_the_cms_lists_house_ads_with_their_impressions_and_clicks(
    client, admin, ad, django_assert_max_num_queries
):
    other = HouseAd.objects.create(name="Events", slot="sidebar", text="Meet us")
    counters.increment(IMPRESSION, ad.pk, 1234)
    counters.increment(CLICK, ad.pk, 56)
    counters.increment(IMPRESSION, other.pk, 7)
    counters.flush()
    assert HouseAd.objects.with_counts().get(pk=ad.pk).impressions == 1234
    client.force_login(admin)
    url = "/cms/snippets/ads/housead/"
    client.get(url)
    for n in range(10):
        HouseAd.objects.create(name=f"Extra {n}", slot="sidebar", text="More")
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert response.status_code == 200
    rows = {
        row.select_one("td a").get_text(strip=True): row.get_text(" ", strip=True)
        for row in BeautifulSoup(response.content, "html.parser").select("tbody tr")
        if row.select_one("td a")
    }
    assert "1234" in rows["Briefing"] and "56" in rows["Briefing"]
    assert "7" in rows["Events"]


def test_the_cms_has_the_three_slots_to_edit(client, admin):
    client.force_login(admin)
    response = client.get("/cms/snippets/ads/adslot/")
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    for label in ["Leaderboard", "In article", "Sidebar"]:
        assert label in text


def test_absurd_ad_numbers_are_refused_not_a_server_error(client, db):
    huge = 10**30
    assert client.get(f"/ads/click/{huge}", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert client.post(f"/ads/impressions/{huge}", HTTP_USER_AGENT=BROWSER).status_code == 404
