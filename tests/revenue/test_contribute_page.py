"""The contribution page and the pages after it, as a browser without JavaScript uses them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from masthead.accounts.models import User
from masthead.revenue.models import Contribution, ContributionStatus, Payment, Provider
from tests.conftest import PASSWORD


def _key(response) -> str:
    return re.search(r'name="key" value="([^"]+)"', response.content.decode()).group(1)


def _form(client, **overrides) -> dict[str, str]:
    page = client.get("/contribute")
    data = {
        "key": _key(page),
        "frequency": "monthly",
        "amount": "500",
        "custom_amount": "",
        "email": "giver@example.com",
        "name": "Gia",
        "placement": "article-top",
    }
    data.update(overrides)
    return data


def test_the_page_offers_both_frequencies_presets_and_a_custom_amount(db, client, test_mode):
    page = client.get("/contribute").content.decode()
    assert page.count("<h1") == 1
    assert 'name="frequency" value="once"' in page
    assert 'name="frequency" value="monthly"' in page
    for cents in (500, 1000, 2500, 300):
        assert f'name="amount" value="{cents}"' in page
    assert 'name="custom_amount"' in page
    assert "From €2 to €10,000" in page
    assert "csrfmiddlewaretoken" in page
    assert "Test mode: no money moves" in page


def test_the_appeal_link_pre_chooses_amount_frequency_and_placement(db, client, test_mode):
    page = client.get("/contribute?amount=1000&frequency=once&placement=article-end")
    html = page.content.decode()
    assert re.search(r'value="once" data-word="once" checked', html)
    assert re.search(r'name="amount" value="1000" data-label="€10" checked', html)
    assert 'name="placement" value="article-end"' in html
    assert "Give €10 once</button>" in html


def test_an_amount_that_is_not_a_preset_lands_in_the_custom_field(db, client, test_mode):
    html = client.get("/contribute?amount=1250&frequency=monthly").content.decode()
    assert 'value="12.50"' in html
    assert "Give €12.50 monthly</button>" in html


def test_each_rendering_carries_a_fresh_idempotency_key(db, client, test_mode):
    assert _key(client.get("/contribute")) != _key(client.get("/contribute"))


def test_a_signed_in_reader_finds_their_email_and_name_filled_in(db, client, reader, test_mode):
    client.login(email=reader.email, password=PASSWORD)
    html = client.get("/contribute").content.decode()
    assert f'value="{reader.email}"' in html
    assert 'value="Rosa"' in html


def test_the_whole_test_mode_journey_without_javascript(db, client, test_mode, mailoutbox):
    started = client.post("/contribute", _form(client))
    contribution = Contribution.objects.get()
    assert started.status_code == 302
    assert started["Location"] == f"/contribute/test-checkout/{contribution.pk}/"
    assert contribution.provider == Provider.TEST
    assert (contribution.frequency, contribution.amount) == ("monthly", 500)
    assert contribution.placement == "article-top"

    checkout = client.get(started["Location"]).content.decode()
    assert "Test mode: no money moves" in checkout
    assert "€5 every month" in checkout

    waiting = client.get(f"/contribute/thanks/{contribution.pk}/").content.decode()
    assert "we are confirming your payment" in waiting
    assert "Check again" in waiting

    paid = client.post(started["Location"])
    assert paid["Location"] == f"/contribute/thanks/{contribution.pk}/"
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PAID
    assert Payment.objects.filter(contribution=contribution).count() == 1
    thanks = client.get(paid["Location"]).content.decode()
    assert "monthly contribution of €5 is confirmed" in thanks
    assert "confirming your payment" not in thanks


def test_the_thank_you_page_answers_a_status_poll_privately(db, client, test_mode):
    client.post("/contribute", _form(client))
    contribution = Contribution.objects.get()
    polled = client.get(f"/contribute/thanks/{contribution.pk}/?format=json")
    assert polled.json() == {"paid": False, "status": "pending"}
    assert "no-store" in polled["Cache-Control"]


def test_a_double_submit_starts_one_checkout(db, client, test_mode):
    data = _form(client)
    first = client.post("/contribute", data)
    second = client.post("/contribute", data)
    assert first["Location"] == second["Location"]
    assert Contribution.objects.count() == 1


def test_a_custom_amount_wins_over_the_preset_left_checked(db, client, test_mode):
    client.post("/contribute", _form(client, amount="500", custom_amount="12,50"))
    assert Contribution.objects.get().amount == 1250


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "other", "custom_amount": "1"}, "The smallest contribution is €2."),
        ({"amount": "other", "custom_amount": "20000"}, "The largest contribution"),
        ({"amount": "other", "custom_amount": "ten"}, "Enter an amount like 15 or 12.50."),
        ({"amount": "other", "custom_amount": "10.555"}, "Enter an amount like 15 or 12.50."),
        ({"amount": "other"}, "Choose an amount, or enter your own."),
        ({"frequency": "yearly"}, "Choose whether to give once or monthly."),
        ({"email": "giver@"}, "Enter a valid email address"),
    ],
)
def test_bad_choices_come_back_with_the_reason_and_what_was_typed(
    db, client, test_mode, overrides, message
):
    data = _form(client, **overrides)
    response = client.post("/contribute", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert f'value="{data["email"]}"' in html
    assert f'name="key" value="{data["key"]}"' in html
    assert not Contribution.objects.exists()


def test_posting_without_a_csrf_token_is_refused(db, test_mode):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/contribute", _form(browser))
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_starts_are_rate_limited_per_address(db, client, test_mode, settings):
    limits = {**settings.MASTHEAD["RATE_LIMITS"], "contribute_ip": "2/m"}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}
    for _ in range(2):
        assert client.post("/contribute", _form(client)).status_code == 302
    refused = client.post("/contribute", _form(client))
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert Contribution.objects.count() == 2


def test_with_stripe_keys_the_reader_is_sent_to_stripe(db, client, fake_stripe):
    started = client.post("/contribute", _form(client, frequency="once", amount="2500"))
    assert started["Location"].startswith(f"{fake_stripe.url}/c/pay/cs_test_")
    assert len(fake_stripe.calls("POST", "/v1/checkout/sessions")) == 1
    assert Contribution.objects.get().provider == Provider.STRIPE


def test_stripe_being_down_is_explained_and_nothing_is_lost(db, client, fake_stripe):
    fake_stripe.fail_next("/v1/checkout/sessions", status=500, message="Down")
    data = _form(client)
    failed = client.post("/contribute", data)
    assert failed.status_code == 503
    assert "could not reach our payment provider" in failed.content.decode()
    retried = client.post("/contribute", data)
    assert retried.status_code == 302
    assert Contribution.objects.count() == 1
    assert len(fake_stripe.of_type("checkout.session")) == 1


def test_the_test_checkout_page_is_gone_once_stripe_is_set_up(db, client, fake_stripe):
    client.post("/contribute", _form(client))
    contribution = Contribution.objects.get()
    assert client.post(f"/contribute/test-checkout/{contribution.pk}/").status_code == 404
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PENDING


# --- monthly supporters ---------------------------------------------------------------------


def _supporter(client, reader) -> None:
    client.login(email=reader.email, password=PASSWORD)
    started = client.post("/contribute", _form(client, email=reader.email))
    client.post(started["Location"])


def test_a_monthly_supporter_can_cancel_in_test_mode_from_their_profile(
    db, client, reader, test_mode
):
    _supporter(client, reader)
    reader.refresh_from_db()
    assert reader.is_monthly_supporter
    profile = client.get("/accounts/profile/").content.decode()
    assert "Manage or cancel your monthly contribution" in profile
    portal = client.post("/contribute/manage")
    assert portal["Location"] == "/contribute/test-portal/"
    assert "€5 a month" in client.get(portal["Location"]).content.decode()
    client.post(portal["Location"])
    reader.refresh_from_db()
    assert not reader.is_monthly_supporter
    assert Contribution.objects.get().status == ContributionStatus.CANCELLED
    assert "Manage or cancel" not in client.get("/accounts/profile/").content.decode()


def test_a_monthly_supporter_is_sent_to_stripes_billing_portal(db, client, reader, fake_stripe):
    customer = fake_stripe.add("customers", {"object": "customer", "email": reader.email})
    User.objects.filter(pk=reader.pk).update(
        stripe_customer_id=customer["id"], is_monthly_supporter=True
    )
    client.login(email=reader.email, password=PASSWORD)
    portal = client.post("/contribute/manage")
    assert portal["Location"].startswith(f"{fake_stripe.url}/p/session/")
    assert client.get("/contribute/test-portal/").status_code == 404


def test_only_signed_in_readers_manage_contributions(db, client, test_mode):
    assert client.post("/contribute/manage")["Location"].startswith("/accounts/login/")
    assert client.get("/contribute/manage").status_code in {302, 405}
