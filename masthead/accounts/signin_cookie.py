"""The `masthead_signed_in` hint: a cookie the page's script can read, saying "this browser has
a signed-in session, ask for the personal bits".

Public pages are cached and sent as the same bytes to everyone, so they cannot say who is
signed in. The session cookie is HttpOnly (scripts cannot see it), so sign-in sets this small
readable cookie beside it and sign-out clears it; `session.js` fetches the reader's page state
only when it is there. It grants nothing: the endpoint still checks the session, and a stale
hint costs one request that answers "signed out" and clears it.

`masthead_flash=1` is the same kind of hint for a reader who has just signed out (or deleted
their account) and has a message waiting ("You have signed out.") on a cached page.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from masthead.core.sessions import signed_in_user

COOKIE = "masthead_signed_in"
FLASH_COOKIE = "masthead_flash"
FLASH_SECONDS = 300


def _options() -> dict:
    return {
        "path": "/",
        "secure": settings.SESSION_COOKIE_SECURE,
        "samesite": "Lax",
        "httponly": False,  # the point: the page's script reads it
    }


def set_signed_in(request: HttpRequest, response: HttpResponseBase) -> None:
    """Lasts as long as the session: until the browser closes, or the session's age."""
    session = getattr(request, "session", None)
    max_age = None
    if session is not None and not session.get_expire_at_browser_close():
        max_age = session.get_expiry_age()
    response.set_cookie(COOKIE, "1", max_age=max_age, **_options())


def clear_signed_in(response: HttpResponseBase, *, flash: bool = False) -> None:
    """Drop the hint; with `flash`, leave a short-lived one saying a message is waiting."""
    response.delete_cookie(COOKIE, path="/", samesite="Lax")
    if flash:
        response.set_cookie(FLASH_COOKIE, "1", max_age=FLASH_SECONDS, **_options())


def clear_flash(response: HttpResponseBase) -> None:
    response.delete_cookie(FLASH_COOKIE, path="/", samesite="Lax")


def sync(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """On a personal (never cached) page: make the hint match the session, for sessions that
    began without it (a sign-in through the CMS, or before the hint existed)."""
    has_hint = request.COOKIES.get(COOKIE) == "1"
    signed_in = signed_in_user(request) is not None
    if signed_in and not has_hint:
        set_signed_in(request, response)
    elif has_hint and not signed_in:
        clear_signed_in(response)
    return response
