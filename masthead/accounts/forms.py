"""Reader-facing account forms. They only read input; the writes are in services.py."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from masthead.accounts.services import DISPLAY_NAME_MAX, check_display_name

DISPLAY_NAME_HELP = "Shown next to your comments. Your email address is never shown."


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", "Display name")
        kwargs.setdefault("help_text", DISPLAY_NAME_HELP)
        # Long enough to let the validator say how long a name was, short enough to refuse junk.
        kwargs.setdefault("max_length", DISPLAY_NAME_MAX * 4)
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "nickname", "maxlength": DISPLAY_NAME_MAX})

    def clean(self, value: str) -> str:
        value = super().clean(value)
        try:
            return check_display_name(value)
        except ValidationError as error:
            raise forms.ValidationError(error.messages, code=error.code) from None


class SignupDetailsForm(forms.Form):
    """Extra signup fields (ACCOUNT_SIGNUP_FORM_CLASS): allauth's signup form inherits these.

    The adapter stores the display name as the user row is created.
    """

    field_order = ["email", "display_name", "password1", "password2"]

    display_name = DisplayNameField()

    def signup(self, request, user) -> None:  # type: ignore[no-untyped-def]
        """Required by allauth; the adapter has already saved everything."""


class DisplayNameForm(forms.Form):
    display_name = DisplayNameField()


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To make sure it's you.",
    )
