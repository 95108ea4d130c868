"""Faults: nothing acknowledged is lost, and the site degrades gracefully.

Run by `make stress` (bench/stress.py), or alone:
`.venv/bin/python bench/faults.py [--quick] [--backend sqlite|postgres] [--json PATH]`.

Against real `masthead serve --workers 2` processes (production settings, loopback), per
backend (SQLite always; PostgreSQL when one answers: DATABASE_URL's server, or 127.0.0.1:5432,
in a database of its own, `masthead_faults_<pid>`, dropped at the end), with a redis-server of
its own on a free port (never the machine's):

1. kill -9: clients post comments, reports and moderators' decisions (API, Bearer tokens) and
   Stripe webhook events (signed with the endpoint secret) as fast as they can, recording every
   acknowledged write (2xx); the whole server tree (supervisor, granian and its workers, the
   task worker) gets SIGKILL mid-flight; the server is started again and every acknowledged
   write is looked for in the database. `lost` must be 0.
2. Redis stopped (SIGKILL of our redis-server): pages still serve (200), comments are still
   accepted (201), rate limits still refuse past the limit (counted on this machine meanwhile);
   Redis started again: rate counters and cached pages show up in it again within seconds.
3. Database briefly unreachable: PostgreSQL is reached through a TCP proxy run here, which is
   cut: pages and the API answer 503 with Retry-After (no traceback), a webhook gets a non-2xx;
   the proxy restored, everything serves again and the retried webhook is recorded once. On
   SQLite another connection holds the write lock past the busy timeout: writes get 503 with
   Retry-After, reads go on; the lock released, the retried webhook is recorded once.

Databases start from a migrated template made once per set of migrations and kept: SQLite in
var/bench/faults/template-*, PostgreSQL `masthead_faults_template`. `--quick` writes for 3 s
before the kill (8 s otherwise); every other step is the same. Writes JSON rows (area "fault")
with --json and exits non-zero if any row fails. FAULTS_KEEP=1 keeps the run's directory (logs)
for a look.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
import growth  # a migrated SQLite template and the newsroom builders

ROOT = growth.ROOT
HOST = "127.0.0.1"
WORKERS = 2
DEFAULT_WORKDIR = ROOT / "var" / "bench" / "faults"


def pg_server() -> tuple[str, str, int]:
    """Credentials, host and port of the PostgreSQL to use: DATABASE_URL's when it names one
    (its database is never touched: ours is made beside it), else postgres@127.0.0.1:5432."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        credentials = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
        return credentials, parts.hostname or HOST, parts.port or 5432
    return "postgres", HOST, 5432


def pg_url(database: str, address: tuple[str, int] | None = None) -> str:
    credentials, host, port = pg_server()
    host, port = address or (host, port)
    at = f"{credentials}@" if credentials else ""
    return f"postgresql://{at}{host}:{port}/{database}"


PG_ADMIN_URL = pg_url("postgres")
# Migrated once per set of migrations and kept; each run works in a copy of it.
PG_TEMPLATE = "masthead_faults_template"
START_TIMEOUT = 90
REQUEST_TIMEOUT = 30
WEBHOOK_SECRET = "whsec_faults_" + "0123456789abcdef" * 2
# The kill test lifts the comment and report limits (the clients write as fast as they can);
# after the restart comments are limited to COMMENT_LIMIT a minute per reader, to see a limit
# hold with Redis stopped.
LIFTED = {
    "MASTHEAD_RATE_COMMENT": "1000000/m",
    "MASTHEAD_RATE_COMMENT_IP": "1000000/m",
    "MASTHEAD_RATE_REPORT": "1000000/m",
    "MASTHEAD_RATE_REPORT_IP": "1000000/m",
}
COMMENT_LIMIT = 5
READERS = 24
SPARE_READERS = 6  # kept out of the kill test, for the later checks
PUBLISHED = 120
PENDING = 1500
KILL_AFTER = {True: 3.0, False: 8.0}  # seconds of writes before the SIGKILL (quick, full)


def say(message: str) -> None:
    print(f"bench faults: {message}", flush=True)


class BenchError(Exception):
    pass


# --- Rows -------------------------------------------------------------------------------------


