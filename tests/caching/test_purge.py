"""Each kind of change purges exactly the keys it affects: in Masthead's own cache at once, and
in the front cache (a real HTTP server recording what it is sent) through the worker."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from masthead.caching.tasks import purge_front_cache
from masthead.community.services import edit_comment, post_comment
from masthead.editorial.services import add_correction
from masthead.newsroom.models import ArticlePage, Author, HomePage, SectionPage


def test_publishing_a_new_story_purges_its_lists(
    front_cache, run_purges, section, make_article, author
):
    recorder = front_cache("fastly")
    draft = ArticlePage(title="Tram line reopens", slug="tram", standfirst="After years.")
    section.add_child(instance=draft)
    draft.bylines.create(author=author)
    draft.tags.add("trams", "transport")
    draft.save_revision()

    with run_purges():
        draft.get_latest_revision().publish()

    assert recorder.keys() == [
        {
            f"article-{draft.pk}",
            "front-home",
            f"section-{section.pk}",
            "tag-trams",
            "tag-transport",
            f"author-{author.slug}",
            "feeds",
        }
    ]
    request = recorder.requests[0]
    assert (request.method, request.path) == ("POST", "/service/svc123/purge")
    assert request.headers["fastly-key"] == "secret-token"


def test_editing_a_live_story_purges_it_and_the_lists_it_joined_or_left(
    front_cache, run_purges, make_article, author
):
    story = make_article(tags=["trams", "council"], authors=[author])
    recorder = front_cache("fastly")
    second = Author.objects.create(name="Joao Reis")
    story.title = "Council votes to reopen the tram line, at last"
    story.tags.set(["trams", "budget"])
    story.bylines.create(author=second)

    with run_purges():
        story.save_revision().publish()

    assert recorder.purged() == {
        f"article-{story.pk}",
        "tag-council",
        "tag-budget",
        f"author-{second.slug}",
        "feeds",
    }


def test_a_plain_edit_purges_only_the_story_and_feeds(front_cache, run_purges, make_article):
    story = make_article(tags=["trams"])
    recorder = front_cache("varnish")
    story.standfirst = "A new standfirst."
    with run_purges():
        story.save_revision().publish()
    assert recorder.purged() == {f"article-{story.pk}", "feeds"}
    assert recorder.requests[0].method == "PURGE"


def test_unpublishing_purges_every_list_the_story_was_on(
    front_cache, run_purges, section, make_article, author
):
    story = make_article(tags=["trams"], authors=[author])
    recorder = front_cache("cloudflare")
    with run_purges():
        story.unpublish()
    assert recorder.purged() == {
        f"article-{story.pk}",
        "front-home",
        f"section-{section.pk}",
        "tag-trams",
        f"author-{author.slug}",
        "feeds",
    }
    request = recorder.requests[0]
    assert request.path == "/client/v4/zones/svc123/purge_cache"
    assert request.headers["authorization"] == "Bearer secret-token"


def test_a_correction_purges_the_story_and_the_corrections_page(
    front_cache, run_purges, make_article
):
    story = make_article(tags=["trams"])
    recorder = front_cache("fastly")
    with run_purges():
        add_correction(article=story, kind="correction", text="It was 31 to 9.", by=None)
    assert recorder.purged() == {f"article-{story.pk}", "feeds", "corrections"}


def test_a_front_change_purges_that_front_only(front_cache, run_purges, home, make_article):
    story = make_article()
    recorder = front_cache("fastly")
    home = HomePage.objects.get(pk=home.pk)
    home.lead_story = story
    with run_purges():
        home.save_revision().publish()
    assert recorder.purged() == {f"page-{home.pk}"}


def test_renaming_a_section_purges_the_navigation(front_cache, run_purges, section):
    section = SectionPage.objects.get(pk=section.pk)
    section.save_revision().publish()  # the fixture made it live without a revision
    recorder = front_cache("fastly")
    section.description = "What happened today."
    with run_purges():
        section.save_revision().publish()
    assert recorder.purged() == {f"page-{section.pk}", f"section-{section.pk}"}

    recorder.clear()
    section.title = "Local news"
    with run_purges():
        section.save_revision().publish()
    assert recorder.purged() == {f"page-{section.pk}", f"section-{section.pk}", "nav"}


def test_comments_purge_only_their_fragment_once_per_interval(
    front_cache, run_purges, make_article, reader
):
    story = make_article()
    recorder = front_cache("fastly")
    with run_purges():
        first = post_comment(author=reader, article=story, body="First thoughts on the trams.")
        edit_comment(comment=first, user=reader, body="Second thoughts on the trams.")
    waiting = DBTaskResult.objects.filter(task_path=purge_front_cache.module_path)
    assert waiting.count() == 1  # the edit rides on the purge the comment queued
    assert waiting.get().run_after > timezone.now() + timedelta(seconds=3)
    assert recorder.requests == []  # not yet: it waits COMMENT_PURGE_SECONDS

    waiting.update(run_after=timezone.now())
    with run_purges():
        pass
    assert recorder.keys() == [{f"comments-{story.pk}"}]


def test_no_front_cache_queues_nothing(run_purges, make_article):
    story = make_article()
    with run_purges():
        story.save_revision().publish()
    assert not DBTaskResult.objects.filter(task_path=purge_front_cache.module_path).exists()


def test_own_cache_purges_exactly_the_pages_carrying_the_keys(client, home, make_article):
    story = make_article("Council votes")
    other = make_article("Ferry timetable changes")
    for url in (story.url, other.url, home.url):
        client.get(url)
    assert client.get(other.url)["X-Cache"] == "HIT"

    story.title = "Council votes to reopen the tram line"
    story.save_revision().publish()

    assert client.get(other.url)["X-Cache"] == "HIT"  # not linked to the story
    response = client.get(story.url)
    assert response["X-Cache"] == "MISS"
    assert b"reopen the tram line" in response.content
    home_response = client.get(home.url)
    assert home_response["X-Cache"] == "MISS"  # it lists the story
    assert b"reopen the tram line" in home_response.content


def test_unpublished_story_is_gone_from_the_cache_at_once(client, make_article):
    story = make_article()
    client.get(story.url)
    story.unpublish()
    assert client.get(story.url).status_code == 404


def test_moving_a_story_purges_both_sections(front_cache, run_purges, home, section, make_article):
    story = make_article()
    climate = home.add_child(instance=SectionPage(title="Climate", slug="climate"))
    recorder = front_cache("fastly")
    with run_purges():
        story.move(climate, pos="last-child")
    assert {
        f"article-{story.pk}",
        f"section-{section.pk}",
        f"section-{climate.pk}",
        "front-home",
    } <= recorder.purged()
    assert "nav" not in recorder.purged()


def test_deleting_a_live_story_purges_its_lists(front_cache, run_purges, section, make_article):
    story = make_article(tags=["trams"])
    pk = story.pk
    recorder = front_cache("fastly")
    with run_purges():
        story.delete()
    assert recorder.purged() == {
        f"article-{pk}",
        "front-home",
        f"section-{section.pk}",
        "tag-trams",
        "feeds",
    }


def test_a_story_made_private_leaves_the_cache_at_once(client, section, make_article):
    story = make_article()
    assert client.get(story.url)["X-Cache"] == "MISS"
    assert client.get(story.url)["X-Cache"] == "HIT"
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    response = client.get(story.url)
    assert response.status_code == 302  # to the sign-in page, not the stored copy
    assert "X-Cache" not in response


def test_editing_an_author_purges_their_page_and_their_stories(
    front_cache, run_purges, make_article, author
):
    story = make_article(authors=[author])
    make_article("Someone else's story")
    recorder = front_cache("fastly")
    author.job_title = "Transport editor"
    with run_purges():
        author.save()
    assert recorder.purged() == {f"author-{author.slug}", f"article-{story.pk}"}


def test_renaming_a_tag_purges_its_page_and_its_stories(front_cache, run_purges, make_article):
    story = make_article(tags=["trams"])
    make_article("Untagged story")
    tag = Tag.objects.get(slug="trams")
    recorder = front_cache("fastly")
    tag.name = "Trams and light rail"
    with run_purges():
        tag.save()
    assert recorder.purged() == {"tag-trams", f"article-{story.pk}"}


def test_a_photo_credit_fix_purges_the_stories_that_show_it(
    front_cache, run_purges, make_article, make_photo
):
    photo = make_photo("Harbour at dawn")
    story = make_article(lead_photo=photo)
    make_article("A story without it")
    recorder = front_cache("fastly")
    photo.credit = "Ines Duarte / Harbour Press"
    with run_purges():
        photo.save()
    assert recorder.purged() == {f"article-{story.pk}"}


def test_uploading_a_new_photo_purges_nothing(front_cache, run_purges, make_photo):
    recorder = front_cache("fastly")
    with run_purges():
        make_photo("A new picture")
    assert recorder.requests == []


def test_an_author_rename_shows_on_their_stored_story_at_once(client, make_article, author):
    story = make_article(authors=[author])
    assert b"Marta Silva" in client.get(story.url).content
    author.name = "Marta Silva-Reis"
    author.save()
    response = client.get(story.url)
    assert response["X-Cache"] == "MISS"
    assert b"Marta Silva-Reis" in response.content
