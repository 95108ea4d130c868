"""Article page from `masthead serve` against the same bytes from nginx as a static file.

Run by `make bench`. Loads the demo newsroom into var/bench/, starts `masthead serve --workers 2`
with production settings and nginx on free loopback ports, then runs
`wrk -t2 -c64 -d10s --latency` against one article page on each and prints requests/s, median and
99th-percentile latency. Figures go to bench/results/latest.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
HOST = "127.0.0.1"
WORKERS = 2
WRK_ARGS = ["-t2", "-c64", "-d10s", "--latency"]
WARMUP_ARGS = ["-t2", "-c64", "-d2s"]
DEMO_TIMEOUT = 900  # seconds; a fresh var/bench migrates and loads the demo newsroom
START_TIMEOUT = 60
WRK_TIMEOUT = 60
# Variables that would point the benchmark at a real deployment's database or cache.
STRIPPED_ENV = ("DATABASE_URL", "DATABASE_REPLICA_URLS", "REDIS_URL", "MEDIA_ROOT")


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


# --- Processes ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


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


def get(port: int, path: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = conn.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, response.read()
    finally:
        conn.close()


def wait_until_answers(port: int, path: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"server exited with {process.returncode}; its log:\n{tail(log)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _, _ = get(port, path, timeout=2)
            if status == 200:
                return
        time.sleep(0.3)
    fail(f"no answer on port {port} after {START_TIMEOUT}s; log:\n{tail(log)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- Masthead -------------------------------------------------------------------------------


def masthead_env(production: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in STRIPPED_ENV}
    env["MASTHEAD_VAR_DIR"] = str(VAR_DIR)
    env.pop("MASTHEAD_ENV", None)
    if production:
        env.update(
            MASTHEAD_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            # Plain HTTP on loopback: no redirect to https, and no HSTS to a browser.
            MASTHEAD_SSL_REDIRECT="0",
        )
    return env


def load_demo() -> None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    say(f"loading demo content into {VAR_DIR.relative_to(ROOT)}: masthead demo --no-serve")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "masthead", "demo", "--no-serve"],
            env=masthead_env(production=False),
            cwd=ROOT,
            timeout=DEMO_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        fail(f"`masthead demo --no-serve` took longer than {DEMO_TIMEOUT}s")
    if result.returncode != 0:
        fail(f"`masthead demo --no-serve` failed with exit code {result.returncode}")


def start_masthead(port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "masthead", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(WORKERS)]
    say(f"starting: masthead serve --host {HOST} --port {port} --workers {WORKERS} (production)")
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            env=masthead_env(production=True),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def article_path(port: int) -> str:
    status, _, body = get(port, "/api/v1/articles?limit=1")
    if status != 200:
        fail(f"GET /api/v1/articles answered {status}")
    items = json.loads(body).get("items") or []
    if not items:
        fail("the demo newsroom has no articles (GET /api/v1/articles is empty)")
    parts = urlsplit(items[0]["url"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- nginx ----------------------------------------------------------------------------------

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
    client_body_temp_path {tmp}/client_body;
{temp_paths}
    types {{ text/html html; }}
    default_type text/html;
    server {{
        listen {host}:{port};
        root {tmp}/www;
        location / {{ try_files /article.html =404; }}
    }}
}}
"""


def nginx_config(nginx: str, tmp: Path, port: int) -> Path:
    # Point every temp path that this build knows at the temp dir, so nginx needs no
    # write access under /var/lib/nginx.
    build = subprocess.run([nginx, "-V"], capture_output=True, text=True, check=False).stderr
    temp_paths = [
        f"    {module}_temp_path {tmp}/{module};"
        for module in ("proxy", "fastcgi", "uwsgi", "scgi")
        if f"--without-http_{module}_module" not in build
    ]
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(tmp=tmp, host=HOST, port=port, temp_paths="\n".join(temp_paths))
    )
    return conf


