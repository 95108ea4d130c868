"""Who may use the desk: moderators and admins. Anonymous visitors are sent to sign in (pages)
or get 401 (API); readers, banned readers, the comment's author and editors get 403."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from masthead.accounts.services import issue_token
from masthead.moderation.services import report_comment

PEOPLE = ["anonymous", "reader", "banned_reader", "author", "moderator", "editor", "admin"]
ALLOWED = {"moderator", "admin"}
QUEUE_NAMES = ["pending", "reported", "recent", "approved", "rejected", "appeals", "notices"]


@pytest.fixture
def reported(comment, second_reader):
    report_comment(reporter=second_reader, comment=comment, reason="spam", note="An advert")
    comment.refresh_from_db()
    return comment


@pytest.fixture
def as_person(client, request):
    """Sign the test client in as one of the personas (`author` wrote the reported comment)."""

    def sign_in(who):
        if who == "anonymous":
            return client
        fixture = {"author": "reader", "reader": "third_reader"}.get(who, who)
        client.force_login(request.getfixturevalue(fixture))
        return client

    return sign_in


def desk_pages(comment_id):
    pages = ["/moderation/", "/moderation/log/", "/moderation/log.csv", "/moderation/dashboard/"]
    pages += [f"/moderation/queue/{name}/" for name in QUEUE_NAMES]
    pages.append(f"/moderation/comment/{comment_id}/")
    return pages


def desk_posts(comment_id):
    base = f"/moderation/comment/{comment_id}"
    return [
        (f"{base}/decide", {"action": "approve"}),
        (f"{base}/undo", {}),
        (f"{base}/note", {"text": "Watch this one"}),
        (f"{base}/feature", {"featured": "1"}),
        (f"{base}/appeal-decision", {"outcome": "upheld"}),
        ("/moderation/bulk", {"action": "approve", "ids": [comment_id]}),
    ]


def api_calls(comment_id):
    base = "/api/v1/moderation"
    calls = [("get", f"{base}/queues/{name}", None) for name in QUEUE_NAMES]
    calls += [
        ("get", f"{base}/queues/reported/gone?ids={comment_id}", None),
        ("get", f"{base}/comments/{comment_id}/history", None),
        ("post", f"{base}/comments/{comment_id}/decision", {"action": "approve"}),
        ("post", f"{base}/decisions", {"ids": [comment_id], "action": "approve"}),
        ("post", f"{base}/comments/{comment_id}/undo", {}),
        ("post", f"{base}/comments/{comment_id}/notes", {"text": "Seen"}),
    ]
    return calls


@pytest.mark.parametrize("who", PEOPLE)
def test_desk_pages_admit_only_moderators(who, as_person, reported, banned_reader, third_reader):
    client = as_person(who)
    for url in desk_pages(reported.pk):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/"), url
        elif who in ALLOWED:
            assert response.status_code in {200, 302}, url
        else:
            assert response.status_code == 403, url
            assert b"Moderators only" in response.content


@pytest.mark.parametrize("who", PEOPLE)
def test_desk_forms_admit_only_moderators(who, as_person, reported, banned_reader, third_reader):
    client = as_person(who)
    for url, data in desk_posts(reported.pk):
        response = client.post(url, data)
        if who == "anonymous":
            assert response.status_code == 302, url
            assert "/accounts/login/" in response["Location"], url
        elif who in ALLOWED:
            assert response.status_code == 303, url
        else:
            assert response.status_code == 403, url
    reported.refresh_from_db()
    assert (reported.moderated_by is not None) == (who in ALLOWED)


@pytest.mark.parametrize("who", PEOPLE)
def test_desk_api_admits_only_moderators(who, as_person, reported, banned_reader, third_reader):
    client = as_person(who)
    for method, url, body in api_calls(reported.pk):
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, json.dumps(body), content_type="application/json")
        if who == "anonymous":
            assert response.status_code == 401, url
            assert response.json()["error"] == "unauthenticated"
        elif who in ALLOWED:
            assert response.status_code in {200, 201, 409}, (url, response.content)
        else:
            assert response.status_code == 403, url
            assert response.json()["error"] == "forbidden"


def test_a_bearer_token_of_a_moderator_works_and_a_readers_does_not(
    client, reported, moderator, second_reader
):
    for user, status in [(moderator, 200), (second_reader, 403)]:
        token = issue_token(user=user)[1]
        response = client.get(
            "/api/v1/moderation/queues/reported", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == status


def _inline_code(html: bytes) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = [str(t)[:80] for t in soup.find_all("script") if not t.get("src")]
    found += [str(t)[:80] for t in soup.find_all("style")]
    found += [str(t)[:80] for t in soup.find_all(style=True)]
    found += [f"{t.name} {a}" for t in soup.find_all(True) for a in t.attrs if a.startswith("on")]
    return found


def test_every_desk_page_has_one_h1_and_no_inline_script_or_style(client, reported, moderator):
    client.force_login(moderator)
    for url in desk_pages(reported.pk):
        if url.endswith(".csv") or url == "/moderation/":
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        soup = BeautifulSoup(response.content, "html.parser")
        assert len(soup.find_all("h1")) == 1, url
        assert _inline_code(response.content) == [], url
        assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
