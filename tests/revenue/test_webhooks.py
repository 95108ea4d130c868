"""Stripe's webhook: signatures, replays, any order, Payment Links, refunds, cancellations and
receipts. Bodies are written as Stripe documents them and signed with the real scheme.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection

from masthead.accounts.services import create_user
from masthead.revenue import payments
from masthead.revenue.models import (
    Contribution,
    ContributionStatus,
    Frequency,
    Payment,
    PaymentKind,
    Provider,
    StripeEvent,
)
from masthead.revenue.payments import record_payment, send_receipt
from tests.revenue.signing import TEST_WEBHOOK_SECRET, encode, signature_header

URL = "/webhooks/stripe"
API_VERSION = "2026-10-28.endive"
PAID_AT = 1_764_115_200  # 2025-11-26 00:00 UTC
_ids = itertools.count(1)


def _n() -> str:
    return f"{next(_ids):04d}{uuid.uuid4().hex[:20]}"


# --- Stripe's objects, as its API reference shows them ----------------------------------------


def event(type_: str, obj: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_{_n()}",
        "object": "event",
        "api_version": API_VERSION,
        "created": PAID_AT + 5,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
    }


def checkout_session(
    *,
    contribution: Contribution | None = None,
    mode: str = "payment",
    amount: int = 1000,
    currency: str = "eur",
    email: str = "lea.donor@example.com",
    name: str = "Léa Donor",
    customer: str = "cus_Lea",
    payment_intent: str | None = "pi_once_1",
    subscription: str | None = None,
    invoice: str | None = None,
    payment_link: str | None = None,
    payment_status: str = "paid",
) -> dict[str, Any]:
    ours = str(contribution.pk) if contribution else None
    return {
        "id": f"cs_test_{_n()}",
        "object": "checkout.session",
        "amount_subtotal": amount,
        "amount_total": amount,
        "client_reference_id": ours,
        "created": PAID_AT - 60,
        "currency": currency,
        "customer": customer,
        "customer_creation": None if contribution else "always",
        "customer_details": {
            "address": {"city": None, "country": "PT", "line1": None, "postal_code": None},
            "email": email,
            "name": name,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
        "customer_email": email if contribution else None,
        "expires_at": PAID_AT + 86_400,
        "invoice": invoice,
        "livemode": False,
        "metadata": {"contribution_id": ours} if ours else {},
        "mode": mode,
        "payment_intent": payment_intent if mode == "payment" else None,
        "payment_link": payment_link,
        "payment_method_types": ["card"],
        "payment_status": payment_status,
        "status": "complete",
        "subscription": subscription,
        "success_url": "https://news.example/contribute/thanks",
        "url": None,
    }


def invoice_paid(
    *,
    invoice_id: str,
    subscription: str = "sub_Monthly1",
    amount: int = 500,
    currency: str = "eur",
    email: str = "lea.donor@example.com",
    customer: str = "cus_Lea",
    billing_reason: str = "subscription_create",
    paid_at: int = PAID_AT,
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "id": invoice_id,
        "object": "invoice",
        "amount_due": amount,
        "amount_paid": amount,
        "amount_remaining": 0,
        "attempt_count": 1,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": paid_at - 10,
        "currency": currency,
        "customer": customer,
        "customer_email": email,
        "customer_name": "Léa Donor",
        "lines": {
            "object": "list",
            "data": [
                {
                    "id": f"il_{_n()}",
                    "object": "line_item",
                    "amount": amount,
                    "currency": currency,
                    "description": "1 x Monthly contribution",
                    "parent": {
                        "type": "subscription_item_details",
                        "subscription_item_details": {
                            "subscription": subscription,
                            "subscription_item": "si_Monthly1",
                            "proration": False,
                        },
                    },
                    "period": {"start": paid_at, "end": paid_at + 30 * 86_400},
                    "quantity": 1,
                }
            ],
            "has_more": False,
            "url": f"/v1/invoices/{invoice_id}/lines",
        },
        "livemode": False,
        "metadata": {},
        "number": f"MAST-{_n()[:4]}",
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"metadata": metadata or {}, "subscription": subscription},
        },
        "status": "paid",
        "status_transitions": {
            "finalized_at": paid_at - 5,
            "marked_uncollectible_at": None,
            "paid_at": paid_at,
            "voided_at": None,
        },
        "total": amount,
    }


def invoice_payment_paid(*, invoice_id: str, payment_intent: str, amount: int = 500):
    return {
        "id": f"inpay_{_n()}",
        "object": "invoice_payment",
        "amount_paid": amount,
        "amount_requested": amount,
        "created": PAID_AT,
        "currency": "eur",
        "invoice": invoice_id,
        "is_default": True,
        "livemode": False,
        "payment": {"type": "payment_intent", "payment_intent": payment_intent},
        "status": "paid",
        "status_transitions": {"canceled_at": None, "paid_at": PAID_AT},
    }


def subscription_deleted(*, subscription: str = "sub_Monthly1", amount: int = 500):
    return {
        "id": subscription,
        "object": "subscription",
        "cancel_at_period_end": False,
        "canceled_at": PAID_AT + 3600,
        "cancellation_details": {
            "comment": None,
            "feedback": None,
            "reason": "cancellation_requested",
        },
        "created": PAID_AT - 60,
        "currency": "eur",
        "customer": "cus_Lea",
        "ended_at": PAID_AT + 3600,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_Monthly1",
                    "object": "subscription_item",
                    "price": {
                        "id": "price_Monthly",
                        "object": "price",
                        "currency": "eur",
                        "recurring": {"interval": "month", "interval_count": 1},
                        "unit_amount": amount,
                    },
                    "quantity": 1,
                }
            ],
        },
        "livemode": False,
        "metadata": {},
        "status": "canceled",
    }


def charge_refunded(
    *, amount: int = 1000, refunded: int, payment_intent: str = "pi_once_1", charge: str = "ch_1"
):
    return {
        "id": charge,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": refunded,
        "captured": True,
        "created": PAID_AT,
        "currency": "eur",
        "customer": "cus_Lea",
        "livemode": False,
        "paid": True,
        "payment_intent": payment_intent,
        "refunded": refunded >= amount,
        "status": "succeeded",
    }


# --- Fixtures ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "STRIPE_WEBHOOK_SECRET": TEST_WEBHOOK_SECRET}


@pytest.fixture
def deliver(db, client, django_capture_on_commit_callbacks):
    """Send an event the way Stripe does: signed raw JSON. Runs on-commit work (receipts)."""

    def send(evt: dict[str, Any], *, header: str | None = "sign", body: bytes | None = None):
        body = encode(evt) if body is None else body
        extra = {}
        if header == "sign":
            extra["HTTP_STRIPE_SIGNATURE"] = signature_header(body)
        elif header is not None:
            extra["HTTP_STRIPE_SIGNATURE"] = header
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data=body, content_type="application/json", **extra)

    return send


@pytest.fixture
def pending(db):
    """What the contribution form stores before sending the reader to Stripe."""

    def make(frequency: str = Frequency.ONCE, amount: int = 1000, **fields) -> Contribution:
        fields.setdefault("email", "lea.donor@example.com")
        fields.setdefault("provider", Provider.STRIPE)
        return Contribution.objects.create(
            frequency=frequency,
            amount=amount,
            currency="EUR",
            placement="article-top",
            checkout_session_id=f"cs_test_{_n()}",
            **fields,
        )

    return make


def monthly_session(contribution, **fields):
    fields = {"invoice": "in_First", "subscription": "sub_Monthly1", "amount": 500} | fields
    return checkout_session(contribution=contribution, mode="subscription", **fields)


# --- Signatures --------------------------------------------------------------------------------


def test_it_refuses_a_body_signed_with_another_secret(deliver, pending):
    contribution = pending()
    evt = event("checkout.session.completed", checkout_session(contribution=contribution))
    body = encode(evt)
    response = deliver(evt, header=signature_header(body, "whsec_someone_else"))
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert not Payment.objects.exists()
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PENDING


def test_it_refuses_a_body_changed_after_signing(deliver, pending):
    evt = event("checkout.session.completed", checkout_session(contribution=pending()))
    header = signature_header(encode(evt))
    evt["data"]["object"]["amount_total"] = 1  # the signature covers the exact bytes
    assert deliver(evt, header=header).status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_refuses_a_missing_signature_header(deliver, pending):
    evt = event("checkout.session.completed", checkout_session(contribution=pending()))
    assert deliver(evt, header=None).status_code == 400
    assert deliver(evt, header="nonsense").status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_refuses_an_old_signature_so_a_captured_body_cannot_be_replayed_later(deliver, pending):
    evt = event("checkout.session.completed", checkout_session(contribution=pending()))
    body = encode(evt)
    stale = signature_header(body, at=time.time() - 600)
    assert deliver(evt, header=stale, body=body).status_code == 400
    assert not StripeEvent.objects.exists()


def test_without_a_secret_it_answers_503_and_says_what_is_missing(deliver, settings, pending):
    settings.MASTHEAD = {**settings.MASTHEAD, "STRIPE_WEBHOOK_SECRET": ""}
    response = deliver(event("checkout.session.completed", checkout_session()))
    assert response.status_code == 503
    assert b"STRIPE_WEBHOOK_SECRET" in response.content
    assert not StripeEvent.objects.exists()


def test_it_only_takes_post(client):
    assert client.get(URL).status_code == 405


def test_a_signed_body_that_is_not_an_event_is_refused(deliver):
    assert deliver({}, body=b'{"hello": "world"}').status_code == 400
    assert deliver({}, body=b"[1, 2]").status_code == 400
    assert not StripeEvent.objects.exists()


# --- One-off contributions ---------------------------------------------------------------------


def test_a_one_off_checkout_records_the_payment_in_minor_units(deliver, pending, mailoutbox):
    contribution = pending(amount=1000)
    response = deliver(
        event("checkout.session.completed", checkout_session(contribution=contribution))
    )
    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False}
    payment = Payment.objects.get()
    assert (payment.contribution_id, payment.amount, payment.currency) == (
        contribution.pk,
        1000,
        "EUR",
    )
    assert payment.kind == PaymentKind.ONCE
    assert payment.payment_intent_id == "pi_once_1"
    assert payment.paid_at == datetime.fromtimestamp(PAID_AT + 5, tz=UTC)
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PAID
    assert contribution.customer_id == "cus_Lea"
    assert contribution.payment_intent_id == "pi_once_1"
    assert contribution.placement == "article-top"  # ours, kept
    assert StripeEvent.objects.get().processed_at is not None
    assert len(mailoutbox) == 1


def test_a_replayed_event_records_one_payment_and_sends_one_receipt(deliver, pending, mailoutbox):
    evt = event("checkout.session.completed", checkout_session(contribution=pending()))
    assert deliver(evt).json()["duplicate"] is False
    again = deliver(evt)
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert Payment.objects.count() == 1
    assert StripeEvent.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_same_payment_under_two_events_is_counted_once(deliver, pending, mailoutbox):
    # A delayed payment method: completed (unpaid), then async_payment_succeeded, then a
    # stray second delivery of the same session as a new event.
    contribution = pending()
    session = checkout_session(contribution=contribution, payment_status="unpaid")
    deliver(event("checkout.session.completed", session))
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PENDING
    assert not Payment.objects.exists()
    session["payment_status"] = "paid"
    deliver(event("checkout.session.async_payment_succeeded", session))
    deliver(event("checkout.session.completed", session))
    assert Payment.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_failed_delayed_payment_marks_the_contribution_failed(deliver, pending):
    contribution = pending()
    session = checkout_session(contribution=contribution, payment_status="unpaid")
    deliver(event("checkout.session.async_payment_failed", session))
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.FAILED


def test_a_session_masthead_did_not_start_is_recorded_as_a_payment_link(
    deliver, reader, mailoutbox
):
    session = checkout_session(
        amount=2500,
        currency="usd",
        email=reader.email.upper(),
        name="Rosa R.",
        customer="cus_Rosa",
        payment_intent="pi_link_1",
        payment_link="plink_1Q2w3E",
    )
    assert deliver(event("checkout.session.completed", session)).status_code == 200
    contribution = Contribution.objects.get()
    assert contribution.placement == "payment-link"
    assert (contribution.amount, contribution.currency) == (2500, "USD")
    assert contribution.frequency == Frequency.ONCE
    assert contribution.status == ContributionStatus.PAID
    assert (contribution.email, contribution.name) == (reader.email.upper(), "Rosa R.")
    assert contribution.checkout_session_id == session["id"]
    assert contribution.reader == reader  # a verified account with that address
    assert Payment.objects.get().amount == 2500
    reader.refresh_from_db()
    assert reader.supporter_since == datetime.fromtimestamp(PAID_AT + 5, tz=UTC)
    assert reader.stripe_customer_id == "cus_Rosa"
    assert not reader.is_monthly_supporter
    assert "$25.00" in mailoutbox[0].body


def test_a_monthly_payment_link_becomes_a_monthly_contribution_in_either_order(deliver, mailoutbox):
    session = checkout_session(
        mode="subscription",
        amount=700,
        invoice="in_LinkFirst",
        subscription="sub_Link1",
        payment_link="plink_monthly",
    )
    deliver(
        event(
            "invoice.paid",
            invoice_paid(invoice_id="in_LinkFirst", subscription="sub_Link1", amount=700),
        )
    )
    deliver(event("checkout.session.completed", session))
    deliver(
        event(
            "invoice.paid",
            invoice_paid(invoice_id="in_LinkSecond", subscription="sub_Link1", amount=700),
        )
    )
    contribution = Contribution.objects.get()
    assert (contribution.frequency, contribution.amount, contribution.currency) == (
        Frequency.MONTHLY,
        700,
        "EUR",
    )
    assert contribution.placement == "payment-link"
    assert contribution.checkout_session_id == session["id"]
    assert contribution.status == ContributionStatus.PAID
    assert Payment.objects.filter(contribution=contribution).count() == 2
    assert len(mailoutbox) == 2


def test_an_unverified_account_is_not_given_someone_elses_payment(deliver, db):
    create_user(email="claims@example.com", password="x" * 20, verified=False)
    session = checkout_session(email="claims@example.com", payment_link="plink_1")
    deliver(event("checkout.session.completed", session))
    assert Contribution.objects.get().reader is None


def test_a_payment_link_with_its_own_reference_is_not_mistaken_for_ours(deliver, pending):
    ours = pending()
    session = checkout_session(payment_link="plink_1", payment_intent="pi_link_2")
    session["client_reference_id"] = "newsletter-march"
    deliver(event("checkout.session.completed", session))
    ours.refresh_from_db()
    assert ours.status == ContributionStatus.PENDING
    assert Contribution.objects.exclude(pk=ours.pk).get().placement == "payment-link"


# --- Monthly contributions, in any order -------------------------------------------------------


def test_a_monthly_checkout_and_its_first_invoice_count_the_first_month_once(
    deliver, pending, reader, mailoutbox
):
    contribution = pending(Frequency.MONTHLY, 500, email=reader.email)
    deliver(event("checkout.session.completed", monthly_session(contribution)))
    deliver(event("invoice.paid", invoice_paid(invoice_id="in_First")))
    assert Payment.objects.count() == 1
    deliver(
        event("invoice.paid", invoice_paid(invoice_id="in_Second", paid_at=PAID_AT + 2_592_000))
    )
    assert list(
        Payment.objects.order_by("paid_at").values_list("invoice_id", "amount", "kind")
    ) == [
        ("in_First", 500, "invoice"),
        ("in_Second", 500, "invoice"),
    ]
    assert Contribution.objects.get() == contribution
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PAID
    assert contribution.subscription_id == "sub_Monthly1"
    # The invoice says when the money moved, a little before the session's event.
    assert contribution.paid_at == datetime.fromtimestamp(PAID_AT, tz=UTC)
    reader.refresh_from_db()
    assert reader.is_monthly_supporter
    assert len(mailoutbox) == 2


def test_an_invoice_before_its_checkout_ends_with_our_contribution_counted_once(
    deliver, pending, mailoutbox
):
    contribution = pending(Frequency.MONTHLY, 500)
    deliver(event("invoice.paid", invoice_paid(invoice_id="in_First")))
    assert Contribution.objects.count() == 2  # not known as ours yet
    deliver(event("checkout.session.completed", monthly_session(contribution)))
    assert Contribution.objects.get() == contribution  # merged into the one our form started
    payment = Payment.objects.get()
    assert payment.contribution == contribution
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PAID
    assert contribution.placement == "article-top"
    assert len(mailoutbox) == 1


def test_subscription_metadata_finds_our_contribution_without_the_checkout(deliver, pending):
    contribution = pending(Frequency.MONTHLY, 500)
    metadata = {"contribution_id": str(contribution.pk)}
    deliver(event("invoice.paid", invoice_paid(invoice_id="in_First", metadata=metadata)))
    assert Contribution.objects.get() == contribution
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PAID


def test_a_cancellation_that_overtakes_everything_still_ends_cancelled(deliver, pending, reader):
    contribution = pending(Frequency.MONTHLY, 500, email=reader.email)
    assert (
        deliver(event("customer.subscription.deleted", subscription_deleted())).status_code == 200
    )
    assert StripeEvent.objects.get().processed_at is None  # kept for later
    deliver(event("invoice.paid", invoice_paid(invoice_id="in_First")))
    deliver(event("checkout.session.completed", monthly_session(contribution)))
    contribution = Contribution.objects.get()
    assert contribution.status == ContributionStatus.CANCELLED
    assert contribution.cancelled_at == datetime.fromtimestamp(PAID_AT + 3600, tz=UTC)
    assert Payment.objects.count() == 1
    assert not StripeEvent.objects.filter(processed_at=None).exists()
    reader.refresh_from_db()
    assert not reader.is_monthly_supporter
    assert reader.supporter_since is not None  # they did pay once


def test_cancelling_ends_the_monthly_supporter_flag(deliver, pending, reader):
    contribution = pending(Frequency.MONTHLY, 500, email=reader.email)
    deliver(event("checkout.session.completed", monthly_session(contribution)))
    reader.refresh_from_db()
    assert reader.is_monthly_supporter
    deliver(event("customer.subscription.deleted", subscription_deleted()))
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.CANCELLED
    assert contribution.cancelled_at is not None
    reader.refresh_from_db()
    assert not reader.is_monthly_supporter
    # A late invoice for the ended subscription does not bring it back.
    deliver(event("invoice.paid", invoice_paid(invoice_id="in_Late")))
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.CANCELLED


def test_a_reader_with_another_active_monthly_contribution_stays_a_supporter(
    deliver, pending, reader
):
    first = pending(Frequency.MONTHLY, 500, email=reader.email)
    second = pending(Frequency.MONTHLY, 300, email=reader.email)
    deliver(event("checkout.session.completed", monthly_session(first)))
    deliver(
        event(
            "checkout.session.completed",
            monthly_session(second, invoice="in_Other", subscription="sub_Monthly2", amount=300),
        )
    )
    deliver(event("customer.subscription.deleted", subscription_deleted()))
    reader.refresh_from_db()
    assert reader.is_monthly_supporter


def test_a_free_invoice_records_no_payment(deliver, pending):
    deliver(event("invoice.paid", invoice_paid(invoice_id="in_Trial", amount=0)))
    assert not Payment.objects.exists()
    assert not Contribution.objects.exists()


# --- Refunds -----------------------------------------------------------------------------------


def test_partial_then_full_refund(deliver, pending, reader):
    contribution = pending(email=reader.email)
    deliver(event("checkout.session.completed", checkout_session(contribution=contribution)))
    deliver(event("charge.refunded", charge_refunded(refunded=400)))
    payment = Payment.objects.get()
    assert (payment.refunded_amount, payment.charge_id) == (400, "ch_1")
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PAID
    deliver(event("charge.refunded", charge_refunded(refunded=1000)))
    payment.refresh_from_db()
    assert payment.refunded_amount == 1000
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.REFUNDED
    assert contribution.refunded_at is not None
    # The partial refund's event delivered late does not lower the total.
    deliver(event("charge.refunded", charge_refunded(refunded=400)))
    payment.refresh_from_db()
    assert payment.refunded_amount == 1000
    reader.refresh_from_db()
    assert reader.supporter_since is None  # nothing kept


def test_a_refund_that_overtakes_its_payment_is_applied_when_the_payment_arrives(deliver, pending):
    contribution = pending()
    deliver(event("charge.refunded", charge_refunded(refunded=1000)))
    assert StripeEvent.objects.get().processed_at is None
    deliver(event("checkout.session.completed", checkout_session(contribution=contribution)))
    assert Payment.objects.get().refunded_amount == 1000
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.REFUNDED


def test_a_monthly_payment_refund_is_found_through_its_invoice_payment(deliver, pending):
    contribution = pending(Frequency.MONTHLY, 500)
    deliver(event("checkout.session.completed", monthly_session(contribution)))
    deliver(event("invoice.paid", invoice_paid(invoice_id="in_Second", paid_at=PAID_AT + 9)))
    deliver(
        event(
            "invoice_payment.paid",
            invoice_payment_paid(invoice_id="in_Second", payment_intent="pi_m2"),
        )
    )
    deliver(
        event(
            "charge.refunded",
            charge_refunded(amount=500, refunded=500, payment_intent="pi_m2", charge="ch_m2"),
        )
    )
    refunded = Payment.objects.get(invoice_id="in_Second")
    assert (refunded.refunded_amount, refunded.charge_id) == (500, "ch_m2")
    assert Payment.objects.get(invoice_id="in_First").refunded_amount == 0
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PAID  # the first month still stands


def test_an_endpoint_on_an_older_api_version_is_read_too(deliver, pending):
    # Before 2025-03-31 an invoice named its subscription, payment intent and charge itself.
    contribution = pending(Frequency.MONTHLY, 500)
    legacy = invoice_paid(invoice_id="in_Old", subscription="sub_Old")
    del legacy["parent"]
    legacy |= {"subscription": "sub_Old", "payment_intent": "pi_old", "charge": "ch_old"}
    deliver(
        event(
            "checkout.session.completed",
            monthly_session(contribution, invoice="in_Old", subscription="sub_Old"),
        )
    )
    deliver(event("invoice.paid", legacy))
    payment = Payment.objects.get()
    assert (payment.invoice_id, payment.payment_intent_id, payment.charge_id) == (
        "in_Old",
        "pi_old",
        "ch_old",
    )
    deliver(
        event(
            "charge.refunded",
            charge_refunded(amount=500, refunded=500, payment_intent="pi_old", charge="ch_old"),
        )
    )
    payment.refresh_from_db()
    assert payment.refunded_amount == 500
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.REFUNDED


# --- Events we do not act on, and failures -----------------------------------------------------


def test_an_unknown_event_type_is_stored_and_ignored(deliver):
    evt = event("customer.tax_id.created", {"id": "txi_1", "object": "tax_id"})
    response = deliver(evt)
    assert response.status_code == 200
    stored = StripeEvent.objects.get()
    assert (stored.event_id, stored.type, stored.processed_at) == (evt["id"], evt["type"], None)
    assert stored.payload == evt


def test_an_error_while_applying_an_event_stores_nothing_so_stripe_retries(
    deliver, pending, monkeypatch
):
    def broken(obj, evt):
        Contribution.objects.update(status=ContributionStatus.PAID)
        raise RuntimeError("database went away")

    monkeypatch.setitem(payments.HANDLERS, "checkout.session.completed", broken)
    contribution = pending()
    evt = event("checkout.session.completed", checkout_session(contribution=contribution))
    with pytest.raises(RuntimeError):
        deliver(evt)
    assert not StripeEvent.objects.exists()
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PENDING
    monkeypatch.undo()
    assert deliver(evt).json()["duplicate"] is False
    assert Payment.objects.count() == 1


# --- Receipts ----------------------------------------------------------------------------------


def test_the_receipt_says_what_was_given_when_and_how_to_manage_it(
    deliver, pending, mailoutbox, settings
):
    settings.WAGTAIL_SITE_NAME = "The Harbour Herald"
    contribution = pending(Frequency.MONTHLY, 500, name="Léa")
    deliver(event("checkout.session.completed", monthly_session(contribution)))
    (mail,) = mailoutbox
    assert mail.to == ["lea.donor@example.com"]
    assert "The Harbour Herald" in mail.subject
    assert "monthly" in mail.subject
    assert "Dear Léa," in mail.body
    assert "€5.00" in mail.body
    assert "26 November 2025" in mail.body
    assert "/accounts/profile/" in mail.body
    assert "The Harbour Herald" in mail.body
    assert "THIS IS A TEST" not in mail.body


def test_a_one_off_receipt_says_nothing_more_will_be_taken(deliver, pending, mailoutbox):
    deliver(event("checkout.session.completed", checkout_session(contribution=pending())))
    assert "one-off" in mailoutbox[0].body
    assert "nothing more will be taken" in mailoutbox[0].body
    assert "€10.00" in mailoutbox[0].body


def test_recording_the_same_payment_twice_sends_one_receipt(
    pending, mailoutbox, django_capture_on_commit_callbacks
):
    # The test-mode provider's path: no provider ids at all.
    contribution = pending(provider=Provider.TEST)
    paid_at = datetime.fromtimestamp(PAID_AT, tz=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        first = record_payment(
            contribution=contribution, amount=1000, currency="eur", kind="once", paid_at=paid_at
        )
        second = record_payment(
            contribution=contribution, amount=1000, currency="eur", kind="once", paid_at=paid_at
        )
    assert first == second
    assert first.currency == "EUR"
    assert len(mailoutbox) == 1
    assert "THIS IS A TEST" in mailoutbox[0].body
    assert send_receipt(first.pk) is False
    assert len(mailoutbox) == 1
    first.refresh_from_db()
    assert first.receipt_sent_at is not None


def test_a_receipt_that_could_not_be_sent_can_be_sent_later(pending, mailoutbox, monkeypatch):
    contribution = pending()
    payment = record_payment(
        contribution=contribution,
        amount=1000,
        currency="EUR",
        kind="once",
        paid_at=datetime.fromtimestamp(PAID_AT, tz=UTC),
    )

    def down(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(payments, "send_mail", down)
    assert send_receipt(payment.pk) is False
    payment.refresh_from_db()
    assert payment.receipt_sent_at is None
    monkeypatch.undo()
    assert send_receipt(payment.pk) is True
    assert len(mailoutbox) == 1


# --- Concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_event_delivered_twice_at_once_is_recorded_once(mailoutbox):
    contribution = Contribution.objects.create(
        frequency=Frequency.ONCE, amount=1000, currency="EUR", email="lea.donor@example.com"
    )
    evt = event("checkout.session.completed", checkout_session(contribution=contribution))
    start = threading.Barrier(2)
    results: list[bool] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(payments.handle_event(evt))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    assert Payment.objects.count() == 1
    assert StripeEvent.objects.count() == 1
    assert len(mailoutbox) == 1
