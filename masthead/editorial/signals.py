"""Signal receivers: connected in EditorialConfig.ready()."""

from __future__ import annotations

from typing import Any

from wagtail.signals import page_published


def story_published(sender: type, instance: Any, **kwargs: Any) -> None:
    """A story went live (now, or by schedule): bring its "Updated" time up to date."""
    from masthead.editorial.services import sync_updated_at

    # Wagtail sends this signal for a page scheduled for later as well: only live ones count.
    if instance.live:
        sync_updated_at(article=instance)


def connect() -> None:
    from masthead.newsroom.models import ArticlePage

    page_published.connect(story_published, sender=ArticlePage, dispatch_uid="editorial-updated")
