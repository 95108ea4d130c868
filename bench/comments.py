"""Comments: Masthead against Isso on posting and reading, and live updates with 2,000 open pages.

Part of `make bench` (bench/run.py runs the posting and reading half through
bench/throughput.py), or alone: `.venv/bin/python bench/comments.py [--quick]`.

1. Uses the demo newsroom in var/bench/ (its 2,000-comment thread included; loaded unless
   `--skip-demo`), and prepares bench readers with API tokens.
2. Installs Isso from PyPI into var/bench/isso-venv (once) and runs it under gunicorn with as
   many worker processes as Masthead (2), on a SQLite database in a temporary directory, with
   moderation and rate limits off. Seeds a 101-comment thread through its API.
3. Runs the same wrk load on both (`-t2 -c64 -d10s`): many readers posting to one thread at once,
   and reading a thread. Prints req/s, p50, p99, errors and the ratio.
4. Live updates: 2,000 wrk connections each polling `GET /api/v1/articles/{id}/comments/live`
   every 5 s on average while a writer posts a comment a second; a separate poller measures how
   long a new comment takes to show in the count.

Figures go to bench/results/comments.json and bench/results/live.json. Loopback only; every
process started here is stopped at the end, whatever happens. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
from common import HOST, RESULTS_DIR, ROOT, VAR_DIR, WORKERS, BenchError, Wrk, fail, say

CONCURRENCY = common.CONNECTIONS
SECONDS, WARMUP = 10, 2
BENCH_READERS = 200
LIVE_CLIENTS = 2000
LIVE_INTERVAL_MS = 5000
LIVE_SECONDS = 15
# Masthead's per-reader and per-IP comment limits (5 and 30 a minute) would turn a load test
# into a test of the 429 path; the bench lifts them for the server it starts.
SECRET_KEY = secrets.token_urlsafe(50)
RATE_ENV = {
    "MASTHEAD_RATE_COMMENT": "1000000/m",
    "MASTHEAD_RATE_COMMENT_IP": "1000000/m",
}
ISSO_THREAD = 101

PREPARE = r"""
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
django.setup()
from wagtail.models import APIToken
from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user, issue_token
from masthead.newsroom.models import ArticlePage, CommentMode

count = int(sys.argv[1])
tokens = []
for n in range(count + 1):
    email = f"bench-{n:03d}@bench.masthead.example"
    user = User.objects.filter(email=email).first() or create_user(
        email=email, password=None, role=Role.READER, verified=True,
        display_name=f"Bench reader {n}",
    )
    APIToken.objects.filter(user=user).delete()
    tokens.append(issue_token(user=user, name="bench")[1])
live = ArticlePage.objects.live()
big = live.order_by("-comment_count").first()
mid = min(live.exclude(pk=big.pk), key=lambda a: abs(a.comment_count - 50))
# Not the newest story either: bench/throughput.py measures its page (GET /api/v1/articles
# lists it first), which must not change from one run to the next.
newest = live.order_by("-first_published_at", "-pk").first()
post = live.filter(comment_mode=CommentMode.OPEN).exclude(pk__in=[big.pk, mid.pk, newest.pk])
post = post.order_by("comment_count", "pk").first()
print(json.dumps({
    "tokens": tokens[1:], "writer": tokens[0],
    "big": [big.pk, big.comment_count], "mid": [mid.pk, mid.comment_count],
    "post": [post.pk, post.comment_count],
}))
"""

ISSO_CONF = """\
[general]
dbpath = {tmp}/isso.db
host = http://{host}:{port}/
max-age = 15m
notify = stdout
reply-notifications = false
gravatar = false
latest-enabled = false

[admin]
enabled = false

[moderation]
enabled = false

[guard]
enabled = false
ratelimit = 1000000
direct-reply = 1000000
reply-to-self = true
require-author = false
require-email = false

[server]
listen = http://{host}:{port}/
public-endpoint = http://{host}:{port}

