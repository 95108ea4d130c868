"""Project-wide checks: migrations, one <h1> per public page, staff pages refuse outsiders."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command


def test_no_pending_migrations(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exit_:  # makemigrations --check exits 1 when changes are missing
        pytest.fail(f"Missing migrations:\n{out.getvalue()}\n(exit {exit_.code})")


@pytest.fixture
def public_urls(home, section, make_article, author, make_photo):
    article = make_article(
        "A story", authors=[author], tags=["weather"], lead_photo=make_photo("Clouds")
    )
    return [
        home.url,
        section.url,
        article.url,
        "/tags/weather/",
        author.get_absolute_url(),
        "/contribute",
        "/corrections/",
        "/search/",
        "/search/?q=story",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        f"/comments/{article.pk}/",
        "/no-such-page/",
    ]


def _inline_code(html: bytes) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = [
        str(tag)[:80]
        for tag in soup.find_all("script")
        if not tag.get("src") and tag.get("type") not in {"application/json", "application/ld+json"}
    ]
    found += [str(tag)[:80] for tag in soup.find_all("style")]
    found += [str(tag)[:80] for tag in soup.find_all(style=True)]
    found += [
        f"{tag.name} {attr}"
        for tag in soup.find_all(True)
        for attr in tag.attrs
        if attr.startswith("on")
    ]
    return found


def test_no_public_page_carries_inline_script_or_style(client, public_urls, reader):
    """The Content-Security-Policy forbids them; they would silently not run."""
    for url in public_urls:
        assert _inline_code(client.get(url).content) == [], url
    client.force_login(reader)
    for url in public_urls:
        assert _inline_code(client.get(url).content) == [], f"{url} (signed in)"
    assert _inline_code(client.get("/accounts/profile/").content) == []


def test_every_public_page_has_exactly_one_h1(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        soup = BeautifulSoup(response.content, "html.parser")
        assert len(soup.find_all("h1")) == 1, f"{url} has {len(soup.find_all('h1'))} <h1>"


def test_every_public_page_has_landmarks_and_a_language(client, public_urls):
    for url in public_urls[:6]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert soup.html["lang"] == "en", url
        assert soup.find("main") and soup.find("header") and soup.find("footer"), url
        for img in soup.find_all("img"):
            assert img.has_attr("alt"), f"{url}: {img}"


STAFF_URLS = [
    "/cms/",
    "/cms/pages/",
    "/cms/images/",
    "/cms/snippets/",
    "/moderation/",
    "/moderation/queue/reported/",
    "/moderation/log/",
    "/moderation/dashboard/",
    "/revenue/",
    "/revenue/contributions.csv",
]


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_urls_refuse_anonymous_and_readers(client, reader, url):
    assert client.get(url).status_code in {302, 403}
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "/login/" in response["Location"]


def test_every_static_file_named_in_a_template_exists():
    """Production's hashed static storage refuses to render a page naming a missing file."""
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    import masthead

    named = set()
    for template in Path(masthead.__file__).parent.rglob("templates/**/*.html"):
        named |= set(re.findall(r"""\{%\s*static\s+['"]([^'"]+)['"]""", template.read_text()))
    assert named, "expected templates to name static files"
    missing = sorted(path for path in named if not finders.find(path))
    assert missing == []
