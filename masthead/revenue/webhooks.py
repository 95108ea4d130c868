"""Stripe's webhook: the one view without CSRF, because the signature proves who sent it."""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masthead.revenue.payments import handle_event

logger = logging.getLogger(__name__)


def webhook_secret() -> str:
    return settings.MASTHEAD.get("STRIPE_WEBHOOK_SECRET", "")


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    secret = webhook_secret()
    if not secret:
        # 503, not 400: Stripe retries for days, so events sent before the secret was set
        # still arrive once it is.
        return HttpResponse(
            "Stripe webhooks are not set up on this site: set STRIPE_WEBHOOK_SECRET.",
            status=503,
            content_type="text/plain",
        )
    payload = request.body  # the raw bytes: the signature covers them exactly
    try:
        stripe.Webhook.construct_event(payload, request.headers.get("Stripe-Signature"), secret)
    except stripe.SignatureVerificationError:
        logger.warning("Stripe webhook refused: bad or missing signature")
        return HttpResponse("Bad signature.", status=400, content_type="text/plain")
    except (ValueError, AttributeError):  # signed, but not JSON or not an event
        return HttpResponse("Not a Stripe event.", status=400, content_type="text/plain")
    event = json.loads(payload)
    data = event.get("data") if isinstance(event, dict) and "id" in event else None
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict) or not event["id"]:
        return HttpResponse("Not a Stripe event.", status=400, content_type="text/plain")
    new = handle_event(event)
    return JsonResponse({"received": True, "duplicate": not new})
