"""Header helpers that keep anonymous pages cookie-free.

Touching `request.user` or the messages reads the session, which adds `Vary: Cookie` (and may
set a cookie): the page could then no longer be cached whole for every anonymous reader. So
these tags look at the session only when the browser already sent a session cookie.
"""

from __future__ import annotations

from django import template
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage

from masthead.core.sessions import has_session_cookie, signed_in_user

register = template.Library()


@register.simple_tag(takes_context=True)
def session_user(context):  # type: ignore[no-untyped-def]
    """The signed-in user, or None, without reading the session of a cookie-less request."""
    return signed_in_user(context.get("request"))


@register.simple_tag(takes_context=True)
def flash_messages(context) -> list:  # type: ignore[no-untyped-def]
    """Pending messages ("Saved", "You have signed out."), read only when a cookie may hold
    them: the messages cookie, or the session's."""
    request = context.get("request")
    if request is None or not (
        has_session_cookie(request) or CookieStorage.cookie_name in request.COOKIES
    ):
        return []
    return list(get_messages(request))
