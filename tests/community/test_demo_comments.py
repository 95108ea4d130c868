"""Demo comments: believable threads whose denormalised counts match the rows."""

from __future__ import annotations

import inspect

import pytest
from django.db.models import Count, F, Q

from masthead.community import demo
from masthead.community.demo import load_demo_comments
from masthead.community.models import Comment, CommentStatus, Reaction
from masthead.newsroom.models import ArticlePage, CommentMode

# The demo's big thread has 2,000 comments; a smaller one keeps the test quick. It must be
# larger than every other thread's size (demo.SIZES) so the test can tell which one it is.
BIG = 300


@pytest.fixture
def stories(make_article, moderator):
    moderator.email = demo.STAFF_EMAIL
    moderator.save(update_fields=["email"])
    articles = [make_article(f"Story number {n} about the harbour") for n in range(6)]
    articles.append(make_article("Hospital waits fall", comment_mode=CommentMode.PREMODERATED))
    articles.append(
        make_article(
            "Contractor charged",
            comment_mode=CommentMode.LEGAL,
            comments_closed_message="Legal proceedings are active.",
        )
    )
    return articles


def test_the_default_big_thread_has_at_least_2000_comments():
    default = inspect.signature(load_demo_comments).parameters["big_thread"].default
    assert default >= 2000


@pytest.mark.django_db
def test_demo_threads_have_consistent_counts_and_load_once(stories):
    assert max(demo.SIZES) < BIG
    created = load_demo_comments(big_thread=BIG)

    assert created == Comment.objects.count() > BIG
    per_article = dict(Comment.objects.values_list("article_id").annotate(n=Count("pk")).order_by())
    big = max(per_article, key=per_article.get)
    assert per_article[big] == BIG
    assert stories[-1].pk not in per_article  # closed for legal reasons: no comments
    assert all(n >= 1 for n in per_article.values())

    # The article's count is its published comments, and only those.
    for article in ArticlePage.objects.all():
        published = Comment.objects.filter(article=article, status=CommentStatus.PUBLISHED)
        assert article.comment_count == published.count()

    # Like counts match reaction rows; reply counts match published children.
    likes = Comment.objects.annotate(n=Count("reactions", distinct=True))
    assert all(c.like_count == c.n for c in likes)
    assert Reaction.objects.count() == sum(Comment.objects.values_list("like_count", flat=True))
    replies = Comment.objects.annotate(
        n=Count("children", filter=Q(children__status=CommentStatus.PUBLISHED), distinct=True)
    )
    assert all(c.reply_count == c.n for c in replies)
    assert not Reaction.objects.filter(user_id=F("comment__author_id")).exists()

    # Threads are nested three levels deep, replies after what they answer, and well-formed.
    assert set(Comment.objects.values_list("depth", flat=True)) == {0, 1, 2}
    for reply in Comment.objects.filter(depth__gt=0).select_related("parent"):
        assert reply.root_id == (reply.parent.root_id or reply.parent_id)
        assert reply.created_at >= reply.parent.created_at
    assert Comment.objects.filter(in_reply_to__isnull=False).exists()
    assert Comment.objects.filter(article_id=big, featured_at__isnull=False).count() == 2
    assert Comment.objects.filter(article_id=big, author_is_staff=True, depth=1).exists()
    assert Comment.objects.exclude(body_html__startswith="<p>").count() == 0
    assert Comment.objects.filter(body_html__contains='rel="nofollow ugc noopener"').exists()

    # The pre-moderated story has comments waiting, counted nowhere.
    premoderated = stories[-2]
    assert Comment.objects.filter(article=premoderated, status=CommentStatus.PENDING).count() == 5
    assert not Reaction.objects.filter(comment__status=CommentStatus.PENDING).exists()

    # Loading again adds nothing.
    assert load_demo_comments(big_thread=BIG) == 0
    assert Comment.objects.count() == created
