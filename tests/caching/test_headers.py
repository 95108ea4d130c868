"""Every page kind goes out with the caching headers a front cache needs, and comes from the page
cache on the second request."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from masthead.editorial.services import add_correction
from masthead.newsroom.models import SectionPage


def header_keys(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


def test_article_page_carries_its_keys_and_article_lifetimes(client, make_article, author):
    other = make_article("Ferry timetable changes", tags=["ferries"])
    article = make_article("Council votes", tags=["ferries", "trams"], authors=[author])
    article.related_links.create(target=other)
    article.save_revision().publish()

    response = client.get(article.url)

    assert response.status_code == 200
    assert response["Cache-Control"] == (
        "public, max-age=0, s-maxage=300, stale-while-revalidate=60"
    )
    keys = header_keys(response)
    assert {
        f"page-{article.pk}",
        f"article-{article.pk}",
        f"comments-{article.pk}",
        f"article-{other.pk}",  # the "Read:" link
        "nav",
    } <= keys
    assert response["Cache-Tag"].split(",") == sorted(keys)
    assert response["X-Cache"] == "MISS"
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_second_request_is_a_hit_with_the_same_bytes(client, make_article):
    article = make_article()
    first = client.get(article.url)
    second = client.get(article.url)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["Surrogate-Key"] == first["Surrogate-Key"]
    assert int(second["Content-Length"]) == len(second.content)
    assert b"masthead-fragment" not in second.content


def test_campaign_parameters_share_the_stored_page(client, make_article):
    article = make_article()
    client.get(article.url)
    response = client.get(article.url + "?utm_source=newsletter&fbclid=abc")
    assert response["X-Cache"] == "HIT"


def test_home_and_section_fronts_list_their_stories_keys(client, home, section, make_article):
    story = make_article()
    home_response = client.get(home.url)
    section_response = client.get(section.url)
    assert home_response["Cache-Control"] == (
        "public, max-age=0, s-maxage=30, stale-while-revalidate=30"
    )
    assert {f"page-{home.pk}", "front-home", f"article-{story.pk}", "nav"} <= header_keys(
        home_response
    )
    assert {f"page-{section.pk}", f"section-{section.pk}", f"article-{story.pk}"} <= header_keys(
        section_response
    )
    assert client.get(home.url)["X-Cache"] == "HIT"
    second_page = client.get(home.url + "?page=2")
    assert "front-home" in header_keys(second_page)


def test_tag_author_and_corrections_pages_carry_their_keys(client, make_article, author):
    story = make_article(tags=["trams"], authors=[author])
    add_correction(article=story, kind="correction", text="The vote was 31 to 9.", by=None)

    tag = client.get("/tags/trams/")
    by_author = client.get(author.get_absolute_url())
    corrections = client.get("/corrections/")

    assert {"tag-trams", f"article-{story.pk}", "nav"} <= header_keys(tag)
    assert {f"author-{author.slug}", f"article-{story.pk}"} <= header_keys(by_author)
    assert {"corrections", f"article-{story.pk}"} <= header_keys(corrections)
    for response in (tag, by_author, corrections):
        assert response["Cache-Control"] == (
            "public, max-age=0, s-maxage=30, stale-while-revalidate=30"
        )
    assert client.get("/tags/trams/")["X-Cache"] == "HIT"


def test_a_private_page_is_never_marked_or_stored(client, editor, section, make_article):
    story = make_article()
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    client.force_login(editor)
    response = client.get(story.url)
    assert response.status_code == 200
    assert "Surrogate-Key" not in response
    assert "public" not in response.get("Cache-Control", "")
    assert "X-Cache" not in client.get(story.url)


def test_the_cms_preview_is_never_stored(client, make_article):
    story = make_article("Live headline")
    story.title = "Draft headline"
    story.save_revision()
    draft = story.get_latest_revision_as_object()
    # What the CMS preview does: a made-up request through the whole middleware stack.
    preview = draft.make_preview_request()
    assert b"Draft headline" in preview.content
    assert "public" not in preview.get("Cache-Control", "")
    response = client.get(story.url)
    assert response["X-Cache"] == "MISS"
    assert b"Live headline" in response.content
    assert b"Draft headline" not in response.content


def test_authorization_header_bypasses_the_page_cache(client, make_article):
    story = make_article()
    client.get(story.url)
    response = client.get(story.url, HTTP_AUTHORIZATION="Bearer something")
    assert "X-Cache" not in response


def test_page_cache_switched_off_sends_headers_but_stores_nothing(client, settings, make_article):
    settings.MASTHEAD = {
        **settings.MASTHEAD,
        "PAGE_CACHE": {**settings.MASTHEAD["PAGE_CACHE"], "ENABLED": False},
    }
    story = make_article()
    client.get(story.url)
    response = client.get(story.url)
    assert "X-Cache" not in response
    assert f"article-{story.pk}" in header_keys(response)
    assert b"masthead-fragment" not in response.content


@pytest.mark.parametrize("path", ["/cms/", "/accounts/login/", "/comments/1/"])
def test_personal_paths_are_not_looked_up(client, path, home):
    assert "X-Cache" not in client.get(path)


def test_other_wagtail_pages_carry_their_page_key(client, home):
    page = home.add_child(instance=SectionPage(title="Sport", slug="sport"))
    response = client.get(page.url)
    assert f"page-{page.pk}" in header_keys(response)
