"""The demo newsroom: it loads a whole, believable site, and loading it again changes nothing.

Loading draws and saves ~50 photos with their renditions, so the database test loads once and
checks everything in one go rather than paying for the load in every test.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.db.models import Count
from django.utils import timezone
from PIL import Image
from wagtail.models import Page, Site

from masthead.accounts.models import User
from masthead.ads.models import AdSlot, HouseAd, SlotName
from masthead.newsroom.demo.content import AGENCIES, AUTHORS, SECTIONS
from masthead.newsroom.demo.load import (
    AUTHOR_RENDITION_SPECS,
    DEMO_ACCOUNTS,
    RENDITION_SPECS,
    load_demo_content,
)
from masthead.newsroom.demo.painting import HEIGHT, WIDTH
from masthead.newsroom.demo.photos import SCENES, draw_photo
from masthead.newsroom.demo.stories import STORIES
from masthead.newsroom.fronts import compose_front
from masthead.newsroom.models import (
    ArticlePage,
    ArticleTag,
    Author,
    CommentMode,
    HomePage,
    HourlyCount,
    Photo,
    PhotoRendition,
    RelatedLink,
    SectionPage,
    WireAgency,
)
from masthead.newsroom.services import related_articles


@pytest.fixture
def demo_dirs(settings, tmp_path: Path) -> Path:
    """Photos and the demo passwords file go to a temporary directory, not var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    return tmp_path


def _counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "articles": ArticlePage.objects.count(),
        "photos": Photo.objects.count(),
        "renditions": PhotoRendition.objects.count(),
        "authors": Author.objects.count(),
        "agencies": WireAgency.objects.count(),
        "tags": ArticleTag.objects.count(),
        "links": RelatedLink.objects.count(),
        "slots": AdSlot.objects.count(),
        "house_ads": HouseAd.objects.count(),
        "reads": HourlyCount.objects.count(),
        "users": User.objects.count(),
        "sites": Site.objects.count(),
    }


