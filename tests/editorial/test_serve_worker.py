"""`masthead serve` runs one background worker beside granian: started with it, restarted if it
exits, stopped with it. The supervisor runs here as a real process with stand-in commands."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

WORKER = textwrap.dedent(
    """
    import signal, sys, time
    log = open(sys.argv[1], "a", buffering=1)
    log.write("started\\n")
    if sys.argv[2] == "crash":
        sys.exit(1)
    def stop(signum, frame):
        log.write("stopped\\n")
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    while True:
        time.sleep(0.05)
    """
)


def run_supervisor(tmp_path: Path, *, server_seconds: float, worker_mode: str) -> list[str]:
    log = tmp_path / "worker.log"
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    code = (
        "import sys\n"
        "from masthead.core.management.commands import serve\n"
        "serve.WORKER_RESTART_SECONDS = 0.3\n"
        f"sys.exit(serve.supervise(['sleep', '{server_seconds}'], "
        f"[sys.executable, {str(script)!r}, {str(log)!r}, {worker_mode!r}]))\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, timeout=60, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr
    return log.read_text().split()


def test_the_worker_starts_with_the_server_and_stops_with_it(tmp_path):
    assert run_supervisor(tmp_path, server_seconds=1.5, worker_mode="run") == [
        "started",
        "stopped",
    ]


def test_a_worker_that_exits_is_started_again(tmp_path):
    lines = run_supervisor(tmp_path, server_seconds=3.5, worker_mode="crash")
    assert lines.count("started") >= 2


def test_serve_has_a_no_worker_switch():
    from django.core.management import load_command_class

    command = load_command_class("masthead.core", "serve")
    parser = command.create_parser("masthead", "serve")
    assert parser.parse_args(["--no-worker"]).no_worker is True
    assert parser.parse_args([]).no_worker is False
