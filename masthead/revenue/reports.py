"""Revenue figures for the admins' dashboard, its CSV export and `GET /api/v1/revenue/summary`.

How money is counted:

- Money counts when it arrives: one `Payment` per one-off payment or monthly invoice, on the
  (local) day it was paid. A contribution still pending, or one that failed, brings in nothing.
- Refunds are netted out against the payment they return, so a refund lowers the figures of the
  period the payment belongs to ("net" = amount - refunded_amount). Gross and refunded are
  reported beside it.
- Currencies are never added together: every figure is per currency.
- One-off or monthly is the contribution's frequency.
- Monthly recurring revenue is what the active monthly contributions (status `paid`) bring in
  each month, per currency, as of now.
- New supporters in a month: contributions whose first payment arrived that month, one-off and
  monthly apart; cancelled: monthly contributions that ended that month.
- Appeal placements: checkouts started from each placement in the period, how many were paid
  (the conversion from "started checkout" to "paid"), and the money received per placement.
  Appeal *views* are not recorded (the appeal is part of cached anonymous pages), so there is no
  view-to-contribution conversion.

Every function here runs a fixed number of queries whatever the amount of data, grouped in the
database (`TruncDate`/`TruncMonth` with the site's time zone; no raw SQL, so the same code runs on
SQLite and PostgreSQL). Only per-day/per-month/per-currency rows come back to Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, DateField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from masthead.accounts.models import Role, User
from masthead.revenue.models import (
    AppealPlacement,
    Contribution,
    ContributionStatus,
    Frequency,
    Payment,
)
from masthead.revenue.money import decimal

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 30

ONCE = Frequency.ONCE.value
MONTHLY = Frequency.MONTHLY.value


def can_see_revenue(user: object) -> bool:
    """Newsroom admins (the admin role, or superusers) only: not editors or moderators."""
    return isinstance(user, User) and user.is_active and user.has_role(Role.ADMIN)


# --- Money as people read it ---------------------------------------------------------------

# --- Periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole local days: from the start of `days[0]` to the end of `days[-1]` (exclusive)."""

    start: datetime
    end: datetime
    days: list[date]
    months: list[date]  # the first day of each calendar month the period touches

    @property
    def month_start(self) -> datetime:
        return _local_midnight(self.months[0])


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _months(first: date, last: date) -> list[date]:
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def last_days(days: int, *, now: datetime | None = None) -> Period:
    """The `days` local days up to and including today."""
    today = timezone.localdate(now or timezone.now())
    return between(today - timedelta(days=days - 1), today)


def between(first: date, last: date) -> Period:
    """From the start of local day `first` to the end of local day `last`."""
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return Period(
        start=_local_midnight(first),
        end=_local_midnight(last + timedelta(days=1)),
        days=span,
        months=_months(first, last),
    )


# --- Figures --------------------------------------------------------------------------------


@dataclass
class Money:
    """Payments received, per currency and frequency, in minor units."""

    payments: int = 0
    gross: int = 0
    refunded: int = 0

    @property
    def net(self) -> int:
        return self.gross - self.refunded

    def add(self, payments: int, gross: int, refunded: int) -> None:
        self.payments += payments
        self.gross += gross
        self.refunded += refunded


@dataclass
class Totals:
    """One currency's money over a period: all of it, one-off and monthly."""

    currency: str
    all: Money = field(default_factory=Money)
    once: Money = field(default_factory=Money)
    monthly: Money = field(default_factory=Money)

    def add(self, frequency: str, payments: int, gross: int, refunded: int) -> None:
        self.all.add(payments, gross, refunded)
        (self.monthly if frequency == MONTHLY else self.once).add(payments, gross, refunded)


@dataclass
class Recurring:
    currency: str
    amount: int  # per month, minor units
    supporters: int


@dataclass
class SupporterMonth:
    month: date
    new_once: int = 0
    new_monthly: int = 0
    cancelled: int = 0

    @property
    def net_monthly(self) -> int:
        return self.new_monthly - self.cancelled


@dataclass
class PlacementRow:
    placement: str
    label: str
    started: int = 0  # checkouts started in the period from this placement
    paid: int = 0  # of those, how many were paid
    money: dict[str, Money] = field(default_factory=dict)  # payments received, per currency

    @property
    def conversion(self) -> float | None:
        return self.paid / self.started if self.started else None


