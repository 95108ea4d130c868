"""Demo contributions: three months of made-up reader support, so the revenue dashboard has
something to draw on a fresh `make demo`. All of it is test mode; no provider is involved."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from masthead.revenue.models import (
    Contribution,
    ContributionStatus,
    Frequency,
    Payment,
    PaymentKind,
    Provider,
)

SEED = 1843
DAYS = 90
PLACEMENTS = ["article-top", "article-top", "article-end", "direct"]
FIRST_NAMES = ["Ana", "Bram", "Cleo", "Dev", "Esme", "Finn", "Gita", "Hugo", "Iris", "Jonah"]


def load_demo_contributions(*, stdout: IO[str] | OutputWrapper | None = None) -> int:
    """Create the demo contributions unless there are some already; returns how many."""
    from masthead.newsroom.demo.load import Progress

    progress = Progress(stdout)
    if Contribution.objects.exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo content, not secrets
    currency = settings.MASTHEAD["CURRENCY"]
    now = timezone.now()
    made = 0
    with transaction.atomic():
        for day in range(DAYS, 0, -1):
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                made += 1
                monthly = rng.random() < 0.35
                amount = rng.choice([300, 500, 1000] if monthly else [500, 1000, 1000, 2500, 5000])
                started = now - timedelta(days=day, minutes=rng.randint(0, 1400))
                name = f"{rng.choice(FIRST_NAMES)} {chr(65 + made % 26)}."
                contribution = Contribution.objects.create(
                    frequency=Frequency.MONTHLY if monthly else Frequency.ONCE,
                    amount=amount,
                    currency=currency,
                    status=ContributionStatus.PAID,
                    email=f"supporter{made}@demo.example",
                    name=name,
                    placement=rng.choice(PLACEMENTS),
                    provider=Provider.TEST,
                    paid_at=started,
                )
                payments = [started]
                if monthly:  # one invoice a month until today, or until cancelled
                    while payments[-1] + timedelta(days=30) < now:
                        payments.append(payments[-1] + timedelta(days=30))
                    if rng.random() < 0.15:
                        contribution.status = ContributionStatus.CANCELLED
                        contribution.cancelled_at = payments[-1] + timedelta(days=3)
                for n, paid_at in enumerate(payments):
                    Payment.objects.create(
                        contribution=contribution,
                        amount=amount,
                        currency=currency,
                        kind=PaymentKind.INVOICE if monthly else PaymentKind.ONCE,
                        invoice_id=f"demo_in_{made}_{n}" if monthly else None,
                        payment_intent_id=None if monthly else f"demo_pi_{made}",
                        paid_at=paid_at,
                        receipt_sent_at=paid_at,
                    )
                if not monthly and rng.random() < 0.04:  # the odd refund
                    Payment.objects.filter(contribution=contribution).update(refunded_amount=amount)
                    contribution.status = ContributionStatus.REFUNDED
                    contribution.refunded_at = started + timedelta(days=2)
                contribution.save()
                # created_at is set on insert; the demo backdates it to when the reader gave.
                Contribution.objects.filter(pk=contribution.pk).update(created_at=started)
    progress.line(f"Reader revenue: {made} test-mode contributions over {DAYS} days.")
    return made
