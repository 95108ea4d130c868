"""Front composition: what the home page and each section front show, and in what order.

1. the **lead**: the editors' pick, or the newest story when there is none (or it was pulled);
2. the **picks**: up to FRONT_SLOTS stories editors placed under the lead, in their order;
3. **Latest**: every other story, newest first, paginated;
4. **Most read** over `MOST_READ_HOURS`, and **Most commented** over the last week.

Only live, public stories appear; a section front only shows stories from that section, even
when an editor picked one from elsewhere. The number of queries does not depend on how many
stories there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from masthead.newsroom.models import FRONT_SLOTS, ArticlePage, HomePage, SectionPage
from masthead.newsroom.popularity import most_read
from masthead.newsroom.services import ListPage, list_page

MOST_READ_LIMIT = 5
MOST_COMMENTED_LIMIT = 5
MOST_COMMENTED_DAYS = 7
# "Most commented" ranks the newest this many stories of the week (read through the
# publication-order index), so the front costs the same at 1,000 stories as at 100,000.
MOST_COMMENTED_CANDIDATES = 1000


@dataclass
class Front:
    lead: ArticlePage | None
    picks: list[ArticlePage]
    latest: ListPage
    most_read: list[ArticlePage] = field(default_factory=list)
    most_commented: list[ArticlePage] = field(default_factory=list)

    @property
    def first_page(self) -> bool:
        return self.latest.number == 1


def compose_front(front: HomePage | SectionPage, *, page_number: str | None = None) -> Front:
    """Everything a front shows, from the live stories under `front`."""
    stories = ArticlePage.objects.listed().descendant_of(front)

    # Editors' picks, in their order, keeping only those still live under this front. The
    # slots are read through the page (not the table) so that a CMS preview shows its draft.
    slot_ids = [slot.article_id for slot in front.slots.all()][:FRONT_SLOTS]
    wanted = [pk for pk in [front.lead_story_id, *slot_ids] if pk]
    found = {story.pk: story for story in stories.filter(pk__in=wanted)} if wanted else {}
    lead = found.get(front.lead_story_id)
    picks: list[ArticlePage] = []
    for pk in slot_ids:
        story = found.get(pk)
        if story is not None and story is not lead and story not in picks:
            picks.append(story)
    if lead is None:
        lead = stories.exclude(pk__in=[story.pk for story in picks]).first()

    shown = [story.pk for story in (lead, *picks) if story is not None]
    since = timezone.now() - timedelta(days=MOST_COMMENTED_DAYS)
    return Front(
        lead=lead,
        picks=picks,
        latest=list_page(stories.exclude(pk__in=shown), page_number),
        most_read=most_read(MOST_READ_LIMIT, settings.MASTHEAD["MOST_READ_HOURS"], within=front),
        most_commented=most_commented(stories, since),
    )


def most_commented(stories: QuerySet[ArticlePage], since: datetime) -> list[ArticlePage]:
    """The most commented of the newest MOST_COMMENTED_CANDIDATES stories since `since`.

    The candidates' ids are read first (the newest-first index, then stop): handed over as a
    subquery, PostgreSQL would rather read every story with a comment and sort them.
    """
    candidates = list(
        stories.filter(first_published_at__gte=since).values_list("pk", flat=True)[
            :MOST_COMMENTED_CANDIDATES
        ]
    )
    if not candidates:
        return []
    return list(
        stories.filter(comment_count__gt=0, pk__in=candidates).order_by(
            "-comment_count", "-first_published_at", "-path"
        )[:MOST_COMMENTED_LIMIT]
    )
