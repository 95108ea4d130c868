"""Moderation: report reasons and the guidelines page, reports, illegal-content notices,
appeals, the audit trail of every decision, and the settings admins tune.

Every write goes through `masthead.moderation.services`; these are the records it keeps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

DEFAULT_REPORT_THRESHOLD = 3


# --- Guidelines -----------------------------------------------------------------------------


class ReportReasonQuerySet(models.QuerySet["ReportReason"]):
    def active(self) -> ReportReasonQuerySet:
        return self.filter(active=True).order_by("sort_order", "pk")


@register_snippet
class ReportReason(index.Indexed, models.Model):
    """A community guideline a reader can say a comment breaks. The code never changes (API
    clients and the desk rely on it); the label and help text are the newsroom's words."""

    code = models.SlugField(
        max_length=40, unique=True, help_text="Stable identifier used by the API; do not change."
    )
    label = models.CharField(max_length=100)
    help_text = models.CharField(
        max_length=300, blank=True, help_text="One sentence shown under the label."
    )
    hide_threshold = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=(
            "Open reports that hide a published comment until a moderator decides. "
            "Empty: the site default from the moderation settings."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Offered to readers.")

    objects = ReportReasonQuerySet.as_manager()

    panels = [
        FieldPanel("code"),
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("hide_threshold"),
        FieldPanel("sort_order"),
        FieldPanel("active"),
    ]
    search_fields = [index.SearchField("label"), index.AutocompleteField("label")]

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.label


class CommunityGuidelinesPage(Page):
    """The community guidelines, in the newsroom's words; the report page links to it."""

    intro = models.CharField(max_length=300, blank=True)
    body = RichTextField(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["newsroom.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "community guidelines page"

    @classmethod
    def current_url(cls) -> str | None:
        page = cls.objects.live().public().first()
        return page.url if page is not None else None


# --- Reports, notices, appeals --------------------------------------------------------------


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Report(models.Model):
    comment = models.ForeignKey(
        "community.Comment", on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.ForeignKey(ReportReason, on_delete=models.PROTECT, related_name="reports")
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    resolution = models.CharField(max_length=20, blank=True)  # approved / rejected
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_report_per_reader_per_comment"
            )
        ]
        indexes = [
            models.Index(fields=["comment", "status"], name="report_comment_status"),
            models.Index(fields=["created_at"], name="report_created"),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} on comment {self.comment_id}"


class NoticeStatus(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"


class IllegalContentNotice(models.Model):
    """A notice under the EU Digital Services Act (art. 16): anyone may file one."""

    comment = models.ForeignKey(
        "community.Comment", on_delete=models.CASCADE, related_name="notices"
    )
    law = models.CharField(max_length=200)
    explanation = models.TextField(max_length=5000)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    good_faith = models.BooleanField()
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    outcome = models.CharField(max_length=20, blank=True)  # removed / kept
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(good_faith=True), name="notice_in_good_faith")
        ]
        indexes = [models.Index(fields=["comment", "status"], name="notice_comment_status")]

    def __str__(self) -> str:
        return f"Notice {self.pk} on comment {self.comment_id}"


class AppealStatus(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Removal upheld"
    REVERSED = "reversed", "Reversed: comment restored"


class Appeal(models.Model):
    """The author of a removed comment asks for a second look, once per removal."""

    comment = models.OneToOneField(
        "community.Comment", on_delete=models.CASCADE, related_name="appeal"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals"
    )
    text = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="appeal_queue")]

    def __str__(self) -> str:
        return f"Appeal on comment {self.comment_id}"


# --- Audit trail ----------------------------------------------------------------------------


