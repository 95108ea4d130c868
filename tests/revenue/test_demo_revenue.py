"""The demo gives the revenue dashboard three months of test-mode contributions to draw."""

from datetime import timedelta

from django.utils import timezone

from masthead.revenue import reports
from masthead.revenue.demo import DAYS, load_demo_contributions
from masthead.revenue.models import Contribution, Payment, Provider


def test_the_demo_fills_the_dashboard_once(db, settings):
    made = load_demo_contributions()
    assert made > DAYS // 2
    assert Contribution.objects.count() == made
    assert set(Contribution.objects.values_list("provider", flat=True)) == {Provider.TEST}
    assert (
        Payment.objects.filter(kind="invoice").count()
        > Payment.objects.filter(contribution__frequency="monthly")
        .values("contribution")
        .distinct()
        .count()
    )  # monthly supporters paid more than once
    now = timezone.now()
    totals = reports.totals(now - timedelta(days=DAYS + 1), now)
    currency = settings.MASTHEAD["CURRENCY"]
    assert totals[currency].all.net > 0
    assert totals[currency].monthly.net > 0 and totals[currency].once.net > 0
    assert reports.monthly_recurring()[currency].supporters > 0
    oldest = Contribution.objects.order_by("created_at").first().created_at
    assert oldest < now - timedelta(days=DAYS - 2)  # backdated, so the charts have a history
    assert load_demo_contributions() == 0
