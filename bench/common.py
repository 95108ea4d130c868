"""What the benchmarks share: tools, servers on loopback, wrk and its figures.

Imported by bench/throughput.py, bench/comments.py and bench/run.py (and by anything else in
bench/ that starts `masthead serve`, nginx or wrk). Nothing here measures anything itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The bench's own var directory: the demo newsroom (MASTHEAD_VAR_DIR), and beside it the stock
# Wagtail project and Isso's virtualenv. Never the developer's var/.
VAR_DIR = ROOT / "var" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
HOST = "127.0.0.1"
WORKERS = 2
CONNECTIONS = 64
DEMO_TIMEOUT = 900  # seconds; a fresh var/bench migrates and loads the demo newsroom
START_TIMEOUT = 60
# Variables that would point the benchmark at a real deployment's database or cache.
# PYTEST_VERSION too: a bench started from a test must still run the way a deployment does.
STRIPPED_ENV = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URLS",
    "REDIS_URL",
    "MEDIA_ROOT",
    "PYTEST_VERSION",
)


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


class BenchError(Exception):
    pass


def fail(message: str) -> NoReturn:
    raise BenchError(message)


# --- Tools ----------------------------------------------------------------------------------


def find_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def ensure_tools() -> tuple[str, str]:
    """wrk and nginx, installed with apt-get when missing and we are root."""
    wrk, nginx = shutil.which("wrk"), find_nginx()
    if wrk and nginx:
        return wrk, nginx
    missing = [name for name, path in (("wrk", wrk), ("nginx", nginx)) if not path]
    apt = shutil.which("apt-get")
    if os.geteuid() != 0 or not apt:
        fail(
            f"{' and '.join(missing)} not found. Install them (Debian/Ubuntu: "
            "`sudo apt-get install -y wrk nginx-light`, or `nginx` where nginx-light is not "
            "packaged) and run `make bench` again."
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    packages = [name if name == "wrk" else "nginx-light" for name in missing]

    def install(names: list[str]) -> bool:
        say(f"installing {' '.join(names)}: apt-get install -y {' '.join(names)}")
        return subprocess.run([apt, "install", "-y", *names], env=env, check=False).returncode == 0

    if not install(packages):
        say("running apt-get update, then trying again")
        subprocess.run([apt, "update"], env=env, check=False)
        if not install(packages) and "nginx-light" in packages:
            # Debian 13 and later package nginx without a separate -light flavour.
            install([name if name != "nginx-light" else "nginx" for name in packages])
    wrk, nginx = shutil.which("wrk"), find_nginx()
    if not (wrk and nginx):
        fail("could not install wrk and nginx with apt-get; install them and try again.")
    return wrk, nginx


def version(command: list[str]) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        result = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
        lines = (result.stdout or result.stderr).strip().splitlines()
        return lines[0] if lines else ""
    return ""


def raise_open_files(wanted: int = 65536) -> int:
    """Many wrk connections need many descriptors; wrk and the servers inherit the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def busy_warning() -> None:
    if (load := os.getloadavg()[0]) > (os.cpu_count() or 1) / 2:
        say(
            f"warning: load average {load:.1f} on {os.cpu_count()} cores: something else is "
            "running, and every figure below will be lower than on a quiet machine"
        )


# --- Processes ------------------------------------------------------------------------------


def free_port(*taken: int) -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        if port not in taken:
            return port


def stop(process: subprocess.Popen[bytes] | None, name: str, sig: int = signal.SIGTERM) -> None:
    """Stop a server we started, and whatever it left in its process group."""
    if process is None or process.poll() is not None:
        return
    say(f"stopping {name} (pid {process.pid})")
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        # `masthead serve` kills granian's whole process group when asked three times.
        for _ in range(2):
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def spawn(command: list[str], log: Path, **kwargs: object) -> subprocess.Popen[bytes]:
    """A server in its own process group (so `stop` can clean up after it), logging to `log`."""
    with log.open("wb") as out:
        return subprocess.Popen(  # type: ignore[call-overload]
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            **kwargs,
        )


def get(
    port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "identity", **(headers or {})})
        response = conn.getresponse()
        found = {k.lower(): v for k, v in response.getheaders()}
        try:
            body = response.read()
        except http.client.IncompleteRead as error:
            fail(
                f"GET {path} on port {port}: the body is {len(error.partial)} bytes, but "
                f"Content-Length says {found.get('content-length')} (the server sent a wrong "
                "length: wrk would wait for the missing bytes)"
            )
        return response.status, found, body
    finally:
        conn.close()