[hash]
salt = Eech7co8Ohloopo9Ol6baimi
algorithm = pbkdf2
"""

POST_LUA = """\
local tokens = {{ {tokens} }}
local n = 0
local threads = {{}}
statuses = {{}}
function setup(thread)
    thread_count = (thread_count or 0) + 1
    thread:set("tid", thread_count)
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
    local headers = {{ ["Content-Type"] = "application/json" }}
    if "{method}" == "GET" then
        headers["Authorization"] = "Bearer " .. tokens[(n * 2 + (tid or 0)) % #tokens + 1]
        return wrk.format("GET", "{path}", headers)
    end
    local who = (n * 2 + (tid or 0)) % #tokens + 1
    if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[who] end
    local text = "Bench comment " .. (tid or 0) .. "-" .. n .. "-" .. os.time() ..
        ": the late trams should run on Sundays too, and the stops need shelters."
    local body = string.format({template}, text, who)
    return wrk.format("POST", "{path}", headers, body)
end
"""

LIVE_LUA = """\
function setup(thread)
    thread_count = (thread_count or 0) + 1
    thread:set("tid", thread_count)
end
function init(args)
    math.randomseed(os.time() * 1000 + (tid or 0))
end
-- Each connection is one open page: it waits 0-{twice} ms (on average {interval} ms) between
-- polls, so {clients} connections offer {clients} / {seconds} requests a second.
delay = function()
    return math.random(0, {twice})
end
"""


# --- Helpers --------------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    body: object = None,
    headers: dict | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, dict]:
    """One JSON request; on `conn` (kept alive, as a browser would) when given."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        conn.request(method, path, body=data, headers=all_headers)
        response = conn.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw or b"{}")
        except ValueError:
            return response.status, {"raw": raw[:200].decode(errors="replace")}
    except (OSError, http.client.HTTPException):
        conn.close()  # reconnects on the next request
        raise
    finally:
        if own:
            conn.close()


def lua_script(
    tmp: Path, name: str, method: str, path: str, tokens: list[str], template: str
) -> Path:
    script = tmp / name
    script.write_text(
        POST_LUA.format(
            tokens=", ".join(json.dumps(t) for t in tokens),
            template=template,
            path=path,
            method=method,
        )
    )
    return script


# --- Masthead -------------------------------------------------------------------------------


def comments_shown(port: int, article_id: int) -> int:
    """How many comments page 1 carries: top-level, featured and their replies."""
    _, page = request(port, "GET", f"/api/v1/articles/{article_id}/comments")
    shown = [*page.get("featured", []), *page.get("items", [])]
    return len(shown) + sum(len(c.get("replies", [])) for c in shown)


def server_env(var_dir: Path = VAR_DIR, **extra: str) -> dict[str, str]:
    """Production settings with one SECRET_KEY for the whole run: API token digests are keyed
    by it, so the tokens made by `prepare_masthead` only work on a server with the same key."""
    return common.masthead_env(
        production=True, var_dir=var_dir, SECRET_KEY=SECRET_KEY, **RATE_ENV, **extra
    )


