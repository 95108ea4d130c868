"""Wire copy: what was imported from where, and the RSS/Atom feeds pulled on a schedule."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class WireSource(models.TextChoices):
    NINJS = "ninjs", "ninjs document"
    FEED = "feed", "RSS/Atom feed"


class WireItem(models.Model):
    """One wire story and the article made from it. The `uri` keeps imports idempotent: the same
    version again changes nothing, a newer one updates the article, an older one is skipped."""

    uri = models.CharField(max_length=500, unique=True)
    version = models.CharField(max_length=100, blank=True)
    version_created = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=WireSource.choices)
    feed = models.ForeignKey(
        "wire.WireFeed", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    article = models.OneToOneField(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="wire_item"
    )
    copyright_notice = models.CharField(max_length=500, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.uri


class WirePicture(models.Model):
    """A photo made from a wire picture, so a newer version of the story reuses it."""

    uri = models.CharField(max_length=500, unique=True)
    photo = models.OneToOneField(
        "newsroom.Photo", on_delete=models.CASCADE, related_name="wire_picture"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.uri


class WireFeed(models.Model):
    """An agency's RSS or Atom feed; new entries arrive as drafts in the section."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500, unique=True, help_text="The RSS or Atom feed's address.")
    agency = models.ForeignKey(
        "newsroom.WireAgency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feeds",
        help_text="Credited on the stories, with its copyright line.",
    )
    section = models.ForeignKey(
        "newsroom.SectionPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where the drafts go; the 'Wire' section when left empty.",
    )
    poll_minutes = models.PositiveIntegerField(
        "poll every (minutes)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    active = models.BooleanField(default=True)
    etag = models.CharField(max_length=200, blank=True, editable=False)
    modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_due(self, now: datetime | None = None) -> bool:
        if not self.active:
            return False
        if self.last_polled_at is None:
            return True
        now = now or timezone.now()
        return self.last_polled_at + timedelta(minutes=self.poll_minutes) <= now
