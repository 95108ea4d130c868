"""Corrections and updates: added in the CMS or by the service, shown under the story and on
/corrections/, and moving the story's "Updated" time."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.editorial.models import Correction
from masthead.editorial.services import add_correction, sync_updated_at
from masthead.newsroom.models import ArticlePage

from .conftest import article_form


def corrections_block(html: str) -> str:
    match = re.search(r'<aside[^>]*data-part="corrections".*?</aside>', html, re.S)
    assert match, "no corrections block"
    return match.group(0)


def test_editor_adds_a_correction_in_the_cms_and_readers_see_it(client, editor, section):
    client.force_login(editor)
    client.post(
        f"/cms/pages/add/newsroom/articlepage/{section.pk}/",
        article_form(**{"action-publish": "1"}),
    )
    article = ArticlePage.objects.get(slug="night-buses-return")
    published_at = article.first_published_at
    noted = timezone.localtime() + timedelta(minutes=-1)
    noted = noted.replace(second=0, microsecond=0)
    response = client.post(
        f"/cms/pages/{article.pk}/edit/",
        article_form(
            corrections=[
                {
                    "kind": "correction",
                    "noted_at": noted.strftime("%Y-%m-%d %H:%M"),
                    "text": "An earlier version gave the wrong start date; it is Friday.",
                }
            ],
            **{"action-publish": "1"},
        ),
    )
    assert response.status_code == 302, response.content[:3000]
    article.refresh_from_db()
    assert article.updated_at == noted
    client.logout()
    html = client.get(article.url).content.decode()
    block = corrections_block(html)
    assert "Correction" in block
    assert f'datetime="{noted.isoformat()}"' in block
    assert "it is Friday." in block
    # The "Updated" time shows in the header (the story was first published earlier).
    if noted.strftime("%H:%M") != timezone.localtime(published_at).strftime("%H:%M"):
        assert 'class="updated"' in html


def test_a_correction_in_an_unpublished_draft_is_not_shown(client, editor, make_article):
    article = make_article("Reservoir levels")
    client.force_login(editor)
    client.post(
        f"/cms/pages/{article.pk}/edit/",
        article_form(
            title="Reservoir levels",
            slug=article.slug,
            corrections=[{"kind": "update", "noted_at": "", "text": "Not yet checked."}],
        ),  # saved as a draft, not published
    )
    client.logout()
    assert b'data-part="corrections"' not in client.get(article.url).content
    assert b"Not yet checked." not in client.get("/corrections/").content


def test_add_correction_publishes_a_new_revision(make_article, editor):
    article = make_article("School meals")
    before = article.live_revision_id
    correction = add_correction(
        article=article, kind="update", text="  The council replied   on Monday. ", by=editor
    )
    article.refresh_from_db()
    assert correction.text == "The council replied on Monday."
    assert article.live_revision_id != before
    assert article.live and not article.has_unpublished_changes
    assert article.updated_at == correction.noted_at
    (kept,) = article.live_revision.as_object().corrections.all()
    assert kept.text == correction.text


def test_add_correction_as_a_script(make_article):
    article = make_article("Harbour dredging")
    add_correction(article=article, kind="correction", text="The depth is 12 m.", by=None)
    assert Correction.objects.filter(article=article).count() == 1


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("apology", "Sorry.", "Choose a kind"),
        ("update", "   ", "Say what was corrected"),
        ("update", "x" * 1001, "1000 characters"),
    ],
)
def test_add_correction_refuses_bad_input(make_article, editor, kind, text, message):
    article = make_article()
    with pytest.raises(ValidationError, match=message):
        add_correction(article=article, kind=kind, text=text, by=editor)
    assert not Correction.objects.exists()


def test_writers_cannot_add_corrections_to_a_published_story(make_article, writer):
    with pytest.raises(PermissionDenied):
        add_correction(article=make_article(), kind="update", text="Hm.", by=writer)


def test_add_correction_refuses_a_story_with_unpublished_changes(make_article, editor):
    article = make_article("Library hours")
    article.title = "Library hours (draft)"
    article.save_revision(user=editor)
    with pytest.raises(ValidationError, match="unpublished changes"):
        add_correction(article=article, kind="update", text="New hours.", by=editor)
    article.refresh_from_db()
    assert article.title == "Library hours"


def test_add_correction_refuses_an_unpublished_story(make_article, editor):
    article = make_article()
    article.unpublish()
    with pytest.raises(ValidationError, match="published story"):
        add_correction(article=article, kind="update", text="x", by=editor)


def test_updated_time_never_moves_back(make_article):
    article = make_article()
    later = timezone.now() + timedelta(minutes=1)
    ArticlePage.objects.filter(pk=article.pk).update(updated_at=later)
    article.refresh_from_db()
    add_correction(article=article, kind="update", text="x", by=None, noted_at=timezone.now())
    article.refresh_from_db()
    assert article.updated_at == later
    assert sync_updated_at(article=article) == later


def test_corrections_page_lists_newest_first_with_links(client, make_article):
    older = make_article("Water main burst")
    newer = make_article("Bus lane trial")
    add_correction(
        article=older,
        kind="correction",
        text="The street was Rua Nova.",
        by=None,
        noted_at=timezone.now() - timedelta(hours=2),
    )
    add_correction(article=newer, kind="update", text="The trial was extended.", by=None)
    response = client.get("/corrections/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert html.index("The trial was extended.") < html.index("The street was Rua Nova.")
    assert f'href="{newer.url}"' in html and f'href="{older.url}"' in html
    assert "Set-Cookie" not in response.headers and "csrfmiddlewaretoken" not in html


def test_corrections_page_leaves_out_unpublished_and_private_stories(client, make_article):
    gone = make_article("Taken down")
    private = make_article("Members only")
    add_correction(article=gone, kind="update", text="Gone note.", by=None)
    add_correction(article=private, kind="update", text="Private note.", by=None)
    gone.refresh_from_db()
    gone.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    html = client.get("/corrections/").content.decode()
    assert "Gone note." not in html and "Private note." not in html
    assert "No corrections or updates yet." in html


def test_corrections_page_is_paginated_with_bounded_queries(
    client, make_article, settings, django_assert_max_num_queries
):
    settings.MASTHEAD = {**settings.MASTHEAD, "PAGE_SIZE": 3}
    for number in range(7):
        add_correction(
            article=make_article(f"Story {number}"),
            kind="update",
            text=f"Note {number}.",
            by=None,
        )
    client.get("/corrections/")  # warm up: the site settings row is created on first use
    with django_assert_max_num_queries(8):
        first = client.get("/corrections/").content.decode()
    assert first.count('data-kind="update"') == 3
    assert "Page 1 of 3" in first
    last = client.get("/corrections/?page=99").content.decode()  # nearest page
    assert "Page 3 of 3" in last and last.count('data-kind="update"') == 1
    assert client.get("/corrections/?page=abc").status_code == 200
