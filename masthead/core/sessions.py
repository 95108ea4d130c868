"""Who is asking, without costing anonymous readers their cacheable page.

Reading `request.user` loads the session, which makes Django add `Vary: Cookie` (and may set a
cookie), so a page could no longer be cached whole for every anonymous reader. Everything that
wants the signed-in reader asks here, and the session is only read when the browser sent one.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from masthead.accounts.models import User


def has_session_cookie(request: HttpRequest | None) -> bool:
    return request is not None and settings.SESSION_COOKIE_NAME in request.COOKIES


def signed_in_user(request: HttpRequest | None) -> User | None:
    """The signed-in user, or None, without touching the session of a cookie-less request."""
    if not has_session_cookie(request):
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
