"""Rate-limit counters shared by every process on this machine, for sites without Redis.

`masthead serve` runs several worker processes. Counting in each one's memory would let a
reader post the limit once per worker (5 comments a minute became 10 with two workers), so
without Redis the counts live in a small SQLite file beside the site's data instead: one
UPSERT per counted action, atomic across processes, and a counter starts again at 1 once its
window has passed. Losing the file loses nothing but the current windows' counts.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
import time

logger = logging.getLogger(__name__)
_local = threading.local()

UPSERT = """
INSERT INTO counters (key, count, expires) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires <= ? THEN 1 ELSE count + 1 END,
    expires = CASE WHEN expires <= ? THEN excluded.expires ELSE expires END
RETURNING count
"""
# Expired counters are swept now and then, not on every hit.
SWEEP_CHANCE = 0.001


def _connection(path: str) -> sqlite3.Connection:
    """One connection per thread and file (sqlite3 connections are not shared by threads)."""
    connections: dict[str, sqlite3.Connection] = _local.__dict__.setdefault("connections", {})
    connection = connections.get(path)
    if connection is None:
        connection = sqlite3.connect(path, timeout=10, isolation_level=None)
        for attempt in range(50):
            try:
                # Switching to WAL takes no notice of the busy timeout: several workers
                # opening the file at once are told it is locked, and try again.
                connection.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        # Counts that do not survive a power cut are fine: they only ever err towards allowing.
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS counters "
            "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
        )
        connections[path] = connection
    return connection


def count(path: str, key: str, timeout: int) -> int | None:
    """Add one to the counter `key` in the file at `path` (a new counter lives `timeout`
    seconds); the new count, or None when the file cannot be used (the caller then counts in
    its own process rather than refuse or fail every comment)."""
    now = time.time()
    try:
        connection = _connection(path)
        (found,) = connection.execute(UPSERT, (key, now + timeout, now, now)).fetchone()
        if random.random() < SWEEP_CHANCE:  # noqa: S311 (not security: when to tidy up)
            connection.execute("DELETE FROM counters WHERE expires <= ?", (now,))
    except sqlite3.Error as error:
        logger.warning("rate-limit file %s unusable, counting in this process: %s", path, error)
        bad = _local.__dict__.get("connections", {}).pop(path, None)
        if bad is not None:
            bad.close()
        return None
    return int(found)
