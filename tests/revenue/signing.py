"""Sign webhook bodies the way Stripe does, so tests go through the real verification.

Stripe sends `Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with
the endpoint's signing secret. Written out here rather than borrowed from the `stripe` library,
so that a test checks our view against the documented scheme and not the library against itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

TEST_WEBHOOK_SECRET = "whsec_test_masthead_0123456789abcdef"


def signature_header(payload: bytes | str, secret: str = TEST_WEBHOOK_SECRET, *, at=None) -> str:
    body = payload.decode() if isinstance(payload, bytes) else payload
    timestamp = int(time.time() if at is None else at)
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def encode(event: dict[str, Any]) -> bytes:
    """The body as Stripe sends it: pretty-printed JSON (verification is over these bytes)."""
    return json.dumps(event, indent=2).encode()
