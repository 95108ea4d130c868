"""Revenue fixtures: the fake Stripe server, with the real `stripe` library pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stripe

from tests.revenue.fake_stripe import FakeStripe

TEST_SECRET_KEY = "sk_test_masthead_fake"


@pytest.fixture
def fake_stripe(settings, monkeypatch) -> Iterator[FakeStripe]:
    """A fresh fake Stripe on a free port; Masthead's settings and the `stripe` module's globals
    point at it, so code using either a `StripeClient` or `stripe.*` reaches it."""
    from tests.revenue.signing import TEST_WEBHOOK_SECRET  # helper E's webhook signing

    server = FakeStripe().start()
    settings.MASTHEAD = {
        **settings.MASTHEAD,
        "STRIPE_SECRET_KEY": TEST_SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": TEST_WEBHOOK_SECRET,
        "STRIPE_API_BASE": server.url,
    }
    monkeypatch.setattr(stripe, "api_base", server.url)
    monkeypatch.setattr(stripe, "api_key", TEST_SECRET_KEY)
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def test_mode(settings) -> None:
    """No Stripe keys: the local test-mode provider takes contributions (no money moves)."""
    settings.MASTHEAD = {
        **settings.MASTHEAD,
        "STRIPE_SECRET_KEY": "",
        "STRIPE_WEBHOOK_SECRET": "",
    }
