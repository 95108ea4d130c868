"""A known set of contributions and payments for the revenue reports, written as rows directly
(the reports read the tables; how the rows get there is the webhook tests' business).

`known_ledger(now)` lays out, relative to `now` (days ago, at local noon):

| who | frequency | currency | status    | placement   | payments (days ago: amount, refunded) |
|-----|-----------|----------|-----------|-------------|---------------------------------------|
| A   | once      | EUR      | paid      | article-top | 2: 1000                               |
| B   | monthly   | EUR      | paid      | article-end | 40: 500; 10: 500                      |
| C   | monthly   | EUR      | cancelled | article-top | 20: 300 (cancelled 5 days ago)        |
| D   | once      | EUR      | refunded  | article-top | 3: 2500, all refunded                 |
| E   | once      | EUR      | paid      | direct      | 1: 1000, 400 refunded                 |
| F   | once      | GBP      | paid      | article-end | 4: 2000                               |
| G   | monthly   | GBP      | paid      | article-end | 6: 700                                |
| H   | once      | EUR      | pending   | article-top | none (started 1 day ago)              |
| I   | once      | EUR      | failed    | article-end | none (started 1 day ago)              |
| J   | once      | EUR      | paid      | article-top | 100: 5000                             |

Each contribution was started (`created_at`) when its first payment arrived.
"""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta

from django.utils import timezone

from masthead.revenue.models import Contribution, Payment

_ids = itertools.count(1)

# What the last 30 days hold, from the table above.
EUR_30 = {"count": 5, "gross": 5300, "refunded": 2900, "net": 2400, "once": 1600, "monthly": 800}
GBP_30 = {"count": 2, "gross": 2700, "refunded": 0, "net": 2700, "once": 2000, "monthly": 700}
MRR = {"EUR": 500, "GBP": 700}


def days_ago(now: datetime, days: int) -> datetime:
    """Local noon, `days` days before `now`'s local day."""
    day = timezone.localdate(now) - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(12)))


def contribution(
    *,
    frequency: str = "once",
    amount: int = 1000,
    currency: str = "EUR",
    status: str = "paid",
    placement: str = "article-top",
    started: datetime,
    name: str = "",
    email: str = "",
    cancelled_at: datetime | None = None,
    payments: list[tuple[datetime, int, int]] = (),  # type: ignore[assignment]
) -> Contribution:
    n = next(_ids)
    paid_at = min((when for when, _, _ in payments), default=None)
    c = Contribution.objects.create(
        frequency=frequency,
        amount=amount,
        currency=currency,
        status=status,
        placement=placement,
        name=name or f"Supporter {n}",
        email=email or f"supporter{n}@example.com",
        provider="test",
        paid_at=paid_at,
        cancelled_at=cancelled_at,
        refunded_at=paid_at if status == "refunded" else None,
    )
    Contribution.objects.filter(pk=c.pk).update(created_at=started)
    for when, paid, refunded in payments:
        Payment.objects.create(
            contribution=c,
            amount=paid,
            currency=currency,
            kind="invoice" if frequency == "monthly" else "once",
            paid_at=when,
            refunded_amount=refunded,
        )
    c.refresh_from_db()
    return c


def known_ledger(now: datetime | None = None) -> dict[str, Contribution]:
    now = now or timezone.now()

    def ago(days: int) -> datetime:
        return days_ago(now, days)

    def paid(
        key: str, frequency: str, amount: int, currency: str, placement: str, *payments, **kw
    ) -> Contribution:
        rows = [(ago(d), a, r) for d, a, r in payments]
        return contribution(
            frequency=frequency,
            amount=amount,
            currency=currency,
            placement=placement,
            started=rows[0][0],
            name=f"Supporter {key}",
            email=f"{key.lower()}@example.com",
            payments=rows,
            **kw,
        )

    cancelled = {"status": "cancelled", "cancelled_at": ago(5)}
    return {
        "A": paid("A", "once", 1000, "EUR", "article-top", (2, 1000, 0)),
        "B": paid("B", "monthly", 500, "EUR", "article-end", (40, 500, 0), (10, 500, 0)),
        "C": paid("C", "monthly", 300, "EUR", "article-top", (20, 300, 0), **cancelled),
        "D": paid("D", "once", 2500, "EUR", "article-top", (3, 2500, 2500), status="refunded"),
        "E": paid("E", "once", 1000, "EUR", "direct", (1, 1000, 400)),
        "F": paid("F", "once", 2000, "GBP", "article-end", (4, 2000, 0)),
        "G": paid("G", "monthly", 700, "GBP", "article-end", (6, 700, 0)),
        "H": contribution(status="pending", placement="article-top", started=ago(1)),
        "I": contribution(amount=500, status="failed", placement="article-end", started=ago(1)),
        "J": paid("J", "once", 5000, "EUR", "article-top", (100, 5000, 0)),
    }


def more_contributions(count: int, now: datetime | None = None) -> None:
    """`count` more paid contributions spread over the last 60 days, for query-count tests."""
    now = now or timezone.now()
    for i in range(count):
        when = days_ago(now, i % 60)
        monthly = i % 3 == 0
        contribution(
            frequency="monthly" if monthly else "once",
            amount=500 + i,
            currency=("EUR", "GBP", "USD")[i % 3],
            status="cancelled" if monthly and i % 2 else "paid",
            cancelled_at=when if monthly and i % 2 else None,
            placement=("article-top", "article-end", "direct", "section:news")[i % 4],
            started=when,
            payments=[(when, 500 + i, 100 if i % 5 == 0 else 0)],
        )