@pytest.mark.django_db
def test_demo_content_has_a_whole_newsroom_and_loading_again_changes_nothing(demo_dirs):
    summary = load_demo_content()

    assert summary.created
    # The site: a home page in place of Wagtail's welcome page, sections under it.
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.site_name == "The Masthead Courier"
    assert Page.objects.filter(depth=2).count() == 1
    sections = SectionPage.objects.live().child_of(site.root_page)
    assert sections.count() >= 3
    assert summary.sections == sections.count()
    articles = ArticlePage.objects.live().descendant_of(site.root_page)
    assert articles.count() >= 30
    assert summary.articles == articles.count()

    # Photos: credited, captioned, stored under MEDIA_ROOT, with every template rendition.
    photos = Photo.objects.all()
    assert photos.count() >= 40
    assert not photos.filter(credit="").exists()
    assert not photos.filter(caption="").exists()
    assert not photos.filter(description="").exists()
    photo = photos.first()
    assert Path(photo.file.path).is_relative_to(demo_dirs / "media")
    assert (photo.width, photo.height) == (WIDTH, HEIGHT)
    portraits = set(Author.objects.values_list("photo", flat=True))
    for photo in photos:
        wanted = AUTHOR_RENDITION_SPECS if photo.pk in portraits else RENDITION_SPECS
        assert set(wanted) <= set(photo.renditions.values_list("filter_spec", flat=True))
    assert articles.exclude(lead_photo=None).count() >= articles.count() * 2 // 3
    with_inline_photos = [a for a in articles if any(b.block_type == "photo" for b in a.body)]
    assert len(with_inline_photos) * 3 >= articles.count()

    # Credits: wire stories carry the agency's copyright line and no staff byline.
    wire = articles.exclude(wire_agency=None)
    assert wire.count() >= 3
    for article in wire:
        assert article.wire_agency.short_name in article.copyright_line()
        assert article.wire_byline
        assert not article.bylines.exists()
    assert articles.filter(bylines__isnull=False).distinct().count() >= 20
    assert Author.objects.exclude(job_title="").exclude(bio="").count() >= 6

    # Bodies have paragraphs, subheadings and quotes.
    kinds = {block.block_type for article in articles for block in article.body}
    assert {"paragraph", "subheading", "quote", "photo"} <= kinds

    # Tags are shared, so related-by-tags works; editors also picked some "Read:" links.
    shared = ArticleTag.objects.values("tag").annotate(n=Count("content_object")).filter(n__gte=2)
    assert shared.count() >= 10
    assert all(related_articles(article) for article in articles)
    assert RelatedLink.objects.count() >= 5

    # Comment modes, updates and publication times spread over the last ten days.
    assert articles.filter(comment_mode=CommentMode.CLOSED).exists()
    assert articles.filter(comment_mode=CommentMode.PREMODERATED).exists()
    legal = articles.get(comment_mode=CommentMode.LEGAL)
    assert legal.comments_closed_message
    assert articles.exclude(updated_at=None).count() >= 2
    now = timezone.now()
    published = list(articles.values_list("first_published_at", flat=True))
    assert all(now - timedelta(days=11) < when < now for when in published)
    assert len({when.date() for when in published}) >= 8

    # House ads for every slot, most with a drawn picture.
    assert set(AdSlot.objects.filter(enabled=True).values_list("name", flat=True)) == set(
        SlotName.values
    )
    running = HouseAd.objects.running()
    assert set(running.values_list("slot", flat=True)) == set(SlotName.values)
    assert running.exclude(image=None).count() >= 3
    assert not running.filter(link_url="").exists()

    # Fronts: editors picked a lead and three stories for the home page and every section,
    # and "Most read" has readers to show on a fresh demo.
    for front in [site.root_page.specific, *sections.specific()]:
        composed = compose_front(front)
        assert composed.lead is not None and composed.lead.pk == front.lead_story_id, front
        assert len(composed.picks) == 3, front
        assert front.slots.count() == 3, front
    assert len(compose_front(site.root_page.specific).most_read) == 5

    # Accounts: verified, with their roles, and passwords kept for the next run.
    passwords = json.loads((demo_dirs / "var" / "demo-passwords.json").read_text())
    for role, email, _ in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert user.has_role(role)
        assert user.check_password(passwords[email])
        assert EmailAddress.objects.filter(user=user, email=email, verified=True).exists()
    assert User.objects.get(email="reader@masthead.example").is_staff is False
    assert User.objects.get(email="admin@masthead.example").is_superuser

    # Loading again finds the content, creates nothing and prints the same passwords.
    before = _counts()
    again = load_demo_content()
    assert not again.created
    assert _counts() == before
    assert again.accounts == summary.accounts


def test_demo_stories_are_consistent():
    keys = [story.key for story in STORIES]
    assert len(keys) == len(set(keys)) >= 30
    section_slugs = {section.slug for section in SECTIONS}
    author_slugs = {author.slug for author in AUTHORS}
    agencies = {agency.short_name for agency in AGENCIES}
    for story in STORIES:
        assert story.section in section_slugs
        assert set(story.authors) <= author_slugs
        assert set(story.read) <= set(keys) - {story.key}
        assert bool(story.wire) != bool(story.authors), story.key  # staff or wire, not both
        assert not story.wire or story.wire in agencies
        assert len(story.headline) <= 255
        assert 0 < len(story.standfirst) <= 400
        assert sum(kind == "paragraph" for kind, _ in story.body) >= 3, story.key
        assert story.comment_mode != CommentMode.LEGAL or story.comments_closed_message


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_demo_photos_are_drawn_the_same_every_time(scene):
    first = draw_photo(scene, 7)
    assert draw_photo(scene, 7) == first
    image = Image.open(io.BytesIO(first))
    assert (image.format, image.size) == ("JPEG", (WIDTH, HEIGHT))
