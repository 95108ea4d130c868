"""Buffered counters: count events in memory, write them to the database in batches.

A story read or an ad impression must not cost a database write each: on a hot story that
would be hundreds of writes a second fighting over one row. `increment()` only adds to a
dictionary in this process; at most every `MASTHEAD["COUNTER_FLUSH_SECONDS"]` (checked on the
next increment), on `flush()`, and when the process (or a granian worker) exits, everything
buffered is written in one transaction as one batched upsert into `newsroom.HourlyCount`, keyed
by (kind, key, hour).

Each process keeps its own buffer, so several app servers simply add up in the table. A flush
that fails keeps its counts for the next one (up to MAX_PENDING_KEYS distinct keys; beyond that
new keys are dropped and logged: counting is worth less than staying up). Counts still in a
buffer when a process is killed hard are lost: these are statistics, not money.
"""

from __future__ import annotations

import logging
import multiprocessing.util
import threading
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)

MAX_PENDING_KEYS = 50_000
KIND_MAX, KEY_MAX = 20, 64  # the column sizes of HourlyCount

Bucket = tuple[str, str, datetime]

_lock = threading.Lock()
_pending: dict[Bucket, int] = {}
_last_flush = time.monotonic()
_dropped = 0


# Crawlers, link previewers and uptime checkers are not readers.
BOT_MARKERS = ("bot", "spider", "crawl", "slurp", "preview", "headless", "monitor")


def is_bot(request) -> bool:  # type: ignore[no-untyped-def]
    """Whether a request obviously comes from a robot (by its User-Agent, or has none)."""
    agent = request.META.get("HTTP_USER_AGENT", "").lower()
    return not agent or any(marker in agent for marker in BOT_MARKERS)


def hour_bucket(when: datetime | None = None) -> datetime:
    """The start of the hour (UTC) that `when` (default: now) falls in."""
    when = (when or datetime.now(UTC)).astimezone(UTC)
    return when.replace(minute=0, second=0, microsecond=0)


def window_start(hours: int, now: datetime | None = None) -> datetime:
    """The first bucket of the last `hours` hours, the current one included."""
    return hour_bucket(now) - timedelta(hours=max(1, hours) - 1)


def _interval() -> float:
    return float(settings.MASTHEAD.get("COUNTER_FLUSH_SECONDS", 10))


def _add(batch: dict[Bucket, int]) -> None:
    """Add counts to the buffer; the caller holds the lock."""
    global _dropped
    for bucket, n in batch.items():
        if bucket in _pending:
            _pending[bucket] += n
        elif len(_pending) < MAX_PENDING_KEYS:
            _pending[bucket] = n
        else:
            _dropped += n


def increment(kind: str, key: str | int, n: int = 1, *, when: datetime | None = None) -> None:
    """Count `n` events of `kind` for `key` (e.g. "read", article id) in this hour."""
    global _last_flush
    key = str(key)
    if not kind or len(kind) > KIND_MAX or not key or len(key) > KEY_MAX:
        raise ValueError(f"Counter kind and key must be 1-{KIND_MAX} and 1-{KEY_MAX} characters.")
    if n <= 0:
        return
    with _lock:
        _add({(kind, key, hour_bucket(when)): n})
        now = time.monotonic()
        due = now - _last_flush >= _interval()
        if due:
            _last_flush = now  # this thread flushes; the others carry on counting
    if due:
        _write_pending()


def flush() -> int:
    """Write everything buffered now; returns how many (kind, key, hour) rows were written."""
    global _last_flush
    with _lock:
        _last_flush = time.monotonic()
    return _write_pending()


def _write_pending() -> int:
    global _dropped
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        dropped, _dropped = _dropped, 0
    if dropped:
        logger.warning("Counter buffer full: dropped %d events.", dropped)
    if not batch:
        return 0
    try:
        _upsert(batch)
    except Exception:
        logger.exception("Could not write %d counters; keeping them for next time.", len(batch))
        with _lock:
            _add(batch)
        return 0
    return len(batch)


def _upsert(batch: dict[Bucket, int]) -> None:
    """One statement for the whole batch: insert each row, or add to the row already there.

    INSERT ... ON CONFLICT ... DO UPDATE is spelled the same on SQLite (3.24+) and PostgreSQL.
    """
    from masthead.newsroom.models import HourlyCount

    quote = connection.ops.quote_name
    table = quote(HourlyCount._meta.db_table)
    kind, key, hour, count = (
        quote(HourlyCount._meta.get_field(f).column) for f in ("kind", "key", "hour", "count")
    )
    # Only quoted names from the model go into the text; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({kind}, {key}, {hour}, {count}) VALUES (%s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({kind}, {key}, {hour}) DO UPDATE SET {count} = {table}.{count} + "
        f"excluded.{count}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    rows = [(k, key_, adapt(bucket), n) for (k, key_, bucket), n in sorted(batch.items())]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def pending() -> dict[Bucket, int]:
    """A copy of what is buffered and not yet written."""
    with _lock:
        return dict(_pending)


def reset() -> None:
    """Forget everything buffered (tests)."""
    global _last_flush, _dropped
    with _lock:
        _pending.clear()
        _dropped = 0
        _last_flush = time.monotonic()


def _flush_at_exit() -> None:
    if not _pending:
        return
    try:
        _write_pending()
    except Exception:  # the interpreter is going away; nothing left to tell
        logger.warning("Could not write the last counters at exit.")


class _ExitFlush:
    """Writes what is buffered when the process ends, in every kind of process.

    granian's workers are multiprocessing children, which leave through os._exit(): atexit
    handlers never run there, but multiprocessing's own exit finalizers do (in any other process
    multiprocessing runs them from atexit). A forked child starts with an empty list of those
    finalizers and a copy of the parent's buffer, so after a fork the buffer is emptied (the
    parent writes those counts) and the finalizer registered again.
    """

    def register(self) -> None:
        multiprocessing.util.Finalize(None, _flush_at_exit, exitpriority=10)

    def after_fork(self) -> None:
        global _lock
        _lock = threading.Lock()
        _pending.clear()
        self.register()


_exit_flush = _ExitFlush()
_exit_flush.register()
multiprocessing.util.register_after_fork(_exit_flush, _ExitFlush.after_fork)