def wait_until_answers(port: int, path: str, process: subprocess.Popen[bytes], log: Path) -> None:
    started = time.monotonic()
    deadline = started + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"server exited with {process.returncode}; its log:\n{tail(log)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _, _ = get(port, path, timeout=2)
            if status == 200:
                say(f"port {port} answers ({time.monotonic() - started:.1f} s after the start)")
                return
        time.sleep(0.2)
    fail(f"no answer on port {port} after {START_TIMEOUT}s; log:\n{tail(log)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- Masthead -------------------------------------------------------------------------------


def masthead_env(production: bool, var_dir: Path | None = None, **extra: str) -> dict[str, str]:
    """Masthead's environment for the bench: its own var directory, SQLite and the in-process
    cache whatever the shell says, production settings on loopback when asked."""
    env = {k: v for k, v in os.environ.items() if k not in STRIPPED_ENV}
    env["MASTHEAD_VAR_DIR"] = str(var_dir or VAR_DIR)
    env.pop("MASTHEAD_ENV", None)
    if production:
        env.update(
            MASTHEAD_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            # Plain HTTP on loopback: no redirect to https, and no HSTS to a browser.
            MASTHEAD_SSL_REDIRECT="0",
        )
    env.update(extra)
    return env


def migrations_digest() -> str:
    """Changes when a migration (ours, or a dependency's through the lock file) changes."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("masthead/*/migrations/*.py"))
    files += [ROOT / name for name in ("requirements.lock", "pyproject.toml")]
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def demo_marker(var_dir: Path | None = None) -> Path:
    return (var_dir or VAR_DIR) / f".demo-loaded-{migrations_digest()}"


def demo_loaded(var_dir: Path | None = None) -> bool:
    """The demo newsroom is there and migrated for this code's migrations."""
    var_dir = var_dir or VAR_DIR
    return (var_dir / "demo-passwords.json").exists() and demo_marker(var_dir).exists()


def load_demo(var_dir: Path | None = None) -> None:
    """`masthead demo --no-serve` into the bench's var directory: migrates, and loads the demo
    newsroom the first time (about a minute); later runs only check the migrations."""
    var_dir = var_dir or VAR_DIR
    var_dir.mkdir(parents=True, exist_ok=True)
    say(f"demo newsroom in {shown(var_dir)}: masthead demo --no-serve")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "masthead", "demo", "--no-serve", "--verbosity", "0"],
            env=masthead_env(production=False, var_dir=var_dir),
            cwd=ROOT,
            timeout=DEMO_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        fail(f"`masthead demo --no-serve` took longer than {DEMO_TIMEOUT}s")
    if result.returncode != 0:
        fail(f"`masthead demo --no-serve` failed with exit code {result.returncode}")
    for old in var_dir.glob(".demo-loaded-*"):
        old.unlink()
    demo_marker(var_dir).touch()


def start_masthead(
    port: int, log: Path, env: dict[str, str], *extra: str
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "masthead", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(WORKERS), *extra]
    say(
        f"starting: masthead serve --host {HOST} --port {port} --workers {WORKERS} "
        f"{' '.join(extra)} (production)".replace("  ", " ")
    )
    return spawn(command, log, env=env, cwd=ROOT)