@dataclass
class Report:
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, check: str, ok: bool, figure: str, lost: int = 0, bad_inputs: int = 0) -> None:
        self.rows.append(
            {
                "area": "fault",
                "check": check,
                "ok": bool(ok),
                "figure": figure,
                "lost": int(lost),
                "bad_inputs": int(bad_inputs),
            }
        )
        say(f"{'PASS' if ok else 'FAIL'} {check}: {figure}")

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(row["ok"] for row in self.rows)


# --- Setup (in a Django child process) ---------------------------------------------------------

SETUP = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import django
django.setup()
import growth
from masthead.accounts.models import Role
from masthead.accounts.services import create_user, issue_token
from masthead.community.models import Comment, CommentStatus

readers, published, pending, out = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
quiet = lambda *args, **kwargs: None
room = growth.build_newsroom(articles=2, readers=readers, sections=1)
hot = room["articles"][0]
growth.add_thread_comments(hot, room["readers"], published, progress=quiet)
growth.add_pending([hot], room["readers"], pending, progress=quiet)
second = create_user(email="faults-moderator-2@bench.example", password=None,
                     role=Role.MODERATOR, verified=True, display_name="Second moderator")
comments = Comment.objects.filter(article=hot)
with open(out, "w") as f:
    json.dump({
        "article": hot.pk,
        "path": hot.url_path[len(room["home"].url_path) - 1:],
        "readers": [{"id": u.pk, "token": issue_token(user=u, name="faults")[1]}
                    for u in room["readers"]],
        "moderators": [issue_token(user=m, name="faults")[1] for m in (room["moderator"], second)],
        "pending": list(comments.filter(status=CommentStatus.PENDING).values_list("pk", flat=True)),
        "published": list(comments.filter(status=CommentStatus.PUBLISHED, parent=None)
                          .values_list("pk", "author_id")),
    }, f)
from django.db import connections
connections.close_all()
"""

VERIFY = r"""
import json, sys
import django
django.setup()
from masthead.community.models import Comment
from masthead.moderation.models import ModerationAction, Report
from masthead.revenue.models import Payment, StripeEvent

acked = json.load(open(sys.argv[1]))
missing = {}
ids = [c["id"] for c in acked["comment"]]
found = set(Comment.objects.filter(pk__in=ids).values_list("pk", flat=True))
missing["comment"] = len(set(ids) - found)
pairs = {(r["comment"], r["reader"]) for r in acked["report"]}
have = set(Report.objects.filter(comment_id__in={c for c, _ in pairs})
           .values_list("comment_id", "reporter_id"))
missing["report"] = len(pairs - have)
decided = {d["id"]: d["status"] for d in acked["decision"]}
statuses = dict(Comment.objects.filter(pk__in=decided).values_list("pk", "status"))
acted = set(ModerationAction.objects.filter(comment_id__in=decided, actor__isnull=False)
            .values_list("comment_id", flat=True))
missing["decision"] = sum(1 for pk, status in decided.items()
                          if statuses.get(pk) != status or pk not in acted)
events = {e["event"]: e["intent"] for e in acked["webhook"]}
stored = set(StripeEvent.objects.filter(event_id__in=events).values_list("event_id", flat=True))
paid = set(Payment.objects.filter(payment_intent_id__in=events.values())
           .values_list("payment_intent_id", flat=True))
missing["webhook"] = sum(1 for e, pi in events.items() if e not in stored or pi not in paid)
counts = {"webhook_rows": {e: StripeEvent.objects.filter(event_id=e).count()
                           for e in acked.get("count_events", [])}}
print(json.dumps({"missing": missing, **counts}))
"""


def run_django(script: str, env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"a Django child process failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# --- Processes --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def children_map() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                parent = int(stat[stat.rindex(")") + 2 :].split()[1])
                tree.setdefault(parent, []).append(int(entry))
    return tree


def tree_of(pid: int) -> list[int]:
    tree, found, todo = children_map(), [pid], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Server:
    """`masthead serve --workers 2` on a free port, in its own session."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.collected = False

    def start(self, path: str) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "masthead", "serve", "--host", HOST]
        command += ["--port", str(self.port), "--workers", str(WORKERS)]
        if self.collected:  # a restart: the static files are there from the first start
            command.append("--no-collectstatic")
        self.collected = True
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"masthead serve exited:\n{tail(self.log)}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if call(self.port, "GET", path, timeout=5)[0] == 200:
                    return
            time.sleep(0.3)
        raise BenchError(f"masthead serve did not answer in {START_TIMEOUT} s:\n{tail(self.log)}")

    def kill(self) -> int:
        """SIGKILL to every process of the tree at once (granian runs in a process group of its
        own: each group and each process); returns how many processes there were."""
        assert self.process is not None
        pids = tree_of(self.process.pid)
        groups = set()
        for pid in pids:
            with contextlib.suppress(OSError):
                groups.add(os.getpgid(pid))
        for group in groups:
            with contextlib.suppress(OSError):
                os.killpg(group, signal.SIGKILL)
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(pids)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        pids = tree_of(self.process.pid)
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


