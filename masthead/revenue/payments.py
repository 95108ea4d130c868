"""Money received: Stripe's webhook events, `record_payment` and the receipts.

`masthead.revenue.services` re-exports `handle_event` and `record_payment`; the test-mode
provider calls `record_payment` too, so a demo payment and a real one take the same path.

Stripe delivers events at least once and in no particular order. So:
- each event is stored under its unique id in the same transaction as its effects: a replay or
  a retry finds the row and does nothing;
- every effect is keyed on Stripe's own ids (invoice, payment intent, charge, subscription), so
  two different events about the same payment (a subscription's first invoice comes both with
  `checkout.session.completed` and with `invoice.paid`) record it once;
- an event about something not recorded yet (a refund or a cancellation that overtook its
  payment) is stored unprocessed and applied when that payment arrives.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from masthead.accounts.models import User
from masthead.revenue.models import (
    Contribution,
    ContributionStatus,
    Frequency,
    Payment,
    PaymentKind,
    Provider,
    StripeEvent,
)
from masthead.revenue.money import money

logger = logging.getLogger(__name__)

# Contributions Stripe told us about that no form of ours started (Payment Links, the dashboard).
PAYMENT_LINK = "payment-link"


Event = dict[str, Any]


# --- Events -----------------------------------------------------------------------------------


def handle_event(event: Event) -> bool:
    """Store a verified event and apply it in one transaction. False for an event already seen.

    An error in a handler rolls the stored event back too, so Stripe's retry gets another go.
    """
    handler = HANDLERS.get(event.get("type", ""))
    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = StripeEvent.objects.create(
                    event_id=event["id"], type=str(event.get("type", ""))[:100], payload=event
                )
        except IntegrityError:
            return False
        # Unknown types are kept (processed_at stays empty) and otherwise ignored.
        if handler is not None and handler(event["data"]["object"], event) is not False:
            StripeEvent.objects.filter(pk=stored.pk).update(processed_at=timezone.now())
    return True


def _checkout_completed(session: dict, event: Event) -> bool | None:
    mode = session.get("mode")
    if mode not in ("payment", "subscription"):
        return None  # setup mode: no money moves
    subscription_id = _id(session.get("subscription"))
    metadata = session.get("metadata") or {}
    ours = _ours(metadata.get("contribution_id"), session.get("client_reference_id"))
    if ours is None:
        ours = Contribution.objects.select_for_update().filter(checkout_session_id=session["id"])
        ours = ours.first()
    contribution = _merge(ours, _by_subscription(subscription_id, besides=ours))
    details = session.get("customer_details") or {}
    if contribution is None:
        contribution = _create(
            frequency=Frequency.MONTHLY if mode == "subscription" else Frequency.ONCE,
            amount=session.get("amount_total") or 0,
            currency=session.get("currency"),
            email=details.get("email") or session.get("customer_email") or "",
            name=details.get("name") or "",
            livemode=bool(session.get("livemode")),
        )
        if contribution is None:
            return None
    _fill(
        contribution,
        checkout_session_id=session["id"],
        customer_id=_id(session.get("customer")),
        subscription_id=subscription_id,
        email=details.get("email") or session.get("customer_email") or "",
        name=details.get("name") or "",
    )
    if session.get("payment_status") != "paid":
        # A bank debit or voucher: Stripe sends `checkout.session.async_payment_succeeded` later.
        _catch_up(contribution)
        return None
    paid_at = _ts(event.get("created")) or timezone.now()
    common = {
        "contribution": contribution,
        "amount": session.get("amount_total") or 0,
        "currency": session.get("currency") or contribution.currency,
        "paid_at": paid_at,
        "customer_id": _id(session.get("customer")) or None,
    }
    if mode == "payment":
        record_payment(
            kind=PaymentKind.ONCE, payment_intent_id=_id(session.get("payment_intent")), **common
        )
    elif _id(session.get("invoice")):
        # The first month; its `invoice.paid` (before or after this) finds it by invoice id.
        record_payment(
            kind=PaymentKind.INVOICE,
            invoice_id=_id(session.get("invoice")),
            subscription_id=subscription_id,
            **common,
        )
    _catch_up(contribution)
    return None


def _checkout_failed(session: dict, event: Event) -> bool | None:
    ours = _ours((session.get("metadata") or {}).get("contribution_id"))
    ours = ours or _ours(session.get("client_reference_id"))
    if ours is not None and ours.status == ContributionStatus.PENDING:
        ours.status = ContributionStatus.FAILED
        ours.save(update_fields=["status"])
    return None


def _invoice_paid(invoice: dict, event: Event) -> bool | None:
    subscription_id = _invoice_subscription(invoice)
    amount = invoice.get("amount_paid") or 0
    if not subscription_id or amount <= 0:
        return None  # not a contribution's invoice, or nothing received (a trial, a coupon)
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    ours = _ours((details.get("metadata") or {}).get("contribution_id"))
    contribution = _merge(ours, _by_subscription(subscription_id, besides=ours))
    if contribution is None:
        # Stripe does not order events: this may be the first month of a checkout whose
        # `checkout.session.completed` is still on its way; that event merges into this one.
        contribution = _create(
            frequency=Frequency.MONTHLY,
            amount=amount,
            currency=invoice.get("currency"),
            email=invoice.get("customer_email") or "",
            name=invoice.get("customer_name") or "",
            livemode=bool(invoice.get("livemode")),
        )
        if contribution is None:
            return None
    _fill(
        contribution,
        customer_id=_id(invoice.get("customer")),
        subscription_id=subscription_id,
        email=invoice.get("customer_email") or "",
        name=invoice.get("customer_name") or "",
    )
    paid_at = _ts((invoice.get("status_transitions") or {}).get("paid_at"))
    payment_intent_id, charge_id = _invoice_payment_ids(invoice)
    record_payment(
        contribution=contribution,
        amount=amount,
        currency=invoice.get("currency") or contribution.currency,
        kind=PaymentKind.INVOICE,
        paid_at=paid_at or _ts(event.get("created")) or timezone.now(),
        invoice_id=invoice["id"],
        payment_intent_id=payment_intent_id,
        charge_id=charge_id,
        subscription_id=subscription_id,
        customer_id=_id(invoice.get("customer")) or None,
    )
    _catch_up(contribution)
    return None


def _invoice_payment_paid(invoice_payment: dict, event: Event) -> bool | None:
    """Since API version 2025-03-31 an invoice no longer names its payment intent; this event
    does, and a refund of a monthly payment is found by it."""
    payment = (
        Payment.objects.select_for_update()
        .filter(invoice_id=_id(invoice_payment.get("invoice")) or None)
        .first()
    )
    if payment is None:
        return False  # applied when the invoice's payment is recorded
    payment_intent_id, charge_id = _payment_ids(invoice_payment.get("payment") or {})
    _add_ids(payment, payment_intent_id=payment_intent_id, charge_id=charge_id)
    _apply_waiting_refunds(payment)
    return None


def _subscription_deleted(subscription: dict, event: Event) -> bool | None:
    ours = _ours((subscription.get("metadata") or {}).get("contribution_id"))
    found = list(
        Contribution.objects.select_for_update().filter(subscription_id=subscription["id"])
    )
    if ours is not None and ours not in found:
        found.append(ours)
    if not found:
        return False  # overtook its payment: applied when the subscription is first recorded
    ended = subscription.get("ended_at") or subscription.get("canceled_at") or event.get("created")
    for contribution in found:
        if contribution.status != ContributionStatus.CANCELLED:
            contribution.status = ContributionStatus.CANCELLED
            contribution.cancelled_at = _ts(ended) or timezone.now()
            contribution.save(update_fields=["status", "cancelled_at"])
        _refresh_supporter(contribution.reader_id)
    return None


def _charge_refunded(charge: dict, event: Event) -> bool | None:
    lookup = Q(charge_id=charge["id"])
    if _id(charge.get("payment_intent")):
        lookup |= Q(payment_intent_id=_id(charge.get("payment_intent")))
    if _id(charge.get("invoice")):  # API versions before 2025-03-31
        lookup |= Q(invoice_id=_id(charge.get("invoice")))
    payment = Payment.objects.select_for_update().filter(lookup).first()
    if payment is None:
        return False  # overtook its payment: applied when the payment is recorded
    _refund(payment, charge, when=_ts(event.get("created")))
    return None


HANDLERS: dict[str, Callable[[dict, Event], bool | None]] = {
    "checkout.session.completed": _checkout_completed,
    "checkout.session.async_payment_succeeded": _checkout_completed,
    "checkout.session.async_payment_failed": _checkout_failed,
    "invoice.paid": _invoice_paid,
    "invoice_payment.paid": _invoice_payment_paid,
    "customer.subscription.deleted": _subscription_deleted,
    "charge.refunded": _charge_refunded,
}


# --- Recording --------------------------------------------------------------------------------


def record_payment(
    *,
    contribution: Contribution,
    amount: int,
    currency: str,
    kind: str,
    paid_at: datetime,
    payment_intent_id: str | None = None,
    invoice_id: str | None = None,
    charge_id: str | None = None,
    subscription_id: str | None = None,
    customer_id: str | None = None,
) -> Payment:
    """Record money received for a contribution, once per provider id, and mark it paid.

    Calling it again for the same invoice, payment intent or charge (or for a one-off
    contribution that already has its payment) returns the payment already recorded. The
    receipt goes out after the transaction commits, once per payment.
    """
    ids = {
        name: value
        for name, value in (
            ("invoice_id", invoice_id),
            ("payment_intent_id", payment_intent_id),
            ("charge_id", charge_id),
        )
        if value
    }
    with transaction.atomic():
        payment = _existing_payment(contribution, kind, ids)
        created = payment is None
        if created:
            try:
                with transaction.atomic():
                    payment = Payment.objects.create(
                        contribution=contribution,
                        amount=amount,
                        currency=currency.upper(),
                        kind=kind,
                        paid_at=paid_at,
                        **ids,
                    )
            except IntegrityError:
                # Another delivery recorded it a moment ago (PostgreSQL lets both look first).
                payment = _existing_payment(contribution, kind, ids)
                if payment is None:
                    raise
                created = False
        else:
            _add_ids(payment, **ids)

        contribution.refresh_from_db()
        changes: dict[str, Any] = {}
        reopen = contribution.status == ContributionStatus.REFUNDED and (
            created and kind == PaymentKind.INVOICE
        )
        if contribution.status in (ContributionStatus.PENDING, ContributionStatus.FAILED) or reopen:
            changes["status"] = ContributionStatus.PAID
        if contribution.paid_at is None or paid_at < contribution.paid_at:
            changes["paid_at"] = paid_at
        if subscription_id and not contribution.subscription_id:
            changes["subscription_id"] = subscription_id
        if customer_id and not contribution.customer_id:
            changes["customer_id"] = customer_id
        if (
            kind == PaymentKind.ONCE
            and payment_intent_id
            and not contribution.payment_intent_id
            and not Contribution.objects.filter(payment_intent_id=payment_intent_id).exists()
        ):
            changes["payment_intent_id"] = payment_intent_id
        _save(contribution, changes)
        _link_reader(contribution)
        if created:
            _apply_waiting_refunds(payment)
            payment_id = payment.pk
            transaction.on_commit(lambda: send_receipt(payment_id))
        _catch_up(contribution)
        _refresh_supporter(contribution.reader_id)
    return payment


def _existing_payment(contribution: Contribution, kind: str, ids: dict[str, str]) -> Payment | None:
    lookup = Q()
    for name, value in ids.items():
        lookup |= Q(**{name: value})
    if ids:
        found = Payment.objects.select_for_update().filter(lookup).first()
        if found is not None:
            return found
    if kind == PaymentKind.ONCE and contribution.frequency == Frequency.ONCE:
        # A one-off contribution is paid once, whatever ids the second call carries.
        return contribution.payments.select_for_update().first()
    return None


def _add_ids(payment: Payment, **ids: str | None) -> None:
    """Remember ids learned from a later event (never overwrite one already known)."""
    changed = []
    for name, value in ids.items():
        if value and not getattr(payment, name):
            if Payment.objects.filter(**{name: value}).exclude(pk=payment.pk).exists():
                continue
            setattr(payment, name, value)
            changed.append(name)
    if changed:
        payment.save(update_fields=changed)


def _refund(payment: Payment, charge: dict, *, when: datetime | None) -> None:
    # Stripe sends the running total: taking the largest seen makes order and replays harmless.
    refunded = min(max(payment.refunded_amount, charge.get("amount_refunded") or 0), payment.amount)
    changes: list[str] = []
    if refunded != payment.refunded_amount:
        payment.refunded_amount = refunded
        changes.append("refunded_amount")
    if not payment.charge_id and not Payment.objects.filter(charge_id=charge["id"]).exists():
        payment.charge_id = charge["id"]
        changes.append("charge_id")
    if changes:
        payment.save(update_fields=changes)
    contribution = Contribution.objects.select_for_update().get(pk=payment.contribution_id)
    fully = not contribution.payments.filter(refunded_amount__lt=F("amount")).exists()
    if fully and contribution.status in (ContributionStatus.PAID, ContributionStatus.PENDING):
        contribution.status = ContributionStatus.REFUNDED
        contribution.refunded_at = when or timezone.now()
        contribution.save(update_fields=["status", "refunded_at"])
    _refresh_supporter(contribution.reader_id)


def _apply_waiting_refunds(payment: Payment) -> None:
    """Refunds and payment links that reached us before the payment they are about."""
    lookup = Q()
    for name, value in (("id", payment.charge_id), ("payment_intent", payment.payment_intent_id)):
        if value:
            lookup |= Q(**{f"payload__data__object__{name}": value})
    if payment.invoice_id:
        lookup |= Q(payload__data__object__invoice=payment.invoice_id)
    if not lookup:
        return
    waiting = StripeEvent.objects.filter(
        lookup, type__in=["charge.refunded", "invoice_payment.paid"], processed_at__isnull=True
    ).order_by("received_at")
    for stored in waiting:
        obj = stored.payload["data"]["object"]
        if stored.type == "invoice_payment.paid":
            ids = _payment_ids(obj.get("payment") or {})
            _add_ids(payment, payment_intent_id=ids[0], charge_id=ids[1])
        else:
            _refund(payment, obj, when=_ts(stored.payload.get("created")))
        StripeEvent.objects.filter(pk=stored.pk).update(processed_at=timezone.now())


def _catch_up(contribution: Contribution) -> None:
    """Apply a cancellation that reached us before the subscription was first recorded."""
    if not contribution.subscription_id:
        return
    waiting = StripeEvent.objects.filter(
        type="customer.subscription.deleted",
        processed_at__isnull=True,
        payload__data__object__id=contribution.subscription_id,
    )
    for stored in waiting:
        _subscription_deleted(stored.payload["data"]["object"], stored.payload)
        StripeEvent.objects.filter(pk=stored.pk).update(processed_at=timezone.now())
    contribution.refresh_from_db()


# --- Contributions and readers ----------------------------------------------------------------


def _ours(*candidates: object) -> Contribution | None:
    """Our contribution from the id we gave Stripe (metadata or client_reference_id)."""
    for value in candidates:
        if not value:
            continue
        try:
            pk = uuid.UUID(str(value))
        except ValueError:
            continue  # a Payment Link's own client_reference_id, not ours
        found = Contribution.objects.select_for_update().filter(pk=pk).first()
        if found is not None:
            return found
    return None


def _by_subscription(subscription_id: str, *, besides: Contribution | None) -> Contribution | None:
    if not subscription_id:
        return None
    found = Contribution.objects.select_for_update().filter(subscription_id=subscription_id)
    if besides is not None:
        found = found.exclude(pk=besides.pk)
    return found.order_by("created_at").first()


def _merge(ours: Contribution | None, other: Contribution | None) -> Contribution | None:
    """Fold a contribution an early `invoice.paid` created into the one our checkout started,
    so the first month is counted once and keeps its appeal placement."""
    if ours is None or other is None or ours.pk == other.pk:
        return ours or other
    other.payments.update(contribution=ours)
    changes = {
        name: getattr(other, name)
        for name in ("subscription_id", "customer_id", "paid_at", "reader_id")
        if getattr(other, name) and not getattr(ours, name)
    }
    if other.status == ContributionStatus.CANCELLED:
        changes |= {"status": other.status, "cancelled_at": other.cancelled_at}
    elif other.status == ContributionStatus.PAID and ours.status == ContributionStatus.PENDING:
        changes["status"] = ContributionStatus.PAID
    other.delete()
    _save(ours, changes)
    return ours


def _create(
    *, frequency: str, amount: int, currency: str | None, email: str, name: str, livemode: bool
) -> Contribution | None:
    if amount <= 0 or not currency:
        logger.warning("Stripe payment without an amount or currency: not recorded")
        return None
    return Contribution.objects.create(
        frequency=frequency,
        amount=amount,
        currency=currency.upper(),
        email=email,
        name=name[:120],
        placement=PAYMENT_LINK,
        provider=Provider.STRIPE,
        livemode=livemode,
    )


def _fill(contribution: Contribution, **values: str) -> None:
    """Set what Stripe tells us and we did not know yet; never overwrite what we had."""
    changes = {
        name: value for name, value in values.items() if value and not getattr(contribution, name)
    }
    if (
        "checkout_session_id" in changes
        and Contribution.objects.filter(checkout_session_id=changes["checkout_session_id"])
        .exclude(pk=contribution.pk)
        .exists()
    ):
        del changes["checkout_session_id"]
    if "name" in changes:
        changes["name"] = changes["name"][:120]
    _save(contribution, changes)
    _link_reader(contribution)


def _save(contribution: Contribution, changes: dict[str, Any]) -> None:
    if changes:
        for name, value in changes.items():
            setattr(contribution, name, value)
        contribution.save(update_fields=list(changes))


def _link_reader(contribution: Contribution) -> None:
    """Give a contribution to the account whose verified address paid it."""
    if contribution.reader_id or not contribution.email:
        return
    address = EmailAddress.objects.filter(email__iexact=contribution.email, verified=True).first()
    if address is not None:
        _save(contribution, {"reader_id": address.user_id})


def _refresh_supporter(user_id: int | None) -> None:
    """Keep the reader's supporter fields in step with their contributions."""
    if user_id is None:
        return
    mine = Contribution.objects.filter(reader_id=user_id)
    first = Payment.objects.filter(
        contribution__reader_id=user_id, refunded_amount__lt=F("amount")
    ).aggregate(first=Min("paid_at"))["first"]
    User.objects.filter(pk=user_id).update(
        is_monthly_supporter=mine.active_monthly().exists(), supporter_since=first
    )
    customer = mine.exclude(customer_id="").values_list("customer_id", flat=True).first()
    if customer:
        User.objects.filter(pk=user_id, stripe_customer_id="").update(stripe_customer_id=customer)


