"""Scheduled publishing and embargoes, run by the worker on every tick.

Wagtail holds a story with a go-live time in the future as a revision with
`approved_go_live_at` set, and keeps the page itself not live (an embargo: it is nowhere on the
site before then). `publish_due` does what Wagtail's `publish_scheduled` command does, with
Wagtail's own publish and unpublish actions, but safely when two workers run at once: each
revision or page is re-read under a row lock inside its own transaction, so it is published
(or unpublished) exactly once, and one that fails does not hold up the others.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision

logger = logging.getLogger(__name__)

# Most items handled per tick; the rest wait for the next one.
BATCH = 200


def unpublish_expired() -> int:
    """Take down live pages whose expiry time has passed; returns how many."""
    now = timezone.now()
    due = list(
        Page.objects.filter(live=True, expire_at__lte=now)
        .order_by("expire_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    done = 0
    for pk in due:
        try:
            with transaction.atomic():
                page = (
                    Page.objects.select_for_update()
                    .filter(pk=pk, live=True, expire_at__lte=now)
                    .first()
                )
                if page is None:  # another worker got there first
                    continue
                page.specific.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
            done += 1
            logger.info("Unpublished expired page %s", pk)
        except Exception:
            logger.exception("Could not unpublish expired page %s", pk)
    return done


def publish_scheduled() -> int:
    """Publish revisions whose go-live time has come; returns how many."""
    now = timezone.now()
    due = list(
        Revision.objects.filter(approved_go_live_at__lte=now)
        .order_by("approved_go_live_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    done = 0
    for pk in due:
        try:
            with transaction.atomic():
                revision = (
                    Revision.objects.select_for_update()
                    .filter(pk=pk, approved_go_live_at__lte=now)
                    .first()
                )
                if revision is None:  # published by another worker, or unscheduled meanwhile
                    continue
                # Publishing clears approved_go_live_at on every revision of the object.
                revision.publish(log_action="wagtail.publish.scheduled")
            done += 1
            logger.info("Published scheduled revision %s (%s)", pk, revision.object_str)
        except Exception:
            logger.exception("Could not publish scheduled revision %s", pk)
    return done


def publish_due() -> int:
    """The worker's scheduling job: expire first, then publish; returns pages changed."""
    return unpublish_expired() + publish_scheduled()
