"""Throughput: the anonymous article page, the uncached render against stock Wagtail, comments.

Part of `make bench` (bench/run.py), or alone:
`.venv/bin/python bench/throughput.py [--quick] [--only article,render,comments]`.

1. article: one article page of the demo newsroom (var/bench/), anonymous, from
   `masthead serve --workers 2` (production settings) answering from its own page cache; through
   nginx running the shipped caching rules (deploy/nginx-masthead-cache.conf, included the way
   deploy/nginx.conf includes it, only its cache directory moved into a temporary one); and the
   same bytes as a static file from nginx: the ceiling.
2. render: the same page with the page cache off (`MASTHEAD_PAGE_CACHE=0`), built on every
   request, against the home page of a stock Wagtail project (`wagtail start` in
   var/bench/stock-wagtail: its production settings, SQLite, default home page) served by granian
   with the flags `masthead serve` uses.
3. comments: posting and reading a thread, Masthead against Isso (bench/comments.py).
4. pageview: the small requests every page view sends to the app, past any CDN, from the same
   `masthead serve` as part 1: the "most read" beacon (POST /reads/<id>), a house-ad impression
   beacon (POST /ads/impressions/<id>), a signed-in reader's page state
   (GET /api/v1/me/page-state?article=<id> with a session cookie) and the live comment counter
   (GET /api/v1/articles/<id>/comments/live). Beacons carry what a browser's sendBeacon sends:
   a browser User-Agent (a missing or robot one is answered without counting), no cookie, no
   CSRF token (the views are exempt). The per-address limits on reads and impressions are
   lifted for the run (MASTHEAD_RATE_READ_IP, MASTHEAD_RATE_AD_IMPRESSION_IP), or one address
   would measure the 429 path.

Every request kind also gets a cost: machine time per request = cores x 1000 / req/s (ms), with
wrk on the same cores (so an upper bound on the app's own share); under `costs`, for
deploy/SCALE.md's arithmetic.

Prints a table with the issue's goals; alone, writes bench/results/throughput.json.
`--only` picks parts (pageview needs the app of part 1 only, not article's nginx).
Loopback only; every process started here is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import comments
import common
from common import HOST, RESULTS_DIR, ROOT, VAR_DIR, WORKERS, BenchError, Wrk, fail, say

from masthead.core.management.commands import serve as masthead_serve

PARTS = ("article", "render", "comments", "pageview")
CACHE_INCLUDE = ROOT / "deploy" / "nginx-masthead-cache.conf"
DEPLOY_CONF = ROOT / "deploy" / "nginx.conf"
STOCK_NAME = "stockbench"
QUICK_READERS = 40  # bench readers with tokens for the comments part in --quick

SESSION_READERS = 20  # signed-in readers whose session cookies the page-state run rotates over
# What a browser sends with sendBeacon and fetch: counters ignore robots (no User-Agent counts).
BROWSER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# Per-address limits (60 reads and 120 impressions a minute) lifted: wrk is one address.
BEACON_RATE_ENV = {
    "MASTHEAD_RATE_READ_IP": "1000000000/m",
    "MASTHEAD_RATE_AD_IMPRESSION_IP": "1000000000/m",
}
COST_LABEL = "machine time per request, wrk on the same cores"

# Goals from the issue.
GOAL_NGINX_OVER_STATIC = 0.9
GOAL_CACHED_OVER_STOCK = 10.0
GOAL_UNCACHED_OVER_STOCK = 1.0

NGINX_CONF = """\
daemon off;
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
{temp_paths}
    types {{ text/html html; }}
    default_type text/html;

    # The ceiling: the article's bytes as a static file.
    server {{
        listen {host}:{static_port};
        root {tmp}/www;
        location / {{ try_files /article.html =404; }}
    }}
{proxy}}}
"""

NGINX_PROXY = """
    # The shipped caching rules in front of the app: {include_name}, as deploy/nginx.conf
    # includes it (only the cache directory moved to this run's temporary one).
{cache_path}    include {include};

    upstream masthead_bench_app {{
        server {host}:{app_port};
        keepalive 64;
    }}
    server {{
        listen {host}:{proxy_port};
        # As in deploy/nginx.conf: everything else comes from the included rules.
        location / {{
            proxy_pass http://masthead_bench_app;
        }}
    }}
