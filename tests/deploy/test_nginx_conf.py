"""The shipped nginx caching rules (deploy/nginx-masthead-cache.conf), run by a real nginx on
loopback in front of the real app (pytest-django's live server), and deploy/nginx.conf checked
by `nginx -t`. Skipped where nginx is not installed."""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
INCLUDE = ROOT / "deploy" / "nginx-masthead-cache.conf"
PRODUCTION = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")
# The live server answers from another thread: its data must be committed.
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The rules as deploy/nginx.conf uses them: included in the http block after the cache path,
# in front of the app. Only the addresses and directories differ.
CONF = """\
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream masthead {{
        server {upstream};
    }}
    proxy_cache_path {tmp}/cache levels=1:2 keys_zone=masthead:1m use_temp_path=off;
    include {include};
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://masthead;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def cache(self) -> str:
        return self.headers.get("x-cache", "")


@dataclass
class Nginx:
    port: int

    def get(self, path: str, *, source: str = "127.0.0.1", **headers: str) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            connection.request("GET", path, headers={"Host": "localhost", **headers})
            response = connection.getresponse()
            body = response.read().decode()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
        finally:
            connection.close()


@pytest.fixture
def nginx(live_server) -> Iterator[Nginx]:
    # Its own directory, readable by nginx's unprivileged workers when the test runs as root.
    tmp = Path(tempfile.mkdtemp(prefix="masthead-nginx-"))
    tmp.chmod(0o755)
    for name in ("cache", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir()
        (tmp / name).chmod(0o777)
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(
        CONF.format(tmp=tmp, port=port, include=INCLUDE, upstream=live_server.url.split("//", 1)[1])
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                error = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"nginx did not start: {error}{(tmp / 'error.log').read_text()}")
            time.sleep(0.05)
        yield Nginx(port)
    finally:
        process.terminate()
        process.wait(timeout=15)
        shutil.rmtree(tmp, ignore_errors=True)


def headline(answer: Answer) -> str:
    match = re.search(r'data-part="headline"[^>]*>(.*?)<', answer.body, re.DOTALL)
    assert match, answer.body[:500]
    return match.group(1).strip()


@LIVE
def test_a_second_anonymous_reader_gets_the_stored_page(nginx, make_article):
    article = make_article("Tram line reopens")
    first = nginx.get(article.url)
    assert first.status == 200
    assert first.cache == "MISS"
    assert "s-maxage=" in first.headers["cache-control"]
    second = nginx.get(article.url)
    assert second.cache == "HIT"
    assert second.body == first.body
    # The app's surrogate keys stay between it and the cache.
    assert "surrogate-key" not in second.headers and "cache-tag" not in second.headers
    assert second.headers["cache-control"] == first.headers["cache-control"]


@LIVE
def test_a_signed_in_reader_gets_the_same_stored_page(nginx, make_article, reader):
    article = make_article("Tram line reopens")
    anonymous = nginx.get(article.url)
    browser = Client()
    browser.force_login(reader)
    session = browser.cookies["sessionid"].value
    signed_in = nginx.get(article.url, Cookie=f"sessionid={session}; masthead_signed_in=1")
    assert signed_in.cache == "HIT"
    assert signed_in.body == anonymous.body
    assert reader.display_name not in signed_in.body


@LIVE
def test_a_request_with_authorization_goes_past_the_cache(nginx, make_article):
    article = make_article("Tram line reopens")
    nginx.get(article.url)
    assert nginx.get(article.url).cache == "HIT"
    with_token = nginx.get(article.url, Authorization="Bearer not-a-real-token")
    assert with_token.cache == "BYPASS"


@LIVE
def test_responses_not_marked_public_are_never_stored(nginx, make_article):
    article = make_article("Tram line reopens")
    # JSON without a Surrogate-Key, a page that sets a cookie, a reader's personal thread page.
    for path in ("/api/v1/articles", "/accounts/login/", f"/comments/{article.pk}/"):
        first = nginx.get(path)
        again = nginx.get(path)
        assert first.status == 200, path
        assert again.cache in {"MISS", "EXPIRED"}, (path, again.cache, again.headers)


@LIVE
def test_a_refresh_from_a_trusted_address_replaces_the_stored_page(nginx, make_article):
    article = make_article("Tram line reopens")
    nginx.get(article.url)
    assert headline(nginx.get(article.url)) == "Tram line reopens"

    article.title = "Tram line reopens on Monday"
    article.save_revision().publish()
    stale = nginx.get(article.url)
    assert stale.cache == "HIT" and headline(stale) == "Tram line reopens"

    # From anyone else the header changes nothing.
    other = nginx.get(article.url, source="127.0.0.2", **{"X-Masthead-Refresh": "1"})
    assert other.cache == "HIT" and headline(other) == "Tram line reopens"

    refresh = nginx.get(article.url, **{"X-Masthead-Refresh": "1"})
    assert refresh.cache == "BYPASS"
    assert headline(refresh) == "Tram line reopens on Monday"
    after = nginx.get(article.url)
    assert after.cache == "HIT" and headline(after) == "Tram line reopens on Monday"


def test_the_production_config_is_valid_nginx(tmp_path):
    """deploy/nginx.conf as shipped, with only its machine-specific paths moved into a
    temporary directory (a self-signed certificate stands in for Let's Encrypt's)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=news.example.org",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    text = PRODUCTION.read_text()
    replacements = {
        "/etc/letsencrypt/live/news.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/news.example.org/privkey.pem": str(key),
        "/var/cache/nginx/masthead": str(tmp_path / "cache"),
        "/etc/nginx/nginx-masthead-cache.conf": str(INCLUDE),
        "/run/nginx.pid": str(tmp_path / "nginx.pid"),
        "/var/log/nginx/": f"{tmp_path}/",
        # Dynamic modules load relative to the prefix; the config needs none of them.
        "include /etc/nginx/modules-enabled/*.conf;": "",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
