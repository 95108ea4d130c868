"""`masthead serve`: the production server (granian, WSGI) with static and media files.

Collects static files, then replaces this process with a small supervisor that runs granian and
hands it SIGINT, SIGTERM and SIGHUP (reload workers). Pages and the API are served over WSGI:
Django's sync views under ASGI are several times slower. Granian answers ``/static`` and
``/media`` itself from disk, before Python sees the request.

Why a supervisor rather than exec'ing granian: a terminal's Ctrl-C goes to every process in the
foreground group, and granian 2.8 can hang at shutdown when its workers get that SIGINT as well
as their parent's stop request. Granian runs in its own process group here, so only its main
process hears about it and stops the workers itself. The supervisor (this module run with
``python -m``) loads no Django settings or apps.

Beside granian the supervisor also runs one background worker (``masthead worker``: scheduled
publishing, wire feeds, queued email), restarting it if it dies, unless ``--no-worker`` is given.
With several app servers, run the worker on one of them only (``--no-worker`` on the others,
or ``masthead worker`` on its own machine); its jobs are safe if two run, but one is enough.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

# Python threads per worker that run Django (granian's --blocking-threads). Under the GIL only
# one runs at a time, so two are enough to overlap database and cache round trips; more only
# trade the CPU between requests (posting comments on 2 cores: 1 thread 109/s, 2 97/s, 4 85/s).
# Each keeps its own database connection, so workers x threads bounds the connections one app
# server opens (mind PostgreSQL's max_connections): granian's own WSGI default is hundreds per
# worker.
DEFAULT_THREADS = 2
# Cache lifetime granian announces for /static and /media. Static files have hashed names in
# production and could be cached for longer, but media and development static files do not,
# and granian takes one value for all mounts.
STATIC_EXPIRES = "1d"
# A worker still busy this long after being asked to stop is killed.
WORKERS_KILL_TIMEOUT = "15"
# Connections granian holds open across all workers. Its default (1,024) leaves readers beyond
# that waiting unanswered when thousands of open pages poll for new comments; idle keep-alive
# connections cost little, the Django threads above bound the real work.
BACKLOG = os.environ.get("GRANIAN_BACKLOG", "8192")

FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# The supervisor's first argument when it should run a worker beside granian.
WITH_WORKER = "--with-worker"
# A worker that exits on its own is started again after this many seconds.
WORKER_RESTART_SECONDS = 5.0
# How long a stopping worker may finish the job in hand before it is killed.
WORKER_STOP_SECONDS = 30.0


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def check_address(host: str, port: int) -> None:
    """Fail with a plain message, not granian's traceback, when the address is taken."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as error:
        raise CommandError(f"Cannot listen on {host} port {port}: {error.strerror}") from error


def url_host(host: str) -> str:
    if host in {"0.0.0.0", ""}:  # noqa: S104 - only for display
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


class Command(BaseCommand):
    help = "Serve Masthead with granian (WSGI), static files and media, until interrupted."

    # Serving needs no system checks of its own; `masthead check --deploy` is the place.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST") or "127.0.0.1",
            help="Address to bind (env HOST, default 127.0.0.1).",
        )
        parser.add_argument(
            "--port",
            type=positive_int,
            default=os.environ.get("PORT") or 8000,
            help="Port to bind (env PORT, default 8000).",
        )
        parser.add_argument(
            "--workers",
            type=positive_int,
            default=os.environ.get("WEB_CONCURRENCY") or cpu_count(),
            help="Worker processes (env WEB_CONCURRENCY, default: number of CPUs).",
        )
        parser.add_argument(
            "--threads",
            type=positive_int,
            default=os.environ.get("MASTHEAD_THREADS") or DEFAULT_THREADS,
            help=f"Django threads per worker (env MASTHEAD_THREADS, default {DEFAULT_THREADS}).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background worker (run `masthead worker` elsewhere).",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Do not run collectstatic first (static files are already collected).",
        )

    def handle(self, *args: object, **options: object) -> None:
        host = str(options["host"])
        port = int(options["port"])  # type: ignore[call-overload]
        workers = int(options["workers"])  # type: ignore[call-overload]
        threads = int(options["threads"])  # type: ignore[call-overload]

        check_address(host, port)
        static_root = Path(settings.STATIC_ROOT)
        media_root = Path(settings.MEDIA_ROOT)
        if not options["no_collectstatic"]:
            # Copies only what changed; production storage also writes the hashed-name manifest
            # that pages need before they can render.
            call_command("collectstatic", interactive=False, verbosity=0)
        static_root.mkdir(parents=True, exist_ok=True)
        media_root.mkdir(parents=True, exist_ok=True)

        granian = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--workers-kill-timeout",
            WORKERS_KILL_TIMEOUT,
            "--backlog",
            BACKLOG,
            "--no-ws",
            "--static-path-route",
            settings.STATIC_URL.rstrip("/"),
            "--static-path-mount",
            str(static_root),
            *public_media_mounts(media_root),
            "--static-path-expires",
            STATIC_EXPIRES,
            "masthead.wsgi:application",
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
        # Each worker loads what the first comment would otherwise wait for (masthead.wsgi).
        os.environ["MASTHEAD_WARM_UP"] = "1"
        mode = "production" if settings.PRODUCTION else "development"
        background = "" if options["no_worker"] else " + a background worker"
        self.stdout.write(
            f"Masthead ({mode}) on http://{url_host(host)}:{port}/ "
            f"- {workers} worker(s) x {threads} thread(s){background}; Ctrl-C to stop."
        )
        sys.stdout.flush()
        sys.stderr.flush()
        supervisor = [sys.executable, "-m", __name__]
        if not options["no_worker"]:
            supervisor.append(WITH_WORKER)
        try:
            os.execv(sys.executable, [*supervisor, *granian])  # noqa: S606
        except OSError as error:
            raise CommandError(f"Could not start granian: {error}") from error