"""

STOCK_LOCAL_SETTINGS = """\
# Written by bench/throughput.py: the two values a production start needs. Everything else is
# the project template's own (settings/production.py imports this file last).
SECRET_KEY = {secret!r}
ALLOWED_HOSTS = [{host!r}]
"""


# --- Figures --------------------------------------------------------------------------------


def rate(figures: dict | None) -> float:
    return float(figures["requests_per_s"]) if figures and "requests_per_s" in figures else 0.0


def ratio(top: dict | None, bottom: dict | None) -> float | None:
    if not rate(top) or not rate(bottom):
        return None
    return round(rate(top) / rate(bottom), 3)


def verdict(value: float | None, goal: float, text: str) -> str:
    if value is None:
        return f"{text}: not measured"
    return f"{'PASS' if value >= goal else 'FAIL'} ({text})"


def cache_headers(headers: dict[str, str]) -> dict[str, str]:
    wanted = ("cache-control", "x-cache", "age", "surrogate-key", "cache-tag", "set-cookie")
    return {k: v for k, v in headers.items() if k in wanted or "cache" in k}


# --- The article: app, nginx with the shipped rules, nginx static ------------------------------


def article_path(port: int) -> tuple[str, int]:
    """The newest story's path and id (GET /api/v1/articles lists it first)."""
    status, _, body = common.get(port, "/api/v1/articles?limit=1")
    if status != 200:
        fail(f"GET /api/v1/articles answered {status}")
    items = json.loads(body).get("items") or []
    if not items:
        fail("the demo newsroom has no articles (GET /api/v1/articles is empty)")
    parts = urlsplit(items[0]["url"])
    return parts.path + (f"?{parts.query}" if parts.query else ""), int(items[0]["id"])


def fetch_page(port: int, path: str, log: Path | None = None) -> tuple[dict[str, str], bytes]:
    status, headers, page = common.get(port, path)
    if status != 200:
        fail(
            f"GET {path} answered {status}, not 200"
            + (f"; log:\n{common.tail(log)}" if log else "")
        )
    return headers, page


def cache_rules(include: Path, tmp: Path) -> tuple[str, Path]:
    """The shipped include, copied with its cache directory moved into `tmp`, and the
    `proxy_cache_path` line to add when the include leaves that to deploy/nginx.conf."""
    text = include.read_text()
    cache_dir = tmp / "nginx-cache"

    def moved(match: re.Match[str]) -> str:
        return f"proxy_cache_path {cache_dir} {match.group(2)};"

    pattern = re.compile(r"^[ \t]*proxy_cache_path\s+(\S+)\s+([^;]*);", re.MULTILINE)
    copy = tmp / include.name
    if pattern.search(text):
        copy.write_text(pattern.sub(moved, text))
        return "", copy
    copy.write_text(text)
    deploy = DEPLOY_CONF.read_text() if DEPLOY_CONF.exists() else ""
    if match := pattern.search(deploy):
        return f"    {moved(match)}\n", copy
    zone = re.search(r"^\s*proxy_cache\s+(\w+)\s*;", text, re.MULTILINE)
    name = zone.group(1) if zone else "masthead"
    line = f"proxy_cache_path {cache_dir} levels=1:2 keys_zone={name}:10m use_temp_path=off;"
    return f"    {line}\n", copy


def nginx_config(
    nginx: str,
    tmp: Path,
    page: bytes,
    static_port: int,
    proxy: tuple[Path, int, int] | None,
) -> Path:
    """One nginx, two servers: the static file, and (with `proxy` = (include, app port, proxy
    port)) the app behind the shipped caching rules. Same workers, same http settings."""
    www = tmp / "www"
    www.mkdir(exist_ok=True)
    (www / "article.html").write_bytes(page)
    www.chmod(0o755)
    (www / "article.html").chmod(0o644)
    proxy_text = ""
    if proxy:
        include, app_port, proxy_port = proxy
        cache_path, copy = cache_rules(include, tmp)
        proxy_text = NGINX_PROXY.format(
            include_name=common.shown(include),
            include=copy,
            cache_path=cache_path,
            host=HOST,
            app_port=app_port,
            proxy_port=proxy_port,
        )
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            tmp=tmp,
            host=HOST,
            static_port=static_port,
            temp_paths=common.nginx_temp_paths(nginx, tmp),
            proxy=proxy_text,
        )
    )
    return conf


