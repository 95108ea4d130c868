"""Buffered counters: counted in memory, written in one batch, never one write per event."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from masthead.core import counters
from masthead.newsroom.models import HourlyCount


@pytest.fixture(autouse=True)
def _fresh_buffer(settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "COUNTER_FLUSH_SECONDS": 3600}
    counters.reset()
    yield
    counters.reset()


def stored() -> dict[tuple[str, str], int]:
    totals: dict[tuple[str, str], int] = {}
    for row in HourlyCount.objects.all():
        totals[(row.kind, row.key)] = totals.get((row.kind, row.key), 0) + row.count
    return totals


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))
    ]


@pytest.mark.django_db
def test_it_touches_no_database_until_flushed():
    with CaptureQueriesContext(connection) as queries:
        for _ in range(500):
            counters.increment("read", 7)
        counters.increment("read", 8, 3)
    assert len(queries) == 0
    assert not HourlyCount.objects.exists()
    assert sum(counters.pending().values()) == 503


@pytest.mark.django_db
def test_one_flush_writes_every_count_in_one_statement():
    for key in range(20):
        counters.increment("read", key, key + 1)
    counters.increment("ad-click", 3)
    with CaptureQueriesContext(connection) as queries:
        assert counters.flush() == 21
    # Django logs a batched statement once, as "21 times: INSERT ...".
    assert len(writes(queries)) == 1
    assert writes(queries)[0].startswith("21 times: INSERT INTO")
    assert stored()[("read", "19")] == 20
    assert stored()[("ad-click", "3")] == 1
    assert counters.pending() == {}


@pytest.mark.django_db
def test_a_second_flush_adds_to_the_rows_already_there():
    counters.increment("read", 1, 5)
    counters.flush()
    counters.increment("read", 1, 2)
    counters.increment("read", 2)
    counters.flush()
    assert HourlyCount.objects.filter(kind="read", key="1").count() == 1
    assert stored() == {("read", "1"): 7, ("read", "2"): 1}


@pytest.mark.django_db
def test_counts_go_into_the_hour_they_happened_in():
    now = datetime.now(UTC)
    counters.increment("read", 1, when=now)
    counters.increment("read", 1, when=now - timedelta(hours=3))
    counters.flush()
    hours = sorted(HourlyCount.objects.values_list("hour", flat=True))
    assert hours == [counters.hour_bucket(now - timedelta(hours=3)), counters.hour_bucket(now)]
    assert all(hour.minute == hour.second == 0 for hour in hours)


@pytest.mark.django_db
def test_it_flushes_by_itself_once_the_interval_has_passed(settings):
    counters.increment("read", 1)
    assert not HourlyCount.objects.exists()
    settings.MASTHEAD = {**settings.MASTHEAD, "COUNTER_FLUSH_SECONDS": 0}
    counters.increment("read", 1)
    assert stored() == {("read", "1"): 2}
    assert counters.pending() == {}


@pytest.mark.django_db
def test_a_failed_flush_keeps_the_counts_for_the_next_one(monkeypatch):
    counters.increment("read", 1, 4)
    # A real database error: the table is not there.
    monkeypatch.setattr(HourlyCount._meta, "db_table", "no_such_counter_table")
    assert counters.flush() == 0
    assert counters.pending() != {}
    monkeypatch.undo()
    counters.increment("read", 1)
    assert counters.flush() == 1
    assert stored() == {("read", "1"): 5}


def test_the_buffer_is_bounded(monkeypatch):
    monkeypatch.setattr(counters, "MAX_PENDING_KEYS", 3)
    for key in range(10):
        counters.increment("read", key)
    counters.increment("read", 0, 5)  # a key already buffered still counts
    pending = counters.pending()
    assert len(pending) == 3
    assert sum(pending.values()) == 8


@pytest.mark.django_db
def test_increments_from_many_threads_are_all_counted():
    def count() -> None:
        for _ in range(2000):
            counters.increment("read", 42)

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counters.flush()
    assert stored() == {("read", "42"): 16000}


def test_it_refuses_kinds_and_keys_that_do_not_fit():
    with pytest.raises(ValueError):
        counters.increment("", 1)
    with pytest.raises(ValueError):
        counters.increment("read", "x" * 65)
    counters.increment("read", 1, 0)
    assert counters.pending() == {}


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36", False),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("Mozilla/5.0 (compatible; YandexSpider)", True),
        ("ia_archiver crawler", True),
        ("", True),
    ],
)
def test_obvious_robots_are_recognised(agent, bot):
    request = RequestFactory().post("/reads/1", HTTP_USER_AGENT=agent)
    assert counters.is_bot(request) is bot


# Like `masthead serve`: a parent process loads Django and forks a worker through
# multiprocessing, as granian does on Linux; the worker counts, then returns, after which
# multiprocessing ends it with os._exit(), so atexit handlers never run there.
SERVER_CODE = """
import json, multiprocessing, os, sys
import django
from django.conf import settings
django.setup()
settings.DATABASES["default"].update(json.loads(os.environ["COUNTER_TEST_DATABASE"]))

def worker():
    from masthead.core import counters
    for _ in range(7):
        counters.increment("read", "worker-exit")

process = multiprocessing.get_context("fork").Process(target=worker)
process.start()
process.join(60)
sys.exit(process.exitcode)
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_server_worker_writes_its_buffered_counts_when_it_stops():
    import json
    import os
    import subprocess
    import sys

    database = {
        key: connection.settings_dict[key] for key in ("NAME", "USER", "HOST", "PORT", "PASSWORD")
    }
    env = {**os.environ, "COUNTER_TEST_DATABASE": json.dumps(database)}
    env["MASTHEAD_COUNTER_FLUSH_SECONDS"] = "3600"
    result = subprocess.run(
        [sys.executable, "-c", SERVER_CODE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert stored() == {("read", "worker-exit"): 7}
