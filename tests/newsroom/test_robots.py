"""robots.txt keeps crawlers out of private areas and points them at the sitemaps."""


def test_robots_txt_disallows_private_areas_and_names_both_sitemaps(client, settings, db):
    settings.BASE_URL = "https://news.example.org"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = [line.strip() for line in response.content.decode().splitlines() if line.strip()]
    assert lines[0] == "User-agent: *"
    disallowed = {line.split(":", 1)[1].strip() for line in lines if line.startswith("Disallow:")}
    assert {"/cms/", "/moderation/", "/revenue/", "/api/", "/accounts/"} <= disallowed
    assert "/" not in disallowed
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        "Sitemap: https://news.example.org/sitemap.xml",
        "Sitemap: https://news.example.org/news-sitemap.xml",
    ]
    assert not response.cookies


def test_robots_txt_leaves_stories_and_feeds_crawlable(client, make_article):
    story = make_article()
    text = client.get("/robots.txt").content.decode()
    disallowed = [
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Disallow")
    ]
    for public in (story.url, "/feed/", "/tags/x/", "/sitemap.xml", "/contribute"):
        assert not any(public.startswith(path) for path in disallowed), public
