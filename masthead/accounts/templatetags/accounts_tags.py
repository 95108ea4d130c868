"""Header helpers for personal pages (`base_personal.html`).

Public pages are cached whole and show no reader (base.html); pages made for one reader show
who is signed in and their messages. Even there, touching `request.user` or the messages reads
the session, which adds `Vary: Cookie` (and may set a cookie), so these look at the session only
when the browser already sent a session cookie.
"""

from __future__ import annotations

from django import template
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest

from masthead.core.sessions import has_session_cookie, signed_in_user

register = template.Library()


def pending_messages(request: HttpRequest | None) -> list:
    """Pending messages ("Saved", "You have signed out."), read (and so consumed) only when a
    cookie may hold them: the messages cookie, or the session's."""
    if request is None or not (
        has_session_cookie(request) or CookieStorage.cookie_name in request.COOKIES
    ):
        return []
    return list(get_messages(request))


@register.simple_tag(takes_context=True)
def session_user(context):  # type: ignore[no-untyped-def]
    """The signed-in user, or None, without reading the session of a cookie-less request."""
    return signed_in_user(context.get("request"))


@register.simple_tag(takes_context=True)
def flash_messages(context) -> list:  # type: ignore[no-untyped-def]
    return pending_messages(context.get("request"))
