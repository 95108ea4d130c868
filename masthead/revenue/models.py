"""Reader revenue: contributions, the payments received for them, the Stripe events behind them,
and the appeal block's copy and placement, editable in the CMS.

Money is always an integer number of minor units (cents) with an upper-case ISO currency code.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Frequency(models.TextChoices):
    ONCE = "once", "One-off"
    MONTHLY = "monthly", "Monthly"


class ContributionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for payment"
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"
    REFUNDED = "refunded", "Refunded"
    CANCELLED = "cancelled", "Cancelled"


class Provider(models.TextChoices):
    STRIPE = "stripe", "Stripe"
    TEST = "test", "Test mode (no money moves)"


class PaymentKind(models.TextChoices):
    ONCE = "once", "One-off payment"
    INVOICE = "invoice", "Monthly invoice"


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def paid(self) -> ContributionQuerySet:
        return self.filter(status=ContributionStatus.PAID)

    def active_monthly(self) -> ContributionQuerySet:
        return self.filter(frequency=Frequency.MONTHLY, status=ContributionStatus.PAID)


class Contribution(models.Model):
    """What a reader set out to give: one-off or monthly. Our id travels to Stripe as
    `client_reference_id` and `metadata.contribution_id`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    amount = models.PositiveIntegerField(help_text="In minor units (cents).")
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=ContributionStatus.choices, default=ContributionStatus.PENDING
    )
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=120, blank=True)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    placement = models.CharField(
        max_length=60, blank=True, help_text="Which appeal sent the reader, e.g. article-top."
    )
    provider = models.CharField(max_length=10, choices=Provider.choices, default=Provider.STRIPE)
    # The key the contribution form was rendered with: a retried or doubled submit finds the
    # contribution it already started instead of starting a second checkout.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    # Stripe keeps an error under its idempotency key; after a refusal the next try needs a new
    # key, while a try whose answer was lost (a timeout) must reuse the old one.
    checkout_attempt = models.PositiveSmallIntegerField(default=0)
    customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    subscription_id = models.CharField(max_length=255, blank=True, db_index=True)
    payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    livemode = models.BooleanField(default=False)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_amount_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="contribution_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="contribution_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ContributionStatus.values), name="contribution_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(provider__in=Provider.values), name="contribution_provider_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} {self.amount / 100:.2f} {self.currency}"

    @property
    def is_paid(self) -> bool:
        return self.status == ContributionStatus.PAID


class Payment(models.Model):
    """Money actually received: a one-off payment, or one monthly invoice."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.PositiveIntegerField(help_text="In minor units (cents).")
    currency = models.CharField(max_length=3)
    kind = models.CharField(max_length=10, choices=PaymentKind.choices)
    invoice_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    charge_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    paid_at = models.DateTimeField(db_index=True)
    refunded_amount = models.PositiveIntegerField(default=0)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-paid_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="payment_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PaymentKind.values), name="payment_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=models.F("amount")),
                name="payment_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount / 100:.2f} {self.currency} on {self.paid_at:%Y-%m-%d}"


class StripeEvent(models.Model):
    """Each webhook event once: inserting the row is the dedupe, so replays are no-ops."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    payload = models.JSONField()

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class AppealPlacement(models.TextChoices):
    ARTICLE_TOP = "article-top", "Top of the article"
    ARTICLE_END = "article-end", "End of the article"


@register_setting(icon="pick")
class AppealSettings(BaseSiteSetting):
    """The contribution appeal shown on article pages."""

    enabled = models.BooleanField(default=True, help_text="Show the appeal on article pages.")
    placement = models.CharField(
        max_length=20,
        choices=AppealPlacement.choices,
        default=AppealPlacement.ARTICLE_TOP,
        help_text="Where on article pages the appeal appears.",
    )
    hidden_in_sections = models.ManyToManyField(
        "newsroom.SectionPage",
        blank=True,
        related_name="+",
        help_text="Sections whose articles show no appeal.",
    )
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
    suggested_frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    dismiss_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days the appeal stays hidden after a reader closes it."
    )
    thanks_heading = models.CharField(max_length=120, default="Thank you for your support")
    thanks_message = models.TextField(
        max_length=600,
        default=(
            "Your monthly contribution keeps this reporting open to everyone. "
            "We could not do it without you."
        ),
        help_text="Shown instead of the appeal to current monthly supporters.",
    )

    panels = [
        FieldPanel("enabled"),
        FieldPanel("placement"),
        FieldPanel("hidden_in_sections"),
        MultiFieldPanel(
            [
                FieldPanel("heading"),
                FieldPanel("message"),
                FieldPanel("button_label"),
                FieldPanel("suggested_amount"),
                FieldPanel("suggested_frequency"),
                FieldPanel("dismiss_days"),
            ],
            heading="Appeal",
        ),
        MultiFieldPanel(
            [FieldPanel("thanks_heading"), FieldPanel("thanks_message")],
            heading="Thank-you for monthly supporters",
        ),
    ]

    class Meta:
        verbose_name = "contribution appeal"
