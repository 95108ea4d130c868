"""Account writes: creating users with a role, API tokens, reader profiles, "download my
data" and "delete my account"."""

from __future__ import annotations

import logging
import unicodedata
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import APIToken

from masthead.accounts.models import Role, User

logger = logging.getLogger(__name__)


def create_user(
    *,
    email: str,
    password: str,
    role: Role | str = Role.READER,
    verified: bool = False,
    display_name: str = "",
) -> User:
    """Create an account holding `role`; moderators, writers, editors and admins get CMS
    access."""
    email = email.strip()
    validate_email(email)
    role = Role(role)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"An account with the email {email} already exists.")
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            display_name=display_name,
            is_staff=role in STAFF_ROLES,
            is_superuser=role == Role.ADMIN,
        )
        user.groups.add(ensure_roles()[role])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def issue_token(*, user: User, name: str = "API token") -> tuple[APIToken, str]:
    """Create a bearer token; the plaintext is returned once and only its digest is stored."""
    return APIToken.create_token(user=user, name=name[:255])


# Roles whose accounts are newsroom staff (a badge by their comments, the CMS).
STAFF_ROLES = frozenset({Role.MODERATOR, Role.WRITER, Role.EDITOR, Role.ADMIN})

# What each staff role may do in the CMS. Readers get no CMS access at all.
ROLE_PERMISSIONS: dict[Role, list[tuple[str, str]]] = {
    Role.READER: [],
    Role.MODERATOR: [("wagtailadmin", "access_admin")],
    # Writers draft stories, photos and author profiles and submit stories for review; they
    # cannot publish (see WRITER_PAGE_PERMISSIONS).
    Role.WRITER: [
        ("wagtailadmin", "access_admin"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "choose_document"),
        ("newsroom", "add_author"),
        ("newsroom", "change_author"),
        ("newsroom", "view_wireagency"),
    ],
    Role.EDITOR: [
        ("wagtailadmin", "access_admin"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("newsroom", "add_author"),
        ("newsroom", "change_author"),
        ("newsroom", "add_wireagency"),
        ("newsroom", "change_wireagency"),
        ("ads", "add_adslot"),
        ("ads", "change_adslot"),
        ("ads", "add_housead"),
        ("ads", "change_housead"),
        ("ads", "delete_housead"),
        ("revenue", "change_appealsettings"),
        ("newsroom", "change_newsroomsettings"),
    ],
    Role.ADMIN: [],  # admins are superusers
}
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# No publish_page: a writer's story goes live only through the "Editorial review" workflow.
WRITER_PAGE_PERMISSIONS = ["add_page", "change_page"]
IMAGE_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def ensure_roles() -> dict[Role, Group]:
    """Create the role groups with their permissions. Safe to run again at any time."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

    groups: dict[Role, Group] = {}
    with transaction.atomic():
        for role, perms in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=role.value)
            wanted = [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in perms
            ]
            group.permissions.add(*wanted)
            groups[role] = group

        root = Page.get_first_root_node()
        page_permissions = {
            Role.EDITOR: EDITOR_PAGE_PERMISSIONS,
            Role.WRITER: WRITER_PAGE_PERMISSIONS,
        }
        if root is not None:
            for role, codenames in page_permissions.items():
                for codename in codenames:
                    permission = Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    )
                    GroupPagePermission.objects.get_or_create(
                        group=groups[role], page=root, permission=permission
                    )
        from wagtail.models import Collection

        collection = Collection.get_first_root_node()
        if collection is not None:
            for role in (Role.EDITOR, Role.WRITER):
                for app, codename in IMAGE_PERMISSIONS:
                    permission = Permission.objects.get(
                        content_type__app_label=app, codename=codename
                    )
                    GroupCollectionPermission.objects.get_or_create(
                        group=groups[role], collection=collection, permission=permission
                    )
        # The review workflow names the editor group as its approvers.
        from masthead.editorial.workflow import ensure_workflow

        ensure_workflow(approvers=groups[Role.EDITOR])
    return groups


# --- Reader profile -------------------------------------------------------------------------

DISPLAY_NAME_MIN = 2
DISPLAY_NAME_MAX = 60
# Names a reader may not take: they would pass for the newsroom or for a closed account.
RESERVED_DISPLAY_NAMES = {
    "admin",
    "administrator",
    "editor",
    "former reader",
    "masthead",
    "moderator",
    "newsroom",
    "staff",
}


def check_display_name(name: str) -> str:
    """The cleaned public name, or ValidationError with a message fit to show the reader."""
    cleaned = " ".join((name or "").split())
    if len(cleaned) < DISPLAY_NAME_MIN:
        raise ValidationError(
            f"Your display name needs at least {DISPLAY_NAME_MIN} characters.", code="too_short"
        )
    if len(cleaned) > DISPLAY_NAME_MAX:
        raise ValidationError(
            f"Your display name can have at most {DISPLAY_NAME_MAX} characters; "
            f"yours has {len(cleaned)}.",
            code="too_long",
        )
    if any(unicodedata.category(char).startswith("C") for char in cleaned):
        raise ValidationError("Your display name contains invisible characters.", code="invalid")
    if "@" in cleaned:
        # Display names are public; an email address in one would be published.
        raise ValidationError("Please don't use an email address as your name.", code="email")
    if cleaned.casefold() in RESERVED_DISPLAY_NAMES:
        raise ValidationError("That name is reserved. Please choose another.", code="reserved")
    return cleaned


def update_display_name(*, user: User, display_name: str) -> User:
    """Change the public name shown next to the reader's comments."""
    from masthead.community.models import Comment, ThreadActivity

    user.display_name = check_display_name(display_name)
    with transaction.atomic():
        user.save(update_fields=["display_name"])
        # Cached thread pages show the old name: move the threads the reader took part in.
        ThreadActivity.objects.filter(
            article_id__in=Comment.objects.filter(author=user).values("article_id")
        ).update(version=F("version") + 1, changed_at=timezone.now())
    return user


# --- Download my data -----------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _export_profile(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
    }