def measure_article(
    wrk: Wrk, nginx: str, port: int, path: str, tmp: Path, include: Path | None, log: Path
) -> dict:
    first, _ = fetch_page(port, path, log)
    headers, page = fetch_page(port, path, log)
    result: dict = {
        "path": path,
        "bytes": len(page),
        "app_headers_first": cache_headers(first),
        "app_headers": cache_headers(headers),
        "app_cache_hit": headers.get("x-cache", "").upper().startswith("HIT"),
    }
    if "set-cookie" in headers:
        say(f"warning: the article page sets a cookie: {headers['set-cookie']}")
    if not result["app_cache_hit"]:
        say(
            "warning: the second request for the article was not served from the page cache "
            f"(X-Cache: {headers.get('x-cache', 'absent')})"
        )
    static_port = common.free_port(port)
    proxy_port = common.free_port(port, static_port)
    proxy = (include, port, proxy_port) if include else None
    conf = nginx_config(nginx, tmp, page, static_port, proxy)
    process = None
    try:
        process = common.start_nginx(nginx, tmp, conf)
        common.wait_until_answers(static_port, "/", process, tmp / "nginx-error.log")
        if common.get(static_port, path)[2] != page:
            fail("nginx does not serve the same bytes as masthead")
        if include:
            through = [common.get(proxy_port, path) for _ in range(3)]
            if through[-1][0] != 200:
                fail(f"GET {path} through nginx answered {through[-1][0]}")
            result["nginx_headers"] = [cache_headers(h) for _, h, _ in through]
            result["nginx_same_bytes"] = through[-1][2] == page
            status = through[-1][1].get("x-cache", "absent")
            result["nginx_cache_hit"] = status.upper().startswith("HIT")
            if not result["nginx_cache_hit"]:
                say(f"warning: nginx did not serve the article from its cache (X-Cache: {status})")
        result["static"] = wrk.run("nginx static file", f"http://{HOST}:{static_port}{path}")
        if include:
            result["nginx_config"] = wrk.run(
                "nginx, shipped caching rules", f"http://{HOST}:{proxy_port}{path}"
            )
        else:
            result["nginx_config"] = {"skipped": f"{common.shown(CACHE_INCLUDE)} not found"}
            say(f"skipping the nginx-config run: {common.shown(CACHE_INCLUDE)} not found")
        result["app_cached"] = wrk.run("masthead, page cache", f"http://{HOST}:{port}{path}")
    finally:
        common.stop(process, "nginx", signal.SIGQUIT)
    return result


# --- Uncached render and stock Wagtail ----------------------------------------------------------


def granian_command(port: int, static_root: Path, app: str, extra: list[str]) -> list[str]:
    """The flags `masthead serve` gives granian (masthead/core/management/commands/serve.py)."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
        "--blocking-threads",
        str(masthead_serve.DEFAULT_THREADS),
        "--workers-kill-timeout",
        masthead_serve.WORKERS_KILL_TIMEOUT,
        "--backlog",
        masthead_serve.BACKLOG,
        "--no-ws",
        "--static-path-route",
        "/static",
        "--static-path-mount",
        str(static_root),
        "--static-path-expires",
        masthead_serve.STATIC_EXPIRES,
        *extra,
        app,
    ]


def stock_env(project: Path) -> dict[str, str]:
    env = common.masthead_env(production=False)
    for name in ("MASTHEAD_VAR_DIR", "DEBUG"):
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = f"{STOCK_NAME}.settings.production"
    env["PYTHONPATH"] = str(project)
    return env


def stock_project(workdir: Path) -> Path:
    """A project made by `wagtail start` (the Wagtail installed here), migrated, its static
    files collected; made once and reused."""
    project = workdir / "stock-wagtail"
    ready = project / ".bench-ready"
    if ready.exists():
        return project
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    wagtail = Path(sys.executable).parent / "wagtail"
    say(f"making a stock Wagtail project: wagtail start {STOCK_NAME} {common.shown(project)}")
    steps = [
        [str(wagtail), "start", STOCK_NAME, str(project)],
        ["@settings"],
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
    ]
    for step in steps:
        if step == ["@settings"]:
            local = project / STOCK_NAME / "settings" / "local.py"
            local.write_text(
                STOCK_LOCAL_SETTINGS.format(secret=secrets.token_urlsafe(50), host=HOST)
            )
            continue
        result = subprocess.run(
            step,
            cwd=project,
            env=stock_env(project),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            fail(f"{' '.join(step[-3:])} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    ready.touch()
    return project


def start_stock(workdir: Path, tmp: Path) -> tuple[subprocess.Popen[bytes], int, list[str]]:
    project = stock_project(workdir)
    port = common.free_port()
    command = granian_command(
        port, project / "static", f"{STOCK_NAME}.wsgi:application", ["--working-dir", str(project)]
    )
    say(f"starting: granian (masthead serve's flags) {STOCK_NAME}.wsgi on port {port}")
    log = tmp / "stock-wagtail.log"
    return common.spawn(command, log, env=stock_env(project), cwd=project), port, command


def measure_stock(wrk: Wrk, port: int, command: list[str], tmp: Path) -> dict:
    headers, page = fetch_page(port, "/", tmp / "stock-wagtail.log")
    figures = wrk.run("stock Wagtail home page", f"http://{HOST}:{port}/")
    return {
        "path": "/",
        "bytes": len(page),
        "settings": f"{STOCK_NAME}.settings.production (DEBUG off), SQLite",
        "server": "granian " + " ".join(command[3:]).replace(str(ROOT) + "/", ""),
        "headers": cache_headers(headers),
        **figures,
    }


def measure_uncached(wrk: Wrk, port: int, path: str, tmp: Path) -> dict:
    log = tmp / "masthead-uncached.log"
    fetch_page(port, path, log)
    headers, page = fetch_page(port, path, log)
    if headers.get("x-cache", "").upper().startswith("HIT"):
        fail("MASTHEAD_PAGE_CACHE=0 still served the article from the page cache")
    figures = wrk.run("masthead, page cache off", f"http://{HOST}:{port}{path}")
    return {"path": path, "bytes": len(page), "headers": cache_headers(headers), **figures}


# --- The page view's own requests: beacons, page state, live counter ---------------------------

SESSIONS_PREPARE = r"""
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
django.setup()
from django.conf import settings
from django.test import Client
from masthead.accounts import signin_cookie
from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user

