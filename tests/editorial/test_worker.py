"""`masthead worker`: periodic jobs (scheduled publishing) and queued tasks, in one loop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageLogEntry

from masthead.editorial.scheduling import publish_scheduled
from masthead.editorial.tasks import send_email
from masthead.editorial.worker import PERIODIC_JOBS, Worker
from masthead.newsroom.models import ArticlePage

from .helpers import make_due, scheduled_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPO = Path(__file__).resolve().parents[2]


def test_scheduled_publishing_is_a_periodic_job():
    assert ("masthead.editorial.scheduling.publish_due", 0) in PERIODIC_JOBS


def test_worker_once_publishes_due_stories_and_leaves_later_ones(section, capsys):
    due = scheduled_article(section, "Harbour lights", timezone.now() + timedelta(hours=1))
    later = scheduled_article(section, "Harbour fees", timezone.now() + timedelta(hours=1))
    make_due(due)
    call_command("worker", "--once")
    assert ArticlePage.objects.get(pk=due.pk).live
    assert not ArticlePage.objects.get(pk=later.pk).live
    out = capsys.readouterr().out
    assert "masthead.editorial.scheduling.publish_due: 1" in out
    # Wagtail queues its search and reference index updates as tasks: the worker runs them.
    assert "Tasks run: " in out
    assert not DBTaskResult.objects.ready().exists()


def test_worker_once_runs_queued_tasks(db):
    result = send_email.enqueue(
        subject="Your story was approved", message="It goes live at six.", recipients=["w@x.org"]
    )
    assert len(mail.outbox) == 0  # queued, not sent by the request that asked for it
    call_command("worker", "--once")
    assert [message.subject for message in mail.outbox] == ["Your story was approved"]
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


def test_a_failing_task_is_recorded_and_the_next_one_still_runs(db):
    broken = send_email.enqueue(subject="Bad\nheader", message="x", recipients=["a@x.org"])
    fine = send_email.enqueue(subject="Fine", message="x", recipients=["a@x.org"])
    assert Worker(tick=0).run_once().tasks == 2
    assert DBTaskResult.objects.get(pk=broken.id).status == "FAILED"
    assert DBTaskResult.objects.get(pk=fine.id).status == "SUCCESSFUL"
    assert [message.subject for message in mail.outbox] == ["Fine"]


def test_a_failing_job_is_logged_and_the_others_still_run(section, caplog):
    article = scheduled_article(section, "Tram depot", timezone.now() + timedelta(hours=1))
    make_due(article)
    worker = Worker(
        tick=0,
        jobs=[
            ("masthead.editorial.no_such_module.job", 0),
            ("json.loads", 0),  # raises: called without its argument
            ("masthead.editorial.scheduling.publish_due", 0),
        ],
    )
    report = worker.run_once()
    assert report.failed_jobs == ["masthead.editorial.no_such_module.job", "json.loads"]
    assert report.jobs == {"masthead.editorial.scheduling.publish_due": 1}
    assert ArticlePage.objects.get(pk=article.pk).live
    assert "Job json.loads failed" in caplog.text


def test_a_job_runs_again_only_when_its_interval_has_passed(db):
    worker = Worker(tick=10, jobs=[("masthead.editorial.scheduling.publish_due", 60)])
    assert list(worker.run_due_jobs().jobs) == ["masthead.editorial.scheduling.publish_due"]
    assert worker.run_due_jobs().jobs == {}
    worker.next_run["masthead.editorial.scheduling.publish_due"] = time.monotonic() - 1
    assert list(worker.run_due_jobs().jobs) == ["masthead.editorial.scheduling.publish_due"]


def test_two_workers_at_once_publish_a_story_once(section):
    article = scheduled_article(section, "Race to publish", timezone.now() + timedelta(hours=1))
    make_due(article)
    start = threading.Barrier(2)
    results: list[int] = []

    def work() -> None:
        try:
            start.wait()
            results.append(publish_scheduled())
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [0, 1]
    assert (
        PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled").count() == 1
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="points a process at the test file")
def test_the_worker_process_publishes_on_time_and_stops_on_sigterm(section):
    article = scheduled_article(section, "Night market", timezone.now() + timedelta(hours=1))
    make_due(article)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
        "LOG_LEVEL": "INFO",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "masthead", "worker", "--tick", "0.2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not ArticlePage.objects.get(pk=article.pk).live:
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        assert ArticlePage.objects.get(pk=article.pk).live
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, output
    assert "Published scheduled revision" in output
    assert "stopped" in output


def test_worker_once_empties_the_queue_beyond_one_batch(db, monkeypatch):
    from masthead.editorial import worker as worker_module

    monkeypatch.setattr(worker_module, "TASK_BATCH", 2)
    for number in range(5):
        send_email.enqueue(subject=f"Note {number}", message="x", recipients=["a@x.org"])
    assert Worker(tick=0).run_once().tasks == 2  # an ordinary pass takes one batch
    call_command("worker", "--once")
    assert len(mail.outbox) == 5
    assert not DBTaskResult.objects.ready().exists()


def test_queued_email_backend_sends_through_the_worker(db, settings):
    from django.core.mail import EmailMultiAlternatives

    settings.EMAIL_BACKEND = "masthead.editorial.mail.QueuedEmailBackend"
    settings.QUEUED_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = EmailMultiAlternatives(
        subject="Please confirm your address",
        body="Follow the link to confirm.",
        from_email="desk@example.org",
        to=["reader@example.org"],
        headers={"X-Masthead": "signup"},
    )
    message.attach_alternative("<p>Follow the <b>link</b>.</p>", "text/html")
    message.attach("notes.txt", b"plain bytes \xe2\x9c\x93", "text/plain")
    assert message.send() == 1
    assert mail.outbox == []  # only queued during the request
    assert DBTaskResult.objects.ready().filter(task_path__endswith="deliver_email").count() == 1

    Worker(tick=0).run_once()
    (sent,) = mail.outbox
    assert (sent.subject, sent.to, sent.from_email) == (
        "Please confirm your address",
        ["reader@example.org"],
        "desk@example.org",
    )
    assert sent.body == "Follow the link to confirm."
    assert sent.alternatives[0][0] == "<p>Follow the <b>link</b>.</p>"
    assert sent.extra_headers["X-Masthead"] == "signup"
    assert sent.attachments[0][0] == "notes.txt"
