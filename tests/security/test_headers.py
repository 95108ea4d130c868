"""Security headers on every kind of response, and pages that need no inline code.

The public policy has no 'unsafe-inline' and no nonce: pages are cached whole for every reader,
so they ship no inline script or style at all, which the second half of this file checks.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from masthead.community import services as community

STRICT_DIRECTIVES = {
    "default-src": "'self'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
    "base-uri": "'self'",
}


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response, *, staff: bool = False) -> None:
    path = response.request["PATH_INFO"]
    assert response.status_code < 500, path
    directives = policy(response)
    for name, source in STRICT_DIRECTIVES.items():
        assert directives.get(name) == [source], (path, name, directives.get(name))
    if not staff:
        for name, sources in directives.items():
            loose = [s for s in sources if "unsafe" in s or s.startswith(("'nonce-", "'sha"))]
            assert not loose, (path, name, loose)
    assert response.headers.get("X-Frame-Options") == "DENY", path
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", path
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", path
    permissions = response.headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions, (path, permissions)


@pytest.fixture
def world(make_article, reader, moderator):
    article = make_article(tags=["Transport"])
    comment = community.post_comment(author=reader, article=article, body="First, a question.")
    return article, comment


def public_paths(article) -> list[str]:
    return [
        "/",
        article.url,
        article.get_parent().url,
        "/tags/transport/",
        "/contribute",
        "/corrections/",
        "/search/?q=tram",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/api/v1/articles",
        f"/api/v1/articles/{article.pk}/comments",
        "/api/v1/openapi.json",
        "/api/v1/no-such-thing",
        "/no-such-page/",
    ]


def test_every_kind_of_public_response_carries_the_headers(client, world):
    article, _ = world
    for path in public_paths(article):
        assert_security_headers(client.get(path))
    # A page served from the page cache carries them too.
    first, second = client.get(article.url), client.get(article.url)
    assert second.headers.get("X-Cache") == "HIT"
    assert_security_headers(first)
    assert_security_headers(second)


def test_refusals_and_webhooks_carry_the_headers(client, world, settings):
    article, _ = world
    settings.MASTHEAD = {**settings.MASTHEAD, "STRIPE_WEBHOOK_SECRET": "whsec_test_headers"}
    assert_security_headers(client.post("/webhooks/stripe", data=b"{}", content_type="x/y"))
    assert_security_headers(client.get("/moderation/"))
    assert_security_headers(client.post(f"/api/v1/articles/{article.pk}/comments", {}))


def test_signed_in_and_staff_pages_carry_the_headers(world, reader, moderator, editor):
    article, _ = world
    as_reader = Client()
    as_reader.force_login(reader)
    for path in (f"/comments/{article.pk}/", "/accounts/profile/", "/api/v1/me/page-state"):
        assert_security_headers(as_reader.get(path))
    as_moderator = Client()
    as_moderator.force_login(moderator)
    assert_security_headers(as_moderator.get("/moderation/"))
    as_editor = Client()
    as_editor.force_login(editor)
    # Wagtail's admin still needs inline code; framing and plugins stay refused there too.
    assert_security_headers(as_editor.get("/cms/"), staff=True)


class InlineCode(HTMLParser):
    """Collects every piece of inline script or style a page would need the CSP to allow."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attributes = dict(attrs)
        # JSON data islands are not executed, so the policy needs nothing for them.
        data_island = attributes.get("type") in {"application/json", "application/ld+json"}
        if tag == "script" and not attributes.get("src") and not data_island:
            self._in = "script"
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name == "style":
                self.found.append(f"<{tag} style>")
            if name in {"href", "src", "action"} and (value or "").lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:>")

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in == "script" and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "script":
            self._in = None


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_inline_code_finder_can_fail():
    html = '<p style="x" onclick="y"><script>alert(1)</script><style>p{}</style></p>'
    assert len(inline_code(html)) == 4


def test_public_and_reader_pages_ship_no_inline_script_or_style(client, world, reader):
    article, _ = world
    pages = [p for p in public_paths(article) if not p.startswith(("/api/", "/feed", "/s"))]
    signed_in = Client()
    signed_in.force_login(reader)
    for browser, path in [(client, p) for p in pages] + [
        (signed_in, f"/comments/{article.pk}/"),
        (signed_in, "/accounts/profile/"),
    ]:
        response = browser.get(path)
        if "html" not in response.headers.get("Content-Type", ""):
            continue
        assert inline_code(response.content.decode()) == [], path


def test_the_moderation_desk_ships_no_inline_script_or_style(world, moderator):
    _, comment = world
    desk = Client()
    desk.force_login(moderator)
    for path in (
        "/moderation/queue/reported/",
        "/moderation/queue/pending/",
        "/moderation/queue/recent/",
        f"/moderation/comment/{comment.pk}/",
        "/moderation/log/",
        "/moderation/dashboard/",
        "/revenue/",
    ):
        response = desk.get(path)
        assert response.status_code in {200, 403}, path
        assert inline_code(response.content.decode()) == [], path


def test_a_body_over_the_size_limit_is_refused_in_json_on_the_api(client, world, reader, settings):
    article, _ = world
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(reader)
    response = client.post(
        f"/api/v1/articles/{article.pk}/comments",
        data='{"body": "' + "x" * 5000 + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert_security_headers(response)