sessions = []
for n in range(int(sys.argv[1])):
    email = f"bench-session-{n:03d}@bench.masthead.example"
    user = User.objects.filter(email=email).first() or create_user(
        email=email, password=None, role=Role.READER, verified=True,
        display_name=f"Bench session reader {n}",
    )
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
print(json.dumps({
    "session_cookie": settings.SESSION_COOKIE_NAME, "hint_cookie": signin_cookie.COOKIE,
    "sessions": sessions,
}))
"""

PAGE_VIEW_LUA = """\
local cookies = {{ {cookies} }}
local headers = {{ {headers} }}
local n = 0
local threads = {{}}
statuses = {{}}
function setup(thread)
    table.insert(threads, thread)
end
response = function(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
    for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("statuses")) do
            io.write(string.format("status %d %d\\n", status, count))
        end
    end
end
request = function()
    n = n + 1
    if #cookies > 0 then headers["Cookie"] = cookies[n % #cookies + 1] end
    return wrk.format("{method}", "{path}", headers, {body})
end
"""


def start_sessions(workdir: Path) -> subprocess.Popen[str]:
    """Signed-in bench readers' session cookies, made in a child process (with the server's
    SECRET_KEY: the session keeps a hash keyed by it) while the servers start."""
    say(f"preparing {SESSION_READERS} signed-in bench readers' sessions")
    return subprocess.Popen(
        [sys.executable, "-c", SESSIONS_PREPARE, str(SESSION_READERS)],
        env=comments.server_env(workdir),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def finish_sessions(process: subprocess.Popen[str]) -> dict:
    try:
        out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        fail("preparing the signed-in sessions took longer than 120 s")
    if process.returncode != 0:
        fail(f"preparing the signed-in sessions failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1])


def lua_text(value: str) -> str:
    return json.dumps(value)  # a JSON string of ASCII is a valid Lua string literal


def page_view_script(
    tmp: Path,
    name: str,
    method: str,
    path: str,
    headers: dict[str, str],
    cookies: list[str] = (),  # type: ignore[assignment]
) -> Path:
    script = tmp / name
    script.write_text(
        PAGE_VIEW_LUA.format(
            cookies=", ".join(lua_text(c) for c in cookies),
            headers=", ".join(f"[{lua_text(k)}] = {lua_text(v)}" for k, v in headers.items()),
            method=method,
            path=path,
            # sendBeacon with no data: a POST with Content-Length: 0.
            body='""' if method == "POST" else "nil",
        )
    )
    return script


def one_request(
    port: int, method: str, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request(method, path, body=b"" if method == "POST" else None, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def page_view_urls(port: int, path: str) -> dict[str, str | None]:
    """The beacons' addresses as the article page gives them to its scripts."""
    _, page = fetch_page(port, path)
    html = page.decode(errors="replace")
    read = re.search(r'data-read-beacon="([^"]+)"', html)
    ad = re.search(r'data-ad-impression="([^"]+)"', html)
    return {"read": read.group(1) if read else None, "ad": ad.group(1) if ad else None}


