"""Ad slots on fronts and articles: labelled, their space reserved, filled by running house ads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from masthead.ads import services
from masthead.ads.models import AdSlot, HouseAd, SlotName


def soup_of(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def slots(soup: BeautifulSoup) -> dict[str, object]:
    return {tag["data-slot"]: tag for tag in soup.select('[data-part="ad-slot"]')}


def house_ad(slot: str = SlotName.LEADERBOARD, **fields) -> HouseAd:
    fields.setdefault("name", f"Newsletter ({slot})")
    fields.setdefault("text", "Our morning newsletter, free")
    fields.setdefault("link_url", "https://example.org/newsletter")
    return HouseAd.objects.create(slot=slot, **fields)


def test_every_slot_is_labelled_and_reserves_its_size(client, long_story, home):
    article = long_story(6)
    on_article = slots(soup_of(client, article.url))
    assert set(on_article) == {"leaderboard", "in-article", "sidebar"}
    on_front = slots(soup_of(client, home.url))
    assert set(on_front) == {"leaderboard", "sidebar"}
    for slot in [*on_article.values(), *on_front.values()]:
        assert slot.select_one(".ad-slot__label").get_text(strip=True) == "Advertisement"
        assert slot["aria-label"] == "Advertisement"
    assert "ad-size--728x90" in on_article["leaderboard"].select_one(".ad-space")["class"]
    assert "ad-size--300x250" in on_article["sidebar"].select_one(".ad-space")["class"]


def test_a_size_change_in_the_cms_changes_the_reserved_space(client, home):
    slot = AdSlot.objects.get(name=SlotName.LEADERBOARD)
    slot.size = "970x250"
    slot.save()
    leaderboard = slots(soup_of(client, home.url))["leaderboard"]
    assert "ad-size--970x250" in leaderboard.select_one(".ad-space")["class"]


def test_a_switched_off_slot_is_not_on_the_page(client, home):
    AdSlot.objects.filter(name=SlotName.SIDEBAR).update(enabled=False)
    services.forget_slots()
    assert set(slots(soup_of(client, home.url))) == {"leaderboard"}


def test_a_house_ad_links_through_the_click_counter_as_sponsored(client, home, make_photo):
    ad = house_ad(image=make_photo("Ferry"))
    leaderboard = slots(soup_of(client, home.url))["leaderboard"]
    link = leaderboard.select_one("a.ad-creative")
    assert link["href"] == f"/ads/click/{ad.pk}"
    assert link["rel"] == ["sponsored", "noopener"]
    assert link["data-ad-impression"] == f"/ads/impressions/{ad.pk}"
    assert link.get_text(strip=True) == "Our morning newsletter, free"
    image = link.select_one("img")
    assert (image["width"], image["height"]) == ("728", "90")
    assert image["alt"] == ""  # the words are in the link itself
    assert " 2x" in image["srcset"]


def test_every_running_ad_of_a_slot_is_sent_and_the_first_one_shows(client, home):
    first = house_ad(name="A", text="First")
    second = house_ad(name="B", text="Second")
    house_ad(slot=SlotName.SIDEBAR, name="C", text="Sidebar ad")
    creatives = slots(soup_of(client, home.url))["leaderboard"].select("[data-ad-id]")
    assert [c["data-ad-id"] for c in creatives] == [str(first.pk), str(second.pk)]
    assert [c.has_attr("hidden") for c in creatives] == [False, True]


def test_only_ads_running_now_are_shown(client, home):
    now = timezone.now()
    house_ad(name="Ended", text="Ended ad", ends_at=now - timedelta(minutes=1))
    house_ad(name="Later", text="Later ad", starts_at=now + timedelta(days=1))
    house_ad(name="Off", text="Switched off ad", active=False)
    house_ad(
        name="Now",
        text="Running ad",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    text = slots(soup_of(client, home.url))["leaderboard"].get_text(" ", strip=True)
    assert text == "Advertisement Running ad"


def test_the_cached_slot_expires_when_the_next_ad_starts(db):
    now = timezone.now()
    house_ad(name="Soon", text="Soon", starts_at=now + timedelta(seconds=90))
    _, timeout = services._render_slot(SlotName.LEADERBOARD)
    assert 1 <= timeout <= 91
    _, timeout = services._render_slot(SlotName.SIDEBAR)
    assert timeout == services.SLOT_CACHE_SECONDS


def test_saving_an_ad_shows_it_at_once(client, home):
    assert "Fresh ad" not in soup_of(client, home.url).get_text()
    house_ad(text="Fresh ad")
    assert "Fresh ad" in soup_of(client, home.url).get_text()


def _body_parts(soup: BeautifulSoup) -> list[str]:
    body = soup.select_one('[data-part="body"]')
    parts = []
    for child in body.find_all(recursive=False):
        if child.get("data-part") == "ad-slot":
            parts.append(f"ad:{child['data-slot']}")
        elif child.name == "p":
            parts.append(child.get_text(strip=True))
    return parts


def test_the_in_article_ad_follows_paragraph_three(client, long_story):
    article = long_story(5)
    assert _body_parts(soup_of(client, article.url)) == [
        "Paragraph 1.",
        "Paragraph 2.",
        "Paragraph 3.",
        "ad:in-article",
        "Paragraph 4.",
        "Paragraph 5.",
    ]


def test_the_in_article_position_is_set_per_slot(client, long_story):
    slot = AdSlot.objects.get(name=SlotName.IN_ARTICLE)
    slot.after_paragraph = 1
    slot.save()
    parts = _body_parts(soup_of(client, long_story(3).url))
    assert parts[:3] == ["Paragraph 1.", "ad:in-article", "Paragraph 2."]


@pytest.mark.parametrize("paragraphs", [1, 3])
def test_a_short_story_carries_no_in_article_ad(client, long_story, paragraphs):
    parts = _body_parts(soup_of(client, long_story(paragraphs).url))
    assert "ad:in-article" not in parts
    assert len(parts) == paragraphs


def test_slot_settings_are_validated(db):
    from django.core.exceptions import ValidationError

    slot = AdSlot.objects.get(name=SlotName.SIDEBAR)
    slot.fill = "provider"
    with pytest.raises(ValidationError) as error:
        slot.full_clean()
    assert "ad_unit_path" in error.value.message_dict
    slot.ad_unit_path = "courier/sidebar"
    slot.provider_sizes = "300 by 250"
    with pytest.raises(ValidationError) as error:
        slot.full_clean()
    assert set(error.value.message_dict) == {"ad_unit_path", "provider_sizes"}
    slot.ad_unit_path = "/1234567/courier/sidebar"
    slot.provider_sizes = "300x250, 300x600"
    slot.full_clean()
    assert slot.provider_sizes == "300x250,300x600"


def test_an_ad_must_end_after_it_starts(db):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    ad = HouseAd(name="Backwards", slot="sidebar", text="x", starts_at=now, ends_at=now)
    with pytest.raises(ValidationError):
        ad.full_clean()


def test_a_deleted_slot_comes_back_with_its_defaults(client, home):
    AdSlot.objects.filter(name=SlotName.LEADERBOARD).delete()
    leaderboard = slots(soup_of(client, home.url))["leaderboard"]
    assert "ad-size--728x90" in leaderboard.select_one(".ad-space")["class"]
