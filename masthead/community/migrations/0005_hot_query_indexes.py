"""Indexes for the hot thread reads (see deploy/explain.py and deploy/README.md, section 6).

Page 1 of a thread, newest, oldest or top first, reads top-level comments in order and stops
after a page: the partial indexes below give that order directly, so the cost follows the page,
not the thread (before them PostgreSQL sorted every comment of a 100,000-comment thread).
The Pending and Reported queues' indexes hold only the comments in them.

The indexes live in the database only (SeparateDatabaseAndState): the model's Meta does not
list them, so `makemigrations` leaves them alone. Move them into Meta.indexes with a
state-only migration if the model ever declares them.
"""

from django.db import migrations, models
from django.db.models import Q

INDEXES = [
    # Top-level comments of one article by time: newest and oldest first (read backwards).
    models.Index(
        fields=["article", "created_at", "id"],
        condition=Q(parent__isnull=True),
        name="comment_thread_top_level_time",
    ),
    # ... by likes: "top" first.
    models.Index(
        fields=["article", "like_count", "id"],
        condition=Q(parent__isnull=True),
        name="comment_thread_top_level_likes",
    ),
    # The few featured comments shown above page 1.
    models.Index(
        fields=["article", "featured_at"],
        condition=Q(featured_at__isnull=False),
        name="comment_thread_featured",
    ),
    # Replies of the shown comments, oldest first.
    models.Index(fields=["root", "created_at", "id"], name="comment_replies_in_order"),
    # The Pending queue, oldest first, and its size (without reading the published comments).
    models.Index(
        fields=["created_at", "id"],
        condition=Q(status="pending"),
        name="comment_pending_queue",
    ),
    # The Reported queue: only what has open reports or a legal notice (a few rows).
    models.Index(
        fields=["open_reports", "first_reported_at"],
        condition=Q(open_reports__gt=0) | Q(has_notice=True),
        name="comment_reported_or_noticed",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("community", "0004_comment_body_fingerprint")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddIndex(model_name="comment", index=index) for index in INDEXES
            ],
            state_operations=[],
        )
    ]
