"""Advertising slots between the parts of a page."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


class Placement(models.TextChoices):
    ARTICLE_TOP = "article-top", "Article: above the headline"
    ARTICLE_END = "article-end", "Article: after the story"
    FRONT_TOP = "front-top", "Fronts: above the stories"


class AdSlotQuerySet(models.QuerySet["AdSlot"]):
    def active(self) -> "AdSlotQuerySet":
        return self.filter(active=True)


@register_snippet
class AdSlot(models.Model):
    """A house or direct-sold creative for one placement. Empty placements keep their space."""

    placement = models.CharField(max_length=30, choices=Placement.choices, unique=True)
    advertiser = models.CharField(max_length=120, blank=True)
    image = models.ForeignKey(
        "newsroom.Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=200, blank=True, help_text="Shown when there is no image.")
    link_url = models.URLField(blank=True)
    active = models.BooleanField(default=True)

    objects = AdSlotQuerySet.as_manager()

    panels = [
        FieldPanel("placement"),
        FieldPanel("advertiser"),
        FieldPanel("image"),
        FieldPanel("text"),
        FieldPanel("link_url"),
        FieldPanel("active"),
    ]

    def __str__(self) -> str:
        return f"{self.get_placement_display()}: {self.advertiser or 'house ad'}"
