from datetime import timedelta

from bs4 import BeautifulSoup
from django.utils import timezone


def headlines(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".teaser__headline a")]


def test_tag_page_lists_tagged_stories_newest_first(client, make_article):
    now = timezone.now()
    older = make_article(
        "Older transport story", tags=["transport"], published_at=now - timedelta(days=2)
    )
    newer = make_article(
        "Newer transport story", tags=["transport"], published_at=now - timedelta(hours=1)
    )
    make_article("Food story", tags=["food"])
    response = client.get("/tags/transport/")
    assert response.status_code == 200
    assert headlines(response) == [newer.title, older.title]


def test_tag_page_is_paginated(client, make_article, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "PAGE_SIZE": 2}
    for n in range(5):
        make_article(f"Story {n}", tags=["transport"])
    assert len(headlines(client.get("/tags/transport/"))) == 2
    last = client.get("/tags/transport/?page=3")
    assert headlines(last) == ["Story 4"]
    assert "Page 3" in last.content.decode() and "Older stories" not in last.content.decode()
    # A nonsense page number shows the first page instead of failing.
    assert client.get("/tags/transport/?page=abc").status_code == 200


def test_unknown_tag_is_404(client, db):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_author_page_lists_their_stories_only(client, make_article, author):
    mine = make_article("Marta's story", authors=[author])
    make_article("Someone else's story")
    response = client.get(author.get_absolute_url())
    assert response.status_code == 200
    assert headlines(response) == [mine.title]
    assert "City reporter" in response.content.decode()


def test_section_front_lists_only_its_articles(client, make_article, home):
    from masthead.newsroom.models import SectionPage

    climate = home.add_child(instance=SectionPage(title="Climate", slug="climate"))
    news_story = make_article("Council story")
    climate_story = make_article("Heatwave story", parent=climate)
    assert headlines(client.get(climate.url)) == [climate_story.title]
    front = headlines(client.get(home.url))
    assert set(front) == {news_story.title, climate_story.title}


def test_unpublished_story_is_not_listed(client, make_article, section):
    story = make_article("Pulled story")
    story.unpublish()
    assert story.title not in headlines(client.get(section.url))
    assert client.get(story.url_path.removeprefix("/front")).status_code == 404
