"""The desk's queues: what each holds, in which order, filtered and paged, in a fixed number of
queries whatever the queue's size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.community.models import Comment, CommentStatus
from masthead.community.text import render_comment_text
from masthead.moderation import queues
from masthead.moderation.models import (
    Appeal,
    IllegalContentNotice,
    ModerationAction,
    Report,
    ReportReason,
)


def make_comments(article, author, n, *, status=CommentStatus.PENDING, start=None, **fields):
    start = start or timezone.now() - timedelta(days=1)
    return Comment.objects.bulk_create(
        Comment(
            article=article,
            author=author,
            body=f"Comment {i}",
            body_html=render_comment_text(f"Comment {i}"),
            status=status,
            created_at=start + timedelta(seconds=i),
            **fields,
        )
        for i in range(n)
    )


def report(comment, reporter, reason="abuse", note="", when=None):
    """A report as the service leaves it: the row, the comment's open count and its oldest."""
    when = when or timezone.now()
    Report.objects.create(
        comment=comment,
        reporter=reporter,
        reason=ReportReason.objects.get(code=reason),
        note=note,
        created_at=when,
        updated_at=when,
    )
    Comment.objects.filter(pk=comment.pk).update(open_reports=F("open_reports") + 1)
    Comment.objects.filter(pk=comment.pk, first_reported_at__isnull=True).update(
        first_reported_at=when
    )
    comment.refresh_from_db()


def ids(page):
    return [c.pk for c in page.items]


def test_pending_holds_held_comments_oldest_first(article, reader):
    held = make_comments(article, reader, 3)
    make_comments(article, reader, 2, status=CommentStatus.PUBLISHED)
    page = queues.queue_page("pending")
    assert ids(page) == [c.pk for c in held]


def test_reported_puts_notices_first_then_escalated_then_most_reported(
    article, reader, second_reader, third_reader, moderator
):
    a, b, c, d = make_comments(article, reader, 4, status=CommentStatus.PUBLISHED)
    make_comments(article, reader, 1, status=CommentStatus.PUBLISHED)  # never reported
    report(a, second_reader)
    for who in (second_reader, third_reader):
        report(b, who)
    report(c, second_reader, when=timezone.now() - timedelta(hours=49))
    report(d, second_reader)
    IllegalContentNotice.objects.create(
        comment=d,
        law="Defamation Act",
        explanation="Says I stole.",
        name="N",
        email="n@x.org",
        good_faith=True,
    )
    Comment.objects.filter(pk=d.pk).update(has_notice=True)
    page = queues.queue_page("reported")
    assert ids(page) == [d.pk, c.pk, b.pk, a.pk]
    by_id = {item.pk: item for item in page.items}
    assert by_id[c.pk].escalated and not by_id[b.pk].escalated
    assert len(by_id[d.pk].open_notices) == 1
    assert [(g.code, g.count) for g in by_id[b.pk].reason_groups] == [("abuse", 2)]


def test_reported_includes_hidden_comments_and_skips_decided_ones(article, reader, second_reader):
    hidden, rejected = make_comments(article, reader, 2, status=CommentStatus.HIDDEN)
    report(hidden, second_reader)
    report(rejected, second_reader)
    Comment.objects.filter(pk=rejected.pk).update(status=CommentStatus.REJECTED)
    assert ids(queues.queue_page("reported")) == [hidden.pk]


def test_reports_are_grouped_by_reason_with_their_notes(
    article, reader, second_reader, third_reader
):
    (c,) = make_comments(article, reader, 1, status=CommentStatus.PUBLISHED)
    report(c, second_reader, "spam", note="Selling watches")
    report(c, third_reader, "spam")
    report(c, reader, "abuse", note="Rude")
    (item,) = queues.queue_page("reported").items
    groups = {g.code: g for g in item.reason_groups}
    assert groups["spam"].count == 2 and [n["note"] for n in groups["spam"].notes] == [
        "Selling watches"
    ]
    assert groups["abuse"].count == 1
    assert item.reason_groups[0].code == "spam"
    assert item.top_reason == "spam"


def test_filters_by_article_reason_and_search(make_article, article, reader, second_reader):
    other = make_article("Bridge closes for repairs")
    mine = make_comments(article, reader, 2, status=CommentStatus.PUBLISHED)
    theirs = make_comments(other, second_reader, 1, status=CommentStatus.PUBLISHED)
    report(mine[0], second_reader, "spam")
    report(mine[1], second_reader, "abuse")
    report(theirs[0], reader, "spam")
    Comment.objects.filter(pk=mine[1].pk).update(body="Buy cheap ferry tickets here")

    def shown(**filters):
        return set(ids(queues.queue_page("reported", filters=queues.Filters(**filters))))

    assert shown(article=article.pk) == {mine[0].pk, mine[1].pk}
    assert shown(reason="spam") == {mine[0].pk, theirs[0].pk}
    assert shown(q="cheap ferry") == {mine[1].pk}
    assert shown(q="Sam") == {theirs[0].pk}
    assert shown(author=reader.pk) == {mine[0].pk, mine[1].pk}


