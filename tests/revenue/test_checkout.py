"""Starting a contribution: validation, idempotent retries, customer reuse, the Stripe session,
the billing portal, and the test-mode provider. Stripe is the fake server, never a mock."""

from __future__ import annotations

import pytest

from masthead.accounts.models import User
from masthead.revenue import services
from masthead.revenue.models import Contribution, ContributionStatus, Payment, Provider
from masthead.revenue.services import CheckoutError, start_checkout


def _start(**overrides):
    values = {
        "frequency": "once",
        "amount": 1000,
        "email": "giver@example.com",
        "name": "Gia Giver",
        "reader": None,
        "placement": "article-top",
        "idempotency_key": "form-key-1",
    }
    values.update(overrides)
    return start_checkout(**values)


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"amount": 199}, "amount", "smallest contribution is €2"),
        ({"amount": 0}, "amount", "smallest"),
        ({"amount": 1_000_001}, "amount", "largest contribution we can take online is €10,000"),
        ({"frequency": "weekly"}, "frequency", "once or monthly"),
        ({"frequency": ""}, "frequency", "once or monthly"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"email": ""}, "email", "receipt"),
        ({"name": "x" * 121}, "name", "120"),
        ({"idempotency_key": ""}, "form", "expired"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(db, fake_stripe, overrides, field, words):
    with pytest.raises(CheckoutError) as refused:
        _start(**overrides)
    assert refused.value.field == field
    assert words in refused.value.message
    assert not Contribution.objects.exists()
    assert fake_stripe.requests == []


def test_it_takes_the_smallest_and_largest_amounts(db, fake_stripe):
    low, _ = _start(amount=200, idempotency_key="a")
    high, _ = _start(amount=1_000_000, idempotency_key="b")
    assert (low.amount, high.amount) == (200, 1_000_000)


def test_limits_and_currency_come_from_settings(db, fake_stripe, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "CONTRIBUTION_MIN": 500, "CURRENCY": "GBP"}
    with pytest.raises(CheckoutError, match="£5"):
        _start(amount=400)
    contribution, _ = _start(amount=500)
    assert contribution.currency == "GBP"
    sent = fake_stripe.calls("POST", "/v1/checkout/sessions")[0].params
    assert sent["line_items"][0]["price_data"]["currency"] == "gbp"


# --- the Stripe session ---------------------------------------------------------------------


def test_a_one_off_contribution_gets_a_payment_session_carrying_our_id(db, fake_stripe):
    contribution, url = _start()
    assert url.startswith(fake_stripe.url)
    contribution.refresh_from_db()
    assert contribution.provider == Provider.STRIPE
    assert contribution.status == ContributionStatus.PENDING
    assert contribution.placement == "article-top"
    session = fake_stripe.objects[contribution.checkout_session_id]
    assert session["mode"] == "payment"
    assert session["client_reference_id"] == str(contribution.pk)
    assert session["metadata"]["contribution_id"] == str(contribution.pk)
    assert session["payment_intent_data"]["metadata"]["contribution_id"] == str(contribution.pk)
    assert session["line_items"][0]["price_data"]["unit_amount"] == "1000"
    assert session["success_url"].endswith(f"/contribute/thanks/{contribution.pk}/")
    assert session["customer"] == contribution.customer_id
    assert fake_stripe.calls("POST", "/v1/checkout/sessions")[0].headers["idempotency-key"]


def test_a_monthly_contribution_gets_a_subscription_session(db, fake_stripe):
    contribution, _ = _start(frequency="monthly", amount=500)
    session = fake_stripe.objects[contribution.checkout_session_id]
    assert session["mode"] == "subscription"
    assert session["line_items"][0]["price_data"]["recurring"] == {"interval": "month"}
    assert session["subscription_data"]["metadata"]["contribution_id"] == str(contribution.pk)


def test_a_retried_start_returns_the_same_session_and_makes_no_second_customer(db, fake_stripe):
    first, first_url = _start()
    again, again_url = _start()
    assert again.pk == first.pk
    assert again_url == first_url
    assert Contribution.objects.count() == 1
    assert len(fake_stripe.calls("POST", "/v1/customers")) == 1
    assert len(fake_stripe.calls("POST", "/v1/checkout/sessions")) == 1


def test_a_retry_after_stripe_failed_reuses_the_customer_stripe_already_made(db, fake_stripe):
    fake_stripe.fail_next("/v1/checkout/sessions", status=500, message="Something broke")
    with pytest.raises(CheckoutError, match="could not reach our payment provider"):
        _start()
    contribution, url = _start()
    assert url == fake_stripe.objects[contribution.checkout_session_id]["url"]
    assert Contribution.objects.count() == 1
    assert len(fake_stripe.of_type("customer")) == 1
    assert len(fake_stripe.of_type("checkout.session")) == 1


def test_the_same_form_with_another_amount_is_another_contribution(db, fake_stripe):
    first, _ = _start(amount=1000)
    second, _ = _start(amount=2500)
    assert first.pk != second.pk
    assert second.amount == 2500
    # Same reader without an account, same email, first one never paid: same customer.
    assert second.customer_id == first.customer_id
    assert len(fake_stripe.of_type("customer")) == 1


def test_a_signed_in_reader_keeps_one_customer_across_contributions(db, fake_stripe, reader):
    first, _ = _start(reader=reader, idempotency_key="one")
    reader.refresh_from_db()
    assert reader.stripe_customer_id == first.customer_id
    fake_stripe.complete_session(first.checkout_session_id)
    second, _ = _start(reader=reader, idempotency_key="two", frequency="monthly", amount=300)
    assert second.customer_id == reader.stripe_customer_id
    assert len(fake_stripe.calls("POST", "/v1/customers")) == 1
    assert fake_stripe.objects[second.checkout_session_id]["customer"] == reader.stripe_customer_id


def test_an_existing_stripe_customer_on_the_account_is_reused(db, fake_stripe, reader):
    customer = fake_stripe.add("customers", {"object": "customer", "email": reader.email})
    User.objects.filter(pk=reader.pk).update(stripe_customer_id=customer["id"])
    reader.refresh_from_db()
    contribution, _ = _start(reader=reader)
    assert contribution.customer_id == customer["id"]
    assert fake_stripe.calls("POST", "/v1/customers") == []


def test_a_paid_customer_is_not_handed_to_someone_typing_the_same_email(db, fake_stripe):
    first, _ = _start(idempotency_key="one")
    Contribution.objects.filter(pk=first.pk).update(status=ContributionStatus.PAID)
    second, _ = _start(idempotency_key="two")
    assert second.customer_id != first.customer_id


def test_a_start_for_a_contribution_already_paid_goes_to_the_thank_you_page(db, fake_stripe):
    first, _ = _start()
    Contribution.objects.filter(pk=first.pk).update(status=ContributionStatus.PAID)
    again, url = _start()
    assert again.pk == first.pk
    assert url == f"/contribute/thanks/{first.pk}/"


def test_odd_placements_are_recorded_as_direct(db, fake_stripe):
    contribution, _ = _start(placement="<script>")
    assert contribution.placement == "direct"
    contribution, _ = _start(placement="", idempotency_key="other")
    assert contribution.placement == "direct"


# --- the billing portal ---------------------------------------------------------------------


def test_a_monthly_supporter_gets_a_billing_portal_for_their_customer(db, fake_stripe, reader):
    _start(reader=reader, frequency="monthly", amount=500)
    reader.refresh_from_db()
    url = services.billing_portal_url(reader)
    portal = fake_stripe.calls("POST", "/v1/billing_portal/sessions")[0].params
    assert portal["customer"] == reader.stripe_customer_id
    assert portal["return_url"].endswith("/accounts/profile/")
    assert url.startswith(fake_stripe.url)


def test_no_billing_portal_without_a_customer(db, fake_stripe, reader):
    with pytest.raises(CheckoutError, match="no monthly contribution"):
        services.billing_portal_url(reader)
    assert fake_stripe.requests == []


# --- test mode ------------------------------------------------------------------------------


def test_without_keys_the_test_provider_takes_the_contribution(db, test_mode):
    contribution, url = _start(frequency="monthly", amount=500)
    assert contribution.provider == Provider.TEST
    assert url == f"/contribute/test-checkout/{contribution.pk}/"
    again, again_url = _start(frequency="monthly", amount=500)
    assert (again.pk, again_url) == (contribution.pk, url)


def test_test_checkout_is_refused_once_stripe_keys_are_set(db, test_mode, settings):
    contribution, _ = _start()
    settings.MASTHEAD = {**settings.MASTHEAD, "STRIPE_SECRET_KEY": "sk_live_real"}
    assert services.test_contribution(contribution.pk) is None
    with pytest.raises(CheckoutError, match="switched off"):
        services.complete_test_checkout(contribution=contribution)
    assert not Payment.objects.exists()


def test_completing_a_test_checkout_records_one_payment(db, test_mode, reader, mailoutbox):
    contribution, _ = _start(frequency="monthly", amount=500, reader=reader)
    services.complete_test_checkout(contribution=contribution)
    services.complete_test_checkout(contribution=contribution)
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PAID
    assert Payment.objects.filter(contribution=contribution).count() == 1
    reader.refresh_from_db()
    assert reader.is_monthly_supporter


def test_a_test_payment_leaves_no_made_up_stripe_customer_on_the_account(db, test_mode, reader):
    contribution, _ = _start(frequency="monthly", amount=500, reader=reader)
    services.complete_test_checkout(contribution=contribution)
    reader.refresh_from_db()
    assert reader.stripe_customer_id == ""


def test_a_customer_deleted_at_stripe_is_replaced_once(db, fake_stripe, reader):
    User.objects.filter(pk=reader.pk).update(stripe_customer_id="cus_deleted_in_dashboard")
    reader.refresh_from_db()
    contribution, _ = _start(reader=reader)
    reader.refresh_from_db()
    assert reader.stripe_customer_id not in {"", "cus_deleted_in_dashboard"}
    assert contribution.customer_id == reader.stripe_customer_id
    assert (
        fake_stripe.objects[contribution.checkout_session_id]["customer"]
        == contribution.customer_id
    )
    assert len(fake_stripe.of_type("customer")) == 1
