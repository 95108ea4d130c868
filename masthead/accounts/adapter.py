"""How django-allauth creates Masthead readers."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group
from django.db import transaction

from masthead.accounts.models import Role, User
from masthead.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):  # type: ignore[no-untyped-def]
        """A new reader gets the display name they chose and the reader role, in one go."""
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"]
        if commit:
            with transaction.atomic():
                user.save()
                reader_group, _ = Group.objects.get_or_create(name=Role.READER.value)
                user.groups.add(reader_group)
        return user

    def get_client_ip(self, request):  # type: ignore[no-untyped-def]
        """Sign-in, sign-up and reset limits count the same address as every other limit:
        X-Forwarded-For only from the trusted proxies."""
        return client_ip(request)


def user_display(user: User) -> str:
    """How allauth names a user in pages and emails: the public name, never the email."""
    return user.public_name
