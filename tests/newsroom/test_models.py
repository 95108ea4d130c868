import pytest
from django.core.exceptions import ValidationError

from masthead.newsroom.models import CommentMode, WireAgency
from masthead.newsroom.services import related_articles


def test_wire_copyright_line_uses_agency_pattern_and_year(agency):
    assert agency.copyright_line(2026) == "© ATP 2026"


def test_wire_agency_rejects_unknown_placeholders(db):
    agency = WireAgency(name="Bad", short_name="B", copyright_pattern="© {owner} {year}")
    with pytest.raises(ValidationError) as error:
        agency.full_clean()
    assert "copyright_pattern" in error.value.message_dict


def test_broken_agency_pattern_saved_around_validation_still_renders(client, make_article, db):
    agency = WireAgency.objects.create(name="Odd", short_name="ODD", copyright_pattern="© {0}")
    article = make_article(wire_agency=agency)
    assert article.copyright_line() == f"© ODD {article.first_published_at.year}"
    assert client.get(article.url).status_code == 200


def test_staff_story_copyright_uses_publication_name(make_article):
    article = make_article()
    year = article.first_published_at.year
    assert article.copyright_line() == f"© The Masthead Courier {year}"


def test_legal_closure_requires_a_message_for_readers(make_article):
    article = make_article(comment_mode=CommentMode.LEGAL, comments_closed_message="Legal reasons.")
    article.comments_closed_message = ""
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "comments_closed_message" in error.value.message_dict


def test_comments_open_only_when_open_or_premoderated(make_article):
    article = make_article()
    expected = {
        CommentMode.OPEN: True,
        CommentMode.PREMODERATED: True,
        CommentMode.CLOSED: False,
        CommentMode.LEGAL: False,
    }
    for mode, is_open in expected.items():
        article.comment_mode = mode
        assert article.comments_open is is_open


def test_related_articles_prefer_stories_sharing_more_tags(make_article):
    one_shared = make_article("Bus fares frozen", tags=["transport"])
    two_shared = make_article("Tram budget approved", tags=["transport", "council"])
    make_article("Unrelated recipe", tags=["food"])
    article = make_article("Tram line returns", tags=["transport", "council"])
    assert related_articles(article) == [two_shared, one_shared]


def test_related_articles_skip_unpublished_picks(make_article):
    draft = make_article("Draft story")
    draft.unpublish()
    article = make_article("Tram line returns")
    article.related_links.create(target=draft)
    assert related_articles(article) == []


def test_related_articles_are_capped(make_article, settings):
    for n in range(6):
        make_article(f"Transport story {n}", tags=["transport"])
    article = make_article("Tram line returns", tags=["transport"])
    assert len(related_articles(article)) == settings.MASTHEAD["RELATED_LINKS"]
