"""The demo wire stories: one per ninjs version, pictures drawn locally, loaded once."""

from __future__ import annotations

from masthead.newsroom.models import ArticlePage, Photo
from masthead.wire.demo import DEMO_FEED, load_demo_wire
from masthead.wire.models import WireItem
from masthead.wire.ninjs import load_document


def test_the_demo_wire_loads_three_stories_with_pictures_once(home, client):
    assert load_demo_wire() == 3

    versions = sorted(load_document(p).ninjs_version for p in DEMO_FEED.glob("*.json"))
    assert versions == ["1", "2", "3"]
    articles = [item.article for item in WireItem.objects.select_related("article")]
    assert len(articles) == 3
    assert all(a.lead_photo and a.lead_photo.credit for a in articles)
    assert all(a.wire_agency and a.dateline and a.wire_byline for a in articles)
    assert {a.get_parent().title for a in articles} == {"World"}
    live = [a for a in articles if a.live]
    assert len(live) == 2
    for article in live:
        assert client.get(article.url).status_code == 200

    assert load_demo_wire() == 0
    assert ArticlePage.objects.count() == 3
    assert Photo.objects.count() == 3
