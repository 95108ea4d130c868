"""Account writes: creating users with a role and issuing API tokens."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from wagtail.models import APIToken

from masthead.accounts.models import Role, User


def create_user(
    *,
    email: str,
    password: str,
    role: Role | str = Role.READER,
    verified: bool = False,
    display_name: str = "",
) -> User:
    """Create an account holding `role`; moderators, editors and admins get CMS access."""
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
            is_staff=role in {Role.MODERATOR, Role.EDITOR, Role.ADMIN},
            is_superuser=role == Role.ADMIN,
        )
        user.groups.add(ensure_roles()[role])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def issue_token(*, user: User, name: str = "API token") -> tuple[APIToken, str]:
    """Create a bearer token; the plaintext is returned once and only its digest is stored."""
    return APIToken.create_token(user=user, name=name[:255])


# What each staff role may do in the CMS. Readers get no CMS access at all.
ROLE_PERMISSIONS: dict[Role, list[tuple[str, str]]] = {
    Role.READER: [],
    Role.MODERATOR: [("wagtailadmin", "access_admin")],
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
        ("revenue", "change_appealsettings"),
        ("newsroom", "change_newsroomsettings"),
    ],
    Role.ADMIN: [],  # admins are superusers
}
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


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

        editor = groups[Role.EDITOR]
        root = Page.get_first_root_node()
        if root is not None:
            for codename in EDITOR_PAGE_PERMISSIONS:
                permission = Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                )
                GroupPagePermission.objects.get_or_create(
                    group=editor, page=root, permission=permission
                )
        from wagtail.models import Collection

        collection = Collection.get_first_root_node()
        if collection is not None:
            for app, codename in [
                ("wagtailimages", "add_image"),
                ("wagtailimages", "change_image"),
                ("wagtailimages", "choose_image"),
            ]:
                permission = Permission.objects.get(content_type__app_label=app, codename=codename)
                GroupCollectionPermission.objects.get_or_create(
                    group=editor, collection=collection, permission=permission
                )
    return groups
