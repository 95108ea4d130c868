"""GET /api/v1/articles and the API's shared behaviour (errors, schema, auth)."""

import pytest
from django.core.management import call_command

from masthead.accounts.services import issue_token


def test_articles_are_listed_newest_first_with_contract_fields(client, make_article):
    first = make_article("First")
    second = make_article("Second")
    response = client.get("/api/v1/articles")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == [first.pk, second.pk]
    assert set(items[0]) >= {"id", "title", "url", "published_at", "comment_count"}
    assert items[0]["url"] == f"http://testserver{first.url}"
    assert items[0]["comment_count"] == 0
    assert items[0]["section"] == "News"


def test_articles_are_cursor_paged_without_gaps_or_repeats(client, make_article):
    made = [make_article(f"Story {n}").pk for n in range(7)]
    seen, cursor = [], None
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get("/api/v1/articles" + query).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == made


def test_unpublished_articles_are_not_listed(client, make_article):
    story = make_article()
    story.unpublish()
    assert client.get("/api/v1/articles").json()["items"] == []


@pytest.mark.parametrize("query", ["?cursor=not-a-cursor", "?cursor=%%%", "?limit=0", "?limit=500"])
def test_bad_paging_gets_a_json_400(client, db, query):
    response = client.get("/api/v1/articles" + query)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert response.json()["message"]


def test_malformed_parameter_gets_a_json_4xx(client, db):
    response = client.get("/api/v1/articles?limit=lots")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid"
    assert "limit" in body["message"]


def test_unknown_api_path_gets_json_404(client, db):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_openapi_schema_describes_the_articles_endpoint(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/articles" in schema["paths"]


def test_bearer_token_identifies_the_caller(client, reader):
    _, raw = issue_token(user=reader)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json() == {"id": reader.pk, "display_name": "Rosa", "roles": ["reader"]}


def test_revoked_or_wrong_token_is_refused_with_json_401(client, reader):
    token, raw = issue_token(user=reader)
    token.revoke()
    for value in (raw, "wagtail_not-a-real-token"):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {value}"})
        assert response.status_code == 401
        assert response.json()["error"] == "unauthenticated"


def test_session_identifies_a_signed_in_browser(client, reader):
    client.force_login(reader)
    assert client.get("/api/v1/me").json()["id"] == reader.pk


def test_token_from_adduser_works_against_the_api(client, db, capsys):
    call_command(
        "adduser",
        "script@example.com",
        "--password",
        "pw-for-scripts-99",
        "--role",
        "editor",
        "--token",
    )
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.json()["roles"] == ["editor"]


def test_bad_token_on_a_write_is_401_not_a_csrf_error(client, make_article):
    article = make_article()
    response = client.post(
        f"/api/v1/articles/{article.pk}/comments",
        {"body": "Hello"},
        content_type="application/json",
        headers={"Authorization": "Bearer wagtail_not-a-real-token"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"
