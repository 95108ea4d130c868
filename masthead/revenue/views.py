"""Readers' side of contributions: the contribution page, the thank-you page, the monthly
supporter's "manage" link and the test-mode provider's pages. Thin: read the request, call
`masthead.revenue.services`, render or redirect."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masthead.core.ratelimit import client_ip, hit
from masthead.core.sessions import signed_in_user
from masthead.revenue import services
from masthead.revenue.models import AppealSettings, Contribution, Frequency
from masthead.revenue.services import CheckoutError


def _amount_from_query(value: str | None) -> int | None:
    try:
        amount = int(value or "")
    except ValueError:
        return None
    return amount if amount > 0 else None


def _custom_amount(text: str) -> int:
    """ "12", "12.50" or "12,50" in whole currency units to minor units."""
    cleaned = text.strip().replace(" ", "").replace("€", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CheckoutError("Enter an amount like 15 or 12.50.", "amount") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise CheckoutError("Enter an amount like 15 or 12.50.", "amount")
    return int(value * 100)


def _choice(request: HttpRequest, appeal: AppealSettings) -> dict[str, object]:
    """What the page starts with: the appeal link's choice, else the appeal's suggestion."""
    data = request.POST if request.method == "POST" else request.GET
    frequency = data.get("frequency")
    if frequency not in Frequency.values:
        frequency = appeal.suggested_frequency
    if request.method == "POST":
        preset = data.get("amount", "")
        custom = data.get("custom_amount", "").strip()
        amount = _amount_from_query(preset) if preset != "other" else None
    else:
        amount = _amount_from_query(data.get("amount")) or appeal.suggested_amount * 100
        custom = ""
        if amount not in services.presets(frequency):
            custom = f"{amount / 100:.2f}" if amount % 100 else str(amount // 100)
            amount = None
    return {"frequency": frequency, "amount": amount, "custom": custom}


def _shown_amount(choice: dict[str, object]) -> str:
    amount = choice["amount"]
    if not amount and choice["custom"]:
        try:
            amount = _custom_amount(str(choice["custom"]))
        except CheckoutError:
            amount = None
    return services.format_money(int(amount)) if amount else ""


@never_cache
@require_http_methods(["GET", "POST"])
def contribute(request: HttpRequest) -> HttpResponse:
    appeal = AppealSettings.for_request(request)
    reader = signed_in_user(request)
    choice = _choice(request, appeal)
    data = request.POST if request.method == "POST" else request.GET
    error: CheckoutError | None = None
    status = 200
    if request.method == "POST":
        if not hit("contribute_ip", client_ip(request)).allowed:
            error, status = (
                CheckoutError(
                    "Too many attempts from your connection. Please wait a minute and try again."
                ),
                429,
            )
        else:
            try:
                amount = _custom_amount(choice["custom"]) if choice["custom"] else choice["amount"]
                if not amount:
                    raise CheckoutError("Choose an amount, or enter your own.", "amount")
                _, url = services.start_checkout(
                    frequency=data.get("frequency", ""),
                    amount=amount,
                    email=data.get("email", ""),
                    name=data.get("name", ""),
                    reader=reader,
                    placement=data.get("placement", ""),
                    idempotency_key=data.get("key", ""),
                )
                return redirect(url)
            except CheckoutError as failed:
                error, status = failed, 400 if failed.field else 503
    email = data.get("email", reader.email if reader and request.method == "GET" else "")
    name = data.get("name", reader.public_name if reader and request.method == "GET" else "")
    context = {
        "appeal": appeal,
        "error": error,
        "choice": choice,
        "email": email,
        "name": name,
        "placement": services.clean_placement(data.get("placement", "")),
        # Made once per rendered form: a double-submit or retry starts one checkout.
        "key": data.get("key") if request.method == "POST" else secrets.token_urlsafe(24),
        "frequencies": [
            {
                "value": value,
                "label": label,
                "presets": [
                    {"value": p, "label": services.format_money(p)} for p in services.presets(value)
                ],
            }
            for value, label in Frequency.choices
        ],
        "currency": services.currency(),
        "minimum": services.format_money(services.amount_limits()[0]),
        "maximum": services.format_money(services.amount_limits()[1]),
        "button_amount": _shown_amount(choice),
        "cancelled": "cancelled" in request.GET,
        "test_mode": services.test_mode(),
    }
    return render(request, "revenue/contribute.html", context, status=status)


@never_cache
@require_GET
def thanks(request: HttpRequest, contribution_id: uuid.UUID) -> HttpResponse:
    contribution = get_object_or_404(Contribution, pk=contribution_id)
    if request.GET.get("format") == "json":
        response = JsonResponse({"paid": contribution.is_paid, "status": contribution.status})
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "revenue/thanks.html",
        {
            "contribution": contribution,
            "amount": services.format_money(contribution.amount, contribution.currency),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def test_checkout(request: HttpRequest, contribution_id: uuid.UUID) -> HttpResponse:
    contribution = services.test_contribution(contribution_id)
    if contribution is None:
        raise Http404("No test checkout here.")
    if request.method == "POST":
        services.complete_test_checkout(contribution=contribution)
        return redirect(services.thanks_url(contribution))
    return render(
        request,
        "revenue/test_checkout.html",
        {
            "contribution": contribution,
            "amount": services.format_money(contribution.amount, contribution.currency),
        },
    )


@never_cache
@login_required
@require_POST
def manage(request: HttpRequest) -> HttpResponse:
    try:
        return redirect(services.billing_portal_url(request.user))
    except CheckoutError as failed:
        messages.error(request, failed.message)
        return redirect("profile")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def test_portal(request: HttpRequest) -> HttpResponse:
    if not services.test_mode():
        raise Http404("No test portal here.")
    if request.method == "POST":
        ended = services.cancel_test_subscriptions(reader=request.user)
        if ended:
            messages.success(
                request, "Your monthly contribution is cancelled. Thank you for your support."
            )
        return redirect("profile")
    active = Contribution.objects.filter(reader=request.user).active_monthly()
    return render(
        request,
        "revenue/test_portal.html",
        {
            "active": [(c, services.format_money(c.amount, c.currency)) for c in active],
        },
    )
