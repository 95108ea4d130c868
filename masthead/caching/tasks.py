"""The front-cache purge, run by `masthead worker` so a slow CDN API never holds up a page."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger("masthead.caching")


@task()
def purge_front_cache(*, keys: list[str]) -> int:
    """Purge `keys` in the configured front cache; returns how many keys were purged."""
    from masthead.caching.purge import front_cache

    front_cache().purge(set(keys))
    logger.info("front cache purged %s", " ".join(keys))
    return len(keys)