def check(port: int, name: str, method: str, path: str, headers: dict, wanted: int) -> dict:
    status, answer, body = one_request(port, method, path, headers)
    if status != wanted:
        fail(f"{name}: {method} {path} answered {status}, not {wanted}: {body[:300]!r}")
    return answer


def measure_page_view(
    wrk: Wrk,
    port: int,
    path: str,
    article_id: int,
    sessions: dict | None,
    tmp: Path,
    warmup: bool = True,
) -> dict:
    """Each request a page view makes besides the page, against the app alone. Without
    `warmup` (QUICK), no warm-up run: the app has been under load for the parts before, and
    each request was checked once first."""
    urls = page_view_urls(port, path)
    origin = f"http://{HOST}:{port}"
    beacon = {"User-Agent": BROWSER_AGENT, "Origin": origin, "Accept": "*/*"}
    found: dict = {"article_id": article_id, "rate_env": BEACON_RATE_ENV, "urls": urls}
    runs: list[tuple[str, str, str, dict[str, str], list[str], int]] = []
    if urls["read"]:
        runs.append(("read_beacon", "POST", urls["read"], beacon, [], 204))
    else:
        say("warning: the article page has no data-read-beacon: no read beacon run")
    if urls["ad"]:
        runs.append(("ad_impression", "POST", urls["ad"], beacon, [], 204))
    else:
        say("warning: the article page shows no house ad: no impression beacon run")
    if sessions and sessions.get("sessions"):
        state_path = f"/api/v1/me/page-state?article={article_id}"
        fetch = {"User-Agent": BROWSER_AGENT, "Accept": "application/json"}
        # What the browser holds after its first page state: session, hint and CSRF cookies.
        cookies = []
        for key in sessions["sessions"]:
            cookie = f"{sessions['session_cookie']}={key}; {sessions['hint_cookie']}=1"
            answer = check(port, "page state", "GET", state_path, {**fetch, "Cookie": cookie}, 200)
            set_cookie = answer.get("set-cookie", "")
            if csrf := re.search(r"(csrftoken=[^;]+)", set_cookie):
                cookie += f"; {csrf.group(1)}"
            cookies.append(cookie)
        status, _, body = one_request(port, "GET", state_path, {**fetch, "Cookie": cookies[0]})
        state = json.loads(body) if status == 200 else {}
        if not state.get("signed_in"):
            fail(f"page state with a bench session is not signed in: {status} {body[:300]!r}")
        found["page_state_article"] = state.get("article") is not None
        runs.append(("page_state", "GET", state_path, fetch, cookies, 200))
    live_path = f"/api/v1/articles/{article_id}/comments/live"
    live_headers = {"User-Agent": BROWSER_AGENT, "Accept": "application/json"}
    runs.append(("live_counter", "GET", live_path, live_headers, [], 200))
    for key, method, url_path, headers, cookies, wanted in runs:
        check(
            port,
            key,
            method,
            url_path,
            {**headers, **({"Cookie": cookies[0]} if cookies else {})},
            wanted,
        )
        script = page_view_script(tmp, f"pageview-{key}.lua", method, url_path, headers, cookies)
        found[key] = {
            "request": f"{method} {url_path}",
            **wrk.run(key.replace("_", " "), f"{origin}{url_path}", script, warmup=warmup),
        }
    return found


