"""With JavaScript on: the appeal's "Not now" lasts across pages, a monthly supporter sees the
thank-you, the contribution button says what it will do, and the thank-you page notices the
payment arriving."""

import pytest

from masthead.accounts.models import User
from masthead.revenue import services
from masthead.revenue.models import Contribution

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def no_stripe(settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "STRIPE_SECRET_KEY": "", "STRIPE_WEBHOOK_SECRET": ""}


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_not_now_hides_the_appeal_on_every_article_until_the_period_ends(
    live_server, browser, make_article
):
    first, second = make_article("Tram line vote"), make_article("Harbour dredging")
    context = browser.new_context()
    page = context.new_page()
    errors = _watch(page)
    page.goto(live_server.url + first.url)
    appeal = page.locator("[data-appeal]")
    assert appeal.is_visible()
    page.get_by_role("button", name="Not now").click()
    assert appeal.count() == 0
    page.goto(live_server.url + second.url)
    page.wait_for_load_state("load")
    assert page.locator("[data-appeal]").count() == 0
    # Once the period is over, it is back.
    page.evaluate("localStorage.setItem('masthead.appeal.hiddenUntil', String(Date.now() - 1))")
    page.reload()
    assert page.locator("[data-appeal]").is_visible()
    assert errors == []
    context.close()


def test_a_monthly_supporter_sees_thanks_instead_of_the_appeal(
    live_server, signed_in_context, make_article, reader
):
    User.objects.filter(pk=reader.pk).update(is_monthly_supporter=True)
    page = signed_in_context(reader).new_page()
    errors = _watch(page)
    page.goto(live_server.url + make_article().url)
    page.locator(".appeal--thanks").wait_for()
    assert "Thank you for your support" in page.locator("[data-appeal]").inner_text()
    assert page.locator("a.appeal__button").count() == 0
    assert errors == []


def test_the_button_follows_the_choice_and_the_test_checkout_completes(
    live_server, browser, no_stripe
):
    page = browser.new_context().new_page()
    errors = _watch(page)
    page.goto(live_server.url + "/contribute?amount=500&frequency=monthly&placement=article-top")
    button = page.locator("[data-contribute-button]")
    assert button.inner_text() == "Give €5 monthly"
    page.get_by_label("One-off").check()
    assert page.locator("[data-amounts-for=monthly]").is_hidden()
    assert button.inner_text() == "Give €5 once"
    page.get_by_label("€25").check()
    assert button.inner_text() == "Give €25 once"
    page.get_by_label("Amount in EUR").fill("12.50")
    assert button.inner_text() == "Give €12.50 once"
    page.get_by_label("Email, for your receipt").fill("giver@example.com")
    button.click()
    page.get_by_text("Test mode: no money moves").wait_for()
    page.get_by_role("button", name="Complete test payment").click()
    page.get_by_text("is confirmed").wait_for()
    contribution = Contribution.objects.get()
    assert (contribution.amount, contribution.frequency, contribution.status) == (
        1250,
        "once",
        "paid",
    )
    assert errors == []


def test_the_thank_you_page_notices_the_payment_arriving(live_server, browser, no_stripe):
    contribution, _ = services.start_checkout(
        frequency="once",
        amount=1000,
        email="giver@example.com",
        name="",
        reader=None,
        placement="direct",
        idempotency_key="browser-key",
    )
    page = browser.new_context().new_page()
    errors = _watch(page)
    page.goto(live_server.url + services.thanks_url(contribution))
    assert page.get_by_text("we are confirming your payment").is_visible()
    services.complete_test_checkout(contribution=contribution)
    page.get_by_text("is confirmed").wait_for(timeout=10_000)
    assert errors == []
