"""Cached page fragments (navigation, "Read:" links, ad slots) follow editors' changes."""

from bs4 import BeautifulSoup

from masthead.ads.models import HouseAd, SlotName
from masthead.newsroom.models import SectionPage


def nav(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return [a.get_text() for a in soup.select(".section-nav a")]


def test_navigation_follows_published_and_unpublished_sections(client, home, section):
    assert nav(client, home.url) == ["News"]
    sport = home.add_child(instance=SectionPage(title="Sport", slug="sport", live=False))
    sport.save_revision().publish()
    assert nav(client, home.url) == ["News", "Sport"]
    sport.refresh_from_db()
    sport.unpublish()
    assert nav(client, home.url) == ["News"]


def test_ad_slot_shows_the_new_creative_as_soon_as_it_is_saved(client, make_article):
    article = make_article()

    def ad_text():
        soup = BeautifulSoup(client.get(article.url).content, "html.parser")
        return soup.select_one('[data-part="ad-slot"]').get_text(" ", strip=True)

    assert ad_text() == "Advertisement"
    ad = HouseAd.objects.create(
        name="Ferries", slot=SlotName.LEADERBOARD, text="Ferry timetable out now"
    )
    assert ad_text() == "Advertisement Ferry timetable out now"
    ad.active = False
    ad.save()
    assert ad_text() == "Advertisement"
