"""Sign-in sets the `masthead_signed_in` hint on the response that completes it."""

from __future__ import annotations

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

from masthead.accounts import signin_cookie


@receiver(user_logged_in, dispatch_uid="masthead.accounts.signed_in_hint")
def hint_signed_in(
    sender: object,
    request: HttpRequest,
    response: HttpResponseBase | None = None,
    **kwargs: object,
) -> None:
    # allauth hands over the response of every way in: the login form, signup, a confirmed
    # email address, a social account.
    if response is not None:
        signin_cookie.set_signed_in(request, response)
