"""SQLite with a write queue: writers wait their turn instead of polling for the lock.

SQLite lets one transaction write at a time. A second writer that finds the lock taken sleeps
and retries (1, 2, 5, 10, 20... ms), so under a burst of comments most of the time goes to
sleeping past the moment the lock came free. Here every write transaction first takes a lock
that wakes the next writer at once: a thread lock within the process and `flock` on a file
beside the database across the server's processes. SQLite's own lock still guards the data;
this only orders the queue. If the turn does not come within `WAIT_SECONDS` (a stuck writer,
or a test holding a transaction open while another thread writes), the writer goes ahead and
SQLite's busy timeout applies as before.
"""

from __future__ import annotations

import fcntl
import os
import threading

from django.db.backends.sqlite3 import base

WAIT_SECONDS = 5.0


class WriteQueue:
    """One per database file and process; threads share the file descriptor."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.thread_lock = threading.Lock()
        self.fd: int | None = None
        self.pid = 0

    def acquire(self) -> bool:
        if not self.thread_lock.acquire(timeout=WAIT_SECONDS):
            return False
        try:
            if self.fd is None or self.pid != os.getpid():  # first use, or a forked worker
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self.pid = os.getpid()
            # The holder in another process keeps it for one short transaction.
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except BaseException:
            self.thread_lock.release()
            raise
        return True

    def release(self) -> None:
        try:
            if self.fd is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.thread_lock.release()


_queues: dict[str, WriteQueue] = {}
_queues_lock = threading.Lock()


def write_queue(database: str) -> WriteQueue:
    with _queues_lock:
        if database not in _queues:
            _queues[database] = WriteQueue(f"{database}.write-queue")
        return _queues[database]


class DatabaseWrapper(base.DatabaseWrapper):
    in_write_queue = False

    def _queue(self) -> WriteQueue | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or self.transaction_mode != "IMMEDIATE":
            return None
        return write_queue(os.path.abspath(name))

    def _start_transaction_under_autocommit(self) -> None:
        queue = self._queue()
        if queue is not None and not self.in_write_queue:
            self.in_write_queue = queue.acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_queue()
            raise

    def _leave_queue(self) -> None:
        if self.in_write_queue:
            self.in_write_queue = False
            queue = self._queue()
            if queue is not None:
                queue.release()

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._leave_queue()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._leave_queue()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._leave_queue()