class RedisServer:
    """A redis-server of our own on a free port, without persistence."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if not binary:
            raise BenchError("redis-server not found (apt-get install redis-server)")
        self.process = subprocess.Popen(
            [
                *(binary, "--port", str(self.port), "--bind", HOST),
                *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                if self.client().ping():
                    return
            time.sleep(0.05)
        raise BenchError(f"our redis-server on port {self.port} did not start")

    def client(self):  # type: ignore[no-untyped-def]
        import redis

        return redis.Redis(host=HOST, port=self.port, socket_timeout=2)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


class Proxy:
    """A TCP forwarder to PostgreSQL that can be cut (listener and every connection closed,
    so new connections are refused) and restored on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(128)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()
                with self.lock:
                    self.sockets.discard(sock)

    def cut(self) -> None:
        if self.listener is not None:
            # shutdown() first: close() alone leaves a thread blocked in accept() listening.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            cut, self.sockets = set(self.sockets), set()
        for sock in cut:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


# --- HTTP -------------------------------------------------------------------------------------


def call(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, dict[str, str], bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        all_headers = {"Accept-Encoding": "identity", **(headers or {})}
        if body is not None:
            all_headers.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        if own:
            conn.close()


def api(
    port: int, method: str, path: str, token: str, payload: dict, **kwargs: Any
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Authorization": f"Bearer {token}"}
    return call(port, method, path, json.dumps(payload).encode(), headers, **kwargs)


def checkout_event(tag: str) -> tuple[dict[str, Any], str]:
    """A Payment Link `checkout.session.completed` event as Stripe sends it; and its intent."""
    unique = f"{tag}_{uuid.uuid4().hex[:16]}"
    intent = f"pi_faults_{unique}"
    session = {
        "id": f"cs_test_faults_{unique}",
        "object": "checkout.session",
        "amount_subtotal": 700,
        "amount_total": 700,
        "client_reference_id": None,
        "currency": "eur",
        "customer": None,
        "customer_details": {"email": f"donor-{unique}@faults.example", "name": "Fault Donor"},
        "customer_email": None,
        "invoice": None,
        "livemode": False,
        "metadata": {},
        "mode": "payment",
        "payment_intent": intent,
        "payment_link": "plink_faults",
        "payment_status": "paid",
        "status": "complete",
        "subscription": None,
    }
    event = {
        "id": f"evt_faults_{unique}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "data": {"object": session},
        "livemode": False,
        "type": "checkout.session.completed",
    }
    return event, intent


def deliver(port: int, event: dict[str, Any], **kwargs: Any) -> tuple[int, dict[str, str], bytes]:
    """POST the event signed as Stripe signs it (a fresh timestamp, as a retry has)."""
    body = json.dumps(event, indent=2).encode()
    stamp = int(time.time())
    digest = hmac.new(
        WEBHOOK_SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    headers = {"Stripe-Signature": f"t={stamp},v1={digest}"}
    return call(port, "POST", "/webhooks/stripe", body, headers, **kwargs)


def clean_503(status: int, headers: dict[str, str], body: bytes) -> bool:
    return (
        status == 503
        and headers.get("retry-after", "").isdigit()
        and b"Traceback" not in body
        and b'File "' not in body
        and len(body) < 4000
    )


# --- Backends ---------------------------------------------------------------------------------


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3, autocommit=True) as c:
            c.execute("SELECT 1")
        return True
    except Exception:
        return False


def pg_admin(statements: list[str]) -> None:
    common.pg_admin(PG_ADMIN_URL, statements)


def pg_database(workdir: Path, database: str, secret: str) -> None:
    """`database`, migrated: a copy of PG_TEMPLATE, which is migrated once per set of
    migrations (its digest in the template's comment) and kept for the next runs."""
    import psycopg

    digest = growth.migrations_digest()
    workdir.mkdir(parents=True, exist_ok=True)
    with (workdir / ".pg-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
            row = c.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [PG_TEMPLATE],
            ).fetchone()
        if not row or row[0] != digest:
            say(f"PostgreSQL: migrating {PG_TEMPLATE} (once per set of migrations)")
            started = time.monotonic()
            pg_admin(
                [
                    f"DROP DATABASE IF EXISTS {PG_TEMPLATE} WITH (FORCE)",
                    f"CREATE DATABASE {PG_TEMPLATE}",
                ]
            )
            env = base_env(workdir / "pg-template", secret, DATABASE_URL=pg_url(PG_TEMPLATE))
            env["DATABASE_POOL"] = "0"
            result = subprocess.run(
                [sys.executable, "-m", "masthead", "migrate", "--verbosity", "0"],
                env=env,
                cwd=ROOT,
                check=False,
            )
            if result.returncode != 0:
                raise BenchError("migrate on PostgreSQL failed")
            pg_admin([f"COMMENT ON DATABASE {PG_TEMPLATE} IS '{digest}'"])
            shutil.rmtree(workdir / "pg-template", ignore_errors=True)
            say(f"PostgreSQL: migrated in {time.monotonic() - started:.0f} s")
        common.pg_copy_database(PG_ADMIN_URL, database, PG_TEMPLATE)


def build_newsroom(env: dict[str, str], out: Path) -> dict[str, Any]:
    """SETUP in a child process configured by `env`; what the clients need."""
    sizes = (READERS, PUBLISHED, PENDING)
    run_django(SETUP, env, str(Path(__file__).resolve().parent), *map(str, sizes), str(out))
    return json.loads(out.read_text())


def sqlite_newsroom(workdir: Path) -> Path:
    """A directory holding a set-up SQLite database and its setup.json (with the SECRET_KEY
    its tokens are keyed by), made once per migrations and setup code, copied for each run."""
    digest = hashlib.sha256(SETUP.encode())
    digest.update((Path(__file__).resolve().parent / "growth.py").read_bytes())
    digest.update(f"{READERS}-{PUBLISHED}-{PENDING}".encode())
    ready = workdir / f"newsroom-{growth.migrations_digest()}-{digest.hexdigest()[:12]}"
    template = sqlite_template(workdir)
    with (workdir / ".newsroom.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (ready / "setup.json").exists():
            return ready
        for old in workdir.glob("newsroom-*"):
            shutil.rmtree(old, ignore_errors=True)
        building = workdir / "newsroom-building"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        shutil.copyfile(template, building / "masthead.sqlite3")
        secret = secrets.token_urlsafe(50)
        say("SQLite: setting up the newsroom once (later runs copy it)")
        setup = build_newsroom(base_env(building, secret), building / "setup.json")
        (building / "setup.json").write_text(json.dumps({**setup, "secret": secret}))
        shutil.rmtree(building / "cache", ignore_errors=True)
        building.rename(ready)
        return ready


def sqlite_template(workdir: Path) -> Path:
    """growth's migrated template, built under a lock (the tests and the bench share it)."""
    workdir.mkdir(parents=True, exist_ok=True)
    with (workdir / ".template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return growth.migrated_sqlite(workdir)


def base_env(var_dir: Path, secret: str, **extra: str) -> dict[str, str]:
    env = growth.clean_env(var_dir)
    env.update(
        MASTHEAD_ENV="production",
        SECRET_KEY=secret,
        ALLOWED_HOSTS=HOST,
        MASTHEAD_SSL_REDIRECT="0",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        **LIFTED,
    )
    env.update(extra)
    return env


# --- The checks -------------------------------------------------------------------------------


@dataclass
class Acked:
    comment: list[dict[str, Any]] = field(default_factory=list)
    report: list[dict[str, Any]] = field(default_factory=list)
    decision: list[dict[str, Any]] = field(default_factory=list)
    webhook: list[dict[str, Any]] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)  # answered, but not 2xx (5xx, 4xx)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def tally(self, kind: str, field_: str) -> None:
        with self.lock:
            target = self.attempts if field_ == "attempts" else self.refused
            target[kind] = target.get(kind, 0) + 1

    def as_json(self) -> dict[str, Any]:
        return {
            "comment": self.comment,
            "report": self.report,
            "decision": self.decision,
            "webhook": self.webhook,
        }


def writer(kind: str, number: int, port: int, setup: dict, acked: Acked, stop: threading.Event):
    """One client writing `kind` as fast as it can, recording what was acknowledged."""
    readers = setup["readers"][: READERS - SPARE_READERS]
    n = 0
    conn: http.client.HTTPConnection | None = None
    while not stop.is_set():
        n += 1
        if conn is None:
            conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            acked.tally(kind, "attempts")
            if kind == "comment":
                reader = readers[(number * 7 + n) % len(readers)]
                body = {"body": f"Fault test comment {number}-{n}: the ferry timetable again."}
                status, _, data = api(
                    port,
                    "POST",
                    f"/api/v1/articles/{setup['article']}/comments",
                    reader["token"],
                    body,
                    conn=conn,
                )
                if status == 201:
                    with acked.lock:
                        acked.comment.append({"id": json.loads(data)["id"]})
            elif kind == "report":
                pairs = setup["report_pairs"][number]
                if n > len(pairs):
                    break
                comment, reader = pairs[n - 1]
                token = next(r["token"] for r in readers if r["id"] == reader)
                status, _, data = api(
                    port,
                    "POST",
                    f"/api/v1/comments/{comment}/reports",
                    token,
                    {"reason": "spam", "note": "fault test"},
                    conn=conn,
                )
                if status == 202:
                    with acked.lock:
                        acked.report.append({"comment": comment, "reader": reader})
            elif kind == "decision":
                mine = setup["pending"][number::2]
                if n > len(mine):
                    break
                pk = mine[n - 1]
                action = "approve" if n % 3 else "reject"
                status, _, data = api(
                    port,
                    "POST",
                    f"/api/v1/moderation/comments/{pk}/decision",
                    setup["moderators"][number],
                    {"action": action},
                    conn=conn,
                )
                if status == 200:
                    with acked.lock:
                        acked.decision.append({"id": pk, "status": json.loads(data)["status"]})
            else:
                event, intent = checkout_event(f"k{number}n{n}")
                status, _, data = deliver(port, event, conn=conn)
                if 200 <= status < 300:
                    with acked.lock:
                        acked.webhook.append({"event": event["id"], "intent": intent})
            if not 200 <= status < 300:
                acked.tally(kind, "refused")
        except (OSError, http.client.HTTPException, ValueError):
            # Not acknowledged: the server died under it (or before it answered).
            with contextlib.suppress(Exception):
                conn.close()
            conn = None
            time.sleep(0.02)
    if conn is not None:
        conn.close()


def check_kill(
    report: Report,
    label: str,
    server: Server,
    setup: dict,
    env: dict[str, str],
    quick: bool,
    workdir: Path,
    sqlite_path: Path | None,
) -> None:
    acked = Acked()
    stop = threading.Event()
    # Report pairs: reader x published comment, never one's own, split between two clients.
    readers = [r["id"] for r in setup["readers"][: READERS - SPARE_READERS]]
    pairs = [(c, r) for c, author in setup["published"] for r in readers if r != author]
    setup["report_pairs"] = [pairs[0::2], pairs[1::2]]
    plan = [("comment", i) for i in range(4)] + [("report", i) for i in range(2)]
    plan += [("decision", i) for i in range(2)] + [("webhook", i) for i in range(2)]
    threads = [
        threading.Thread(target=writer, args=(kind, i, server.port, setup, acked, stop))
        for kind, i in plan
    ]
    for thread in threads:
        thread.start()
    # At least KILL_AFTER seconds of writes, and every kind acknowledged a few times first
    # (on a busy machine the first answers can take a while).
    started = time.monotonic()
    while time.monotonic() - started < KILL_AFTER[quick] or (
        min(len(acked.comment), len(acked.report), len(acked.decision), len(acked.webhook)) < 3
        and time.monotonic() - started < 60
    ):
        time.sleep(0.1)
    in_flight = sum(acked.attempts.values())
    processes = server.kill()
    say(f"{label}: SIGKILL to {processes} processes after {in_flight} writes were sent")
    time.sleep(0.5)  # the clients see refused connections for a moment
    stop.set()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 5)
    integrity = "n/a"
    if sqlite_path is not None:
        with contextlib.closing(sqlite3.connect(sqlite_path, timeout=30)) as db:
            # Django's REGEXP, which check constraints use.
            db.create_function(
                "REGEXP", 2, lambda pattern, value: bool(re.search(pattern, str(value or "")))
            )
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    started = time.monotonic()
    server.env = env
    server.start(setup["path"])
    back = time.monotonic() - started
    acked_file = workdir / f"acked-{label}.json"
    acked_file.write_text(json.dumps(acked.as_json()))
    result = json.loads(run_django(VERIFY, env, str(acked_file)).strip().splitlines()[-1])
    missing = result["missing"]
    lost = sum(missing.values())
    counts = {k: len(getattr(acked, k)) for k in ("comment", "report", "decision", "webhook")}
    errors = {k: v for k, v in acked.refused.items() if v}
    figure = (
        f"{sum(counts.values())} acknowledged ("
        + ", ".join(f"{v} {k}s" for k, v in counts.items())
        + f"), {lost} lost; killed {processes} processes mid-flight; back in {back:.1f} s"
        + (f"; integrity_check {integrity}" if sqlite_path else "")
        + (f"; non-2xx answers before the kill: {errors}" if errors else "")
    )
    ok = (
        lost == 0
        and all(counts.values())
        and integrity in ("ok", "n/a")
        and not any(k in errors for k in ("comment", "report", "decision", "webhook"))
    )
    report.add(f"{label}: kill -9 during concurrent writes", ok, figure, lost=lost)


def rate_keys(redis_server: RedisServer, reader: int) -> int:
    try:
        return len(redis_server.client().keys(f"*rl:comment:user:{reader}:*"))
    except Exception:
        return 0


def check_redis(
    report: Report, label: str, server: Server, setup: dict, redis_server: RedisServer
) -> None:
    port, article = server.port, setup["article"]
    spare = setup["readers"][READERS - SPARE_READERS :]
    comment_path = f"/api/v1/articles/{article}/comments"
    redis_server.kill()
    say(f"{label}: our redis-server killed")
    pages = [call(port, "GET", setup["path"])[0] for _ in range(5)]
    pages += [call(port, "GET", "/")[0] for _ in range(3)]
    pages += [call(port, "GET", f"{setup['path']}?redis-down={n}")[0] for n in range(2)]
    accepted = api(
        port,
        "POST",
        comment_path,
        spare[0]["token"],
        {"body": f"Redis is down ({uuid.uuid4().hex[:8]})."},
    )[0]
    flood = [
        api(port, "POST", comment_path, spare[1]["token"], {"body": f"Again and again {n}."})[0]
        for n in range(COMMENT_LIMIT * WORKERS + 5)
    ]
    allowed, refused = flood.count(201), flood.count(429)
    ok_pages = all(s == 200 for s in pages)
    # Meanwhile every worker on this machine counts in one file (masthead.core.ratelimit_file).
    ok_limit = refused > 0 and allowed <= COMMENT_LIMIT and allowed + refused == len(flood)
    report.add(
        f"{label}: Redis stopped, pages and comments",
        ok_pages and accepted == 201,
        f"{pages.count(200)}/{len(pages)} pages 200; comment {accepted}",
    )
    report.add(
        f"{label}: Redis stopped, rate limit held on this machine",
        ok_limit,
        f"{len(flood)} comments by one reader (limit {COMMENT_LIMIT}/m, {WORKERS} workers): "
        f"{allowed} accepted, {refused} refused 429, others {len(flood) - allowed - refused}",
        bad_inputs=len(flood),
    )
    redis_server.start()
    started = time.monotonic()
    recovered = None
    statuses = []
    while time.monotonic() - started < 15:
        reader = spare[2 + len(statuses) % 3]
        body = {"body": f"Is Redis back yet? Asking for the {len(statuses) + 1}th time."}
        statuses.append(api(port, "POST", comment_path, reader["token"], body)[0])
        if rate_keys(redis_server, reader["id"]):
            recovered = time.monotonic() - started
            break
        time.sleep(0.25)
    # Pages are kept in Redis again too.
    for _ in range(2):
        call(port, "GET", setup["path"])
    try:
        pages_kept = len(redis_server.client().keys("*:pages:*"))
    except Exception:
        pages_kept = 0
    report.add(
        f"{label}: Redis back, used again by itself",
        recovered is not None and pages_kept > 0 and all(s in (201, 429) for s in statuses),
        (
            f"rate counters in Redis {recovered:.1f} s after it restarted"
            if recovered is not None
            else "rate counters never reached Redis in 15 s"
        )
        + f"; {pages_kept} page-cache keys in Redis; comments meanwhile {statuses}",
    )


def check_db_sqlite(report: Report, label: str, server: Server, setup: dict, db: Path) -> None:
    port, article = server.port, setup["article"]
    spare = setup["readers"][READERS - SPARE_READERS :]
    event, _ = checkout_event("locked")
    holder = sqlite3.connect(db, timeout=30, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    say(f"{label}: another connection holds the write lock")
    results: dict[str, Any] = {}

    def post_comment() -> None:
        results["comment"] = api(
            port,
            "POST",
            f"/api/v1/articles/{article}/comments",
            spare[5]["token"],
            {"body": f"Written while the database is locked ({uuid.uuid4().hex[:8]})."},
        )

    def post_webhook() -> None:
        results["webhook"] = deliver(port, event)

    def read_page() -> None:
        results["read"] = call(port, "GET", setup["path"])

    threads = [threading.Thread(target=f) for f in (post_comment, post_webhook, read_page)]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        # Held until both writes have had their answer (each waits out the busy timeout).
        for thread in threads[:2]:
            thread.join(timeout=REQUEST_TIMEOUT * 2)
        held = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT)
    say(f"{label}: the write lock was held for {held:.1f} s")
    db_down(report, label, server, setup, results, event, "write lock held past busy_timeout")


def check_db_postgres(report: Report, label: str, server: Server, setup: dict, proxy: Proxy):
    port, article = server.port, setup["article"]
    spare = setup["readers"][READERS - SPARE_READERS :]
    event, _ = checkout_event("cut")
    proxy.cut()
    say(f"{label}: the proxy to PostgreSQL is cut")
    results: dict[str, Any] = {}
    results["read"] = call(port, "GET", f"/?db-down={uuid.uuid4().hex[:6]}")
    results["comment"] = api(
        port,
        "POST",
        f"/api/v1/articles/{article}/comments",
        spare[5]["token"],
        {"body": f"Written while the database is away ({uuid.uuid4().hex[:8]})."},
    )
    results["webhook"] = deliver(port, event)
    proxy.start()
    say(f"{label}: the proxy is back")
    db_down(report, label, server, setup, results, event, "database unreachable (proxy cut)")


def db_down(
    report: Report,
    label: str,
    server: Server,
    setup: dict,
    results: dict,
    event: dict,
    how: str,
) -> None:
    port = server.port
    comment, webhook, read = results.get("comment"), results.get("webhook"), results.get("read")
    comment_ok = comment is not None and clean_503(*comment) and comment[2].startswith(b"{")
    hook_ok = webhook is not None and not 200 <= webhook[0] < 300
    parts = [
        f"comment {comment[0] if comment else 'no answer'}"
        f"{' Retry-After ' + comment[1].get('retry-after', '-') if comment else ''}",
        f"webhook {webhook[0] if webhook else 'no answer'}",
    ]
    if read is not None:
        parts.append(f"page {read[0]}")
    read_ok = read is not None and (read[0] == 200 or clean_503(*read))
    report.add(
        f"{label}: {how}",
        comment_ok and hook_ok and read_ok,
        "; ".join(parts) + " (503s have Retry-After and no traceback)",
    )
    # Everything serves again: ten uncached pages in a row answer 200 (each on a connection of
    # its own, so every worker is asked); until then anything else must be a clean 503 (a
    # worker's pool may still be waiting to reconnect).
    started = time.monotonic()
    back, streak, recovering, unclean = None, 0, 0, 0
    while time.monotonic() - started < 60:
        try:
            answer = call(port, "GET", f"/?back={uuid.uuid4().hex[:8]}", timeout=15)
        except (OSError, http.client.HTTPException):
            answer = (0, {}, b"")
        if answer[0] == 200:
            streak += 1
            if streak == 10:
                back = time.monotonic() - started
                break
            continue
        streak = 0
        recovering += 1
        unclean += not clean_503(*answer)
        time.sleep(0.25)
    # Stripe retries until it gets a 2xx; then once more, as it may: recorded once.
    retries = []
    while time.monotonic() - started < 90:
        retries.append(deliver(port, event)[0])
        if 200 <= retries[-1] < 300:
            break
        time.sleep(0.5)
    second = deliver(port, event)[2]
    acked_file = Path(server.log).with_name(f"retried-{label}.json")
    acked_file.write_text(
        json.dumps(
            {
                "comment": [],
                "report": [],
                "decision": [],
                "webhook": [],
                "count_events": [event["id"]],
            }
        )
    )
    rows = json.loads(run_django(VERIFY, server.env, str(acked_file)).strip().splitlines()[-1])
    stored = rows["webhook_rows"][event["id"]]
    ok = (
        back is not None
        and unclean == 0
        and retries[-1] == 200
        and b'"duplicate": true' in second
        and stored == 1
    )
    report.add(
        f"{label}: database back, webhook retried",
        ok,
        (
            f"10 pages in a row 200 {back:.1f} s after"
            if back is not None
            else "not serving 10 pages in a row after 60 s"
        )
        + f" ({recovering - unclean} clean 503s meanwhile, {unclean} other); "
        f"webhook retries {retries}, then a duplicate; stored {stored} time(s)",
    )


# --- One backend --------------------------------------------------------------------------------


def run_backend(backend: str, quick: bool, workdir: Path, report: Report) -> None:
    label = "SQLite" if backend == "sqlite" else "PostgreSQL"
    var_dir = workdir / f"run-{backend}-{os.getpid()}"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    secret = secrets.token_urlsafe(50)
    redis_server = RedisServer(var_dir)
    redis_server.start()
    proxy: Proxy | None = None
    database = f"masthead_faults_{os.getpid()}"
    server: Server | None = None
    try:
        extra = {"REDIS_URL": redis_server.url}
        sqlite_path: Path | None = None
        setup: dict[str, Any] | None = None
        if backend == "sqlite":
            started = time.monotonic()
            ready = sqlite_newsroom(workdir)
            for part in ready.glob("masthead.sqlite3*"):
                shutil.copyfile(part, var_dir / part.name)
            setup = json.loads((ready / "setup.json").read_text())
            secret = setup["secret"]  # the API tokens' digests are keyed by it
            sqlite_path = var_dir / "masthead.sqlite3"
            say(f"{label}: newsroom copied in {time.monotonic() - started:.1f} s")
        else:
            pg_database(workdir, database, secret)
            setup_env = base_env(var_dir, secret, DATABASE_URL=pg_url(database), **extra)
            proxy = Proxy(pg_server()[1:])
            proxy.start()
            # The server reaches PostgreSQL through the proxy; a short pool wait, so that
            # requests during the cut answer 503 after 3 s rather than 10.
            extra.update(
                DATABASE_URL=pg_url(database, (HOST, proxy.port)),
                DATABASE_POOL_TIMEOUT="3",
            )
        if setup is None:
            started = time.monotonic()
            setup = build_newsroom(setup_env, var_dir / "setup.json")
            say(f"{label}: newsroom set up in {time.monotonic() - started:.0f} s")
        env = base_env(var_dir, secret, **extra)
        server = Server(env, var_dir / "server.log")
        server.start(setup["path"])
        limited = {**env, "MASTHEAD_RATE_COMMENT": f"{COMMENT_LIMIT}/m"}
        check_kill(report, label, server, setup, limited, quick, var_dir, sqlite_path)
        check_redis(report, label, server, setup, redis_server)
        if sqlite_path is not None:
            check_db_sqlite(report, label, server, setup, sqlite_path)
        else:
            assert proxy is not None
            check_db_postgres(report, label, server, setup, proxy)
    finally:
        if server is not None:
            server.stop()
        redis_server.kill()
        if proxy is not None:
            proxy.cut()
        if backend == "postgres":
            with contextlib.suppress(Exception):
                pg_admin([f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"])
        if not os.environ.get("FAULTS_KEEP"):
            shutil.rmtree(var_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short form (about 2 minutes)")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], action="append")
    parser.add_argument("--json", type=Path, help="write the rows here")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args(argv)
    backends = args.backend or ["sqlite", "postgres"]
    report = Report()
    started = time.monotonic()
    for backend in backends:
        if backend == "postgres" and not postgres_available():
            if args.backend:  # asked for by name: that it cannot run is a failure
                report.add(
                    "PostgreSQL", False, f"no PostgreSQL at {pg_server()[1]}:{pg_server()[2]}"
                )
            else:
                say("no PostgreSQL answers: SQLite only")
            continue
        try:
            run_backend(backend, args.quick, args.workdir, report)
        except (BenchError, OSError, subprocess.SubprocessError) as error:
            report.add(f"{backend}: run", False, f"error: {error}"[:2000])
    say(f"done in {time.monotonic() - started:.0f} s")
    print()
    for row in report.rows:
        print(f"{'PASS' if row['ok'] else 'FAIL'}  {row['check']:<55} {row['figure']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": report.rows, "ok": report.ok}, indent=2) + "\n")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
