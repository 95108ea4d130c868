"""A reader follows the appeal on an article to the contribution page (amount and frequency
pre-chosen), weighs one-off against monthly, pays on the test-mode checkout (no Stripe keys), is
thanked; then an admin opens the revenue dashboard and finds the contribution there."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from masthead.revenue.models import Contribution, Payment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_from_the_appeal_to_the_revenue_dashboard(
    live_server, browser, signed_in_context, make_article, admin, settings
):
    settings.MASTHEAD = {**settings.MASTHEAD, "STRIPE_SECRET_KEY": "", "STRIPE_WEBHOOK_SECRET": ""}
    article = make_article("Harbour wall to be rebuilt after the storms")
    errors: list[str] = []

    def watch(page) -> None:  # type: ignore[no-untyped-def]
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )

    # --- An anonymous reader follows the appeal at the top of the article. -----------------
    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = reader_context.new_page()
    watch(page)
    page.goto(live_server.url + article.url)
    appeal = page.locator("aside[data-appeal]")
    assert appeal.count() == 1
    appeal.get_by_role("link", name="Support our reporting").click()

    # --- The contribution page starts with the appeal's suggestion: €10 a month. ------------
    page.wait_for_url("**/contribute?*")
    assert "placement=article-top" in page.url
    form = page.locator("form[data-contribute-form]")
    button = form.locator("[data-contribute-button]")
    assert form.get_by_label("Monthly").is_checked()
    assert form.locator("[data-amounts-for=monthly] input[value='1000']").is_checked()
    assert button.inner_text() == "Give €10 monthly"

    # Once instead? The same amount carries over; another preset is one click away.
    form.get_by_label("One-off").check()
    assert button.inner_text() == "Give €10 once"
    assert form.locator("[data-amounts-for=monthly]").is_hidden()
    form.locator("[data-amounts-for=once]").get_by_label("€25").check()
    assert button.inner_text() == "Give €25 once"

    # Monthly after all.
    form.get_by_label("Monthly").check()
    form.locator("[data-amounts-for=monthly]").get_by_label("€10").check()
    assert button.inner_text() == "Give €10 monthly"
    form.get_by_label("Email, for your receipt").fill("lena.giver@example.com")
    form.get_by_label("Your name (optional)").fill("Lena")
    button.click()

    # --- Test mode: a clearly labelled practice checkout, then the thank-you. ---------------
    page.wait_for_url("**/contribute/test-checkout/**")
    assert "Test mode: no money moves." in page.inner_text("main")
    assert "€10 every month" in page.inner_text("h1 + .lede")
    page.get_by_role("button", name="Complete test payment").click()
    page.wait_for_url("**/contribute/thanks/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your support"
    assert page.locator("[data-thanks=paid]").is_visible()

    contribution = Contribution.objects.get()
    assert (contribution.frequency, contribution.amount, contribution.currency) == (
        "monthly",
        1000,
        "EUR",
    )
    assert (contribution.status, contribution.provider, contribution.placement) == (
        "paid",
        "test",
        "article-top",
    )
    assert Payment.objects.filter(contribution=contribution, amount=1000).count() == 1

    # --- An admin opens the revenue dashboard and finds it. ---------------------------------
    admin_context = signed_in_context(admin)
    desk = admin_context.new_page()
    watch(desk)
    desk.goto(live_server.url + "/revenue/")
    figures = desk.locator('dl[data-currency="EUR"]')
    assert figures.locator('[data-figure="net"]').inner_text() == "€10.00"
    assert figures.locator('[data-figure="monthly"]').inner_text() == "€10.00"
    assert figures.locator('[data-figure="mrr"]').inner_text() == "€10.00"
    assert figures.locator('[data-figure="monthly-supporters"]').inner_text() == "1"
    top = desk.locator('tr[data-placement="article-top"]')
    assert top.locator("th").inner_text() == "Top of the article"
    assert [cell.inner_text() for cell in top.locator("td").all()] == [
        "1",
        "1",
        "100%",
        "€10.00",
    ]
    summary = admin_context.request.get(live_server.url + "/api/v1/revenue/summary").json()
    assert (summary["count"], summary["totals"], summary["monthly_recurring"]) == (
        1,
        {"EUR": 1000},
        {"EUR": 1000},
    )
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Contributions as CSV").click()
    exported = Path(download.value.path()).read_text()
    assert str(contribution.pk) in exported and "lena.giver@example.com" in exported

    screenshots = Path(django_settings.VAR_DIR) / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(screenshots / "revenue-dashboard.png"), full_page=True)
    assert errors == []
    reader_context.close()
    admin_context.close()