def machine_cores() -> int:
    with contextlib.suppress(AttributeError, OSError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# (key, label, where the figures are in the result)
COSTS = (
    ("article_app_cached", "article page, app's page cache", ("article", "app_cached")),
    (
        "article_nginx",
        "article page, through the shipped nginx config",
        ("article", "nginx_config"),
    ),
    ("article_uncached", "article page, uncached render", ("uncached",)),
    ("comment_post", "comment POST (API, Bearer token)", ("comments", "masthead_post")),
    (
        "thread_signed_in",
        "thread page 1 signed in (API, Bearer token)",
        ("comments", "masthead_get_big_signed_in"),
    ),
    ("read_beacon", "read beacon POST /reads/<id>", ("pageview", "read_beacon")),
    ("ad_impression", "ad impression POST /ads/impressions/<id>", ("pageview", "ad_impression")),
    ("page_state", "page state GET, signed in (session cookie)", ("pageview", "page_state")),
    ("live_counter", "live counter GET (app, before any CDN)", ("pageview", "live_counter")),
)


def costs(result: dict, cores: int) -> dict:
    """Machine time per request for every request kind measured: cores x 1000 / req/s (ms).
    wrk ran on the same cores, so this is an upper bound on what the app alone needs."""
    found: dict = {"cores": cores, "formula": "cores * 1000 / requests_per_s", "label": COST_LABEL}
    for key, label, where in COSTS:
        figures: dict | None = result
        for step in where:
            figures = (figures or {}).get(step)
        if not rate(figures):
            continue
        found[key] = {
            "label": label,
            "requests_per_s": round(rate(figures), 1),
            "p50_ms": figures["p50_ms"],  # type: ignore[index]
            "p99_ms": figures["p99_ms"],  # type: ignore[index]
            "errors": figures.get("errors", 0),  # type: ignore[union-attr]
            "machine_ms_per_request": round(cores * 1000 / rate(figures), 3),
        }
    return found


# --- The part -------------------------------------------------------------------------------


class Servers:
    """Every server this part needs, started together (they sit idle while another is
    measured: startup is the slow part of a quick run) and all stopped at the end."""

    def __init__(self) -> None:
        self.running: list[tuple[str, subprocess.Popen[bytes], int]] = []

    def add(self, name: str, process: subprocess.Popen[bytes], sig: int) -> None:
        self.running.append((name, process, sig))

    def stop(self) -> None:
        for _, process, sig in self.running:
            with contextlib.suppress(ProcessLookupError):
                if process.poll() is None:
                    process.send_signal(sig)
        for name, process, sig in reversed(self.running):
            common.stop(process, name, sig)
        self.running.clear()


def run(
    quick: bool,
    workdir: Path = VAR_DIR,
    parts: tuple[str, ...] = PARTS,
    cache_include: Path | None = None,
    isso: bool = True,
) -> dict:
    """Everything this part measures, as JSON-ready figures (see `rows` for the verdicts)."""
    started = time.monotonic()
    workdir = Path(workdir)
    wrk_path, nginx = common.ensure_tools()
    # QUICK: 2-second runs after a 1-second warm-up, so that `make bench QUICK=1` fits in 3 min.
    wrk = Wrk(wrk_path, 2, 1) if quick else Wrk(wrk_path, 10, 2)
    common.raise_open_files()
    common.busy_warning()
    include = cache_include or (CACHE_INCLUDE if CACHE_INCLUDE.exists() else None)
    if quick and common.demo_loaded(workdir):
        say(f"--quick: using the demo newsroom already in {common.shown(workdir)}")
    else:
        common.load_demo(workdir)
    if "render" in parts:
        stock_project(workdir)
    isso = isso and "comments" in parts
    if isso:
        comments.ensure_isso(workdir)
    result: dict = {
        "quick": quick,
        "parts": list(parts),
        "wrk": wrk.describe(),
        "wrk_version": common.version([wrk_path, "--version"]),
        "nginx_version": common.version([nginx, "-v"]),
        "granian_version": common.version([sys.executable, "-m", "granian", "--version"]),
        "server": f"masthead serve --workers {WORKERS} (production settings, SQLite, no Redis)"
        + (
            "; per-address limits lifted: "
            + ", ".join(f"{k}={v}" for k, v in BEACON_RATE_ENV.items())
            if "pageview" in parts
            else ""
        ),
        "cache_include": common.shown(include) if include else None,
    }
    servers = Servers()
    preparing = sessions_child = None
    with tempfile.TemporaryDirectory(prefix="masthead-bench-throughput-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            # Start everything at once: the app with its page cache (and the bench readers'
            # tokens made meanwhile), and once it has collected the static files, the app with
            # the page cache off, stock Wagtail and Isso.
            port = common.free_port()
            log = tmp / "masthead.log"
            env = comments.server_env(workdir, **BEACON_RATE_ENV)
            masthead = common.start_masthead(port, log, env)
            servers.add("masthead serve", masthead, signal.SIGINT)
            if "pageview" in parts:
                sessions_child = start_sessions(workdir)
            if "comments" in parts:
                readers = QUICK_READERS if quick else comments.BENCH_READERS
                preparing = comments.start_prepare(readers, workdir)
            common.wait_for_line(log, "Masthead (", masthead)
            uncached = stock = isso_server = None
            if "render" in parts:
                u_port = common.free_port(port)
                u_log = tmp / "masthead-uncached.log"
                env = comments.server_env(workdir, MASTHEAD_PAGE_CACHE="0")
                process = common.start_masthead(u_port, u_log, env, "--no-collectstatic")
                servers.add("masthead serve (page cache off)", process, signal.SIGINT)
                uncached = (process, u_port, u_log)
                stock = start_stock(workdir, tmp)
                servers.add("stock Wagtail (granian)", stock[0], signal.SIGINT)
            if isso:
                isso_server = comments.start_isso_server(tmp, workdir)
                servers.add("isso (gunicorn)", isso_server[0], signal.SIGTERM)
            prepared = comments.finish_prepare(preparing) if preparing else None
            if prepared:
                result["threads"] = {"big": prepared["big"][1], "mid": prepared["mid"][1]}
            common.wait_until_answers(port, "/api/v1/articles?limit=1", masthead, log)
            path, article_id = article_path(port)
            if uncached:
                common.wait_until_answers(u_port, path, uncached[0], uncached[2])
            if stock:
                common.wait_until_answers(stock[1], "/", stock[0], tmp / "stock-wagtail.log")
            if isso_server:
                common.wait_until_answers(isso_server[1], "/info", isso_server[0], tmp / "isso.log")
                comments.seed_isso(
                    isso_server[1], f"/thread-{comments.ISSO_THREAD}", comments.ISSO_THREAD
                )
            result["setup_seconds"] = round(time.monotonic() - started, 1)
            say(f"setup done in {result['setup_seconds']:.0f} s; measuring")

            if "article" in parts:
                result["article"] = measure_article(wrk, nginx, port, path, tmp, include, log)
            if uncached:
                result["uncached"] = measure_uncached(wrk, uncached[1], path, tmp)
            if stock:
                result["stock"] = measure_stock(wrk, stock[1], stock[2], tmp)
            if prepared:
                result["comments"] = comments.measure_masthead(
                    wrk, port, prepared, tmp, full=not quick
                )
            if isso_server and prepared:
                result["comments"].update(
                    comments.measure_isso_on(wrk, isso_server[1], tmp, workdir)
                )
            if sessions_child:
                sessions = finish_sessions(sessions_child)
                result["pageview"] = measure_page_view(
                    wrk, port, path, article_id, sessions, tmp, warmup=not quick
                )
        finally:
            for child in (preparing, sessions_child):
                if child and child.poll() is None:
                    child.kill()
            servers.stop()
    if "comments" in result:
        result["comments_ratios"] = comments.ratios(result["comments"])
    result["ratios"] = ratios(result)
    result["costs"] = costs(result, machine_cores())
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def ratios(result: dict) -> dict[str, float | None]:
    article = result.get("article") or {}
    stock = result.get("stock")
    found = {
        "nginx_config_over_static": ratio(article.get("nginx_config"), article.get("static")),
        "app_cached_over_stock": ratio(article.get("app_cached"), stock),
        "uncached_over_stock": ratio(result.get("uncached"), stock),
        "static_over_app_cached": ratio(article.get("static"), article.get("app_cached")),
    }
    return {k: v for k, v in found.items() if v is not None}


def figure(figures: dict | None) -> str:
    if not figures:
        return "not measured"
    if "skipped" in figures:
        return f"skipped: {figures['skipped']}"

    def ms(value: float) -> str:
        return f"{value:.1f}" if value < 100 else f"{value:,.0f}"

    text = f"{rate(figures):,.0f} req/s, p50 {ms(figures['p50_ms'])} ms, "
    text += f"p99 {ms(figures['p99_ms'])} ms"
    if figures.get("errors"):
        text += f", {figures['errors']} errors"
    return text


def rows(result: dict) -> list[tuple[str, str, str]]:
    """(measure, value, goal and verdict) for the table."""
    found = result.get("ratios", {})
    table: list[tuple[str, str, str]] = []
    article = result.get("article")
    if article:
        kb = f"{article['bytes'] / 1024:.0f} KB"
        table.append((f"article ({kb}): nginx static file, ceiling", figure(article["static"]), ""))
        nginx_ratio = found.get("nginx_config_over_static")
        table.append(
            (
                "article: through the shipped nginx config"
                + ("" if article.get("nginx_cache_hit", True) else " [no X-Cache: HIT]"),
                figure(article["nginx_config"]),
                verdict(
                    nginx_ratio,
                    GOAL_NGINX_OVER_STATIC,
                    f">= {GOAL_NGINX_OVER_STATIC}x static: "
                    + (f"{nginx_ratio:.2f}x" if nginx_ratio is not None else "-"),
                ),
            )
        )
        cached_ratio = found.get("app_cached_over_stock")
        hit = "" if article.get("app_cache_hit") else " [no X-Cache: HIT]"
        table.append(
            (
                "article: app alone, page cache" + hit,
                figure(article["app_cached"]),
                verdict(
                    cached_ratio,
                    GOAL_CACHED_OVER_STOCK,
                    f">= {GOAL_CACHED_OVER_STOCK:.0f}x stock Wagtail: "
                    + (f"{cached_ratio:.1f}x" if cached_ratio is not None else "-"),
                ),
            )
        )
    if "uncached" in result:
        uncached_ratio = found.get("uncached_over_stock")
        table.append(
            (
                "article: uncached render (MASTHEAD_PAGE_CACHE=0)",
                figure(result["uncached"]),
                verdict(
                    uncached_ratio,
                    GOAL_UNCACHED_OVER_STOCK,
                    ">= stock Wagtail: "
                    + (f"{uncached_ratio:.2f}x" if uncached_ratio is not None else "-"),
                ),
            )
        )
        kb = f"{result['stock']['bytes'] / 1024:.0f} KB"
        table.append((f"stock Wagtail home page ({kb}), granian", figure(result["stock"]), ""))
    comment_figures = result.get("comments")
    if comment_figures:
        c_ratios = result.get("comments_ratios", {})
        big = result.get("threads", {}).get("big", 0)

        def versus(key: str) -> str:
            return f"{c_ratios[key]:.2f}x Isso" if key in c_ratios else "no Isso figure"

        table += [
            (
                "comments: POST, Masthead",
                figure(comment_figures.get("masthead_post")),
                versus("post_masthead_over_isso") + " (no goal)",
            ),
            ("comments: POST, Isso", figure(comment_figures.get("isso_post")), ""),
            (
                f"comments: GET page 1 of {big:,}, anonymous",
                figure(comment_figures.get("masthead_get_big")),
                versus("get_big_over_isso") + " (no goal)",
            ),
            (
                f"comments: GET page 1 of {big:,}, signed in",
                figure(comment_figures.get("masthead_get_big_signed_in")),
                versus("get_big_signed_in_over_isso") + " (no goal)",
            ),
            (
                f"comments: GET Isso's whole {comments.ISSO_THREAD}-comment thread",
                figure(comment_figures.get("isso_get_101")),
                "",
            ),
        ]
        if "masthead_get_big_100" in comment_figures:
            table.append(
                (
                    f"comments: GET 100 top-level of {big:,}",
                    figure(comment_figures["masthead_get_big_100"]),
                    versus("get_big_100_over_isso") + " (no goal)",
                )
            )
    table += page_view_rows(result)
    return table


PAGE_VIEW_ROWS = (
    ("read_beacon", "page view: read beacon POST {}"),
    ("ad_impression", "page view: ad impression beacon POST {}"),
    ("page_state", "page view: page state GET {}, signed in"),
    ("live_counter", "page view: live counter GET {} (app)"),
)


def page_view_rows(result: dict) -> list[tuple[str, str, str]]:
    """The page view's own requests, then the cost of every request kind measured."""
    table: list[tuple[str, str, str]] = []
    found = result.get("pageview") or {}
    for key, label in PAGE_VIEW_ROWS:
        if key in found:
            request = found[key]["request"].split(" ", 1)[1]
            request = re.sub(r"/\d+", "/<id>", request.replace(f"={found['article_id']}", "=<id>"))
            table.append((label.format(request), figure(found[key]), "(no goal)"))
    cost = result.get("costs") or {}
    cores = cost.get("cores", 0)
    for key, _, _ in COSTS:
        if key in cost:
            item = cost[key]
            table.append(
                (
                    f"cost: {item['label']}",
                    f"{item['machine_ms_per_request']:.2f} ms {COST_LABEL}",
                    f"{cores} cores x 1000 / {item['requests_per_s']:,.0f} req/s",
                )
            )
    return table


def print_rows(table: list[tuple[str, str, str]]) -> None:
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}".rstrip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2-second wrk runs (QUICK=1)")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to run, of {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument(
        "--cache-include",
        type=Path,
        help=f"nginx caching rules to use instead of {common.shown(CACHE_INCLUDE)}",
    )
    parser.add_argument("--skip-isso", action="store_true", help="no Isso figures")
    args = parser.parse_args(argv)
    parts = tuple(part.strip() for part in args.only.split(",") if part.strip())
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    result = run(
        args.quick, VAR_DIR, parts, cache_include=args.cache_include, isso=not args.skip_isso
    )
    print()
    print_rows(rows(result))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "throughput.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    say(f"wrote {common.shown(out)} ({result['seconds']:.0f} s)")


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
