"""Provider tags (Google Ad Manager): markup for ads.js, allowed by the CSP only when configured."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from masthead.ads import services
from masthead.ads.models import AdSlot, HouseAd, SlotName

GPT = "https://securepubads.g.doubleclick.net"


@pytest.fixture
def provider_leaderboard(db) -> AdSlot:
    slot = AdSlot.objects.get(name=SlotName.LEADERBOARD)
    slot.fill = "provider"
    slot.ad_unit_path = "/1234567/courier/leaderboard"
    slot.provider_sizes = "728x90,970x90"
    slot.full_clean()
    slot.save()
    HouseAd.objects.create(name="Fallback", slot=SlotName.LEADERBOARD, text="Our newsletter")
    return slot


def leaderboard(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return soup.select_one('[data-part="ad-slot"][data-slot="leaderboard"]')


def test_a_provider_slot_carries_what_ads_js_needs(client, settings, home, provider_leaderboard):
    settings.MASTHEAD = {**settings.MASTHEAD, "AD_SOURCES": [GPT]}
    slot = leaderboard(client, home.url)
    tag = slot.select_one('[data-ad-provider="gpt"]')
    assert tag["data-ad-unit"] == "/1234567/courier/leaderboard"
    assert tag["data-ad-sizes"] == "728x90,970x90"
    assert tag["data-ad-script"] == services.PROVIDER_SCRIPT
    assert tag["id"] == "ad-leaderboard"
    assert slot.select_one(".ad-slot__label").get_text() == "Advertisement"
    assert "Our newsletter" not in slot.get_text()


def test_without_the_providers_origin_the_slot_shows_house_ads(
    client, settings, home, provider_leaderboard
):
    settings.MASTHEAD = {**settings.MASTHEAD, "AD_SOURCES": []}
    slot = leaderboard(client, home.url)
    assert slot.select_one("[data-ad-provider]") is None
    assert "Our newsletter" in slot.get_text()


@pytest.mark.parametrize(
    ("sources", "allowed"),
    [
        ([GPT], True),
        (["https://*.doubleclick.net"], True),
        (["securepubads.g.doubleclick.net"], True),
        (["http://securepubads.g.doubleclick.net"], False),
        (["https://*.example.com", "https://doubleclick.net"], False),
        ([], False),
    ],
)
def test_the_providers_script_must_be_covered_by_an_ad_source(settings, sources, allowed):
    settings.MASTHEAD = {**settings.MASTHEAD, "AD_SOURCES": sources}
    assert services.provider_allowed() is allowed


def test_the_content_security_policy_names_ad_origins_only_when_configured(client, home):
    policy = client.get(home.url)["Content-Security-Policy"]
    assert "doubleclick" not in policy

    # Settings read the environment once, at start-up: ask a fresh process.
    code = (
        "import django; django.setup()\n"
        "from django.http import HttpResponse\n"
        "from django.test import RequestFactory\n"
        "from masthead.core.middleware import ContentSecurityPolicyMiddleware as M\n"
        "print(M(lambda r: HttpResponse('ok'))(RequestFactory().get('/'))"
        "['Content-Security-Policy'])\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
        "MASTHEAD_AD_SOURCES": f"{GPT},https://*.doubleclick.net",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    directives = {
        part.split()[0]: part.split()[1:] for part in result.stdout.strip().split("; ") if part
    }
    for name in ["script-src", "img-src", "connect-src", "frame-src"]:
        assert GPT in directives[name], name
        assert "https://*.doubleclick.net" in directives[name], name
    assert GPT not in directives["style-src"]
    assert "'unsafe-inline'" not in directives["script-src"]


def test_no_page_with_ads_carries_inline_script(
    client, settings, home, section, make_article, make_photo, provider_leaderboard
):
    settings.MASTHEAD = {**settings.MASTHEAD, "AD_SOURCES": [GPT]}
    HouseAd.objects.create(
        name="Workshops", slot="in-article", text="Photo workshops", image=make_photo("Lens")
    )
    HouseAd.objects.create(name="Support", slot="sidebar", text="Support us", link_url=GPT)
    article = make_article(body=[("paragraph", f"<p>Paragraph {n}.</p>") for n in range(6)])
    for url in [home.url, section.url, article.url]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert soup.select('[data-part="ad-slot"]'), url
        inline = [
            str(script)[:80]
            for script in soup.find_all("script")
            if not script.get("src") and script.get("type") != "application/ld+json"
        ]
        assert inline == [], url
        assert not soup.find_all(style=True), url
        assert any(s.get("src", "").endswith("masthead/ads.js") for s in soup.find_all("script"))
