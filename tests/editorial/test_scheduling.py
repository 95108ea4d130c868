"""Scheduled publishing and embargoes: the worker publishes what is due, and nothing early."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import PageLogEntry

from masthead.editorial.scheduling import publish_due, publish_scheduled
from masthead.newsroom.models import ArticlePage

from .helpers import make_due, scheduled_article


def test_a_story_whose_time_has_come_is_published_by_one_tick(section):
    article = scheduled_article(
        section, "Bridge reopens at dawn", timezone.now() + timedelta(hours=1)
    )
    make_due(article)
    assert publish_due() == 1
    article.refresh_from_db()
    assert article.live and article.first_published_at is not None
    assert (
        PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled").count() == 1
    )


def test_a_story_scheduled_for_later_stays_embargoed(client, home, section):
    article = scheduled_article(section, "Budget details", timezone.now() + timedelta(hours=3))
    assert publish_due() == 0
    article.refresh_from_db()
    assert not article.live
    # Nowhere on the site: not at its address, not on the fronts, not in the lists.
    assert client.get("/news/budget-details/").status_code == 404
    assert b"Budget details" not in client.get(home.url).content
    assert b"Budget details" not in client.get(section.url).content
    assert not ArticlePage.objects.listed().filter(pk=article.pk).exists()


def test_only_the_due_story_goes_live(section):
    due = scheduled_article(section, "Due now", timezone.now() + timedelta(minutes=5))
    later = scheduled_article(section, "Due later", timezone.now() + timedelta(minutes=5))
    make_due(due)
    assert publish_due() == 1
    assert ArticlePage.objects.get(pk=due.pk).live
    assert not ArticlePage.objects.get(pk=later.pk).live


def test_publishing_twice_publishes_once(section):
    article = scheduled_article(section, "Once only", timezone.now() + timedelta(hours=1))
    make_due(article)
    assert publish_scheduled() == 1
    assert publish_scheduled() == 0  # a second worker finds nothing left to do
    assert (
        PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled").count() == 1
    )


def test_a_scheduled_change_to_a_live_story_waits_for_its_time(make_article):
    article = make_article("Ferry timetable")
    article.title = "Ferry timetable changes in May"
    article.go_live_at = timezone.now() + timedelta(hours=1)
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.live and article.title == "Ferry timetable"
    assert publish_due() == 0
    make_due(article)
    assert publish_due() == 1
    article.refresh_from_db()
    assert article.title == "Ferry timetable changes in May"


def test_an_expired_story_is_taken_down(client, make_article):
    article = make_article("Offer ends tonight")
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )
    assert publish_due() == 1
    article.refresh_from_db()
    assert not article.live and article.expired
    assert client.get(article.url or "/news/story-1/").status_code == 404
    assert publish_due() == 0