# --- Receipts ---------------------------------------------------------------------------------


def send_receipt(payment_id: int) -> bool:
    """Email the receipt for one payment unless it has gone already. True if sent now."""
    # The UPDATE claims the receipt: of two workers, one gets the row and the other nothing.
    claimed = Payment.objects.filter(pk=payment_id, receipt_sent_at__isnull=True).update(
        receipt_sent_at=timezone.now()
    )
    if not claimed:
        return False
    payment = Payment.objects.select_related("contribution__reader").get(pk=payment_id)
    contribution = payment.contribution
    to = contribution.email or (contribution.reader.email if contribution.reader else "")
    if not to:
        return False
    site = settings.WAGTAIL_SITE_NAME
    monthly = contribution.frequency == Frequency.MONTHLY
    context = {
        "site_name": site,
        "name": contribution.name,
        "amount": money(payment.amount, payment.currency),
        "monthly": monthly,
        "paid_at": payment.paid_at,
        "reference": str(contribution.pk),
        "profile_url": f"{settings.BASE_URL}{reverse('profile')}",
        "contribute_url": f"{settings.BASE_URL}{reverse('contribute')}",
        "test_mode": contribution.provider == Provider.TEST,
    }
    subject = f"Your {'monthly ' if monthly else ''}contribution to {site}: thank you"
    try:
        send_mail(subject, render_to_string("revenue/email/receipt.txt", context), None, [to])
    except Exception:
        # Let a later attempt send it; the payment itself stays recorded.
        logger.exception("could not send the receipt for payment %s", payment_id)
        Payment.objects.filter(pk=payment_id).update(receipt_sent_at=None)
        return False
    return True


# --- Reading Stripe's objects -----------------------------------------------------------------


def _id(value: object) -> str:
    """An id whether Stripe sent it bare or as an expanded object."""
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def _ts(value: object) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def _invoice_subscription(invoice: dict) -> str:
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    # `invoice.subscription` is where API versions before 2025-03-31 put it.
    return _id(details.get("subscription")) or _id(invoice.get("subscription"))


def _payment_ids(payment: dict) -> tuple[str | None, str | None]:
    return _id(payment.get("payment_intent")) or None, _id(payment.get("charge")) or None


def _invoice_payment_ids(invoice: dict) -> tuple[str | None, str | None]:
    """The invoice's payment intent and charge: top-level before 2025-03-31, then only in the
    `payments` list when the endpoint includes it (otherwise `invoice_payment.paid` brings it)."""
    payment_intent_id, charge_id = _id(invoice.get("payment_intent")), _id(invoice.get("charge"))
    for row in (invoice.get("payments") or {}).get("data") or []:
        if row.get("status") in (None, "paid"):
            found = _payment_ids(row.get("payment") or {})
            payment_intent_id = payment_intent_id or found[0] or ""
            charge_id = charge_id or found[1] or ""
    return payment_intent_id or None, charge_id or None
