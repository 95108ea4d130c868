"""Shared fixtures: a small newsroom (home > section > articles) and the personas.

Personas, as in every test of this project: `reader`, `second_reader`, `moderator`, `editor`,
`admin`. Content is built through Wagtail's own API, the way editors create it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.models import Page, Site

from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user
from masthead.newsroom.models import ArticlePage, Author, HomePage, Photo, SectionPage, WireAgency

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs ~0.3 s per account; the hasher is Django's concern, not ours.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests look at a page right after each comment: render a purged comments section at once
    # (production renders a hot thread's section at most once a second; tested on its own).
    settings.MASTHEAD = {
        **settings.MASTHEAD,
        "PAGE_CACHE": {**settings.MASTHEAD["PAGE_CACHE"], "FRAGMENT_RENDER_SECONDS": 0},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Wagtail caches site root paths and renditions; with Redis the cache outlives a test.
    cache.clear()
    caches["pages"].clear()
    yield


def _person(email: str, role: Role, name: str) -> User:
    return create_user(email=email, password=PASSWORD, role=role, verified=True, display_name=name)


@pytest.fixture
def reader(db) -> User:
    return _person("rosa.reader@example.com", Role.READER, "Rosa")


@pytest.fixture
def second_reader(db) -> User:
    return _person("sam.second@example.com", Role.READER, "Sam")


@pytest.fixture
def moderator(db) -> User:
    return _person("mo.moderator@example.com", Role.MODERATOR, "Mo")


@pytest.fixture
def editor(db) -> User:
    return _person("eda.editor@example.com", Role.EDITOR, "Eda")


@pytest.fixture
def admin(db) -> User:
    return _person("ada.admin@example.com", Role.ADMIN, "Ada")


@pytest.fixture
def home(db) -> HomePage:
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="The Test Gazette", slug="front"))
    site = Site.objects.get(is_default_site=True)
    old_root = site.root_page
    site.root_page = home
    site.save()
    if old_root.pk != home.pk:
        old_root.delete()
    return home


@pytest.fixture
def section(home) -> SectionPage:
    return home.add_child(instance=SectionPage(title="News", slug="news"))


@pytest.fixture
def make_photo(db) -> Callable[..., Photo]:
    def make(
        title: str = "River at dawn", *, credit: str = "Ines Duarte", caption: str = ""
    ) -> Photo:
        buffer = io.BytesIO()
        PILImage.new("RGB", (1000, 625), (40, 90, 140)).save(buffer, "JPEG")
        return Photo.objects.create(
            title=title,
            file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.jpg"),
            credit=credit,
            caption=caption or f"{title}, as seen from the bridge.",
            description=f"Photo: {title}",
        )

    return make


@pytest.fixture
def make_article(section) -> Callable[..., ArticlePage]:
    counter = {"n": 0}

    def make(
        title: str = "Council votes to reopen the old tram line",
        *,
        parent: SectionPage | None = None,
        tags: list[str] | None = None,
        authors: list[Author] | None = None,
        published_at=None,
        **fields,
    ) -> ArticlePage:
        counter["n"] += 1
        fields.setdefault(
            "standfirst", "The vote followed three years of campaigning by residents."
        )
        fields.setdefault(
            "body",
            [("paragraph", "<p>Councillors voted 31 to 9 on Tuesday night.</p>")],
        )
        article = ArticlePage(title=title, slug=f"story-{counter['n']}", **fields)
        (parent or section).add_child(instance=article)
        for author in authors or []:
            article.bylines.create(author=author)
        if tags:
            article.tags.add(*tags)
        article.save_revision().publish()
        when = published_at or timezone.now() - timedelta(minutes=counter["n"])
        ArticlePage.objects.filter(pk=article.pk).update(first_published_at=when)
        article.refresh_from_db()
        return article

    return make


@pytest.fixture
def author(db) -> Author:
    return Author.objects.create(name="Marta Silva", job_title="City reporter")


@pytest.fixture
def agency(db) -> WireAgency:
    return WireAgency.objects.create(
        name="Agence Test Presse", short_name="ATP", copyright_pattern="© {agency} {year}"
    )


def pytest_sessionfinish(session, exitstatus) -> None:  # type: ignore[no-untyped-def]
    """Remove this run's page-cache directory and write-queue lock (each run has its own)."""
    import shutil
    from pathlib import Path

    from django.conf import settings

    location = settings.CACHES["pages"].get("LOCATION", "")
    if "test-pages-" in str(location):
        shutil.rmtree(Path(location), ignore_errors=True)
    # And the lock file the SQLite write queue keeps beside this run's test database.
    test_database = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if test_database:
        Path(f"{test_database}.write-queue").unlink(missing_ok=True)