def _money_rows(payments: QuerySet[Payment], *group: str) -> QuerySet:
    return (
        payments.values(*group, "currency", frequency=F("contribution__frequency"))
        .annotate(
            n=Count("pk"),
            gross=Coalesce(Sum("amount"), Value(0)),
            refunded=Coalesce(Sum("refunded_amount"), Value(0)),
        )
        .order_by()
    )


def _received(start: datetime, end: datetime) -> QuerySet[Payment]:
    return Payment.objects.filter(paid_at__gte=start, paid_at__lt=end)


def totals(start: datetime, end: datetime) -> dict[str, Totals]:
    """Money received in [start, end), per currency. One query."""
    out: dict[str, Totals] = {}
    for row in _money_rows(_received(start, end)):
        currency = row["currency"]
        out.setdefault(currency, Totals(currency)).add(
            row["frequency"], row["n"], row["gross"], row["refunded"]
        )
    return dict(sorted(out.items()))


def by_day(period: Period) -> dict[str, dict[date, Totals]]:
    """Money received per local day of the period, per currency. One query."""
    tz = timezone.get_current_timezone()
    rows = _money_rows(
        _received(period.start, period.end).annotate(day=TruncDate("paid_at", tzinfo=tz)), "day"
    )
    out: dict[str, dict[date, Totals]] = defaultdict(dict)
    for row in rows:
        currency, day = row["currency"], row["day"]
        out[currency].setdefault(day, Totals(currency)).add(
            row["frequency"], row["n"], row["gross"], row["refunded"]
        )
    return dict(sorted(out.items()))


def by_month(period: Period) -> dict[str, dict[date, Totals]]:
    """Money received per calendar month the period touches (whole months), per currency. One
    query."""
    tz = timezone.get_current_timezone()
    month = TruncMonth("paid_at", output_field=DateField(), tzinfo=tz)
    rows = _money_rows(_received(period.month_start, period.end).annotate(month=month), "month")
    out: dict[str, dict[date, Totals]] = defaultdict(dict)
    for row in rows:
        currency, when = row["currency"], row["month"]
        out[currency].setdefault(when, Totals(currency)).add(
            row["frequency"], row["n"], row["gross"], row["refunded"]
        )
    return dict(sorted(out.items()))


def monthly_recurring() -> dict[str, Recurring]:
    """What the active monthly contributions bring in each month, per currency. One query."""
    rows = (
        Contribution.objects.active_monthly()
        .values("currency")
        .annotate(amount=Sum("amount"), n=Count("pk"))
        .order_by("currency")
    )
    return {r["currency"]: Recurring(r["currency"], r["amount"] or 0, r["n"]) for r in rows}


