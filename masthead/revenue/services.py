"""Reader contributions: starting a checkout, the billing portal, and the test-mode provider.

Money received (webhooks, `record_payment`, receipts) lives in `masthead.revenue.payments`.

A checkout start is idempotent. The contribution form carries a key made when the page was
rendered; the same key with the same choices finds the contribution it already started and
returns its Checkout Session, without asking Stripe again. The calls to Stripe carry their own
idempotency keys derived from our contribution id, so a retry after a timeout gets back the
customer and session Stripe already made. Customers are reused: a signed-in reader's
`stripe_customer_id`, or for a reader without an account the customer of their own checkout that
was started but never paid (the usual "duplicate customer after a failed checkout").

Without `STRIPE_SECRET_KEY` the test-mode provider takes over: a local page completes the
contribution through the same `record_payment` a webhook would call. No money moves.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import timedelta

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from masthead.accounts.models import User
from masthead.revenue.models import (
    Contribution,
    ContributionStatus,
    Frequency,
    PaymentKind,
    Provider,
)
from masthead.revenue.money import money
from masthead.revenue.payments import handle_event, record_payment

__all__ = [
    "CheckoutError",
    "billing_portal_url",
    "cancel_test_subscriptions",
    "complete_test_checkout",
    "handle_event",
    "record_payment",
    "start_checkout",
]

logger = logging.getLogger(__name__)

NAME_MAX = 120
PLACEMENT_MAX = 60
# An unpaid checkout's customer is reused for the same email for this long.
REUSE_UNPAID_CUSTOMER = timedelta(days=1)


class CheckoutError(Exception):
    """Why a contribution could not start, in words for the reader; `field` names the input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- settings ---------------------------------------------------------------------------------


def currency() -> str:
    return settings.MASTHEAD["CURRENCY"]


def amount_limits() -> tuple[int, int]:
    return settings.MASTHEAD["CONTRIBUTION_MIN"], settings.MASTHEAD["CONTRIBUTION_MAX"]


def presets(frequency: str) -> list[int]:
    return list(settings.MASTHEAD["CONTRIBUTION_PRESETS"].get(frequency, []))


def test_mode() -> bool:
    """No Stripe key: contributions complete on a local, clearly labelled test page."""
    return not settings.MASTHEAD.get("STRIPE_SECRET_KEY")


def stripe_client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.MASTHEAD["STRIPE_SECRET_KEY"],
        base_addresses={"api": settings.MASTHEAD["STRIPE_API_BASE"]},
        max_network_retries=2,
    )


def format_money(amount: int, code: str | None = None) -> str:
    """€10, €2.50, 12 CHF: whole amounts without cents, in the site's currency by default."""
    return money(amount, code or currency(), short=True)


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


# --- checking ---------------------------------------------------------------------------------


def check_contribution(*, frequency: str, amount: int, email: str, name: str) -> None:
    if frequency not in Frequency.values:
        raise CheckoutError("Choose whether to give once or monthly.", "frequency")
    low, high = amount_limits()
    if amount < low:
        raise CheckoutError(f"The smallest contribution is {format_money(low)}.", "amount")
    if amount > high:
        raise CheckoutError(
            f"The largest contribution we can take online is {format_money(high)}.", "amount"
        )
    if not email:
        raise CheckoutError("Enter your email address, so we can send your receipt.", "email")
    try:
        validate_email(email)
    except ValidationError:
        raise CheckoutError(
            "Enter a valid email address, like name@example.com.", "email"
        ) from None
    if len(name) > NAME_MAX:
        raise CheckoutError(f"Names can be at most {NAME_MAX} characters.", "name")


def clean_placement(placement: str) -> str:
    """Where the reader came from, as the appeal link said; anything odd counts as direct."""
    placement = (placement or "").strip().lower()
    if not placement or len(placement) > PLACEMENT_MAX:
        return "direct"
    if not all(ch.isalnum() or ch in "-_:" for ch in placement):
        return "direct"
    return placement


def _contribution_key(form_key: str, *, frequency: str, amount: int, email: str) -> str:
    """The same form submitted twice maps to one contribution; the same form with other choices
    (the reader went back and picked another amount) to another one."""
    raw = f"{form_key}|{frequency}|{amount}|{currency()}|{email.lower()}"
    return hashlib.sha256(raw.encode()).hexdigest()


# --- starting a checkout ----------------------------------------------------------------------


