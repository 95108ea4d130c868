"""Building scheduled stories the way the CMS does, and moving them past their time."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Revision

from masthead.newsroom.models import ArticlePage, SectionPage


def scheduled_article(section: SectionPage, title: str, go_live_at: datetime) -> ArticlePage:
    """A new story approved for publication at `go_live_at` (not live until then)."""
    article = ArticlePage(
        title=title,
        slug=slugify(title),
        standfirst="Held until its go-live time.",
        body=[("paragraph", "<p>Embargoed copy.</p>")],
        live=False,
    )
    section.add_child(instance=article)
    article.go_live_at = go_live_at
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def make_due(article: ArticlePage) -> Revision:
    """Move the clock past the story's go-live time, as if it had been set in the past."""
    revision = Revision.objects.get(object_id=str(article.pk), approved_go_live_at__isnull=False)
    past = timezone.now() - timedelta(seconds=5)
    content = revision.content
    content["go_live_at"] = past.isoformat()
    Revision.objects.filter(pk=revision.pk).update(content=content, approved_go_live_at=past)
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=past)
    return revision
