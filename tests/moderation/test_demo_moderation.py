"""The demo gives the desk work: guidelines page, reports, held comments, a notice, an appeal."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from masthead.community import demo as community_demo
from masthead.community.demo import load_demo_comments
from masthead.community.models import Comment, CommentStatus
from masthead.moderation.demo import load_demo_moderation
from masthead.moderation.models import (
    Appeal,
    CommunityGuidelinesPage,
    IllegalContentNotice,
    Report,
)
from masthead.newsroom.models import ArticlePage


@pytest.fixture
def demo_comments(make_article, moderator):
    moderator.email = community_demo.STAFF_EMAIL
    moderator.save(update_fields=["email"])
    for n in range(4):
        make_article(f"Story number {n} about the harbour")
    load_demo_comments(big_thread=250)


def test_the_demo_loads_desk_work_with_consistent_counts(client, demo_comments):
    made = load_demo_moderation()
    assert made == Report.objects.count() >= 10
    open_by_comment = dict(
        Report.objects.filter(status="open")
        .values_list("comment_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for comment in Comment.objects.filter(Q(open_reports__gt=0) | Q(pk__in=open_by_comment)):
        assert comment.open_reports == open_by_comment.get(comment.pk, 0)
    assert Comment.objects.filter(status=CommentStatus.HIDDEN).count() >= 2  # 3 reports; legal
    assert Comment.objects.filter(status=CommentStatus.PENDING, screening_summary__gt="").count()
    assert IllegalContentNotice.objects.filter(comment__has_notice=True).exists()
    assert Appeal.objects.get().comment.status == CommentStatus.REJECTED
    for article in ArticlePage.objects.all():
        published = Comment.objects.filter(article=article, status=CommentStatus.PUBLISHED)
        assert article.comment_count == published.count()
    assert load_demo_moderation() == 0  # once only


def test_the_guidelines_page_is_published_and_linked_from_the_report_page(
    client, demo_comments, second_reader
):
    load_demo_moderation()
    page = CommunityGuidelinesPage.objects.live().get()
    assert page.url == "/community-guidelines/"
    html = client.get(page.url).content.decode()
    assert html.count("<h1") == 1 and "Mind the law" in html
    comment = Comment.objects.filter(status=CommentStatus.PUBLISHED).first()
    client.force_login(second_reader)
    assert (
        'href="/community-guidelines/"'
        in client.get(f"/comments/{comment.pk}/report/").content.decode()
    )