# Only photo files are public. Documents also live under MEDIA_ROOT but must go through
# Wagtail's /documents/ view, which enforces collection privacy.
PUBLIC_MEDIA_DIRS = ("images", "original_images")


def public_media_mounts(media_root: Path) -> list[str]:
    args = []
    for name in PUBLIC_MEDIA_DIRS:
        (media_root / name).mkdir(parents=True, exist_ok=True)
        args += [
            "--static-path-route",
            f"{settings.MEDIA_URL.rstrip('/')}/{name}",
            "--static-path-mount",
            str(media_root / name),
        ]
    return args


WORKER_COMMAND = [sys.executable, "-m", "masthead", "worker"]


def supervise(command: list[str], worker_command: list[str] | None = None) -> int:
    """Run `command` in its own process group, forwarding signals; return its exit status.

    With `worker_command`, also keep that process running beside it (restarted if it exits),
    and stop it when `command` ends.
    """
    child = subprocess.Popen(command, process_group=0)  # noqa: S603 - built by handle()
    worker: subprocess.Popen | None = None
    stops = 0

    def start_worker() -> subprocess.Popen | None:
        try:
            return subprocess.Popen(worker_command, process_group=0)  # type: ignore[arg-type]  # noqa: S603
        except OSError as error:
            print(f"Could not start the background worker: {error}", file=sys.stderr)
            return None

    def forward(signum: int, frame: FrameType | None) -> None:
        nonlocal stops
        if signum in STOP_SIGNALS:
            stops += 1
        with contextlib.suppress(ProcessLookupError):
            if stops >= 3:  # asked three times: stop waiting for a graceful shutdown
                os.killpg(child.pid, signal.SIGKILL)
                if worker is not None:
                    os.killpg(worker.pid, signal.SIGKILL)
            else:
                child.send_signal(signum)
                # The worker reloads nothing on SIGHUP; it only hears about stopping.
                if worker is not None and signum in STOP_SIGNALS:
                    worker.send_signal(signal.SIGTERM)

    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, forward)
    if worker_command:
        worker = start_worker()
    restart_at: float | None = None
    while True:
        try:
            status = child.wait(timeout=1.0)
            break
        except subprocess.TimeoutExpired:
            pass
        if not worker_command or stops:
            continue
        # Keep one worker running: start it again a little while after it exits.
        if worker is not None and worker.poll() is not None:
            print(
                f"The background worker exited ({worker.returncode}); restarting it in "
                f"{WORKER_RESTART_SECONDS:.0f} s.",
                file=sys.stderr,
            )
            worker = None
            restart_at = time.monotonic() + WORKER_RESTART_SECONDS
        if worker is None and restart_at is not None and time.monotonic() >= restart_at:
            worker = start_worker()
            restart_at = None if worker else time.monotonic() + WORKER_RESTART_SECONDS
    if worker is not None and worker.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    return status if status >= 0 else 128 - status


def main(argv: list[str]) -> int:
    if argv and argv[0] == WITH_WORKER:
        return supervise(argv[1:], WORKER_COMMAND)
    return supervise(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
