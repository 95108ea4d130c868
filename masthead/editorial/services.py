"""Editorial writes: corrections and updates on published stories.

Editors normally add corrections in the CMS ("Corrections and updates" under the story) and
publish; `add_correction` does the same for scripts and the API. Either way, publishing a story
with a correction or update newer than its "Updated" time moves that time forward
(`sync_updated_at`, called when a story is published).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from masthead.accounts.models import User
from masthead.editorial.models import CORRECTION_TEXT_MAX, Correction, CorrectionKind
from masthead.newsroom.models import ArticlePage

logger = logging.getLogger(__name__)


def check_correction(*, kind: str, text: str) -> tuple[CorrectionKind, str]:
    """The kind and cleaned text, or ValidationError with a message fit to show an editor."""
    if kind not in CorrectionKind.values:
        raise ValidationError(
            f"Choose a kind: {' or '.join(CorrectionKind.values)}.", code="invalid_kind"
        )
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise ValidationError("Say what was corrected or updated.", code="empty")
    if len(cleaned) > CORRECTION_TEXT_MAX:
        raise ValidationError(
            f"Keep it to {CORRECTION_TEXT_MAX} characters; this has {len(cleaned)}.",
            code="too_long",
        )
    return CorrectionKind(kind), cleaned


def add_correction(
    *,
    article: ArticlePage,
    kind: str,
    text: str,
    by: User | None,
    noted_at: datetime | None = None,
) -> Correction:
    """Add a correction or update to a live story and publish it as a new revision.

    The new revision starts from what readers see now (the live revision), never from a draft.
    A story with unpublished changes is refused: publishing on top of them would either lose
    them or publish them unreviewed. `by=None` is for scripts acting as the newsroom.
    """
    kind, text = check_correction(kind=kind, text=text)
    noted_at = noted_at or timezone.now()
    if by is not None and not article.permissions_for_user(by).can_publish():
        raise PermissionDenied("Only editors can add corrections to a published story.")
    with transaction.atomic():
        # Lock the story's row so two corrections at once make two revisions, one after the other.
        current = ArticlePage.objects.select_for_update().get(pk=article.pk)
        if not current.live or current.live_revision_id is None:
            raise ValidationError("Only a published story can be corrected.", code="not_live")
        if current.has_unpublished_changes:
            raise ValidationError(
                "This story has unpublished changes in the CMS. Add the correction there, so "
                "those changes are neither lost nor published by accident.",
                code="unpublished_changes",
            )
        page = current.live_revision.as_object()
        correction = Correction(kind=kind, text=text, noted_at=noted_at)
        page.corrections.add(correction)
        # The "Updated" time only moves forward, from whichever is later: the live revision's
        # or the story's own (kept current by sync_updated_at).
        updated = max(filter(None, [page.updated_at, current.updated_at, noted_at]))
        page.updated_at = updated
        revision = page.save_revision(user=by, log_action=True)
        revision.publish(user=by)
    correction = Correction.objects.filter(article_id=article.pk).order_by("-pk").first()
    logger.info("%s added to story %s", kind.label, article.pk)
    return correction  # type: ignore[return-value]


def sync_updated_at(*, article: ArticlePage) -> datetime | None:
    """Move the story's "Updated" time up to its newest published correction or update.

    Called when a story is published. Never moves the time back, and ignores a correction
    dated in the future until then. Returns the story's "Updated" time.
    """
    newest = (
        Correction.objects.filter(article_id=article.pk, noted_at__lte=timezone.now())
        .aggregate(newest=Max("noted_at"))
        .get("newest")
    )
    if newest is None:
        return article.updated_at
    with transaction.atomic():
        moved = (
            ArticlePage.objects.filter(pk=article.pk)
            .exclude(updated_at__gte=newest)
            .update(updated_at=newest)
        )
    if moved:
        article.updated_at = newest
    return article.updated_at
