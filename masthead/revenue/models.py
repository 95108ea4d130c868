"""Reader revenue. For now: the appeal block's copy, editable in the CMS."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="pick")
class AppealSettings(BaseSiteSetting):
    """The contribution appeal shown on article pages."""

    enabled = models.BooleanField(default=True, help_text="Show the appeal on article pages.")
    heading = models.CharField(max_length=120, default="Independent journalism needs you")
    message = models.TextField(
        max_length=600,
        default=(
            "No owner, no paywall: this newsroom is kept open by readers who chip in what they "
            "can. If our reporting helps you, please help keep it free for everyone."
        ),
    )
    button_label = models.CharField(max_length=60, default="Support our reporting")
    suggested_amount = models.PositiveIntegerField(
        default=10, help_text="Amount pre-chosen on the contribution page, in whole currency units."
    )

    panels = [
        FieldPanel("enabled"),
        FieldPanel("heading"),
        FieldPanel("message"),
        FieldPanel("button_label"),
        FieldPanel("suggested_amount"),
    ]

    class Meta:
        verbose_name = "contribution appeal"