def _export_comments(user: User) -> list[dict[str, Any]]:
    from masthead.community.models import Comment

    comments = (
        Comment.objects.filter(author=user).select_related("article").order_by("created_at", "pk")
    )
    return [
        {
            "id": comment.pk,
            "article": {"title": comment.article.title, "url": comment.article.full_url},
            "parent_id": comment.parent_id,
            "body": comment.body,
            "status": comment.status,
            "created_at": _iso(comment.created_at),
            "edited_at": _iso(comment.edited_at),
            "like_count": comment.like_count,
        }
        for comment in comments
    ]


def _export_reactions(user: User) -> list[dict[str, Any]]:
    from masthead.community.models import Reaction

    reactions = Reaction.objects.filter(user=user).order_by("created_at", "pk")
    return [
        {"comment_id": reaction.comment_id, "kind": reaction.kind, "at": _iso(reaction.created_at)}
        for reaction in reactions
    ]


def _export_reports(user: User) -> list[dict[str, Any]]:
    from masthead.moderation.models import Report

    reports = Report.objects.filter(reporter=user).select_related("reason").order_by("pk")
    return [
        {
            "comment_id": report.comment_id,
            "reason": report.reason.code,
            "note": report.note,
            "status": report.status,
            "created_at": _iso(report.created_at),
            "resolved_at": _iso(report.resolved_at),
        }
        for report in reports
    ]


def _export_contributions(user: User) -> list[dict[str, Any]]:
    from masthead.revenue.models import Contribution

    contributions = Contribution.objects.filter(reader=user).order_by("created_at", "pk")
    return [
        {
            "id": str(contribution.pk),
            "frequency": contribution.frequency,
            "amount": contribution.amount,
            "currency": contribution.currency,
            "status": contribution.status,
            "name": contribution.name,
            "email": contribution.email,
            "created_at": _iso(contribution.created_at),
            "paid_at": _iso(contribution.paid_at),
            "cancelled_at": _iso(contribution.cancelled_at),
            "refunded_at": _iso(contribution.refunded_at),
        }
        for contribution in contributions
    ]


