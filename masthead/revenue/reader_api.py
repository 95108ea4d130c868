"""`GET /api/v1/revenue/me`: whether the caller is a current monthly supporter.

Article pages are the same for every reader, so the appeal block asks this after the page has
loaded and swaps itself for a thank-you. Private and never cached; a caller without a session
is simply not a supporter (and their request touches no session).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from masthead.core.sessions import signed_in_user
from masthead.revenue.services import is_supporter

router = Router(tags=["revenue"])


class SupporterOut(Schema):
    supporter: bool = Field(description="True for a signed-in reader giving monthly.")


@router.get("/me", auth=None, response=SupporterOut, summary="Is the caller a monthly supporter?")
def me(request: HttpRequest, response: HttpResponse) -> dict:
    response["Cache-Control"] = "private, no-store"
    return {"supporter": is_supporter(signed_in_user(request))}