def supporters_by_month(period: Period) -> list[SupporterMonth]:
    """New (first payment) and cancelled supporters per month the period touches. Two queries."""
    tz = timezone.get_current_timezone()
    months = {m: SupporterMonth(m) for m in period.months}
    start, end = period.month_start, period.end
    new = (
        Contribution.objects.filter(paid_at__gte=start, paid_at__lt=end)
        .annotate(month=TruncMonth("paid_at", output_field=DateField(), tzinfo=tz))
        .values("month", "frequency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in new:
        entry = months.get(row["month"])
        if entry is None:  # pragma: no cover (outside the months asked for)
            continue
        if row["frequency"] == MONTHLY:
            entry.new_monthly += row["n"]
        else:
            entry.new_once += row["n"]
    cancelled = (
        Contribution.objects.filter(
            frequency=MONTHLY,
            status=ContributionStatus.CANCELLED,
            cancelled_at__gte=start,
            cancelled_at__lt=end,
        )
        .annotate(month=TruncMonth("cancelled_at", output_field=DateField(), tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in cancelled:
        if row["month"] in months:
            months[row["month"]].cancelled += row["n"]
    return list(months.values())


PLACEMENT_LABELS = {
    **dict(AppealPlacement.choices),
    "": "No appeal recorded",
    "direct": "Straight to the contribution page",
}


def placement_label(placement: str) -> str:
    if placement in PLACEMENT_LABELS:
        return str(PLACEMENT_LABELS[placement])
    if placement.startswith("section:"):
        return f"Section appeal ({placement.removeprefix('section:')})"
    return placement


def by_placement(period: Period) -> list[PlacementRow]:
    """Which appeal works: checkouts started and paid, and money received, per placement. Two
    queries. Ordered by checkouts paid, then started."""
    rows: dict[str, PlacementRow] = {}

    def row(placement: str) -> PlacementRow:
        return rows.setdefault(placement, PlacementRow(placement, placement_label(placement)))

    started = (
        Contribution.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
        .values("placement")
        .annotate(n=Count("pk"), paid=Count("pk", filter=Q(paid_at__isnull=False)))
        .order_by()
    )
    for r in started:
        entry = row(r["placement"])
        entry.started, entry.paid = r["n"], r["paid"]
    money = (
        _received(period.start, period.end)
        .values("currency", placement=F("contribution__placement"))
        .annotate(
            n=Count("pk"),
            gross=Coalesce(Sum("amount"), Value(0)),
            refunded=Coalesce(Sum("refunded_amount"), Value(0)),
        )
        .order_by()
    )
    for r in money:
        entry = row(r["placement"])
        entry.money.setdefault(r["currency"], Money()).add(r["n"], r["gross"], r["refunded"])
    for entry in rows.values():
        entry.money = dict(sorted(entry.money.items()))
    return sorted(rows.values(), key=lambda r: (-r.paid, -r.started, r.placement))


# --- The dashboard ------------------------------------------------------------------------


@dataclass
class Dashboard:
    period: Period
    currencies: list[str]  # every currency with money or an active monthly contribution
    totals: dict[str, Totals]
    daily: dict[str, dict[date, Totals]]
    monthly: dict[str, dict[date, Totals]]
    recurring: dict[str, Recurring]
    supporters: list[SupporterMonth]
    placements: list[PlacementRow]


def dashboard(*, days: int = DEFAULT_PERIOD, now: datetime | None = None) -> Dashboard:
    """Everything the dashboard shows, in seven queries."""
    period = last_days(days, now=now)
    daily = by_day(period)
    monthly = by_month(period)
    recurring = monthly_recurring()
    period_totals: dict[str, Totals] = {}
    for currency, per_day in daily.items():
        total = period_totals.setdefault(currency, Totals(currency))
        for day in per_day.values():
            for frequency, money in ((ONCE, day.once), (MONTHLY, day.monthly)):
                total.add(frequency, money.payments, money.gross, money.refunded)
    currencies = sorted(set(daily) | set(monthly) | set(recurring))
    return Dashboard(
        period=period,
        currencies=currencies,
        totals=period_totals,
        daily=daily,
        monthly=monthly,
        recurring=recurring,
        supporters=supporters_by_month(period),
        placements=by_placement(period),
    )


# --- CSV export -----------------------------------------------------------------------------

CSV_COLUMNS = [
    "contribution",
    "created",
    "first paid",
    "status",
    "frequency",
    "amount",
    "currency",
    "payments",
    "received",
    "refunded",
    "net",
    "placement",
    "name",
    "email",
    "provider",
    "cancelled",
    "refunded at",
]


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def contribution_rows(period: Period) -> Iterator[list[str]]:
    """Every contribution started in the period, oldest first, with the money received for it
    (over its whole life) netted of refunds. One query, streamed."""
    rows = (
        Contribution.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
        .annotate(
            n_payments=Count("payments"),
            received=Coalesce(Sum("payments__amount"), Value(0)),
            refunded_total=Coalesce(Sum("payments__refunded_amount"), Value(0)),
        )
        .order_by("created_at", "pk")
    )
    for c in rows.iterator(chunk_size=500):
        yield [
            str(c.pk),
            _when(c.created_at),
            _when(c.paid_at),
            c.status,
            c.frequency,
            decimal(c.amount, c.currency),
            c.currency,
            str(c.n_payments),
            decimal(c.received, c.currency),
            decimal(c.refunded_total, c.currency),
            decimal(c.received - c.refunded_total, c.currency),
            c.placement,
            c.name,
            c.email,
            c.provider,
            _when(c.cancelled_at),
            _when(c.refunded_at),
        ]