def start_nginx(nginx: str, tmp: Path, port: int, page: bytes) -> subprocess.Popen[bytes]:
    www = tmp / "www"
    www.mkdir()
    (www / "article.html").write_bytes(page)
    # Run as root, nginx's workers drop to an unprivileged user that must read the file.
    for path in (tmp, www):
        path.chmod(0o755)
    (www / "article.html").chmod(0o644)
    conf = nginx_config(nginx, tmp, port)
    log = tmp / "nginx.log"
    say(f"starting: nginx -c {conf} (static copy of the page, port {port})")
    with log.open("wb") as out:
        return subprocess.Popen(
            [nginx, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
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


def run_wrk(wrk: str, name: str, url: str) -> dict[str, float | int]:
    subprocess.run([wrk, *WARMUP_ARGS, url], capture_output=True, timeout=WRK_TIMEOUT, check=False)
    say(f"wrk {' '.join(WRK_ARGS)} {url}  ({name})")
    result = subprocess.run(
        [wrk, *WRK_ARGS, url], capture_output=True, text=True, timeout=WRK_TIMEOUT, check=False
    )
    if result.returncode != 0:
        fail(f"wrk failed against {name}:\n{result.stdout}{result.stderr}")
    figures = parse_wrk(result.stdout)
    if figures["non_2xx_3xx"] or figures["socket_errors"]:
        say(
            f"warning: {name}: {figures['non_2xx_3xx']} error responses, "
            f"{figures['socket_errors']} socket errors"
        )
    return figures


# --- Main -----------------------------------------------------------------------------------


def version(command: list[str]) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        result = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
        lines = (result.stdout or result.stderr).strip().splitlines()
        return lines[0] if lines else ""
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-demo",
        action="store_true",
        help="use the content already in var/bench instead of running `masthead demo` first",
    )
    args = parser.parse_args()
    wrk, nginx = ensure_tools()
    if args.skip_demo:
        say(f"using the content already in {VAR_DIR.relative_to(ROOT)}")
    else:
        load_demo()
    masthead_port, nginx_port = free_port(), free_port()
    while nginx_port == masthead_port:
        nginx_port = free_port()

    masthead = nginx_process = None
    with tempfile.TemporaryDirectory(prefix="masthead-bench-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            masthead_log = tmp / "masthead.log"
            masthead = start_masthead(masthead_port, masthead_log)
            wait_until_answers(masthead_port, "/api/v1/articles?limit=1", masthead, masthead_log)
            path = article_path(masthead_port)
            status, headers, page = get(masthead_port, path)
            if status != 200:
                fail(f"GET {path} answered {status}, not 200; log:\n{tail(masthead_log)}")
            if "set-cookie" in headers:
                say(f"warning: the article page sets a cookie: {headers['set-cookie']}")
            say(f"article {path}: {len(page):,} bytes")

            nginx_process = start_nginx(nginx, tmp, nginx_port, page)
            wait_until_answers(nginx_port, "/", nginx_process, tmp / "nginx-error.log")
            if get(nginx_port, path)[2] != page:
                fail("nginx does not serve the same bytes as masthead")

            results = {
                "masthead": run_wrk(wrk, "masthead", f"http://{HOST}:{masthead_port}{path}"),
                "nginx": run_wrk(wrk, "nginx", f"http://{HOST}:{nginx_port}{path}"),
            }
        finally:
            stop(nginx_process, "nginx", signal.SIGQUIT)
            stop(masthead, "masthead serve", signal.SIGINT)

    ratio = results["nginx"]["requests_per_s"] / max(results["masthead"]["requests_per_s"], 1e-9)
    print()
    print(f"{'server':<10} {'req/s':>10} {'p50':>10} {'p99':>10} {'errors':>8}")
    for name in ("nginx", "masthead"):
        r = results[name]
        errors = int(r["non_2xx_3xx"]) + int(r["socket_errors"])
        print(
            f"{name:<10} {r['requests_per_s']:>10,.0f} {r['p50_ms']:>8.2f}ms "
            f"{r['p99_ms']:>8.2f}ms {errors:>8}"
        )
    if any(results[name]["socket_errors"] for name in results):
        print("(errors are mostly wrk's 2-second timeouts: the server was saturated, and its")
        print(" latency figures leave those requests out)")
    print(f"\nnginx/masthead: {ratio:.1f}x  ({len(page):,}-byte page, {os.cpu_count()} cores)")

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / ".gitkeep").touch()
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "tools": {
            "wrk": " ".join(WRK_ARGS),
            "wrk_version": version([wrk, "--version"]),
            "nginx_version": version([nginx, "-v"]),
            "granian_version": version([sys.executable, "-m", "granian", "--version"]),
        },
        "page": {
            "path": path,
            "bytes": len(page),
            "cache_control": headers.get("cache-control"),
            "sets_cookie": "set-cookie" in headers,
        },
        "masthead": {"command": f"masthead serve --workers {WORKERS}", **results["masthead"]},
        "nginx": {"command": "nginx, static file, worker_processes auto", **results["nginx"]},
        "ratio_nginx_over_masthead": round(ratio, 2),
    }
    out = RESULTS_DIR / "latest.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    say(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
