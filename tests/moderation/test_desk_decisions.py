"""Deciding from the desk, as forms and through the API: approve, reject, ban, bulk, undo,
notes; "already decided by X" when someone got there first; history, the log and its CSV,
the dashboard, and the tiny endpoint that takes others' decisions out of an open queue."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from masthead.accounts.models import User
from masthead.community.models import Comment, CommentStatus
from masthead.community.services import post_comment
from masthead.moderation import charts
from masthead.moderation.models import ModerationAction, Report
from masthead.moderation.services import decide, report_comment
from masthead.newsroom.models import CommentMode

API = "/api/v1/moderation"


def fresh(comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def reported(comment, second_reader):
    report_comment(reporter=second_reader, comment=comment, reason="spam", note="Selling boats")
    return fresh(comment)


@pytest.fixture
def held(make_article, reader):
    article = make_article("Bridge closes for repairs", comment_mode=CommentMode.PREMODERATED)
    return post_comment(author=reader, article=article, body="About time they fixed it.")


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def queue_html(client, name, **params):
    response = client.get(f"/moderation/queue/{name}/", params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


# --- The queue pages ------------------------------------------------------------------------


def test_the_reported_queue_shows_the_comment_in_context(mod_client, reported, reply):
    soup = queue_html(mod_client, "reported")
    item = soup.select_one(f"#item-{reported.pk}")
    text = item.get_text(" ", strip=True)
    assert "Fares are already too high." in text
    assert "Ferry fares to rise in spring" in text
    assert "Spam or advertising" in text and "Selling boats" in text
    assert "Joined" in text and "Trust" in text
    # The reject form suggests the most reported reason.
    select = item.select_one('form[data-decision="reject"] select[name="reason"]')
    assert select.select_one("option[selected]")["value"] == "spam"


def test_a_reply_shows_the_comment_it_answers(mod_client, comment, reply, reader):
    report_comment(reporter=reader, comment=reply, reason="abuse")
    item = queue_html(mod_client, "reported").select_one(f"#item-{reply.pk}")
    assert "In reply to Rosa" in item.get_text(" ", strip=True)
    assert "Fares are already too high." in item.get_text(" ", strip=True)


def test_the_pending_queue_and_its_count(mod_client, held):
    soup = queue_html(mod_client, "pending")
    assert soup.select_one(f"#item-{held.pk}")
    assert soup.select_one('[data-count="pending"]').get_text() == "1"


def test_filters_and_search_on_the_page(mod_client, reported, held):
    assert queue_html(mod_client, "reported", q="too high").select_one(f"#item-{reported.pk}")
    assert not queue_html(mod_client, "reported", q="nothing like it").select("[data-desk-item]")
    assert queue_html(mod_client, "reported", reason="spam").select("[data-desk-item]")
    assert not queue_html(mod_client, "reported", reason="hate").select("[data-desk-item]")
    assert not queue_html(mod_client, "reported", article=held.article_id).select(
        "[data-desk-item]"
    )


def test_a_bad_cursor_is_a_400_page_not_an_error(mod_client, reported):
    response = mod_client.get("/moderation/queue/reported/", {"cursor": "rubbish"})
    assert response.status_code == 400
    assert "cursor is not valid" in response.content.decode()


def test_an_unknown_queue_is_404(mod_client, db):
    assert mod_client.get("/moderation/queue/everything/").status_code == 404
    assert mod_client.get(f"{API}/queues/everything").status_code == 422


# --- Deciding with forms --------------------------------------------------------------------


def test_rejecting_from_the_page_goes_back_to_the_queue_with_a_message(
    mod_client, reported, moderator
):
    response = mod_client.post(
        f"/moderation/comment/{reported.pk}/decide",
        {"action": "reject", "reason": "spam", "next": "/moderation/queue/reported/"},
        follow=True,
    )
    assert response.redirect_chain[-1] == ("/moderation/queue/reported/", 303)
    assert "Rejected: the comment is removed." in messages_of(response)
    assert fresh(reported).status == CommentStatus.REJECTED
    assert fresh(reported).moderated_by == moderator
    assert not BeautifulSoup(response.content, "html.parser").select(f"#item-{reported.pk}")


def test_ban_from_the_page(mod_client, reported, reader):
    mod_client.post(
        f"/moderation/comment/{reported.pk}/decide",
        {"action": "ban", "reason": "spam", "ban_days": "7", "message": "No adverts, please."},
    )
    reader.refresh_from_db()
    assert reader.is_banned and reader.ban_message == "No adverts, please."
    assert reader.banned_until > timezone.now() + timedelta(days=6)


def test_a_ban_needs_a_valid_length(mod_client, reported, reader):
    response = mod_client.post(
        f"/moderation/comment/{reported.pk}/decide",
        {"action": "ban", "ban_days": "365"},
        follow=True,
    )
    assert any("1, 7 or 30 days" in m for m in messages_of(response))
    reader.refresh_from_db()
    assert not reader.is_banned


def test_next_must_stay_on_the_desk(mod_client, held):
    response = mod_client.post(
        f"/moderation/comment/{held.pk}/decide",
        {"action": "approve", "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/moderation/comment/{held.pk}/"


def test_a_form_decision_on_an_item_someone_else_decided_says_who(
    client, reported, moderator, second_moderator
):
    client.force_login(moderator)
    soup = queue_html(client, "reported")
    seen = soup.select_one(f'#item-{reported.pk} form[data-decision="reject"] input[name="seen"]')
    # Meanwhile Max approves it.
    decide(comment=fresh(reported), moderator=second_moderator, action="approve")
    response = client.post(
        f"/moderation/comment/{reported.pk}/decide",
        {"action": "reject", "reason": "spam", "seen": seen["value"]},
        follow=True,
    )
    assert "Already decided by Max: nothing changed." in messages_of(response)
    assert fresh(reported).status == CommentStatus.PUBLISHED


def test_bulk_approve_and_reject(mod_client, make_article, reader, moderator):
    article = make_article("Harbour works", comment_mode=CommentMode.PREMODERATED)
    held = [post_comment(author=reader, article=article, body=f"Held {n}") for n in range(3)]
    response = mod_client.post(
        "/moderation/bulk",
        {"action": "approve", "ids": [held[0].pk, held[1].pk], "next": "/moderation/"},
        follow=True,
    )
    assert "Approved 2 comments." in messages_of(response)
    assert [fresh(c).status for c in held] == ["published", "published", "pending"]
    response = mod_client.post(
        "/moderation/bulk",
        {"action": "reject", "reason": "off_topic", "ids": [held[0].pk, held[2].pk]},
        follow=True,
    )
    assert [fresh(c).status for c in held] == ["rejected", "published", "rejected"]
    assert fresh(held[2]).rejection_reason == "off_topic"


def test_undo_and_note_and_feature_from_the_item_page(mod_client, reported, moderator):
    mod_client.post(f"/moderation/comment/{reported.pk}/decide", {"action": "reject"})
    mod_client.post(f"/moderation/comment/{reported.pk}/undo")
    assert fresh(reported).status == CommentStatus.PUBLISHED
    mod_client.post(f"/moderation/comment/{reported.pk}/note", {"text": "Regular spammer?"})
    mod_client.post(f"/moderation/comment/{reported.pk}/feature", {"featured": "1"})
    page = mod_client.get(f"/moderation/comment/{reported.pk}/")
    history = BeautifulSoup(page.content, "html.parser").select_one("[data-history]")
    text = history.get_text(" ", strip=True)
    for expected in ["Rejected", "Undone", "Note", "Regular spammer?", "Featured", "by Mo"]:
        assert expected in text
    assert fresh(reported).featured_at is not None


def test_the_notes_never_reach_readers(client, reported, moderator, second_reader):
    client.force_login(moderator)
    client.post(f"/moderation/comment/{reported.pk}/note", {"text": "Secret staff note"})
    client.force_login(second_reader)
    assert b"Secret staff note" not in client.get(reported.article.url).content
    assert b"Secret staff note" not in client.get(f"/api/v1/comments?ids={reported.pk}").content


# --- Deciding through the API ---------------------------------------------------------------


def test_api_queue_lists_items_with_reports_and_reasons(mod_client, reported):
    data = mod_client.get(f"{API}/queues/reported").json()
    (item,) = data["items"]
    assert item["id"] == reported.pk
    assert item["reports"] == [
        {"reason": "spam", "label": "Spam or advertising", "count": 1, "notes": ["Selling boats"]}
    ]
    assert item["article"]["title"] == "Ferry fares to rise in spring"
    assert item["author"]["name"] == "Rosa"
    assert item["seen"].startswith("published|")
    assert data["next_cursor"] is None


def test_api_queue_pages_with_a_cursor(mod_client, make_article, reader):
    article = make_article("Harbour works", comment_mode=CommentMode.PREMODERATED)
    made = [post_comment(author=reader, article=article, body=f"Held {n}") for n in range(5)]
    first = mod_client.get(f"{API}/queues/pending", {"limit": 2}).json()
    second = mod_client.get(
        f"{API}/queues/pending", {"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [i["id"] for i in first["items"] + second["items"]] == [c.pk for c in made[:4]]
    bad = mod_client.get(f"{API}/queues/pending", {"cursor": "x"})
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"
    assert mod_client.get(f"{API}/queues/pending", {"limit": 1000}).status_code == 422


def test_api_decision(mod_client, reported, moderator):
    response = post_json(
        mod_client, f"{API}/comments/{reported.pk}/decision", {"action": "reject", "reason": "spam"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected" and response.json()["decided_by"] == "Mo"
    assert Report.objects.get(comment=reported).status == "resolved"


def test_api_decision_on_an_already_decided_item_is_409_and_names_who(
    client, reported, moderator, second_moderator
):
    client.force_login(moderator)
    seen = client.get(f"{API}/queues/reported").json()["items"][0]["seen"]
    decide(comment=fresh(reported), moderator=second_moderator, action="approve")
    response = post_json(
        client,
        f"{API}/comments/{reported.pk}/decision",
        {"action": "reject", "reason": "spam", "seen": seen},
    )
    assert response.status_code == 409
    assert response.json() == {
        "error": "already_decided",
        "message": "Already decided by Max: nothing changed.",
        "decided_by": "Max",
    }
    assert fresh(reported).status == CommentStatus.PUBLISHED
    # Approving again without a `seen` is refused too: nothing is open any more.
    again = post_json(client, f"{API}/comments/{reported.pk}/decision", {"action": "approve"})
    assert again.status_code == 409


def test_api_refuses_bad_decisions(mod_client, reported):
    url = f"{API}/comments/{reported.pk}/decision"
    assert post_json(mod_client, url, {"action": "explode"}).status_code == 422
    assert post_json(mod_client, url, {"action": "ban", "ban_days": 3}).status_code == 422
    assert post_json(mod_client, url, {"action": "approve", "ban_days": 7}).status_code == 400
    assert post_json(mod_client, url, {"action": "reject", "reason": "nope"}).status_code == 400
    assert (
        post_json(mod_client, f"{API}/comments/999999/decision", {"action": "approve"}).json()[
            "error"
        ]
        == "not_found"
    )
    assert fresh(reported).status == CommentStatus.PUBLISHED


def test_api_ban_permanently(mod_client, reported, reader):
    response = post_json(
        mod_client,
        f"{API}/comments/{reported.pk}/decision",
        {"action": "ban", "reason": "spam", "ban_days": None, "message": "Enough."},
    )
    assert response.status_code == 200
    assert User.objects.get(pk=reader.pk).banned_until.year > 9000


def test_api_bulk_reports_what_others_decided(mod_client, make_article, reader, second_moderator):
    article = make_article("Harbour works", comment_mode=CommentMode.PREMODERATED)
    a, b = (post_comment(author=reader, article=article, body=f"Held {n}") for n in range(2))
    decide(comment=fresh(b), moderator=second_moderator, action="reject")
    response = post_json(
        mod_client, f"{API}/decisions", {"ids": [a.pk, b.pk, 999999], "action": "approve"}
    )
    assert response.json() == {
        "done": [a.pk],
        "already_decided": [{"id": b.pk, "by": "Max"}],
        "failed": [{"id": 999999, "message": "No such comment."}],
    }


def test_api_undo_and_notes(mod_client, held):
    post_json(mod_client, f"{API}/comments/{held.pk}/decision", {"action": "approve"})
    response = mod_client.post(f"{API}/comments/{held.pk}/undo")
    assert response.status_code == 200 and response.json()["status"] == "pending"
    assert mod_client.post(f"{API}/comments/{held.pk}/undo").status_code == 409
    note = post_json(mod_client, f"{API}/comments/{held.pk}/notes", {"text": "Check the link"})
    assert note.status_code == 201 and note.json()["kind"] == "note"


def test_api_history_lists_every_action_oldest_first(mod_client, reported, moderator):
    post_json(mod_client, f"{API}/comments/{reported.pk}/decision", {"action": "reject"})
    history = mod_client.get(f"{API}/comments/{reported.pk}/history").json()
    assert [h["kind"] for h in history][-1] == "reject"
    last = history[-1]
    assert last["actor"] == "Mo" and last["before_status"] == "published"
    assert last["after_status"] == "rejected" and last["reason"] == "spam"
    assert mod_client.get(f"{API}/comments/999999/history").status_code == 404


def test_gone_tells_an_open_queue_what_others_decided(mod_client, reported, held, second_moderator):
    url = f"{API}/queues/reported/gone"
    assert mod_client.get(url, {"ids": f"{reported.pk}"}).json() == {"gone": []}
    decide(comment=fresh(reported), moderator=second_moderator, action="reject")
    response = mod_client.get(url, {"ids": f"{reported.pk},{held.pk}"})
    assert response["Cache-Control"] == "private, no-store"
    gone = {g["id"]: g for g in response.json()["gone"]}
    assert gone[reported.pk] == {"id": reported.pk, "status": "rejected", "by": "Max"}
    assert held.pk in gone  # never in this queue at all
    assert mod_client.get(url, {"ids": "1,x"}).status_code == 400
    assert mod_client.get(url, {"ids": ",".join(map(str, range(1, 200)))}).status_code == 400


def test_gone_costs_two_queries_at_most(mod_client, reported, django_assert_max_num_queries):
    mod_client.get(f"{API}/queues/reported/gone", {"ids": reported.pk})
    with django_assert_max_num_queries(6):  # session, user, groups, the question, who decided
        mod_client.get(f"{API}/queues/reported/gone", {"ids": f"{reported.pk},1,2,3"})


# --- The log and the dashboard --------------------------------------------------------------


def test_the_log_filters_and_exports_csv(mod_client, reported, held, moderator):
    decide(comment=fresh(reported), moderator=moderator, action="reject", reason="spam")
    decide(comment=fresh(held), moderator=moderator, action="approve")
    page = mod_client.get("/moderation/log/", {"kind": "reject"})
    rows = BeautifulSoup(page.content, "html.parser").select(".desk-log tbody tr")
    assert len(rows) == 1 and "Rejected" in rows[0].get_text()
    page = mod_client.get("/moderation/log/", {"article": held.article_id})
    assert "Approved" in BeautifulSoup(page.content, "html.parser").select_one(".desk-log").text

    response = mod_client.get("/moderation/log.csv", {"actor": moderator.pk})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    table = list(csv.DictReader(io.StringIO(body)))
    assert {r["kind"] for r in table} == {"reject", "approve"}
    rejected = next(r for r in table if r["kind"] == "reject")
    assert rejected["moderator"] == "Mo" and rejected["reason"] == "spam"
    assert rejected["comment_id"] == str(reported.pk)
    assert rejected["before_status"] == "published" and rejected["after_status"] == "rejected"


def test_the_log_filters_by_date(mod_client, reported, moderator):
    decide(comment=fresh(reported), moderator=moderator, action="reject")
    ModerationAction.objects.update(created_at=timezone.now() - timedelta(days=10))
    today = timezone.localdate().isoformat()
    body = b"".join(mod_client.get("/moderation/log.csv", {"since": today}).streaming_content)
    assert body.decode().count("\n") == 1  # the header only


def test_csv_cells_cannot_start_a_formula(mod_client, reported, moderator):
    decide(comment=fresh(reported), moderator=moderator, action="ban", message="=HYPERLINK(1)")
    body = b"".join(mod_client.get("/moderation/log.csv").streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_the_dashboard_draws_its_charts(mod_client, reported, held, moderator):
    decide(comment=fresh(reported), moderator=moderator, action="reject")
    response = mod_client.get("/moderation/dashboard/", {"days": 7})
    soup = BeautifulSoup(response.content, "html.parser")
    svgs = soup.select("svg.chart")
    assert len(svgs) == 7
    assert all(svg.get("role") == "img" and svg.find("title") for svg in svgs)
    text = soup.get_text(" ", strip=True)
    assert "Ferry fares to rise in spring" in text  # most-reported articles
    assert "Mo: 1" in text  # busiest moderators, in the chart's description
    assert "b'" not in text and "http://" not in str(soup.select_one(".desk-charts")).replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_the_dashboard_numbers(reported, held, moderator):
    from masthead.moderation import queues

    decide(comment=fresh(reported), moderator=moderator, action="reject")
    data = queues.dashboard(days=7)
    assert sum(data.comments) == 2 and sum(data.reports) == 1
    assert sum(data.rejections) == 1 and sum(data.approvals) == 0
    assert data.statuses == {"rejected": 1, "pending": 1}
    assert data.median_hours is not None and data.median_hours < 1
    assert data.top_articles[0][1] == "Ferry fares to rise in spring"
    assert data.top_moderators == [("Mo", 1)]


def test_charts_escape_labels_and_scale():
    svg = charts.hbar_chart(title="<b>", rows=[("<script>", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert charts.nice_max(0) == 1 and charts.nice_max(7) == 10 and charts.nice_max(130) == 200
    empty = charts.bar_chart(title="t", labels=[], series=[])
    assert "No data" in empty
    assert 'style="' not in charts.share_bar(title="s", parts=[("a", "A", 1), ("b", "B", 3)])


def test_a_published_comment_with_nothing_open_offers_no_approve(mod_client, comment):
    item = queue_html(mod_client, "recent").select_one(f"#item-{comment.pk}")
    assert item.select_one('form[data-decision="reject"]')
    assert not item.select_one('form[data-decision="approve"]')
    assert "nothing open against it" in item.get_text()


def test_a_comment_its_author_deleted_meanwhile_is_refused_in_the_services_words(
    mod_client, held, reader
):
    from masthead.community.services import delete_own_comment

    seen = "pending|"
    delete_own_comment(comment=fresh(held), user=reader)
    response = post_json(
        mod_client, f"{API}/comments/{held.pk}/decision", {"action": "reject", "seen": seen}
    )
    assert response.status_code == 409
    assert response.json()["decided_by"] is None
    assert "Nothing was changed" in response.json()["message"]