def start_checkout(
    *,
    frequency: str,
    amount: int,
    email: str,
    name: str,
    reader: User | None,
    placement: str,
    idempotency_key: str,
) -> tuple[Contribution, str]:
    """Create (or find again) the contribution and its checkout; returns where to send the
    reader: Stripe's Checkout page, the test-mode page, or the thank-you page if already paid."""
    email = (email or "").strip()
    name = (name or "").strip()
    check_contribution(frequency=frequency, amount=amount, email=email, name=name)
    if not idempotency_key or len(idempotency_key) > 200:
        raise CheckoutError("This form has expired. Please choose your amount again.", "form")
    key = _contribution_key(idempotency_key, frequency=frequency, amount=amount, email=email)
    provider = Provider.TEST if test_mode() else Provider.STRIPE
    contribution = _find_or_create(
        key=key,
        frequency=frequency,
        amount=amount,
        email=email,
        name=name,
        reader=reader,
        placement=clean_placement(placement),
        provider=provider,
    )
    if contribution.status != ContributionStatus.PENDING:
        return contribution, thanks_url(contribution)
    if contribution.checkout_url:
        return contribution, contribution.checkout_url
    if contribution.provider == Provider.TEST:
        url = reverse("contribute_test_checkout", args=[contribution.pk])
        Contribution.objects.filter(pk=contribution.pk).update(checkout_url=url)
        contribution.checkout_url = url
        return contribution, url
    return contribution, _stripe_checkout(contribution, reader)


def _find_or_create(*, key: str, **values: object) -> Contribution:
    existing = Contribution.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Contribution.objects.create(idempotency_key=key, currency=currency(), **values)
    except IntegrityError:
        # The same form arrived twice at once: the other request made it.
        return Contribution.objects.get(idempotency_key=key)


def _stripe_checkout(contribution: Contribution, reader: User | None) -> str:
    client = stripe_client()
    attempt = f"{contribution.pk}-{contribution.checkout_attempt}"
    try:
        customer_id = _customer_for(client, contribution, reader, attempt=attempt)
        try:
            session = client.v1.checkout.sessions.create(
                params=_session_params(contribution, customer_id),
                options={"idempotency_key": f"masthead-checkout-{attempt}"},
            )
        except stripe.InvalidRequestError as error:
            if error.code != "resource_missing" or error.param != "customer":
                raise
            # The customer on file was deleted at Stripe: forget it and make a new one, once.
            _forget_customer(contribution, reader, customer_id)
            attempt = f"{attempt}-new-customer"
            customer_id = _customer_for(client, contribution, reader, attempt=attempt)
            session = client.v1.checkout.sessions.create(
                params=_session_params(contribution, customer_id),
                options={"idempotency_key": f"masthead-checkout-{attempt}"},
            )
    except stripe.StripeError as error:
        logger.warning("Stripe refused a checkout for %s: %s", contribution.pk, error)
        if not isinstance(error, stripe.APIConnectionError | stripe.IdempotencyError):
            # Stripe answered (and keeps that answer under the key): the next try needs a new
            # key. After a lost answer the same key finds whatever Stripe did; after "that key
            # is in use" (the same form, twice at once) the other request is making the session.
            Contribution.objects.filter(pk=contribution.pk).update(
                checkout_attempt=F("checkout_attempt") + 1
            )
        raise CheckoutError(
            "We could not reach our payment provider. Nothing was charged; please try again "
            "in a moment."
        ) from error
    Contribution.objects.filter(pk=contribution.pk).update(
        customer_id=customer_id,
        checkout_session_id=session.id,
        checkout_url=session.url,
        livemode=bool(session.livemode),
    )
    contribution.customer_id = customer_id
    contribution.checkout_session_id = session.id
    contribution.checkout_url = session.url
    return session.url


def _forget_customer(contribution: Contribution, reader: User | None, customer_id: str) -> None:
    logger.warning("Stripe no longer knows customer %s; making a new one", customer_id)
    Contribution.objects.filter(pk=contribution.pk).update(customer_id="")
    contribution.customer_id = ""
    if reader is not None:
        User.objects.filter(pk=reader.pk, stripe_customer_id=customer_id).update(
            stripe_customer_id=""
        )
        reader.stripe_customer_id = ""


def _customer_for(
    client: stripe.StripeClient, contribution: Contribution, reader: User | None, *, attempt: str
) -> str:
    if contribution.customer_id:
        return contribution.customer_id
    if reader is not None and reader.stripe_customer_id:
        return reader.stripe_customer_id
    if reader is None:
        unpaid = (
            Contribution.objects.filter(
                email__iexact=contribution.email,
                reader__isnull=True,
                provider=Provider.STRIPE,
                status=ContributionStatus.PENDING,
                created_at__gte=timezone.now() - REUSE_UNPAID_CUSTOMER,
            )
            .exclude(customer_id="")
            .exclude(pk=contribution.pk)
            .values_list("customer_id", flat=True)
            .first()
        )
        if unpaid:
            return unpaid
    customer = client.v1.customers.create(
        params={
            "email": reader.email if reader is not None else contribution.email,
            "name": contribution.name or (reader.public_name if reader is not None else ""),
            "metadata": {
                "masthead_reader_id": str(reader.pk) if reader is not None else "",
                "contribution_id": str(contribution.pk),
            },
        },
        options={"idempotency_key": f"masthead-customer-{attempt}"},
    )
    Contribution.objects.filter(pk=contribution.pk).update(customer_id=customer.id)
    contribution.customer_id = customer.id
    if reader is not None:
        # Only if still unset: two checkouts at once must not leave two customers on file.
        User.objects.filter(pk=reader.pk, stripe_customer_id="").update(
            stripe_customer_id=customer.id
        )
        reader.refresh_from_db(fields=["stripe_customer_id"])
        return reader.stripe_customer_id
    return customer.id


