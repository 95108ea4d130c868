"""MASTHEAD_TASK_QUEUE=redis: tasks wait in Redis (RQ) and `masthead worker` runs them.

Uses the Redis at 127.0.0.1:6379 (database 3, emptied by these tests); skipped without one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
import redis
from django.core import mail
from django.db import connection
from django_tasks import TaskResultStatus

from masthead.editorial.tasks import send_email
from masthead.editorial.worker import Worker

REDIS_URL = "redis://127.0.0.1:6379/3"


@pytest.fixture
def redis_queue(settings):
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=1)
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield client
    client.flushdb()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_the_worker_runs_tasks_from_the_redis_queue(redis_queue):
    result = send_email.enqueue(subject="Hello", message="From Redis", recipients=["a@example.org"])
    assert redis_queue.llen("rq:queue:default") == 1
    assert mail.outbox == []

    report = Worker(tick=0, jobs=[]).run_once()

    assert report.tasks == 1
    assert [m.subject for m in mail.outbox] == ["Hello"]
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert redis_queue.llen("rq:queue:default") == 0


@pytest.mark.django_db
def test_a_failing_task_is_recorded_and_the_next_one_still_runs(redis_queue, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    failing = send_email.enqueue(subject="Bounce", message="x", recipients=["b@example.org"])
    worker = Worker(tick=0, jobs=[])
    assert worker.run_once().tasks == 1
    failing.refresh()
    assert failing.status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError" in failing.errors[0].traceback

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ok = send_email.enqueue(subject="Fine", message="y", recipients=["c@example.org"])
    assert worker.run_once().tasks == 1
    ok.refresh()
    assert ok.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_masthead_worker_command_runs_the_redis_queue(redis_queue, tmp_path):
    send_email.enqueue(subject="Via the command", message="z", recipients=["d@example.org"])
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        database_url = f"sqlite:///{db['NAME']}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "MASTHEAD_TASK_QUEUE": "redis",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"file://{tmp_path}/mail",
        "MASTHEAD_EMAIL_QUEUE": "0",
        "MASTHEAD_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "masthead", "worker", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Tasks run: 1" in result.stdout, result.stdout + result.stderr
    sent = list((tmp_path / "mail").iterdir())
    assert len(sent) == 1 and "Via the command" in sent[0].read_text()
