"""`GET /api/v1/revenue/summary`: reader revenue in a period, for newsroom admins.

Anonymous callers get 401, signed-in callers who are not admins 403. Amounts are integers in
minor units (cents) keyed by upper-case currency code; currencies are never added together.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from masthead.core.api import signed_in
from masthead.revenue import reports

router = Router(tags=["revenue"], auth=signed_in)

# Dates the period may start and end on: wide enough for any newsroom's records, narrow enough
# that turning a date into a moment in the site's time zone can never overflow. Any span between
# them costs the same two queries.
EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)
MAX_DAYS = 3660

Money = dict[str, int]


class ErrorOut(Schema):
    error: str
    message: str


class SummaryOut(Schema):
    since: datetime = Field(description="Start of the period (inclusive).")
    until: datetime = Field(description="End of the period (exclusive).")
    count: int = Field(description="Payments received in the period (one-off and monthly).")
    totals: Money = Field(
        description="Money received per currency after refunds, in minor units (cents)."
    )
    gross: Money = Field(description="Money received per currency before refunds.")
    refunded: Money = Field(description="Refunded of the money received in the period.")
    one_off: Money = Field(description="One-off contributions, after refunds.")
    monthly: Money = Field(description="Monthly contributions' payments, after refunds.")
    monthly_recurring: Money = Field(
        description="What the active monthly contributions bring in each month, as of now."
    )
    monthly_supporters: dict[str, int] = Field(
        description="Active monthly contributions per currency, as of now."
    )


def revenue_admin(request: HttpRequest) -> None:
    if not reports.can_see_revenue(request.user):
        raise PermissionDenied("Only the newsroom's admins can see revenue figures.")


@router.get(
    "/summary",
    response={200: SummaryOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Reader revenue in a period: payments, totals per currency, monthly recurring "
    "revenue (admins only)",
)
def summary(
    request: HttpRequest,
    response: HttpResponse,
    days: Annotated[
        int,
        Query(ge=1, le=MAX_DAYS, description="The last N days up to today (if no `since`)."),
    ] = reports.DEFAULT_PERIOD,
    since: Annotated[
        date | None,
        Query(
            ge=EARLIEST,
            le=LATEST,
            description="First day (local), instead of `days`; after `until` is a 422.",
        ),
    ] = None,
    until: Annotated[
        date | None,
        Query(ge=EARLIEST, le=LATEST, description="Last day (local, inclusive); today if not set."),
    ] = None,
) -> dict:
    revenue_admin(request)
    last = until or timezone.localdate()
    if since is not None:
        first = since
    else:
        first = max(date.fromordinal(max(last.toordinal() - days + 1, 1)), EARLIEST)
    if first > last:
        raise HttpError(422, "`since` must not be after `until`.")
    period = reports.between(first, last)
    totals = reports.totals(period.start, period.end)
    recurring = reports.monthly_recurring()
    response["Cache-Control"] = "private, no-store"
    return {
        "since": period.start,
        "until": period.end,
        "count": sum(t.all.payments for t in totals.values()),
        "totals": {c: t.all.net for c, t in totals.items()},
        "gross": {c: t.all.gross for c, t in totals.items()},
        "refunded": {c: t.all.refunded for c, t in totals.items()},
        "one_off": {c: t.once.net for c, t in totals.items()},
        "monthly": {c: t.monthly.net for c, t in totals.items()},
        "monthly_recurring": {c: r.amount for c, r in recurring.items()},
        "monthly_supporters": {c: r.supporters for c, r in recurring.items()},
    }
