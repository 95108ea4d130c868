"""SQLite writers queue for their turn instead of polling for the database lock."""

import subprocess
import sys
import threading

import pytest
from django.db import connection, connections, transaction

from masthead.core.sqlite import base as sqlite_base
from masthead.core.sqlite.base import WriteQueue

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the write queue is part of the SQLite backend"
)

HOLD_AND_RELEASE = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(0.3)
open(sys.argv[2], "w").write("released")
fcntl.flock(fd, fcntl.LOCK_UN)
"""


def test_a_writer_in_another_process_goes_first(tmp_path):
    """The turn passes between processes: acquire returns only once the holder let go."""
    lock_file, marker = tmp_path / "db.write-queue", tmp_path / "released"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_RELEASE, str(lock_file), str(marker)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        queue = WriteQueue(str(lock_file))
        assert queue.acquire()
        assert marker.read_text() == "released"
        queue.release()
    finally:
        holder.wait(timeout=10)


def test_a_turn_that_never_comes_gives_way_to_sqlites_own_wait(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_base, "WAIT_SECONDS", 0.05)
    queue = WriteQueue(str(tmp_path / "db.write-queue"))
    assert queue.acquire()
    outcome = []
    waiter = threading.Thread(target=lambda: outcome.append(queue.acquire()))
    waiter.start()
    waiter.join(timeout=5)
    queue.release()
    assert outcome == [False]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_write_transactions_take_turns():
    """A second thread's transaction starts only after the first one committed, and both
    succeed: no "database is locked" however the two overlap."""
    from django.contrib.auth.models import Group

    events: list[str] = []
    first_inside = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                Group.objects.create(name="first")
                events.append("first in")
                first_inside.set()
                # The second thread is now waiting for its turn.
                threading.Event().wait(0.2)
                events.append("first commits")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_inside.wait(5)
            with transaction.atomic():
                events.append("second in")
                Group.objects.create(name="second")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    assert events == ["first in", "first commits", "second in"]
    assert set(
        Group.objects.filter(name__in=["first", "second"]).values_list("name", flat=True)
    ) == {
        "first",
        "second",
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_turn_is_held_for_the_transaction_and_given_back():
    assert not connection.in_write_queue
    with transaction.atomic():
        assert connection.in_write_queue
        with transaction.atomic():  # a savepoint inside keeps the same turn
            assert connection.in_write_queue
    assert not connection.in_write_queue
    with pytest.raises(RuntimeError), transaction.atomic():
        assert connection.in_write_queue
        raise RuntimeError("rolled back")
    assert not connection.in_write_queue
