"""Ad slots: what each slot shows, and counting impressions and clicks.

A slot's HTML is rendered once and cached (pages are cached whole anyway): until the next
house ad starts or ends, at most SLOT_CACHE_SECONDS, and saving a slot or an ad clears it.
Every running house ad for the slot is in the HTML (up to MAX_CANDIDATES); `ads.js` shows one
at random, so a cached page still rotates them. Without JavaScript the oldest one shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from masthead.ads.models import (
    CLICK,
    DEFAULT_SIZES,
    IMPRESSION,
    AdSlot,
    HouseAd,
    SlotFill,
    SlotName,
    size_of,
)
from masthead.caching import shared_cache
from masthead.core import counters

SLOT_CACHE_SECONDS = 300
MAX_CANDIDATES = 5
CACHE_VERSION = "v2"
# Google Publisher Tag, loaded by ads.js only when its origin is in MASTHEAD["AD_SOURCES"].
PROVIDER_SCRIPT = "https://securepubads.g.doubleclick.net/tag/js/gpt.js"
AD_EXISTS_CACHE_SECONDS = 300


@dataclass(frozen=True)
class RenderedSlot:
    html: str  # empty when the slot is switched off
    after_paragraph: int


def slot_cache_key(name: str) -> str:
    return f"ads:slot:{CACHE_VERSION}:{name}"


def forget_slots(**kwargs: object) -> None:
    shared_cache().delete_many([slot_cache_key(name) for name in SlotName.values])


def source_allows(source: str, url: str) -> bool:
    """Whether one CSP source expression (https://host, https://*.host, host) covers `url`."""
    target = urlsplit(url)
    source = source.strip().rstrip("/")
    scheme, sep, host = source.partition("://")
    if not sep:
        scheme, host = "", source
    if scheme and scheme.lower() != target.scheme:
        return False
    host = host.split("/")[0].lower()
    target_host = (target.hostname or "").lower()
    if host.startswith("*."):
        return target_host.endswith(host[1:])
    return host == target_host


def provider_allowed(script: str = PROVIDER_SCRIPT) -> bool:
    return any(source_allows(source, script) for source in settings.MASTHEAD["AD_SOURCES"])


def rendered_slot(name: str) -> RenderedSlot:
    """The slot's HTML and settings, from the cache when possible."""
    key = slot_cache_key(name)
    cached = shared_cache().get(key)
    if cached is None:
        cached, timeout = _render_slot(name)
        shared_cache().set(key, cached, timeout)
    return RenderedSlot(**cached)


def _render_slot(name: str) -> tuple[dict, int]:
    now = timezone.now()
    slot = AdSlot.objects.filter(name=name).first()
    if slot is None and name in SlotName.values:
        # The migration creates all three; one deleted in the CMS comes back with defaults
        # (switch a slot off to remove it from pages).
        slot = AdSlot(name=name, size=DEFAULT_SIZES[SlotName(name)])
    if slot is None or not slot.enabled:
        return {"html": "", "after_paragraph": 0}, SLOT_CACHE_SECONDS
    provider = slot.fill == SlotFill.PROVIDER and bool(slot.ad_unit_path) and provider_allowed()
    ads = []
    timeout = SLOT_CACHE_SECONDS
    if not provider:
        running = HouseAd.objects.running(now).filter(slot=name).select_related("image")
        ads = [_creative(ad, slot) for ad in running.order_by("pk")[:MAX_CANDIDATES]]
        timeout = _seconds_until_next_change(name, now, timeout)
    html = render_to_string(
        "ads/slot.html",
        {"slot": slot, "ads": ads, "provider": provider, "provider_script": PROVIDER_SCRIPT},
    )
    return {"html": html, "after_paragraph": slot.after_paragraph}, timeout


def _creative(ad: HouseAd, slot: AdSlot) -> dict[str, object]:
    creative: dict[str, object] = {
        "id": ad.pk,
        "text": ad.text,
        "link": reverse("ads:click", args=[ad.pk]) if ad.link_url else "",
        "impression_url": reverse("ads:impression", args=[ad.pk]),
    }
    if ad.image is not None:
        width, height = size_of(slot.size)
        one = ad.image.get_rendition(f"fill-{width}x{height}|format-webp")
        two = ad.image.get_rendition(f"fill-{width * 2}x{height * 2}|format-webp")
        creative["image"] = {"src": one.url, "src2x": two.url, "width": width, "height": height}
    return creative


def _seconds_until_next_change(name: str, now: datetime, longest: int) -> int:
    upcoming = HouseAd.objects.filter(slot=name, active=True).aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)),
        end=Min("ends_at", filter=Q(ends_at__gt=now)),
    )
    changes = [when for when in upcoming.values() if when is not None]
    if not changes:
        return longest
    return max(1, min(longest, int((min(changes) - now).total_seconds()) + 1))


def in_article_position(body, after_paragraph: int) -> int | None:  # type: ignore[no-untyped-def]
    """Index of the body block the in-article ad follows: the Nth paragraph, if another
    paragraph comes after it somewhere (so the ad never ends a story); otherwise None."""
    if after_paragraph < 1:
        return None
    seen = 0
    position = None
    for index, block in enumerate(body):
        if block.block_type != "paragraph":
            continue
        seen += 1
        if seen == after_paragraph:
            position = index
        elif seen > after_paragraph:
            return position
    return None


# --- Counting -------------------------------------------------------------------------------


def ad_exists(ad_id: int) -> bool:
    key = f"ads:exists:v1:{ad_id}"
    known = shared_cache().get(key)
    if known is None:
        known = HouseAd.objects.filter(pk=ad_id).exists()
        shared_cache().set(key, known, AD_EXISTS_CACHE_SECONDS)
    return known


def record_impression(*, ad_id: int) -> None:
    counters.increment(IMPRESSION, int(ad_id))


def click_target(*, ad_id: int) -> str | None:
    """The stored address a click on this ad goes to; None for an unknown or link-less ad."""
    return (
        HouseAd.objects.filter(pk=ad_id)
        .exclude(link_url="")
        .values_list("link_url", flat=True)
        .first()
    )


def record_click(*, ad_id: int) -> None:
    counters.increment(CLICK, int(ad_id))
