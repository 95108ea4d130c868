"""Breaking-news soak: 500 readers on one hot story while its thread runs hot and two
moderators work the queue, on SQLite and on PostgreSQL + Redis.

Run by `make bench` (bench/run.py), or alone: `.venv/bin/python bench/soak.py [--quick]
[--backend sqlite|postgres]`.

For each backend: a fresh copy of a prepared database holding a newsroom with a hot story that
already has a 2,000-comment thread, 100 verified readers with API tokens, two moderators with
tokens and a backlog of 7,000 held comments. The prepared database is made once per set of
migrations and setup code (~25 s per backend) and copied for every run (well under a second):
SQLite from `<workdir>/soak-template-<key>/`; PostgreSQL with `CREATE DATABASE masthead_bench
TEMPLATE masthead_bench_template` (the template is kept between runs, its key in its comment;
`masthead_bench` is dropped at the end, Redis db 5 flushed before and after). Then `masthead
serve --workers 2` (production settings, its background worker too) and, at once, for 30 s per
backend with `--quick` (60 s of load in all, so that `make bench QUICK=1` fits in 3 minutes) or
10 min per backend:

- read: `wrk -t2 -c500` on the story's page (500 readers, each reloading as soon as it has it);
- comment: 30 comments a second into the story's thread (`POST /api/v1/articles/{id}/comments`,
  Bearer tokens of the 100 readers in turn; the comment rate limits are lifted through
  `MASTHEAD_RATE_COMMENT*` as in bench/comments.py), sent on schedule whatever the answers take
  (up to 150 in flight);
- moderator-queue / moderator-decision: two moderators each listing the Pending queue
  (`GET /api/v1/moderation/queues/pending`) and deciding the items of their half
  (`POST /api/v1/moderation/comments/{id}/decision`, approve two in three, reject the rest),
  a quarter of a second apart.

Reports throughput, p50/p99 per kind, errors (every answer other than the one expected: 200 for
reads, queue pages and decisions, 201 for comments; a 429 is counted apart and not as an error;
socket errors and timeouts are errors), and the RSS of every process of the server (granian's
main process and workers, the task worker, the supervisor), sampled every few seconds, with a
flat/growing verdict. Loopback only; every process started here is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
import growth  # the template database and data builders

ROOT = growth.ROOT
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_WORKDIR = ROOT / "var" / "bench"  # shared with bench/run.py: one set of templates
HOST = "127.0.0.1"
WORKERS = 2
READERS = 500
COMMENTS_PER_S = 30
# Client threads sending the scheduled comments: open loop, so that slow answers do not slow
# the schedule down, up to this many comments in flight at once.
POSTERS = 150
MODERATORS = 2
DECISION_PAUSE_S = 0.25
BENCH_READERS = 100
THREAD_SIZE = 2_000
# QUICK: 30 s of load per backend, 60 s in all (the "QUICK: 60 s"), so that `make bench
# QUICK=1` fits in 3 minutes; the full run soaks each backend for 10 minutes.
QUICK_SECONDS = 30
FULL_SECONDS = 600
# Held comments waiting for the moderators: enough for a full 10-minute run (they decide about
# one a second), the same for QUICK so that one prepared database serves both.
BACKLOG = 7_000
START_TIMEOUT = 90
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "masthead_bench"
# Migrated and set up once (per migrations and setup code), then copied with CREATE DATABASE
# ... TEMPLATE for every run; its comment holds the key it was made for.
PG_TEMPLATE = "masthead_bench_template"
REDIS_URL = "redis://127.0.0.1:6379/5"
RATE_ENV = {"MASTHEAD_RATE_COMMENT": "1000000/m", "MASTHEAD_RATE_COMMENT_IP": "1000000/m"}
EXPECTED = {"read": 200, "comment": 201, "moderator-queue": 200, "moderator-decision": 200}
KINDS = tuple(EXPECTED)


def say(message: str) -> None:
    print(f"bench soak: {message}", flush=True)


BenchError = growth.BenchError


# --- Setup -----------------------------------------------------------------------------------

SETUP = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import django
django.setup()
import growth
from masthead.accounts.models import Role
from masthead.accounts.services import create_user, issue_token

readers, backlog, thread_size = (int(arg) for arg in sys.argv[2:5])
out = sys.argv[5]
started = time.perf_counter()
room = growth.build_newsroom(articles=4, readers=readers)
hot = room["articles"][0]
growth.add_articles(room["sections"], 20, hot)
growth.say(f"  newsroom and readers in {time.perf_counter() - started:.1f} s")
growth.add_thread_comments(hot, room["readers"], thread_size)
growth.add_pending(room["articles"], room["readers"], backlog)
started = time.perf_counter()
tokens = [issue_token(user=user, name="soak")[1] for user in room["readers"]]
moderators = [room["moderator"]] + [
    create_user(email=f"bench-moderator-{n}@bench.example", password=None, role=Role.MODERATOR,
                verified=True, display_name=f"Bench moderator {n}")
    for n in range(1, 2)
]
growth.say(f"  tokens in {time.perf_counter() - started:.1f} s")
with open(out, "w") as f:
    json.dump({
        "article": hot.pk,
        "path": hot.url_path[len(room["home"].url_path) - 1:],
        "tokens": tokens,
        "moderator_tokens": [issue_token(user=m, name="soak")[1] for m in moderators],
    }, f)
# Close cleanly: SQLite folds its write-ahead log into the file, which is then copied alone.
from django.db import connections
connections.close_all()
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def raise_open_files() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(65536, hard)
    if soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def pg_admin(statements: list[str]) -> None:
    common.pg_admin(PG_ADMIN_URL, statements)


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def backend_env(backend: str, var_dir: Path, secret: str) -> dict[str, str]:
    env = growth.clean_env(var_dir)
    env.update(
        MASTHEAD_ENV="production",
        SECRET_KEY=secret,
        ALLOWED_HOSTS=HOST,
        MASTHEAD_SSL_REDIRECT="0",
        **RATE_ENV,
    )
    if backend == "postgres":
        env.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}")
        env.update(REDIS_URL=REDIS_URL)
    return env


def setup_key() -> str:
    """Changes when the migrations, the setup code or its sizes change: a prepared database
    made for another key is made again."""
    digest = hashlib.sha256(SETUP.encode())
    digest.update((Path(__file__).resolve().parent / "growth.py").read_bytes())
    digest.update(f"{BENCH_READERS}-{BACKLOG}-{THREAD_SIZE}".encode())
    return f"{growth.migrations_digest()}-{digest.hexdigest()[:12]}"


def run_setup(env: dict[str, str], out: Path) -> dict:
    """The newsroom, its hot story and thread, readers, moderators and backlog, made through
    Django in a child process configured by `env`; returns what the load needs."""
    say(
        f"newsroom: a hot story with {THREAD_SIZE:,} comments, {BENCH_READERS} readers with "
        f"tokens, {MODERATORS} moderators, {BACKLOG:,} held comments"
    )
    started = time.perf_counter()
    out.unlink(missing_ok=True)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP,
            str(Path(__file__).resolve().parent),
            str(BENCH_READERS),
            str(BACKLOG),
            str(THREAD_SIZE),
            str(out),
        ],
        env=env,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0 or not out.exists():
        raise BenchError(f"setting up the newsroom failed (exit code {result.returncode})")
    say(f"  ready in {time.perf_counter() - started:.0f} s")
    return json.loads(out.read_text())


def prepared_sqlite(workdir: Path) -> Path:
    """A directory holding a set-up SQLite soak database and its setup.json (tokens and the
    SECRET_KEY their digests are keyed by), made once per `setup_key()` and copied per run."""
    key = setup_key()
    ready = workdir / f"soak-template-{key}"
    if (ready / "setup.json").exists() and (ready / "masthead.sqlite3").exists():
        say(f"SQLite: copying the prepared soak database ({ready.relative_to(workdir)})")
        return ready
    for old in workdir.glob("soak-template-*"):
        shutil.rmtree(old, ignore_errors=True)
    building = workdir / "soak-template-building"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    say("SQLite: preparing the soak database once (later runs copy it)")
    shutil.copyfile(growth.migrated_sqlite(workdir), building / "masthead.sqlite3")
    secret = secrets.token_urlsafe(50)
    setup = run_setup(backend_env("sqlite", building, secret), building / "setup.json")
    (building / "setup.json").write_text(json.dumps({**setup, "secret": secret, "key": key}))
    shutil.rmtree(building / "cache", ignore_errors=True)
    building.rename(ready)
    return ready


def pg_template_key() -> str | None:
    import psycopg

    with psycopg.connect(
        PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as c:
        row = c.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [PG_TEMPLATE],
        ).fetchone()
    return row[0] if row else None


def prepared_postgres(workdir: Path) -> dict:
    """The database `masthead_bench_template`, migrated and set up once per `setup_key()`
    (its key in the database's comment, its setup.json in the work directory)."""
    key = setup_key()
    saved = workdir / "soak-postgres-template.json"
    if saved.exists() and pg_template_key() == key:
        setup = json.loads(saved.read_text())
        if setup.get("key") == key:
            say(f"PostgreSQL: copying the prepared soak database ({PG_TEMPLATE})")
            return setup
    say(f"PostgreSQL: preparing {PG_TEMPLATE} once (later runs copy it)")
    saved.unlink(missing_ok=True)
    pg_admin(
        [
            f"DROP DATABASE IF EXISTS {PG_TEMPLATE} WITH (FORCE)",
            f"CREATE DATABASE {PG_TEMPLATE}",
        ]
    )
    flush_redis()
    secret = secrets.token_urlsafe(50)
    var_dir = workdir / "soak-postgres-template"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = backend_env("postgres", var_dir, secret)
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_TEMPLATE}"
    say("  migrating it (masthead migrate)")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "masthead", "migrate", "--verbosity", "0"],
        env=env,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"migrate on PostgreSQL failed with exit code {result.returncode}")
    say(f"  migrated in {time.perf_counter() - started:.0f} s")
    setup = run_setup(env, var_dir / "setup.json")
    setup.update(secret=secret, key=key)
    pg_admin([f"COMMENT ON DATABASE {PG_TEMPLATE} IS '{key}'"])
    saved.write_text(json.dumps(setup))
    shutil.rmtree(var_dir, ignore_errors=True)
    flush_redis()
    return setup