def export_user_data(user: User) -> dict[str, Any]:
    """Everything Masthead holds about a reader, as JSON-ready data ("Download my data").

    Each section comes from one function above; an app that starts storing personal data adds
    its section here (and a test in tests/accounts/test_export.py).
    """
    return {
        "format": "masthead-user-export/1",
        "exported_at": _iso(timezone.now()),
        "profile": _export_profile(user),
        "comments": _export_comments(user),
        "reactions": _export_reactions(user),
        "reports": _export_reports(user),
        "contributions": _export_contributions(user),
    }


# --- Delete my account ----------------------------------------------------------------------


class AccountError(Exception):
    """A rule refused the account change; `message` is fit to show the reader."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _withdraw_reactions(user: User) -> set[int]:
    """Delete the reader's reactions and take them off the like counts; returns article ids."""
    from masthead.community.models import Comment, Reaction

    per_comment = Counter(Reaction.objects.filter(user=user).values_list("comment_id", flat=True))
    by_amount: dict[int, list[int]] = defaultdict(list)
    for comment_id, amount in per_comment.items():
        by_amount[amount].append(comment_id)
    for amount, comment_ids in by_amount.items():
        Comment.objects.filter(pk__in=comment_ids, like_count__gte=amount).update(
            like_count=F("like_count") - amount
        )
    Reaction.objects.filter(user=user).delete()
    return set(
        Comment.objects.filter(pk__in=per_comment).values_list("article_id", flat=True).distinct()
    )


def _remove_comments(user: User) -> set[int]:
    """Turn the reader's comments into "deleted" placeholders, as `delete_own_comment` does
    one at a time, keeping the published counts right in bulk; returns article ids."""
    from masthead.community.models import Comment, CommentStatus
    from masthead.newsroom.models import ArticlePage

    mine = Comment.objects.filter(author=user)
    # Lock the rows first (PostgreSQL refuses FOR UPDATE together with DISTINCT below).
    list(mine.select_for_update().values_list("pk", flat=True))
    published = list(
        mine.filter(status=CommentStatus.PUBLISHED).values_list("article_id", "parent_id")
    )
    articles = set(mine.values_list("article_id", flat=True).distinct())
    mine.exclude(status=CommentStatus.DELETED).update(
        status=CommentStatus.DELETED, body="", body_html="", featured_at=None
    )
    by_article = Counter(article_id for article_id, _ in published)
    by_parent = Counter(parent_id for _, parent_id in published if parent_id)
    for counts, model, field in [
        (by_article, ArticlePage, "comment_count"),
        (by_parent, Comment, "reply_count"),
    ]:
        by_amount: dict[int, list[int]] = defaultdict(list)
        for pk, amount in counts.items():
            by_amount[amount].append(pk)
        for amount, pks in by_amount.items():
            model.objects.filter(pk__in=pks).update(**{field: F(field) - amount})
    return articles


def delete_account(*, user: User, password: str) -> None:
    """Close a reader's account for good, after they re-entered their password.

    Their reactions go (and leave the like counts); their comments stay under "Former reader"
    or become "deleted" placeholders, per settings.MASTHEAD["DELETED_ACCOUNT_COMMENTS"]; then
    the user row goes, with its email addresses, sessions' owner and API tokens.
    """
    from masthead.community.services import thread_changed

    mode = settings.MASTHEAD["DELETED_ACCOUNT_COMMENTS"]
    if mode not in {"anonymise", "remove"}:
        raise ImproperlyConfigured("DELETED_ACCOUNT_COMMENTS must be 'anonymise' or 'remove'.")
    if not user.is_authenticated or not user.check_password(password or ""):
        raise AccountError("wrong_password", "That password is not right. Please try again.")
    if user.is_newsroom_staff:
        raise AccountError(
            "staff",
            "Newsroom accounts are closed by an administrator, so that their work stays "
            "on record. Please ask one.",
        )
    with transaction.atomic():
        touched = _withdraw_reactions(user)
        if mode == "remove":
            touched |= _remove_comments(user)
        else:
            from masthead.community.models import Comment

            touched |= set(Comment.objects.filter(author=user).values_list("article_id", flat=True))
        # Comments keep their place with author NULL (the foreign key is SET_NULL).
        user_id = user.pk
        user.delete()
        for article_id in touched:
            thread_changed(article_id)
    logger.info("account %s deleted (comments: %s)", user_id, mode)
