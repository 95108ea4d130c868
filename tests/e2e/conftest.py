"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Without /usr/bin/chromium these tests skip with a message, except under CI (CI=true), where a
missing browser is a failure: CI installs it, so its absence means the setup is broken.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def _require_chromium() -> None:
    if os.path.exists(CHROMIUM):
        return
    message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)."
    if os.environ.get("CI") == "true":
        pytest.fail(message + " CI must have it.")
    pytest.skip(message)


@pytest.fixture
def browser(live_server) -> Iterator[object]:
    # Function-scoped and after the live server on purpose: Playwright runs an event loop in
    # this thread, and the test database must be set up (and restored) before it starts.
    _require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's database work
    # happens in its own thread, and the test's own ORM calls are ordinary blocking calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        # While Playwright's event loop runs in this thread, Django keeps the test's database
        # connections per async context, not per thread: close them here, in that context, or
        # PostgreSQL still holds a session on the test database when pytest drops it.
        from django.db import connections

        connections.close_all()
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def signed_in_context(browser, live_server):
    """A JavaScript-enabled browser context already signed in as `user`."""
    from django.test import Client

    def make(user):  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        cookie = client.cookies["sessionid"].value
        # As a real sign-in does: the session, and the hint telling cached pages' script to
        # ask for the reader's part (masthead.accounts.signin_cookie).
        context.add_cookies(
            [
                {"name": "sessionid", "value": cookie, "url": live_server.url},
                {"name": "masthead_signed_in", "value": "1", "url": live_server.url},
            ]
        )
        return context

    return make