def prepare(backend: str, workdir: Path) -> dict:
    """A fresh copy of the prepared soak database for this backend, an empty page cache (and
    Redis db 5 flushed); returns the setup (tokens, story, SECRET_KEY)."""
    var_dir = workdir / f"soak-{backend}"
    # Keep var_dir/static (collected once) but start from a fresh database and page cache.
    var_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(var_dir / "cache", ignore_errors=True)
    started = time.perf_counter()
    if backend == "sqlite":
        ready = prepared_sqlite(workdir)
        for old in var_dir.glob("masthead.sqlite3*"):
            old.unlink()
        for part in ready.glob("masthead.sqlite3*"):
            shutil.copyfile(part, var_dir / part.name)
        setup = json.loads((ready / "setup.json").read_text())
    else:
        setup = prepared_postgres(workdir)
        say(f"creating {PG_DATABASE} from {PG_TEMPLATE}; flushing Redis db 5")
        common.pg_copy_database(PG_ADMIN_URL, PG_DATABASE, PG_TEMPLATE)
        flush_redis()
    say(f"  database ready in {time.perf_counter() - started:.1f} s")
    return setup


# --- The server and its processes -------------------------------------------------------------


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "masthead", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(WORKERS)]
    say(f"starting: masthead serve --host {HOST} --port {port} --workers {WORKERS} (production)")
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def stop_server(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    say(f"stopping masthead serve (pid {process.pid})")
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    # Granian runs in a process group of its own (see masthead serve): whatever is left of
    # this server's tree goes too.
    for pid in descendants(process.pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def request(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    body: dict | None,
    headers: dict,
    seen: dict | None = None,
) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    all_headers = {"Accept-Encoding": "identity", **headers}
    if data is not None:
        all_headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=all_headers)
    response = conn.getresponse()
    if seen is not None:
        seen.update({k.lower(): v for k, v in response.getheaders()})
    return response.status, response.read()


def wait_until_answers(port: int, path: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"masthead serve exited with {process.returncode}:\n{tail(log)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            try:
                if request(conn, "GET", path, None, {})[0] == 200:
                    return
            finally:
                conn.close()
        time.sleep(0.3)
    raise BenchError(f"no answer on port {port} after {START_TIMEOUT} s:\n{tail(log)}")


def children_map() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            tree.setdefault(parent, []).append(int(entry))
    return tree


def descendants(pid: int) -> list[int]:
    tree, found, todo = children_map(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    return ""


def rss_mb(pid: int) -> float | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time the process has used."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


def server_processes(root: int) -> dict[int, str]:
    """The server's processes by role: the supervisor (`masthead serve` after its exec),
    granian's main process and its workers, the task worker."""
    roles = {root: "supervisor"}
    tree = children_map()
    workers = 0
    for child in tree.get(root, []):
        line = cmdline(child)
        if "granian" in line:
            roles[child] = "granian main"
            for grandchild in sorted(tree.get(child, [])):
                workers += 1
                roles[grandchild] = f"granian worker {workers}"
        elif "worker" in line:
            roles[child] = "task worker"
        else:
            roles[child] = f"child: {line[:60]}"
    return roles


class MemorySampler:
    def __init__(self, root: int, interval: float) -> None:
        self.root, self.interval = root, interval
        self.times: list[float] = []
        self.samples: dict[str, list[float | None]] = {}
        self.pids: dict[str, int] = {}
        self.cpu: dict[str, list[float]] = {}
        self.stop = threading.Event()
        self.started = time.monotonic()

    def sample(self) -> None:
        roles = server_processes(self.root)
        now = round(time.monotonic() - self.started, 1)
        self.times.append(now)
        seen = set()
        for pid, role in roles.items():
            if self.pids.setdefault(role, pid) != pid:
                role = f"{role} (restarted, pid {pid})"
                self.pids.setdefault(role, pid)
            seen.add(role)
            series = self.samples.setdefault(role, [None] * (len(self.times) - 1))
            series.append(rss_mb(pid))
            if (used := cpu_seconds(pid)) is not None:
                self.cpu.setdefault(role, []).append(used)
        for role, series in self.samples.items():
            if role not in seen:
                series.append(None)

    def loop(self) -> None:
        while not self.stop.wait(self.interval):
            self.sample()

    def summary(self) -> list[dict]:
        out = []
        for role, series in sorted(self.samples.items()):
            points = [(t, v) for t, v in zip(self.times, series, strict=True) if v is not None]
            if not points:
                continue
            values = [v for _, v in points]
            half = points[len(points) // 2 :]
            slope = 0.0
            if len(half) >= 2:
                xs, ys = [t for t, _ in half], [v for _, v in half]
                mx, my = statistics.fmean(xs), statistics.fmean(ys)
                den = sum((x - mx) ** 2 for x in xs)
                slope = (
                    sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den
                    if den
                    else 0.0
                )
            span_min = (half[-1][0] - half[0][0]) / 60 if len(half) >= 2 else 0.0
            # Flat: over the last half of the run the trend moved RSS by under 5 % (or 10 MB).
            moved = slope * 60 * span_min
            growing = moved > max(10.0, 0.05 * statistics.fmean(values))
            out.append(
                {
                    "role": role,
                    "pid": self.pids.get(role),
                    "start_mb": round(values[0], 1),
                    "end_mb": round(values[-1], 1),
                    "max_mb": round(max(values), 1),
                    "last_half_slope_mb_per_min": round(slope * 60, 2),
                    "trend": "growing" if growing else "flat",
                    "cpu_s": round(self.cpu[role][-1] - self.cpu[role][0], 1)
                    if len(self.cpu.get(role, [])) >= 2
                    else None,
                    "rss_mb": [None if v is None else round(v, 1) for v in series],
                }
            )
        return out


# --- Load --------------------------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {k: [] for k in KINDS}
        self.statuses: dict[str, dict[str, int]] = {k: {} for k in KINDS}

    def add(self, kind: str, status: int | str, ms: float | None) -> None:
        with self.lock:
            key = str(status)
            self.statuses[kind][key] = self.statuses[kind].get(key, 0) + 1
            if ms is not None:
                self.latency[kind].append(ms)


def timed(
    recorder: Recorder,
    kind: str,
    conn_box: list,
    port: int,
    method: str,
    path: str,
    body: dict | None,
    headers: dict,
) -> tuple[int, bytes]:
    """One request on a kept-alive connection (reopened after a failure); a failure is
    recorded as its exception's name."""
    started = time.perf_counter()
    try:
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection(HOST, port, timeout=30)
        status, data = request(conn_box[0], method, path, body, headers)
    except (OSError, http.client.HTTPException) as error:
        with contextlib.suppress(Exception):
            conn_box[0].close()
        conn_box[0] = None
        recorder.add(kind, type(error).__name__, None)
        return 0, b""
    recorder.add(kind, status, (time.perf_counter() - started) * 1000)
    return status, data


def poster(
    recorder: Recorder, port: int, prepared: dict, schedule: dict, stop: threading.Event
) -> None:
    conn: list = [None]
    tokens = prepared["tokens"]
    path = f"/api/v1/articles/{prepared['article']}/comments"
    while not stop.is_set():
        with schedule["lock"]:
            n = schedule["next"]
            schedule["next"] += 1
        due = schedule["t0"] + n / COMMENTS_PER_S
        wait = due - time.monotonic()
        if wait > 0 and stop.wait(wait):
            return
        if stop.is_set():
            return
        lateness = max(0.0, time.monotonic() - due)
        with schedule["lock"]:
            schedule["late_s"] = max(schedule["late_s"], lateness)
        body = {"body": f"Soak comment {n}: the bridge is still closed at {time.time():.3f}."}
        timed(
            recorder,
            "comment",
            conn,
            port,
            "POST",
            path,
            body,
            {"Authorization": f"Bearer {tokens[n % len(tokens)]}"},
        )


def moderator(
    recorder: Recorder, port: int, token: str, mine: int, stop: threading.Event, decided: list
) -> None:
    conn: list = [None]
    headers = {"Authorization": f"Bearer {token}"}
    n = 0
    while not stop.is_set():
        status, data = timed(
            recorder,
            "moderator-queue",
            conn,
            port,
            "GET",
            "/api/v1/moderation/queues/pending?limit=25",
            None,
            headers,
        )
        items = []
        if status == 200:
            with contextlib.suppress(ValueError, KeyError):
                items = [i for i in json.loads(data)["items"] if i["id"] % MODERATORS == mine]
        if not items and stop.wait(1.0):
            return
        for item in items:
            if stop.is_set():
                return
            n += 1
            action = "reject" if n % 3 == 0 else "approve"
            body = {"action": action, "seen": item.get("seen")}
            if action == "reject":
                body["reason"] = "off_topic"
            status, _ = timed(
                recorder,
                "moderator-decision",
                conn,
                port,
                "POST",
                f"/api/v1/moderation/comments/{item['id']}/decision",
                body,
                headers,
            )
            if status == 200:
                decided[mine] += 1
            if stop.wait(DECISION_PAUSE_S):
                return


# Counts every answer by status (per wrk thread, printed at the end), so that reads are held to
# exactly 200 like the other kinds: wrk's own count lets a 3xx pass as a success.
STATUS_LUA = """\
local threads = {}
statuses = {}
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
"""


def run_wrk(url: str, seconds: int, out: list, script: Path) -> None:
    wrk = shutil.which("wrk")
    command = [
        wrk or "wrk",
        "-t2",
        f"-c{READERS}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    out.append(result)


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(text: str) -> dict:
    def find(pattern: str) -> str:
        match = re.search(pattern, text, re.MULTILINE)
        if not match:
            raise BenchError(f"could not read {pattern!r} from wrk's output:\n{text}")
        return match.group(1)

    def ms(value: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
        return round(float(number) * UNITS_MS[unit], 2)

    figures = {
        "requests": int(find(r"^\s+(\d+) requests in")),
        "requests_per_s": round(float(find(r"^Requests/sec:\s+([\d.]+)")), 1),
        "p50_ms": ms(find(r"^\s+50%\s+(\S+)")),
        "p99_ms": ms(find(r"^\s+99%\s+(\S+)")),
        "non_2xx_3xx": 0,
        "socket_errors": {},
    }
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", text):
        figures["non_2xx_3xx"] = int(match.group(1))
    if match := re.search(r"Socket errors: (.*)", text):
        figures["socket_errors"] = {
            name: int(count) for name, count in re.findall(r"(\w+) (\d+)", match.group(1))
        }
    statuses: dict[str, int] = {}
    for code, count in re.findall(r"^status (\d+) (\d+)$", text, re.MULTILINE):
        statuses[code] = statuses.get(code, 0) + int(count)
    figures["statuses"] = statuses
    # Every answer but a 200 is an error (a 3xx too, which wrk itself counts as a success),
    # and so is every socket error (connect, read, write, timeout).
    not_200 = sum(c for code, c in statuses.items() if code != "200")
    figures["errors"] = max(not_200, figures["non_2xx_3xx"]) + sum(
        figures["socket_errors"].values()
    )
    return figures


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def soak(backend: str, workdir: Path, seconds: int) -> dict:
    started_setup = time.perf_counter()
    load_before = growth.check_load()
    prepared = prepare(backend, workdir)
    # The SECRET_KEY the prepared database's API token digests are keyed by.
    env = backend_env(backend, workdir / f"soak-{backend}", prepared["secret"])
    port = free_port()
    server = None
    log = workdir / f"soak-{backend}-server.log"
    try:
        server = start_server(env, port, log)
        wait_until_answers(port, prepared["path"], server, log)
        # Wait for every process of the tree (granian workers and the task worker).
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            roles = set(server_processes(server.pid).values())
            if {"granian worker 2", "task worker"} <= roles:
                break
            time.sleep(0.5)
        setup_s = round(time.perf_counter() - started_setup, 1)
        count_before = thread_count(port, prepared["article"])
        page_headers = article_headers(port, prepared["path"])
        interval = 1.0 if seconds <= 60 else 3.0 if seconds <= 120 else 10.0
        sampler = MemorySampler(server.pid, interval)
        sampler.sample()
        recorder = Recorder()
        stop = threading.Event()
        schedule = {"lock": threading.Lock(), "next": 0, "t0": time.monotonic(), "late_s": 0.0}
        decided = [0] * MODERATORS
        wrk_out: list = []
        script = workdir / "soak-statuses.lua"
        script.write_text(STATUS_LUA)
        threads = [threading.Thread(target=sampler.loop, daemon=True)]
        threads += [
            threading.Thread(
                target=poster, args=(recorder, port, prepared, schedule, stop), daemon=True
            )
            for _ in range(POSTERS if COMMENTS_PER_S > 0 else 0)
        ]
        threads += [
            threading.Thread(
                target=moderator,
                args=(recorder, port, token, mine, stop, decided),
                daemon=True,
            )
            for mine, token in enumerate(prepared["moderator_tokens"][:MODERATORS])
        ]
        reader = threading.Thread(
            target=run_wrk,
            args=(f"http://{HOST}:{port}{prepared['path']}", seconds, wrk_out, script),
            daemon=True,
        )
        say(
            f"{backend}: {seconds} s of {READERS} readers on {prepared['path']}, "
            f"{COMMENTS_PER_S} comments/s, {MODERATORS} moderators"
        )
        t0 = time.monotonic()
        schedule["t0"] = t0
        for thread in [reader, *threads]:
            thread.start()
        last = 0.0
        while reader.is_alive():
            reader.join(timeout=1.0)
            elapsed = time.monotonic() - t0
            if elapsed - last >= 10 or not reader.is_alive():
                last = elapsed
                with recorder.lock:
                    posted = recorder.statuses["comment"].get("201", 0)
                    failed = sum(
                        c
                        for kind in KINDS[1:]
                        for s, c in recorder.statuses[kind].items()
                        if s not in (str(EXPECTED[kind]), "429")
                    )
                rss = ", ".join(
                    f"{role.split(' (')[0]} {series[-1]:.0f}"
                    for role, series in sorted(sampler.samples.items())
                    if series and series[-1] is not None
                )
                say(
                    f"  {backend} {elapsed:4.0f} s: {posted} comments posted, "
                    f"{sum(decided)} decisions, {failed} errors so far; RSS MB: {rss}"
                )
            if server.poll() is not None:
                raise BenchError(f"masthead serve exited during the soak:\n{tail(log)}")
        stop.set()
        elapsed = time.monotonic() - t0
        sampler.stop.set()
        sampler.sample()
        for thread in threads:
            thread.join(timeout=35)
        if not wrk_out or wrk_out[0].returncode != 0:
            output = wrk_out[0].stdout + wrk_out[0].stderr if wrk_out else "(wrk did not finish)"
            raise BenchError(f"wrk failed:\n{output}")
        read = parse_wrk(wrk_out[0].stdout)
        count_after = thread_count(port, prepared["article"])
    finally:
        stop_server(server)
        if backend == "postgres":
            with contextlib.suppress(Exception):
                pg_admin([f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"])
            with contextlib.suppress(Exception):
                flush_redis()

    kinds: dict[str, dict] = {
        "read": {
            "requests": read["requests"],
            "requests_per_s": read["requests_per_s"],
            "p50_ms": read["p50_ms"],
            "p99_ms": read["p99_ms"],
            "errors": read["errors"],
            "error_detail": {"non_2xx_3xx": read["non_2xx_3xx"], **read["socket_errors"]},
            "statuses": read["statuses"],
            "latency": "per request, from wrk's --latency distribution",
        }
    }
    for kind in KINDS[1:]:
        statuses = recorder.statuses[kind]
        latency = recorder.latency[kind]
        errors = sum(c for s, c in statuses.items() if s not in (str(EXPECTED[kind]), "429"))
        kinds[kind] = {
            "requests": sum(statuses.values()),
            "requests_per_s": round(sum(statuses.values()) / elapsed, 2),
            "p50_ms": percentile(latency, 0.5),
            "p99_ms": percentile(latency, 0.99),
            "errors": errors,
            "rate_limited_429": statuses.get("429", 0),
            "statuses": statuses,
            "latency": "per request, answered ones (failures are counted as errors instead)",
        }
    processes = sampler.summary()
    restarted = [p["role"] for p in processes if "restarted" in p["role"]]
    errors_total = sum(k["errors"] for k in kinds.values())
    return {
        "backend": backend,
        "database": "SQLite (WAL)" if backend == "sqlite" else "PostgreSQL + Redis (cache, db 5)",
        "seconds": round(elapsed, 1),
        "setup_seconds": setup_s,
        "server": f"masthead serve --workers {WORKERS} (production settings) + its task worker",
        "page_cache": os.environ.get("MASTHEAD_PAGE_CACHE", "on (default)"),
        "load": {
            "readers": READERS,
            "comments_per_s": COMMENTS_PER_S,
            "moderators": MODERATORS,
            "decision_pause_s": DECISION_PAUSE_S,
            "story_path": prepared["path"],
        },
        "kinds": kinds,
        "load_average": {"start": load_before, "end": [round(x, 2) for x in os.getloadavg()]},
        "article_page_headers": page_headers,
        "errors_total": errors_total,
        "comment_schedule_max_late_s": round(schedule["late_s"], 2),
        "decisions": sum(decided),
        "thread_count_before": count_before,
        "thread_count_after": count_after,
        "rss_times_s": sampler.times,
        "processes": processes,
        # A process that was replaced mid-run (a worker that died) is not "flat memory".
        "restarted": restarted,
        "memory_flat": not restarted and all(p["trend"] == "flat" for p in processes),
        "pass": errors_total == 0
        and not restarted
        and all(p["trend"] == "flat" for p in processes),
    }


def article_headers(port: int, path: str) -> dict:
    """The story page's caching headers on a second anonymous GET (a page-cache hit shows
    `X-Cache: HIT`)."""
    seen: dict = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        for _ in range(2):
            seen.clear()
            request(conn, "GET", path, None, {}, seen)
    except (OSError, http.client.HTTPException):
        return {}
    finally:
        conn.close()
    wanted = ("x-cache", "cache-control", "surrogate-key", "set-cookie", "vary", "age")
    return {k: v for k, v in seen.items() if k in wanted}


def thread_count(port: int, article: int) -> int | None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        status, data = request(conn, "GET", f"/api/v1/articles/{article}/comments/live", None, {})
        return json.loads(data).get("comment_count") if status == 200 else None
    except (OSError, http.client.HTTPException, ValueError):
        return None
    finally:
        conn.close()


# --- Interface for bench/run.py --------------------------------------------------------------


def run(
    quick: bool,
    workdir: Path,
    backends: tuple[str, ...] = ("sqlite", "postgres"),
    seconds: int | None = None,
) -> dict:
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if not shutil.which("wrk"):
        raise BenchError("wrk not found (bench/article_vs_nginx.py installs it when run as root)")
    open_files = raise_open_files()
    seconds = seconds or (QUICK_SECONDS if quick else FULL_SECONDS)
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "cores": os.cpu_count(),
        "open_files_limit": open_files,
        "seconds_per_backend": seconds,
        "errors_counted": (
            "any answer other than 200 (reads, queue pages, decisions) or 201 (comments), and "
            "socket errors/timeouts; 429 is counted apart, not as an error"
        ),
        "backends": {},
    }
    for backend in backends:
        results["backends"][backend] = soak(backend, workdir, seconds)
    return results


def rows(result: dict) -> list[tuple[str, str, str]]:
    table = []
    if result.get("quick"):
        each = result.get("seconds_per_backend", QUICK_SECONDS)
        table.append(
            (
                "soak: note",
                f"QUICK: {each} s of load per backend ({each * len(result['backends'])} s in all)",
                "full run: 10 min each",
            )
        )
    for backend, r in result["backends"].items():
        name = "SQLite" if backend == "sqlite" else "PostgreSQL+Redis"
        for kind, k in r["kinds"].items():
            p50 = "-" if k["p50_ms"] is None else f"{k['p50_ms']:.1f}"
            p99 = "-" if k["p99_ms"] is None else f"{k['p99_ms']:.1f}"
            target = f" (target {r['load']['comments_per_s']:g}/s)" if kind == "comment" else ""
            limited = k.get("rate_limited_429") or 0
            also = f", {limited} x 429 (not errors)" if limited else ""
            verdict = "PASS" if k["errors"] == 0 else "FAIL (errors must be 0)"
            if kind == "comment":
                late = r.get("comment_schedule_max_late_s") or 0
                if k["requests_per_s"] < 0.95 * r["load"]["comments_per_s"] or late > 5:
                    verdict += f"; the {r['load']['comments_per_s']:g}/s schedule was not kept"
                    verdict += f" (up to {late:.0f} s late)"
            table.append(
                (
                    f"soak {name}: {kind}{target}",
                    f"{k['requests_per_s']:,.1f} req/s, p50 {p50} ms, p99 {p99} ms, "
                    f"{k['errors']} errors{also}",
                    verdict,
                )
            )
        memory = "; ".join(
            f"{p['role']} {p['start_mb']:.0f}->{p['end_mb']:.0f} MB ({p['trend']})"
            for p in r["processes"]
        )
        load = r.get("load_average", {}).get("start")
        if load and load[0] > (result.get("cores") or 1) / 2:
            table.append((f"soak {name}: note", f"load average {load[0]} before the run", ""))
        if r.get("restarted"):
            verdict = f"FAIL restarted mid-run: {', '.join(r['restarted'])}"
        else:
            verdict = "PASS flat" if r["memory_flat"] else "FAIL growing"
        table.append(
            (
                f"soak {name}: RSS start->end over {r['seconds']:.0f} s (trend: last half)",
                memory,
                verdict,
            )
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SECONDS} s per backend")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], action="append")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    # For looking into a result, not for the table: another length, load or comment rate.
    parser.add_argument("--seconds", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--readers", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--comments-per-s", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global READERS, COMMENTS_PER_S
    READERS = args.readers if args.readers is not None else READERS
    COMMENTS_PER_S = args.comments_per_s if args.comments_per_s is not None else COMMENTS_PER_S
    backends = tuple(args.backend or ("sqlite", "postgres"))
    result = run(args.quick, args.workdir, backends, args.seconds)
    print()
    for measure, value, verdict in rows(result):
        print(f"{measure:<40} {value}    {verdict}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "soak.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    say(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        print(f"bench soak: error: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