class ActionKind(models.TextChoices):
    APPROVE = "approve", "Approved"
    REJECT = "reject", "Rejected"
    BAN = "ban", "Rejected and banned"
    FEATURE = "feature", "Featured"
    UNFEATURE = "unfeature", "Unfeatured"
    NOTE = "note", "Note"
    UNDO = "undo", "Undone"
    AUTO_HOLD = "auto_hold", "Held by screening"
    AUTO_REJECT = "auto_reject", "Rejected by screening"
    AUTO_HIDE = "auto_hide", "Hidden by screening"
    REPORT_THRESHOLD = "report_threshold", "Hidden after reports"
    NOTICE = "notice", "Illegal-content notice"
    APPEAL = "appeal", "Appeal filed"
    APPEAL_UPHELD = "appeal_upheld", "Appeal: removal upheld"
    APPEAL_REVERSED = "appeal_reversed", "Appeal: comment restored"
    ESCALATE = "escalate", "Escalated"


class ModerationAction(models.Model):
    """One line of the audit trail: append-only, never edited."""

    comment = models.ForeignKey(
        "community.Comment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderation_actions",
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_history",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        help_text="Empty for automatic actions.",
    )
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    reason = models.CharField(max_length=40, blank=True)
    message = models.TextField(blank=True)
    before_status = models.CharField(max_length=12, blank=True)
    after_status = models.CharField(max_length=12, blank=True)
    automated = models.BooleanField(default=False)
    ban_until = models.DateTimeField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["comment", "created_at"], name="modaction_comment"),
            models.Index(fields=["actor", "created_at"], name="modaction_actor"),
            models.Index(fields=["created_at"], name="modaction_time"),
            models.Index(fields=["kind", "created_at"], name="modaction_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on comment {self.comment_id}"


# --- Settings -------------------------------------------------------------------------------


@register_setting(icon="warning")
class ModerationSettings(BaseGenericSetting):
    """Pre-screening rules, report thresholds and notifications, editable by admins."""

    banned_words = models.TextField(
        blank=True, help_text="One word or phrase per line; comments containing one are rejected."
    )
    suspect_words = models.TextField(
        blank=True, help_text="One per line; comments containing one wait for review."
    )
    max_links = models.PositiveSmallIntegerField(
        default=2, help_text="Comments with more links than this wait for review."
    )
    repeat_limit = models.PositiveSmallIntegerField(
        default=3,
        help_text="The same text posted this many times in 24 hours (by anyone) is spam.",
    )
    new_account_hours = models.PositiveIntegerField(
        default=0,
        help_text="Hold comments from accounts younger than this many hours (0: off).",
    )
    min_trust = models.IntegerField(
        default=-3,
        help_text="Hold comments from readers whose trust (approved - 3 x rejected) is lower.",
    )
    offensive_hold = models.FloatField(
        default=0.90, help_text="Offensive-language probability at which a comment is held."
    )
    offensive_reject = models.FloatField(
        null=True,
        blank=True,
        help_text="Probability at which a comment is rejected outright (empty: never).",
    )
    shadow_rules = models.CharField(
        max_length=300,
        blank=True,
        help_text="Rule names, comma-separated, whose results are recorded but not acted on.",
    )
    report_threshold = models.PositiveSmallIntegerField(
        default=DEFAULT_REPORT_THRESHOLD,
        help_text="Open reports that hide a published comment until a moderator decides.",
    )
    escalate_after_hours = models.PositiveSmallIntegerField(
        default=48, help_text="Reports left undecided this long go to the top of the desk."
    )
    notify_authors = models.BooleanField(
        default=True, help_text="Email authors a statement of reasons when a comment is removed."
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("banned_words"),
                FieldPanel("suspect_words"),
                FieldPanel("max_links"),
                FieldPanel("repeat_limit"),
                FieldPanel("new_account_hours"),
                FieldPanel("min_trust"),
                FieldPanel("offensive_hold"),
                FieldPanel("offensive_reject"),
                FieldPanel("shadow_rules"),
            ],
            heading="Pre-screening",
        ),
        MultiFieldPanel(
            [
                FieldPanel("report_threshold"),
                FieldPanel("escalate_after_hours"),
                FieldPanel("notify_authors"),
            ],
            heading="Reports and decisions",
        ),
    ]

    class Meta:
        verbose_name = "moderation settings"