def test_recent_approved_rejected_and_appeals(article, reader, moderator):
    now = timezone.now()
    new, seen, gone, appealed = make_comments(article, reader, 4, status=CommentStatus.PUBLISHED)
    Comment.objects.filter(pk=seen.pk).update(moderated_at=now, moderated_by=moderator)
    Comment.objects.filter(pk__in=[gone.pk, appealed.pk]).update(
        status=CommentStatus.REJECTED, moderated_at=now, moderated_by=moderator
    )
    Appeal.objects.create(comment=appealed, author=reader, text="It was a joke.")
    assert ids(queues.queue_page("recent")) == [new.pk]
    assert ids(queues.queue_page("approved")) == [seen.pk]
    assert set(ids(queues.queue_page("rejected"))) == {gone.pk, appealed.pk}
    (item,) = queues.queue_page("appeals").items
    assert item.pk == appealed.pk and item.appeal.text == "It was a joke."


def test_pages_follow_each_other_without_gaps_or_repeats(
    article, reader, second_reader, third_reader
):
    comments = make_comments(article, reader, 7, status=CommentStatus.PUBLISHED)
    for n, c in enumerate(comments):
        for who in (second_reader, third_reader)[: 1 + n % 2]:
            report(c, who, when=timezone.now() - timedelta(hours=60 if n == 3 else n))
    seen = []
    cursor = None
    while True:
        page = queues.queue_page("reported", cursor=cursor, limit=2)
        seen += ids(page)
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == ids(queues.queue_page("reported", limit=50))
    assert sorted(seen) == sorted(c.pk for c in comments)
    assert seen[0] == comments[3].pk  # escalated first


def test_a_bad_cursor_is_refused():
    with pytest.raises(queues.BadCursor):
        queues.decode_cursor("not-a-cursor", ["dt", "int"])
    with pytest.raises(queues.BadCursor):
        queues.decode_cursor(queues.encode_cursor([1, 2]), ["dt", "int"])


def test_author_history_counts_past_bans(article, reader, moderator):
    (c,) = make_comments(article, reader, 1)
    ModerationAction.objects.create(comment=c, subject_user=reader, actor=moderator, kind="ban")
    reader.approved_comments = 5
    reader.rejected_comments = 1
    reader.save()
    (item,) = queues.queue_page("pending").items
    assert item.history.bans == 1
    assert (item.history.approved, item.history.rejected, item.history.trust) == (5, 1, 2)


@pytest.mark.parametrize("queue", ["pending", "reported", "recent", "rejected", "appeals"])
def test_a_queue_page_costs_the_same_queries_at_any_size(
    queue, article, reader, second_reader, third_reader, django_assert_num_queries
):
    def fill(n):
        status = {
            "pending": CommentStatus.PENDING,
            "reported": CommentStatus.PUBLISHED,
            "recent": CommentStatus.PUBLISHED,
            "rejected": CommentStatus.REJECTED,
            "appeals": CommentStatus.REJECTED,
        }[queue]
        made = make_comments(article, reader, n, status=status)
        for c in made:
            if queue == "reported":
                report(c, second_reader, note="Not nice")
                report(c, third_reader, "spam")
            if queue == "appeals":
                Appeal.objects.create(comment=c, author=reader, text="Please")

    def run():
        page = queues.queue_page(queue, limit=25)
        assert page.items
        return page

    fill(3)
    run()  # the first read creates the settings row
    with CaptureQueriesContext(connection) as small:
        run()
    assert len(small) <= 7
    fill(60)
    with django_assert_num_queries(len(small)):
        run()


@pytest.mark.parametrize("queue", ["pending", "reported", "appeals"])
def test_a_queue_page_renders_in_the_same_queries_at_any_size(
    queue, client, moderator, article, reader, second_reader, django_assert_num_queries
):
    status = {
        "pending": CommentStatus.PENDING,
        "reported": CommentStatus.PUBLISHED,
        "appeals": CommentStatus.REJECTED,
    }[queue]

    def fill(n):
        for c in make_comments(article, reader, n, status=status):
            if queue == "reported":
                report(c, second_reader, note="Not nice")
            if queue == "appeals":
                Appeal.objects.create(comment=c, author=reader, text="Please")

    client.force_login(moderator)
    url = f"/moderation/queue/{queue}/"
    fill(3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    fill(40)
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    assert response.content.count(b"data-desk-item") == 25