def wait_for_line(log: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    """Until `text` shows in the server's log (e.g. `masthead serve` has collected its static
    files and is starting granian)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            fail(f"server exited with {process.returncode}; its log:\n{tail(log)}")
        time.sleep(0.1)
    fail(f"{text!r} did not show in {log} after {START_TIMEOUT}s:\n{tail(log)}")


def shown(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(ROOT))
    return str(path)


# --- nginx ----------------------------------------------------------------------------------


def nginx_temp_paths(nginx: str, tmp: Path) -> str:
    """Every temp path this nginx build knows, inside `tmp`: no write access under /var/lib."""
    build = subprocess.run([nginx, "-V"], capture_output=True, text=True, check=False).stderr
    lines = [f"    client_body_temp_path {tmp}/client_body;"]
    lines += [
        f"    {module}_temp_path {tmp}/{module};"
        for module in ("proxy", "fastcgi", "uwsgi", "scgi")
        if f"--without-http_{module}_module" not in build
    ]
    return "\n".join(lines)


def start_nginx(nginx: str, tmp: Path, conf: Path) -> subprocess.Popen[bytes]:
    """nginx in the foreground with `tmp` as its prefix; checks the configuration first."""
    tmp.chmod(0o755)  # run as root, nginx's workers drop to an unprivileged user
    check = subprocess.run(
        [nginx, "-t", "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0:
        fail(f"nginx refuses {conf}:\n{check.stderr.strip()}")
    say(f"starting: nginx -c {conf}")
    return spawn(
        [nginx, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")],
        tmp / "nginx.log",
    )


# --- wrk ------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value).groups()  # type: ignore[union-attr]
    return float(number) * UNITS_MS[unit]


def parse_wrk(output: str) -> dict[str, float | int]:
    def find(pattern: str) -> re.Match[str]:
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            fail(f"could not read {pattern!r} from wrk's output:\n{output}")
        return match

    figures: dict[str, float | int] = {
        "requests_per_s": float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        "p50_ms": to_ms(find(r"^\s+50%\s+(\S+)").group(1)),
        "p99_ms": to_ms(find(r"^\s+99%\s+(\S+)").group(1)),
        "requests": int(find(r"^\s+(\d+) requests in").group(1)),
        "non_2xx_3xx": 0,
        "socket_errors": 0,
    }
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        figures["non_2xx_3xx"] = int(match.group(1))
    if match := re.search(r"Socket errors: (.*)", output):
        figures["socket_errors"] = sum(int(n) for n in re.findall(r"\d+", match.group(1)))
    return figures


def drain(url: str) -> None:
    """Wait until the server has worked through what the warm-up left queued: the requests of
    connections wrk dropped still run, and would eat into the measured run."""
    parts = urlsplit(url)
    with contextlib.suppress(OSError, http.client.HTTPException, BenchError):
        get(parts.port or 80, parts.path or "/", timeout=60)


class Wrk:
    """One wrk setting for a whole run: `seconds` per measurement after `warmup` seconds of
    the same load, `-t2 -c64 --latency --timeout 10s`."""

    def __init__(self, path: str, seconds: int, warmup: int, connections: int = CONNECTIONS):
        self.path, self.seconds, self.warmup, self.connections = path, seconds, warmup, connections

    @property
    def args(self) -> list[str]:
        seconds = f"-d{self.seconds}s"
        return ["-t2", f"-c{self.connections}", seconds, "--latency", "--timeout", "10s"]

    def describe(self) -> str:
        return f"wrk {' '.join(self.args)} after a {self.warmup}s warm-up"

    def run(
        self,
        name: str,
        url: str,
        script: Path | None = None,
        args: list[str] | None = None,
        warmup: bool = True,
    ) -> dict[str, float | int]:
        args = args or self.args
        extra = ["-s", str(script)] if script else []
        timeout = 60 + self.seconds + self.warmup
        if warmup and self.warmup:
            warm = ["-t2", f"-c{self.connections}", f"-d{self.warmup}s"]
            subprocess.run(
                [self.path, *warm, *extra, url], capture_output=True, timeout=timeout, check=False
            )
            drain(url)
        label = f"-s {script.name} " if script else ""
        say(f"wrk {' '.join(args)} {label}{url}  ({name})")
        result = subprocess.run(
            [self.path, *args, *extra, url],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            fail(f"wrk failed against {name}:\n{result.stdout}{result.stderr}")
        figures = parse_wrk(result.stdout)
        statuses: dict[str, int] = {}
        for code, count in re.findall(r"^status (\d+) (\d+)$", result.stdout, re.MULTILINE):
            statuses[code] = statuses.get(code, 0) + int(count)
        if statuses:
            figures["statuses"] = statuses  # type: ignore[assignment]
        figures["errors"] = int(figures["non_2xx_3xx"]) + int(figures["socket_errors"])
        if not figures["requests"]:
            say(f"warning: {name}: no response came back within the {self.seconds}s run")
        if figures["errors"]:
            say(
                f"warning: {name}: {figures['non_2xx_3xx']} error responses, "
                f"{figures['socket_errors']} socket errors"
            )
        return figures


# --- PostgreSQL databases of the benches' own ------------------------------------------------


def pg_admin(url: str, statements: list[str]) -> list:
    """Run `statements` on the server at `url` outside a transaction (CREATE/DROP DATABASE);
    each one's rows, or None for a statement that returns none."""
    import psycopg

    rows = []
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as c:
        for statement in statements:
            cursor = c.execute(statement)
            rows.append(cursor.fetchall() if cursor.description else None)
    return rows


def pg_copy_database(url: str, database: str, template: str, attempts: int = 20) -> None:
    """(Re)create `database` as a copy of `template`. PostgreSQL refuses to copy a template
    while a session on it is still closing (a server just stopped): wait and try again."""
    for attempt in range(attempts):
        try:
            pg_admin(
                url,
                [
                    f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
                    f"CREATE DATABASE {database} TEMPLATE {template}",
                ],
            )
            return
        except Exception as error:
            if "being accessed" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.5)
