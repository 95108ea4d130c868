"""Most read: story reads counted through the buffered counters, ranked over the last hours.

The article page itself is cached whole, so reads are counted by a beacon the reader's browser
sends (`reads.js` → `POST /reads/<id>`), not by rendering the page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from wagtail.models import Page

from masthead.core import counters
from masthead.newsroom.models import ArticlePage, HourlyCount

READ = "read"
RANKING_CACHE_SECONDS = 60
# How many of the most read stories the cached ranking keeps: a section front picks its own
# from these, so a section none of whose stories is among them shows no "Most read".
RANKING_DEPTH = 500
COUNTABLE_CACHE_SECONDS = 300
NOT_COUNTABLE_CACHE_SECONDS = 60


def record_read(article_id: int) -> None:
    """Count one read of a story; written to the database with the next counter flush."""
    counters.increment(READ, int(article_id))


def is_countable(article_id: int) -> bool:
    """Whether reads of this story count: it exists, is live and public. Cached briefly."""
    key = f"popularity:countable:v1:{article_id}"
    known = cache.get(key)
    if known is None:
        known = ArticlePage.objects.live().public().filter(pk=article_id).exists()
        timeout = COUNTABLE_CACHE_SECONDS if known else NOT_COUNTABLE_CACHE_SECONDS
        cache.set(key, known, timeout)
    return known


def read_ranking(hours: int | None = None) -> list[tuple[int, int]]:
    """(article id, reads) over the last `hours` hours, most read first; cached ~60 s."""
    hours = hours or settings.MASTHEAD["MOST_READ_HOURS"]
    key = f"popularity:ranking:v1:{hours}"
    ranking = cache.get(key)
    if ranking is None:
        rows = (
            HourlyCount.objects.filter(kind=READ, hour__gte=counters.window_start(hours))
            .values("key")
            .annotate(total=Sum("count"))
            .order_by("-total", "key")[:RANKING_DEPTH]
        )
        ranking = [(int(row["key"]), row["total"]) for row in rows if row["key"].isdigit()]
        cache.set(key, ranking, RANKING_CACHE_SECONDS)
    return ranking


def most_read(
    limit: int = 5, hours: int | None = None, *, within: Page | None = None
) -> list[ArticlePage]:
    """The most read live, public stories (under `within`, e.g. a section), with `.reads`."""
    ranking = read_ranking(hours)
    if not ranking or limit <= 0:
        return []
    reads = dict(ranking)
    stories = ArticlePage.objects.listed().filter(pk__in=list(reads))
    if within is not None:
        stories = stories.descendant_of(within)
    # Two small queries rather than one loading up to RANKING_DEPTH stories: which of the
    # ranked ids are still listed here, then the few that will be shown.
    listed = set(stories.values_list("pk", flat=True))
    top = [pk for pk, _ in ranking if pk in listed][:limit]
    if not top:
        return []
    found = {story.pk: story for story in stories.filter(pk__in=top)}
    result = []
    for pk in top:
        if pk in found:
            found[pk].reads = reads[pk]
            result.append(found[pk])
    return result


def forget_ranking() -> None:
    """Drop the cached rankings (after writing counts directly, e.g. in the demo)."""
    cache.delete_many(
        [f"popularity:ranking:v1:{h}" for h in {settings.MASTHEAD["MOST_READ_HOURS"], 24}]
    )
