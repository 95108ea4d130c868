"""The fault script's short form against real `masthead serve` processes: kill -9 during
concurrent writes loses nothing acknowledged, Redis stopped and started again, the database
briefly unreachable. On the backend the suite runs on: SQLite, or, when DATABASE_URL names a
PostgreSQL, a database of the script's own beside it (`masthead_faults_<pid>`, never the
test one)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def backend() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgres" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> dict[str, dict]:
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    out = tmp_path_factory.mktemp("faults") / "faults.json"
    result = subprocess.run(
        [sys.executable, "bench/faults.py", "--quick", "--backend", backend(), "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert out.exists(), f"no JSON written:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    data = json.loads(out.read_text())
    found = {row["check"].split(": ", 1)[1]: row for row in data["rows"] if ": " in row["check"]}
    # Every row is well-formed (the interface bench/stress.py reads).
    for row in data["rows"]:
        assert set(row) == {"area", "check", "ok", "figure", "lost", "bad_inputs"}
        assert row["area"] == "fault"
    assert data["ok"] == all(row["ok"] for row in data["rows"])
    assert (result.returncode == 0) == data["ok"], result.stdout[-4000:]
    return found


def check(rows: dict[str, dict], name: str) -> dict:
    assert name in rows, f"no row {name!r}: {sorted(rows)}"
    row = rows[name]
    assert row["ok"], row["figure"]
    return row


def test_kill_9_during_concurrent_writes_loses_nothing_acknowledged(rows):
    row = check(rows, "kill -9 during concurrent writes")
    assert row["lost"] == 0
    assert " 0 lost" in row["figure"]


def test_with_redis_stopped_pages_serve_and_comments_are_accepted(rows):
    row = check(rows, "Redis stopped, pages and comments")
    assert "comment 201" in row["figure"]


def test_with_redis_stopped_rate_limits_still_refuse(rows):
    row = check(rows, "Redis stopped, rate limit held on this machine")
    assert "refused 429" in row["figure"]


def test_redis_is_used_again_when_it_returns(rows):
    check(rows, "Redis back, used again by itself")


def test_database_unreachable_gives_503_with_retry_after_and_the_webhook_non_2xx(rows):
    name = (
        "write lock held past busy_timeout"
        if backend() == "sqlite"
        else "database unreachable (proxy cut)"
    )
    row = check(rows, name)
    assert "comment 503 Retry-After" in row["figure"]
    assert "webhook 5" in row["figure"]


def test_after_the_database_returns_the_retried_webhook_is_recorded_once(rows):
    row = check(rows, "database back, webhook retried")
    assert "stored 1 time(s)" in row["figure"]