def start_prepare(readers: int = BENCH_READERS, var_dir: Path = VAR_DIR) -> subprocess.Popen[str]:
    """Verified bench readers with API tokens, and the threads to read and post to, made in a
    child process (so servers can start meanwhile); `finish_prepare` collects them."""
    say(f"preparing {readers} verified bench readers with API tokens")
    return subprocess.Popen(
        [sys.executable, "-c", PREPARE, str(readers)],
        env=server_env(var_dir),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def finish_prepare(process: subprocess.Popen[str]) -> dict:
    try:
        out, err = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        fail("preparing the bench readers took longer than 300 s")
    if process.returncode != 0:
        fail(f"preparing the bench readers failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1])


def prepare_masthead(readers: int = BENCH_READERS, var_dir: Path = VAR_DIR) -> dict:
    return finish_prepare(start_prepare(readers, var_dir))


def measure_masthead(wrk: Wrk, port: int, prepared: dict, tmp: Path, full: bool = True) -> dict:
    """Posting (many readers at once on one thread) and reading page 1 of the big thread as
    anonymous readers (served from the cache once built for the thread's current version) and
    as signed-in readers (built on every request: the honest cost of a page). `full` adds
    the ~50-comment thread, 100 top-level comments and the live counter."""
    url = f"http://{HOST}:{port}/api/v1/articles"
    big_id, mid_id = prepared["big"][0], prepared["mid"][0]
    post_id = prepared["post"][0]
    tokens = prepared["tokens"]
    results: dict[str, dict] = {}
    reads = [("big", big_id), ("mid", mid_id)] if full else [("big", big_id)]
    for key, article_id in reads:
        results[f"masthead_get_{key}"] = wrk.run("masthead GET", f"{url}/{article_id}/comments")
        results[f"masthead_get_{key}"]["comments_shown"] = comments_shown(port, article_id)
        path = f"/api/v1/articles/{article_id}/comments"
        script = lua_script(tmp, f"masthead-get-{key}.lua", "GET", path, tokens, '""')
        results[f"masthead_get_{key}_signed_in"] = wrk.run(
            "masthead GET signed in", f"{url}/{article_id}/comments", script
        )
    if full:
        results["masthead_get_big_100"] = wrk.run(
            "masthead GET", f"{url}/{big_id}/comments?limit=100"
        )
        results["masthead_live_raw"] = wrk.run("masthead GET live", f"{url}/{big_id}/comments/live")
    path = f"/api/v1/articles/{post_id}/comments"
    script = lua_script(
        tmp, "masthead-post.lua", "POST", path, tokens, json.dumps('{"body": "%s"}')
    )
    results["masthead_post"] = wrk.run("masthead POST", f"{url}/{post_id}/comments", script)
    return results


# --- Isso -----------------------------------------------------------------------------------


def ensure_isso(var_dir: Path = VAR_DIR) -> Path:
    venv = var_dir / "isso-venv"
    python = venv / "bin" / "python"
    if not (venv / "bin" / "gunicorn").exists() or not (venv / "bin" / "isso").exists():
        say(f"installing Isso and gunicorn from PyPI into {common.shown(venv)}")
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
        command = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        result = subprocess.run([*command, "isso", "gunicorn"], timeout=600, check=False)
        if result.returncode != 0:
            fail("could not install isso with pip; see the output above")
    return venv


def isso_version(venv: Path) -> str:
    code = "import importlib.metadata as m; print(m.version('isso'))"
    return common.version([str(venv / "bin" / "python"), "-c", code])


def start_isso(venv: Path, tmp: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    conf = tmp / "isso.cfg"
    conf.write_text(ISSO_CONF.format(tmp=tmp, host=HOST, port=port))
    # Isso's docs recommend a real WSGI server over its built-in werkzeug one ("fine for up to
    # 20 requests per second"); gunicorn with --preload is their own example.
    command = [str(venv / "bin" / "gunicorn"), "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(WORKERS), "--preload", "--log-level", "warning", "isso.run"]
    say(f"starting: gunicorn --workers {WORKERS} --preload isso.run (Isso, port {port})")
    env = {"ISSO_SETTINGS": str(conf), "PATH": os.environ.get("PATH", "")}
    return common.spawn(command, log, env=env, cwd=tmp)


def seed_isso(port: int, uri: str, count: int) -> None:
    """A thread like a busy story's: top-level comments with replies, through Isso's API."""
    ids: list[int] = []
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        for n in range(count):
            parent = ids[n % len(ids)] if ids and n % 3 == 0 else None
            status, body = request(
                port,
                "POST",
                f"/new?uri={uri}",
                {
                    "text": f"Seed comment {n}: the new timetable is better than the old one, "
                    "mostly, but the last tram still leaves too early.",
                    "author": f"Reader {n % 40}",
                    "parent": parent,
                    "title": "Tram extension",
                },
                conn=conn,
            )
            if status != 201:
                fail(f"Isso refused a seed comment: {status} {body}")
            ids.append(body["id"])
    finally:
        conn.close()


def start_isso_server(tmp: Path, var_dir: Path = VAR_DIR) -> tuple[subprocess.Popen[bytes], int]:
    """Isso under gunicorn on a free port (installed first if needed); not waited for."""
    venv = ensure_isso(var_dir)
    port = common.free_port()
    return start_isso(venv, tmp, port, tmp / "isso.log"), port


def measure_isso_on(wrk: Wrk, port: int, tmp: Path, var_dir: Path = VAR_DIR) -> dict:
    """Reads Isso's seeded thread and posts to it; `seed_isso` must have run."""
    url = f"http://{HOST}:{port}"
    results: dict = {"isso_get_101": wrk.run("isso GET", f"{url}/?uri=/thread-{ISSO_THREAD}")}
    template = json.dumps('{"text": "%s", "author": "Bench reader %d", "title": "Story"}')
    script = lua_script(tmp, "isso-post.lua", "POST", "/new?uri=/story-post", [], template)
    results["isso_post"] = wrk.run("isso POST", f"{url}/new?uri=/story-post", script)
    results["isso_version"] = isso_version(var_dir / "isso-venv")
    return results


def measure_isso(wrk: Wrk, tmp: Path, var_dir: Path = VAR_DIR) -> dict:
    """Starts Isso, seeds its thread, reads it and posts to it, stops it."""
    isso = None
    try:
        isso, port = start_isso_server(tmp, var_dir)
        common.wait_until_answers(port, "/info", isso, tmp / "isso.log")
        seed_isso(port, f"/thread-{ISSO_THREAD}", ISSO_THREAD)
        return measure_isso_on(wrk, port, tmp, var_dir)
    finally:
        common.stop(isso, "isso (gunicorn)", signal.SIGTERM)


def ratios(results: dict) -> dict[str, float]:
    """Masthead over Isso, and the page-1 build cost of the big thread over the ~50 one."""
    rps = {k: v["requests_per_s"] for k, v in results.items() if isinstance(v, dict)}
    found: dict[str, float] = {}
    if "masthead_get_mid_signed_in" in rps and "masthead_get_big_signed_in" in rps:
        # Anonymous pages come from the cache; what a page costs to build is the signed-in one.
        found["page1_cost_big_over_mid"] = round(
            rps["masthead_get_mid_signed_in"] / rps["masthead_get_big_signed_in"], 2
        )
        big_shown = results["masthead_get_big"]["comments_shown"]
        mid_shown = results["masthead_get_mid"]["comments_shown"]
        found["page1_cost_per_comment_shown_big_over_mid"] = round(
            found["page1_cost_big_over_mid"] * mid_shown / max(big_shown, 1), 2
        )
    if "isso_post" in rps and "masthead_post" in rps:
        found["post_masthead_over_isso"] = round(rps["masthead_post"] / rps["isso_post"], 2)
    if "isso_get_101" in rps:
        for key in ("masthead_get_big", "masthead_get_big_signed_in", "masthead_get_big_100"):
            if key in rps:
                found[key.replace("masthead_", "") + "_over_isso"] = round(
                    rps[key] / rps["isso_get_101"], 2
                )
    return found


# --- Live updates ---------------------------------------------------------------------------


class Visibility:
    """A writer posts once a second; a tight poller notes when each new count shows."""

    def __init__(self, port: int, article_id: int, token: str) -> None:
        self.port, self.article_id, self.token = port, article_id, token
        self.stop = threading.Event()
        self.posted: dict[int, float] = {}  # expected count -> time the post was answered
        self.post_ms: list[float] = []
        self.seen: dict[int, float] = {}
        self.versions_back = 0
        self.post_errors = 0
        self.polls = 0

    def live(self, conn: http.client.HTTPConnection | None = None) -> dict:
        path = f"/api/v1/articles/{self.article_id}/comments/live"
        return request(self.port, "GET", path, conn=conn)[1]

    def writer(self, start_count: int, posts: int) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        published = 0
        for n in range(1, posts + 1):
            if self.stop.is_set():
                return
            sent = time.monotonic()
            status = 0
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _ = request(
                    self.port,
                    "POST",
                    f"/api/v1/articles/{self.article_id}/comments",
                    {"body": f"Live bench comment {n} at {time.time():.3f}."},
                    {"Authorization": f"Bearer {self.token}"},
                    conn=conn,
                )
            if status == 201:
                published += 1
                # From the moment the server answered 201 (committed): the live path's own
                # delay. The post's latency itself is in `post_ms`.
                self.posted[start_count + published] = time.monotonic()
                self.post_ms.append((time.monotonic() - sent) * 1000)
            else:
                self.post_errors += 1
            time.sleep(max(0.0, 1.0 - (time.monotonic() - sent)))

    def poller(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        last_version = -1
        while not self.stop.is_set():
            with contextlib.suppress(OSError, http.client.HTTPException, ValueError):
                body = self.live(conn)
                now = time.monotonic()
                self.polls += 1
                count, version = body.get("comment_count", 0), body.get("version", 0)
                for expected in list(self.posted):
                    if count >= expected and expected not in self.seen:
                        self.seen[expected] = now
                if version < last_version:
                    self.versions_back += 1
                last_version = version
            time.sleep(0.05)

    def delays_ms(self) -> list[float]:
        return sorted((self.seen[k] - self.posted[k]) * 1000 for k in self.posted if k in self.seen)


def run_live(wrk: Wrk, port: int, article_id: int, token: str, tmp: Path) -> dict:
    script = tmp / "live.lua"
    script.write_text(
        LIVE_LUA.format(
            twice=2 * LIVE_INTERVAL_MS,
            interval=LIVE_INTERVAL_MS,
            clients=LIVE_CLIENTS,
            seconds=LIVE_INTERVAL_MS // 1000,
        )
    )
    probe = Visibility(port, article_id, token)
    start_count = probe.live()["comment_count"]
    threads = [
        threading.Thread(target=probe.writer, args=(start_count, LIVE_SECONDS - 2), daemon=True),
        threading.Thread(target=probe.poller, daemon=True),
    ]
    args = ["-t2", f"-c{LIVE_CLIENTS}", f"-d{LIVE_SECONDS}s", "--latency", "--timeout", "10s"]
    url = f"http://{HOST}:{port}/api/v1/articles/{article_id}/comments/live"
    for thread in threads:
        thread.start()
    try:
        figures = wrk.run(f"{LIVE_CLIENTS} open pages", url, script, args, warmup=False)
    finally:
        time.sleep(1.5)  # let the last post show
        probe.stop.set()
        for thread in threads:
            thread.join(timeout=15)
    delays = probe.delays_ms()
    # With no writes going on, every worker should give the same version. Fresh connections
    # reach either worker; two versions mean it lives in each worker's own memory.
    at_rest = set()
    for _ in range(20):
        with contextlib.suppress(OSError, http.client.HTTPException, ValueError):
            at_rest.add(probe.live().get("version"))
    return {
        "clients": LIVE_CLIENTS,
        "poll_interval_ms": LIVE_INTERVAL_MS,
        "offered_requests_per_s": LIVE_CLIENTS * 1000 / LIVE_INTERVAL_MS,
        "seconds": LIVE_SECONDS,
        **figures,
        "posts": len(probe.posted),
        "post_errors": probe.post_errors,
        "posts_seen": len(delays),
        "post_ms_p50": round(statistics.median(probe.post_ms), 1) if probe.post_ms else None,
        "visible_after_ms_p50": round(statistics.median(delays), 1) if delays else None,
        "visible_after_ms_max": round(max(delays), 1) if delays else None,
        "version_went_backwards": probe.versions_back,
        "versions_at_rest": sorted(v for v in at_rest if v is not None),
        "probe_polls": probe.polls,
    }


# --- Main -----------------------------------------------------------------------------------


def row(name: str, r: dict) -> str:
    return (
        f"{name:<44} {r['requests_per_s']:>9,.0f} {r['p50_ms']:>9.2f}ms {r['p99_ms']:>9.2f}ms "
        f"{r['errors']:>7}"
    )


def print_results(results: dict, prepared: dict, found: dict, live: dict | None) -> None:
    big_count, mid_count = prepared["big"][1], prepared["mid"][1]
    print()
    print(
        f"{'comments, ' + str(CONCURRENCY) + ' connections':<44} {'req/s':>9} {'p50':>11} "
        f"{'p99':>11} {'errors':>7}"
    )
    labels = {
        "masthead_post": f"masthead POST comment ({len(prepared['tokens'])} readers)",
        "isso_post": "isso     POST comment",
        "masthead_get_big": f"masthead GET page 1 of {big_count:,}-comment thread",
        "masthead_get_mid": f"masthead GET page 1 of {mid_count}-comment thread",
        "masthead_get_big_signed_in": f"  same, signed in (built every time), {big_count:,}",
        "masthead_get_mid_signed_in": f"  same, signed in (built every time), {mid_count}",
        "masthead_get_big_100": f"masthead GET 100 top-level of {big_count:,} thread",
        "isso_get_101": f"isso     GET whole {ISSO_THREAD}-comment thread",
        "masthead_live_raw": "masthead GET live counter (no delay)",
    }
    for key, label in labels.items():
        if key in results:
            print(row(label, results[key]))
    if "page1_cost_big_over_mid" in found:
        big_shown = results["masthead_get_big"]["comments_shown"]
        mid_shown = results["masthead_get_mid"]["comments_shown"]
        print(
            f"\npage-1 build cost (signed in), {big_count:,}-comment vs {mid_count}-comment "
            f"thread: {found['page1_cost_big_over_mid']:.2f}x (target <= 1.5x); the pages show "
            f"{big_shown} and {mid_shown} comments (replies and featured included), so per "
            f"comment shown: {found['page1_cost_per_comment_shown_big_over_mid']:.2f}x"
        )
    names = {
        "post_masthead_over_isso": "POST",
        "get_big_over_isso": "GET page 1",
        "get_big_signed_in_over_isso": "GET page 1 signed in",
        "get_big_100_over_isso": "GET 100 top-level",
    }
    compared = [f"{name} {found[key]:.2f}x" for key, name in names.items() if key in found]
    if compared:
        print("masthead/isso: " + ", ".join(compared))
    if live:
        print(
            f"\nlive updates: {LIVE_CLIENTS:,} open pages polling every "
            f"{LIVE_INTERVAL_MS / 1000:.0f} s on average ({live['offered_requests_per_s']:.0f} "
            f"req/s offered) for {LIVE_SECONDS} s while a comment is posted every second"
        )
        print(
            f"  served {live['requests_per_s']:,.0f} req/s, p50 {live['p50_ms']:.2f} ms, "
            f"p99 {live['p99_ms']:.2f} ms, errors {live['errors']}"
        )
        print(
            f"  the writer's posts took {live['post_ms_p50']} ms (median); once answered, the "
            f"new count showed after {live['visible_after_ms_p50']} ms (median, max "
            f"{live['visible_after_ms_max']} ms; {live['posts_seen']}/{live['posts']} seen) to "
            "a poller waiting in the same queue, plus the page's own poll interval"
        )
        if len(live["versions_at_rest"]) > 1 or live["version_went_backwards"]:
            print(
                f"  warning: the workers disagree on `version` ({live['versions_at_rest']} with "
                "no writes going on): without REDIS_URL it lives in each worker's in-process "
                "cache, so a page whose polls reach different workers sees it jump"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-demo", action="store_true", help="use the content already in var/bench"
    )
    parser.add_argument("--skip-isso", action="store_true", help="Masthead figures only")
    parser.add_argument("--skip-live", action="store_true", help="no 2,000-page live test")
    parser.add_argument(
        "--quick", action="store_true", help="3-second runs, page 1 of the big thread only"
    )
    args = parser.parse_args()
    wrk_path = common.ensure_tools()[0]
    wrk = Wrk(wrk_path, 3, 1) if args.quick else Wrk(wrk_path, SECONDS, WARMUP)
    common.busy_warning()
    open_files = common.raise_open_files()
    if args.skip_demo and common.demo_loaded():
        say(f"using the content already in {common.shown(VAR_DIR)}")
    else:
        common.load_demo()
    prepared = prepare_masthead()
    masthead = None
    results: dict = {}
    live: dict | None = None
    with tempfile.TemporaryDirectory(prefix="masthead-bench-comments-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            port = common.free_port()
            log = tmp / "masthead.log"
            masthead = common.start_masthead(port, log, server_env())
            common.wait_until_answers(port, "/api/v1/articles?limit=1", masthead, log)
            results.update(measure_masthead(wrk, port, prepared, tmp, full=not args.quick))
            if not args.skip_live:
                # The thread the posting run filled: polling cost does not depend on its size.
                live = run_live(wrk, port, prepared["post"][0], prepared["writer"], tmp)
            common.stop(masthead, "masthead serve", signal.SIGINT)
            masthead = None
            if not args.skip_isso:
                results.update(measure_isso(wrk, tmp))
        finally:
            common.stop(masthead, "masthead serve", signal.SIGINT)

    found = ratios(results)
    print_results(results, prepared, found, live)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "open_files_limit": open_files,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "wrk": wrk.describe(),
        "wrk_version": common.version([wrk.path, "--version"]),
        "masthead": f"masthead serve --workers {WORKERS} (production settings, SQLite, locmem)",
        "isso": None
        if args.skip_isso
        else f"isso {results.pop('isso_version', '')} under gunicorn --workers {WORKERS} "
        "--preload (SQLite)",
    }
    threads = {"big": prepared["big"][1], "mid": prepared["mid"][1]}
    out = RESULTS_DIR / "comments.json"
    report = {**meta, "threads": threads, "results": results, "ratios": found}
    out.write_text(json.dumps(report, indent=2) + "\n")
    say(f"wrote {common.shown(out)}")
    if live:
        out = RESULTS_DIR / "live.json"
        out.write_text(json.dumps({**meta, **live}, indent=2) + "\n")
        say(f"wrote {common.shown(out)}")


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
