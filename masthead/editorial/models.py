"""Editorial desk models: corrections and updates noted on published stories."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

CORRECTION_TEXT_MAX = 1000


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    UPDATE = "update", "Update"


class CorrectionQuerySet(models.QuerySet["Correction"]):
    def listed(self) -> CorrectionQuerySet:
        """Corrections and updates on live, public stories, newest first, with their story."""
        from masthead.newsroom.models import ArticlePage

        return (
            self.filter(
                article_id__in=ArticlePage.objects.live().public().values("pk"),
                noted_at__lte=timezone.now(),
            )
            .select_related("article")
            .order_by("-noted_at", "-pk")
        )


class Correction(Orderable):
    """A correction (something we got wrong) or an update (something that changed), shown
    under the story with its time. Edited with the story and published with it."""

    article = ParentalKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(
        max_length=20, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION
    )
    text = models.TextField(
        max_length=CORRECTION_TEXT_MAX,
        help_text="Plain text: what was wrong and what is right now, or what changed.",
    )
    noted_at = models.DateTimeField(
        default=timezone.now, help_text="When the story was corrected or updated."
    )

    objects = CorrectionQuerySet.as_manager()

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("noted_at")]), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"
        indexes = [models.Index(fields=["-noted_at"], name="editorial_correction_noted")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CorrectionKind.values), name="editorial_correction_kind"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="editorial_correction_text"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.article_id}: {self.text[:60]}"