def _session_params(contribution: Contribution, customer_id: str) -> dict:
    monthly = contribution.frequency == Frequency.MONTHLY
    metadata = {"contribution_id": str(contribution.pk), "placement": contribution.placement}
    price_data: dict = {
        "currency": contribution.currency.lower(),
        "unit_amount": contribution.amount,
        "product_data": {
            "name": "Monthly contribution" if monthly else "One-off contribution",
        },
    }
    params: dict = {
        "mode": "subscription" if monthly else "payment",
        "customer": customer_id,
        "client_reference_id": str(contribution.pk),
        "metadata": metadata,
        "line_items": [{"quantity": 1, "price_data": price_data}],
        "success_url": absolute(thanks_url(contribution)),
        "cancel_url": absolute(reverse("contribute")) + "?cancelled=1",
    }
    if monthly:
        price_data["recurring"] = {"interval": "month"}
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["submit_type"] = "donate"
        params["payment_intent_data"] = {"metadata": metadata}
    return params


def thanks_url(contribution: Contribution) -> str:
    return reverse("contribute_thanks", args=[contribution.pk])


# --- monthly supporters -----------------------------------------------------------------------


def billing_portal_url(reader: User) -> str:
    """Where a monthly supporter manages or cancels: Stripe's billing portal (or, in test mode,
    our local stand-in)."""
    if test_mode():
        return reverse("contribute_test_portal")
    if not reader.stripe_customer_id:
        raise CheckoutError("We have no monthly contribution on file for your account.")
    try:
        portal = stripe_client().v1.billing_portal.sessions.create(
            params={
                "customer": reader.stripe_customer_id,
                "return_url": absolute(reverse("profile")),
            }
        )
    except stripe.StripeError as error:
        logger.warning("Stripe refused a billing portal for reader %s: %s", reader.pk, error)
        raise CheckoutError(
            "We could not reach our payment provider. Please try again in a moment."
        ) from error
    return portal.url


# --- the test-mode provider -------------------------------------------------------------------


def test_contribution(contribution_id: uuid.UUID) -> Contribution | None:
    """A test-mode contribution still waiting for its pretend payment, or None."""
    if not test_mode():
        return None
    return Contribution.objects.filter(pk=contribution_id, provider=Provider.TEST).first()


def complete_test_checkout(*, contribution: Contribution) -> Contribution:
    """The reader pressed "Pay" on the test page: record the payment the way a webhook would."""
    if not test_mode() or contribution.provider != Provider.TEST:
        raise CheckoutError("Test payments are switched off on this site.")
    if contribution.status != ContributionStatus.PENDING:
        return contribution
    monthly = contribution.frequency == Frequency.MONTHLY
    reference = contribution.pk.hex
    record_payment(
        contribution=contribution,
        amount=contribution.amount,
        currency=contribution.currency,
        kind=PaymentKind.INVOICE if monthly else PaymentKind.ONCE,
        paid_at=timezone.now(),
        payment_intent_id=None if monthly else f"test_pi_{reference}",
        invoice_id=f"test_in_{reference}_1" if monthly else None,
        charge_id=f"test_ch_{reference}_1",
        subscription_id=f"test_sub_{reference}" if monthly else None,
    )
    contribution.refresh_from_db()
    return contribution


def cancel_test_subscriptions(*, reader: User) -> int:
    """The test-mode billing portal's "Cancel": ends the reader's monthly test contributions."""
    if not test_mode():
        raise CheckoutError("Test payments are switched off on this site.")
    now = timezone.now()
    with transaction.atomic():
        ended = Contribution.objects.filter(
            reader=reader,
            provider=Provider.TEST,
            frequency=Frequency.MONTHLY,
            status=ContributionStatus.PAID,
        ).update(status=ContributionStatus.CANCELLED, cancelled_at=now)
        still_monthly = Contribution.objects.filter(reader=reader).active_monthly().exists()
        User.objects.filter(pk=reader.pk).update(is_monthly_supporter=still_monthly)
    reader.is_monthly_supporter = still_monthly
    return ended


def is_supporter(reader: User | None) -> bool:
    """A current monthly supporter: they see a thank-you instead of the appeal."""
    return reader is not None and reader.is_monthly_supporter
