"""The revenue dashboard under /revenue/ and its CSV export: newsroom admins only.

Anonymous visitors go to sign in; signed-in people who are not admins (readers, moderators,
editors) get a 403. The figures come from `masthead.revenue.reports` in a fixed number of
queries; this module only chooses the period, draws the charts and renders.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from masthead.core import charts
from masthead.core.sessions import signed_in_user
from masthead.revenue import money, reports


def admin_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = signed_in_user(request)
        if user is None:
            return redirect_to_login(request.get_full_path())
        if not reports.can_see_revenue(user):
            return render(request, "revenue/dashboard/forbidden.html", status=403)
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def chosen_days(request: HttpRequest) -> int:
    value = request.GET.get("days", "")
    if value.isdigit() and int(value) in reports.PERIODS:
        return int(value)
    return reports.DEFAULT_PERIOD


def _charts(data: reports.Dashboard, currency: str) -> dict[str, Any]:
    Series = charts.Series
    daily = data.daily.get(currency, {})
    monthly = data.monthly.get(currency, {})
    empty = reports.Totals(currency)
    days = [daily.get(d, empty) for d in data.period.days]
    months = [monthly.get(m, empty) for m in data.period.months]
    unit = f" {currency}"

    def major(minor: int) -> float:
        return money.major_units(minor, currency)

    total = data.totals.get(currency, empty)
    return {
        "daily_chart": charts.bar_chart(
            title=f"Money received per day ({currency}, after refunds)",
            labels=[d.strftime("%-d %b") for d in data.period.days],
            series=[
                Series("once", "One-off", [major(t.once.net) for t in days]),
                Series("monthly", "Monthly", [major(t.monthly.net) for t in days]),
            ],
            unit=unit,
        ),
        "monthly_chart": charts.bar_chart(
            title=f"Money received per month ({currency}, after refunds)",
            labels=[m.strftime("%b %Y") for m in data.period.months],
            series=[
                Series("once", "One-off", [major(t.once.net) for t in months]),
                Series("monthly", "Monthly", [major(t.monthly.net) for t in months]),
            ],
            unit=unit,
            noun="months",
        ),
        "share_chart": charts.share_bar(
            title=f"One-off and monthly money in this period ({currency})",
            parts=[
                ("once", "One-off", major(total.once.net)),
                ("monthly", "Monthly", major(total.monthly.net)),
            ],
        ),
        "month_rows": list(zip(data.period.months, months, strict=True)),
    }


@require_GET
@admin_only
def dashboard(request: HttpRequest) -> HttpResponse:
    days = chosen_days(request)
    data = reports.dashboard(days=days)
    currencies = [
        {
            "code": currency,
            "totals": data.totals.get(currency, reports.Totals(currency)),
            "recurring": data.recurring.get(currency),
            **_charts(data, currency),
        }
        for currency in data.currencies
    ]
    placements = data.placements
    context = {
        "days": days,
        "periods": reports.PERIODS,
        "data": data,
        "currencies": currencies,
        "supporters_chart": charts.bar_chart(
            title="New supporters per month",
            labels=[s.month.strftime("%b %Y") for s in data.supporters],
            series=[
                charts.Series("once", "One-off", [s.new_once for s in data.supporters]),
                charts.Series("monthly", "Monthly", [s.new_monthly for s in data.supporters]),
            ],
            noun="months",
        ),
        "placements": placements,
        "placements_chart": charts.hbar_chart(
            title="Paid contributions per appeal placement",
            rows=[(p.label, p.paid) for p in placements if p.paid],
            key="monthly",
        ),
        "csv_url": reverse("revenue_dashboard:csv") + f"?days={days}",
    }
    return render(request, "revenue/dashboard/dashboard.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def safe_cell(value: str) -> str:
    """Keep spreadsheet programs from running what a reader typed (a name) as a formula."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


@require_GET
@admin_only
def contributions_csv(request: HttpRequest) -> StreamingHttpResponse:
    days = chosen_days(request)
    period = reports.last_days(days)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(reports.CSV_COLUMNS)
        for row in reports.contribution_rows(period):
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = f"contributions-{period.days[0]:%Y-%m-%d}-to-{period.days[-1]:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
