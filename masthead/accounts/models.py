"""Reader and staff accounts and their roles. API tokens are Wagtail's `APIToken`."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property


class Role(models.TextChoices):
    """Roles are Django groups of the same name; a user holds the highest that applies."""

    READER = "reader", "Reader"
    MODERATOR = "moderator", "Moderator"
    WRITER = "writer", "Writer"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Admin"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Email addresses are matched without regard to case.
        return self.get(email__iexact=username)


class User(AbstractUser):
    """An account is identified by its email; readers show a display name, never the email."""

    username = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=60, blank=True, help_text="Shown next to comments instead of the email."
    )
    banned_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by moderators: until then the reader cannot comment, react or report.",
    )
    ban_message = models.TextField(
        blank=True, help_text="Why the reader is suspended; shown to them while it lasts."
    )
    # Moderation history: trust grows with approved comments and falls with rejections.
    approved_comments = models.PositiveIntegerField(default=0)
    rejected_comments = models.PositiveIntegerField(default=0)
    # Reader revenue: the Stripe customer is reused on the next checkout (no duplicate customers);
    # the supporter fields are kept in step by the payment webhooks.
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    supporter_since = models.DateTimeField(null=True, blank=True)
    is_monthly_supporter = models.BooleanField(default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        # Never fall back to any part of the email: it is private.
        return self.display_name or self.get_full_name() or f"Reader {self.pk}"

    @property
    def is_banned(self) -> bool:
        return self.banned_until is not None and self.banned_until > timezone.now()

    @property
    def trust(self) -> int:
        return self.approved_comments - 3 * self.rejected_comments

    @property
    def suspension_notice(self) -> str:
        """What a banned reader is told: until when, and the moderators' message."""
        if not self.is_banned:
            return ""
        until = timezone.localtime(self.banned_until)
        when = "permanently" if until.year > 9000 else f"until {until:%-d %B %Y, %H:%M}"
        text = f"Your account is suspended from taking part {when}."
        if self.ban_message:
            text += f" The moderators' message: {self.ban_message}"
        return text

    @property
    def is_newsroom_staff(self) -> bool:
        """Staff get a badge by their comments: moderators, editors and admins."""
        return self.is_staff or self.is_superuser

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The role groups this account is in, read once per request."""
        return frozenset(group.name for group in self.groups.all())

    def has_role(self, *roles: Role | str) -> bool:
        """True for members of any of the roles' groups; admins (superusers) hold every role."""
        return self.is_superuser or any(str(role) in self.role_names for role in roles)
