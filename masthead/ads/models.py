"""Advertising: three named slots on the page, filled by house ads or an ad provider's tag.

- **AdSlot**: one row per slot name (leaderboard, in-article, sidebar), edited in the CMS:
  on or off, the size it reserves (so the page does not jump when an ad arrives), where the
  in-article slot goes, and what fills it.
- **HouseAd**: the newsroom's own creatives (its newsletter, events, reader support), each for
  one slot and running between optional start and end times. Impressions and clicks are
  counted through `masthead.core.counters` and summed for the CMS listing.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

IMPRESSION = "ad-impression"
CLICK = "ad-click"


class SlotName(models.TextChoices):
    LEADERBOARD = "leaderboard", "Leaderboard: top of articles and fronts"
    IN_ARTICLE = "in-article", "In article: between paragraphs"
    SIDEBAR = "sidebar", "Sidebar: beside fronts, after the story on articles"


class SlotSize(models.TextChoices):
    # The value is "WIDTHxHEIGHT" in CSS pixels; each has a class in site.css.
    LEADERBOARD = "728x90", "Leaderboard, 728 x 90"
    BILLBOARD = "970x250", "Billboard, 970 x 250"
    MEDIUM_RECTANGLE = "300x250", "Medium rectangle, 300 x 250"
    HALF_PAGE = "300x600", "Half page, 300 x 600"
    MOBILE_BANNER = "320x100", "Large mobile banner, 320 x 100"


class SlotFill(models.TextChoices):
    HOUSE = "house", "House ads"
    PROVIDER = "provider", "Ad provider's tag (Google Ad Manager)"


DEFAULT_SIZES = {
    SlotName.LEADERBOARD: SlotSize.LEADERBOARD,
    SlotName.IN_ARTICLE: SlotSize.MEDIUM_RECTANGLE,
    SlotName.SIDEBAR: SlotSize.MEDIUM_RECTANGLE,
}

AD_UNIT_PATH = re.compile(r"^/\d+(/[\w.\-]+)+$")
PROVIDER_SIZES = re.compile(r"^\d{1,4}x\d{1,4}(,\d{1,4}x\d{1,4})*$")


def size_of(value: str) -> tuple[int, int]:
    width, height = value.split("x")
    return int(width), int(height)


class AdSlot(models.Model):
    """Where ads go and what fills them. Empty or switched-off slots reserve no space."""

    name = models.CharField(max_length=20, choices=SlotName.choices, unique=True)
    enabled = models.BooleanField(default=True)
    size = models.CharField(
        max_length=10,
        choices=SlotSize.choices,
        default=SlotSize.MEDIUM_RECTANGLE,
        help_text="The space kept for the ad, so the page does not jump when it loads.",
    )
    after_paragraph = models.PositiveSmallIntegerField(
        default=3,
        help_text="In-article slot only: the ad follows this paragraph. Shorter stories, with "
        "no paragraph after it, carry no in-article ad.",
    )
    fill = models.CharField(max_length=10, choices=SlotFill.choices, default=SlotFill.HOUSE)
    ad_unit_path = models.CharField(
        max_length=200,
        blank=True,
        help_text="Google Ad Manager ad unit path, e.g. /1234567/courier/leaderboard.",
    )
    provider_sizes = models.CharField(
        max_length=200,
        blank=True,
        help_text="Sizes the provider may fill, comma-separated, e.g. 728x90,970x90. "
        "Leave blank to use the slot's size.",
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("enabled"), FieldPanel("size")]),
        FieldPanel("after_paragraph"),
        MultiFieldPanel(
            [FieldPanel("fill"), FieldPanel("ad_unit_path"), FieldPanel("provider_sizes")],
            heading="What fills it",
            help_text="A provider's tag needs its origins in MASTHEAD_AD_SOURCES; until then "
            "the slot shows house ads.",
        ),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(after_paragraph__gte=1), name="ad_slot_after_a_paragraph"
            )
        ]

    def __str__(self) -> str:
        return self.get_name_display()

    def clean(self) -> None:
        errors = {}
        if self.ad_unit_path and not AD_UNIT_PATH.match(self.ad_unit_path):
            errors["ad_unit_path"] = "Write it like /1234567/section/slot: network code first."
        if self.provider_sizes:
            self.provider_sizes = self.provider_sizes.replace(" ", "")
            if not PROVIDER_SIZES.match(self.provider_sizes):
                errors["provider_sizes"] = "Write sizes like 728x90,970x90."
        if self.fill == SlotFill.PROVIDER and not self.ad_unit_path:
            errors["ad_unit_path"] = "The provider's tag needs its ad unit path."
        if not self.after_paragraph or self.after_paragraph < 1:
            errors["after_paragraph"] = "Choose paragraph 1 or later."
        if errors:
            raise ValidationError(errors)

    @property
    def width(self) -> int:
        return size_of(self.size)[0]

    @property
    def height(self) -> int:
        return size_of(self.size)[1]

    @property
    def sizes_for_provider(self) -> str:
        return self.provider_sizes or self.size


class HouseAdQuerySet(models.QuerySet["HouseAd"]):
    def running(self, now=None) -> HouseAdQuerySet:  # type: ignore[no-untyped-def]
        """Switched on, and between its start and end times (either may be open)."""
        now = now or timezone.now()
        return self.filter(
            Q(starts_at__isnull=True) | Q(starts_at__lte=now),
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
            active=True,
        )

    def with_counts(self) -> HouseAdQuerySet:
        """Annotate `impressions` and `clicks`: every flushed count, all time."""
        from masthead.newsroom.models import HourlyCount

        def total(kind: str) -> Coalesce:
            counts = (
                HourlyCount.objects.filter(
                    kind=kind, key=Cast(OuterRef("pk"), output_field=models.CharField())
                )
                .order_by()
                .values("kind")
                .annotate(total=Sum("count"))
                .values("total")
            )
            return Coalesce(Subquery(counts), 0)

        return self.annotate(impressions=total(IMPRESSION), clicks=total(CLICK))


class HouseAd(models.Model):
    """One of the newsroom's own ads, for one slot."""

    name = models.CharField(max_length=120, help_text="For the CMS, e.g. 'Newsletter, spring'.")
    slot = models.CharField(max_length=20, choices=SlotName.choices)
    text = models.CharField(
        max_length=200,
        help_text="What the ad says: shown over the image, or alone when there is none. "
        "Screen readers read it.",
    )
    image = models.ForeignKey(
        "newsroom.Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_url = models.URLField(blank=True, help_text="Where a click on the ad goes.")
    starts_at = models.DateTimeField(null=True, blank=True, help_text="Empty: from now.")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until switched off.")
    active = models.BooleanField(default=True)

    objects = HouseAdQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slot"),
        FieldPanel("text"),
        FieldPanel("image"),
        FieldPanel("link_url"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="Runs"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["slot", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="house_ad_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The ad must end after it starts."})

    def is_running(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        now = now or timezone.now()
        return (
            self.active
            and (self.starts_at is None or self.starts_at <= now)
            and (self.ends_at is None or self.ends_at > now)
        )
