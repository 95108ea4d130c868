""" "Download my data": a JSON file of everything Masthead holds about the reader."""

import json

import pytest

from masthead.accounts.services import export_user_data
from masthead.community.services import edit_comment, post_comment, react


@pytest.fixture
def article(make_article):
    return make_article("Ferry fares to rise in spring")


def test_export_needs_a_signed_in_reader(client, home):
    response = client.get("/accounts/profile/export.json")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_export_is_a_private_json_attachment(client, home, reader):
    client.force_login(reader)
    response = client.get("/accounts/profile/export.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="masthead-my-data-')
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "rosa.reader@example.com"
    assert data["profile"]["display_name"] == "Rosa"
    assert data["profile"]["joined"] == reader.date_joined.isoformat()
    assert data["reports"] == [] and data["contributions"] == []


def test_export_holds_own_comments_and_reactions_only(home, reader, second_reader, article):
    mine = post_comment(author=reader, article=article, body="Fares are too high")
    edit_comment(comment=mine, user=reader, body="Fares are far too high")
    theirs = post_comment(author=second_reader, article=article, body="They are fair")
    react(comment=theirs, user=reader)

    data = export_user_data(reader)

    assert data["comments"] == [
        {
            "id": mine.pk,
            "article": {"title": "Ferry fares to rise in spring", "url": article.full_url},
            "parent_id": None,
            "body": "Fares are far too high",
            "status": "published",
            "created_at": mine.created_at.isoformat(),
            "edited_at": data["comments"][0]["edited_at"],
            "like_count": 0,
        }
    ]
    assert data["comments"][0]["edited_at"] is not None
    assert [r["comment_id"] for r in data["reactions"]] == [theirs.pk]
    assert data["profile"]["email_addresses"] == [
        {"email": "rosa.reader@example.com", "verified": True, "primary": True}
    ]
    json.dumps(data)  # JSON-ready as it is


def test_export_holds_own_reports_and_contributions(home, reader, second_reader, article):
    from masthead.moderation.services import report_comment
    from masthead.revenue.models import Contribution

    theirs = post_comment(author=second_reader, article=article, body="Fares are fine")
    report_comment(reporter=reader, comment=theirs, reason="spam", note="Posted ten times")
    mine = post_comment(author=reader, article=article, body="Fares are too high")
    report_comment(reporter=second_reader, comment=mine, reason="abuse", note="Not hers")
    Contribution.objects.create(
        frequency="monthly",
        amount=500,
        currency="EUR",
        status="paid",
        reader=reader,
        email="rosa.reader@example.com",
        name="Rosa",
        provider="test",
    )
    Contribution.objects.create(
        frequency="once",
        amount=900,
        currency="EUR",
        status="paid",
        reader=second_reader,
        email="sam.second@example.com",
        provider="test",
    )

    data = export_user_data(reader)

    assert [(r["comment_id"], r["reason"], r["note"]) for r in data["reports"]] == [
        (theirs.pk, "spam", "Posted ten times")
    ]
    assert [(c["frequency"], c["amount"], c["email"]) for c in data["contributions"]] == [
        ("monthly", 500, "rosa.reader@example.com")
    ]
    json.dumps(data)  # the download is JSON: every value must serialise
