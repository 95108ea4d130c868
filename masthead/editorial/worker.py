"""The background worker: periodic jobs plus the django-tasks database queue, in one loop.

`masthead worker` runs it; `masthead serve` starts one beside the web workers. Each pass:

1. runs the periodic jobs that are due (PERIODIC_JOBS: scheduled publishing on every tick, the
   wire-feed poller every minute, ...), each a plain callable named by dotted path;
2. runs the tasks waiting in the django-tasks database queue (email and the like), claimed with
   django-tasks-db's own locking so that two workers never run the same task; or, with
   MASTHEAD_TASK_QUEUE=redis, the jobs waiting in the Redis (RQ) queue, run in this process
   (RQ hands each job to one worker only).

A job or task that raises is logged and the loop goes on. SIGTERM or SIGINT ends the loop after
the job or task in hand (a second signal stops at once). Every job must be safe when two workers
run it at the same time: in a multi-server deployment run one worker (say `masthead worker` on
one machine, and `masthead serve --no-worker` on the others), but a second one does no harm.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

from django.conf import settings
from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

logger = logging.getLogger("masthead.worker")

# (dotted path to a callable taking no arguments, run at most every N seconds). A job runs at
# most once per tick, so a job asking for less than the tick runs on every tick.
PERIODIC_JOBS: list[tuple[str, float]] = [
    ("masthead.editorial.scheduling.publish_due", 0),
    # Polls only the wire feeds whose own interval has passed; a minute is the finest one.
    ("masthead.wire.feeds.poll_due_feeds", 60),
]
# How often the queue is checked for new tasks between ticks (seconds).
TASK_POLL_SECONDS = 1.0
# Most tasks run in one pass before the periodic jobs get another look.
TASK_BATCH = 50
# `--once` runs at most this many batches (tasks that queue more tasks cannot keep it going).
DRAIN_BATCHES = 100


@dataclass
class PassReport:
    jobs: dict[str, object] = field(default_factory=dict)
    failed_jobs: list[str] = field(default_factory=list)
    tasks: int = 0


class Worker:
    def __init__(
        self,
        *,
        tick: float | None = None,
        jobs: list[tuple[str, float]] | None = None,
        backend_name: str = "default",
        worker_id: str | None = None,
        task_poll: float = TASK_POLL_SECONDS,
    ) -> None:
        self.tick = float(settings.MASTHEAD["WORKER_TICK_SECONDS"] if tick is None else tick)
        self.jobs = list(PERIODIC_JOBS if jobs is None else jobs)
        self.backend_name = backend_name
        self.worker_id = worker_id or f"masthead-{get_random_string(12)}"
        self.task_poll = min(task_poll, self.tick) if self.tick > 0 else task_poll
        self.next_run: dict[str, float] = {}
        self.stopping = threading.Event()
        self._busy = False
        self._rq_worker = None  # created on first use with MASTHEAD_TASK_QUEUE=redis

    # --- Signals ----------------------------------------------------------------------------

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping.is_set():
            logger.warning("Received %s again: stopping now.", signal.strsignal(signum))
            signal.signal(signum, signal.SIG_DFL)
            sys.exit(1)
        logger.info(
            "Received %s: stopping after the work in hand%s.",
            signal.strsignal(signum),
            "" if self._busy else " (none)",
        )
        self.stop()

    def stop(self) -> None:
        self.stopping.set()

    # --- One pass ---------------------------------------------------------------------------

    def run_due_jobs(self, *, force: bool = False) -> PassReport:
        report = PassReport()
        now = time.monotonic()
        for path, every in self.jobs:
            if self.stopping.is_set():
                break
            if not force and self.next_run.get(path, 0.0) > now:
                continue
            self.next_run[path] = now + max(float(every), self.tick)
            self._busy = True
            try:
                job: Callable[[], object] = import_string(path)
                result = job()
            except Exception:
                logger.exception("Job %s failed", path)
                report.failed_jobs.append(path)
            else:
                report.jobs[path] = result
                if result:
                    logger.info("Job %s: %s", path, result)
            finally:
                self._busy = False
        return report

    def run_queued_tasks(
        self, limit: int | None = None, task_paths: tuple[str, ...] | None = None
    ) -> int:
        """Run up to `limit` (TASK_BATCH) ready tasks from the queue, only those of
        `task_paths` when given (the Redis queue runs them all); returns how many ran."""
        limit = TASK_BATCH if limit is None else limit
        if self._uses_redis_queue():
            return self.run_redis_tasks(limit)
        from django_tasks_db.management.commands.db_worker import Worker as TaskRunner
        from django_tasks_db.models import DBTaskResult
        from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

        runner = TaskRunner(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=self.backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        ran = 0
        while ran < limit and not self.stopping.is_set():
            ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if task_paths is not None:
                ready = ready.filter(task_path__in=task_paths)
            try:
                with exclusive_transaction(ready.db):
                    claimed = ready.get_locked()
                    if claimed is not None:
                        claimed.claim(self.worker_id)
            except OperationalError as error:
                if is_locked_database_exception(error):
                    break  # busy: try again on the next pass
                raise
            if claimed is None:
                break
            self._busy = True
            try:
                logger.info("Task %s (%s) started", claimed.id, claimed.task_path)
                runner.run_task(claimed)  # records success or failure on the task row
                logger.info("Task %s finished: %s", claimed.id, claimed.status)
            finally:
                self._busy = False
            ran += 1
        return ran

    def _uses_redis_queue(self) -> bool:
        from django_tasks import task_backends

        return type(task_backends[self.backend_name]).__module__.startswith("django_tasks_rq")

    def run_redis_tasks(self, limit: int) -> int:
        """Run up to `limit` jobs from the backend's RQ queues in this process (no fork), moving
        scheduled jobs that are due onto their queue first; returns how many ran."""
        if self.stopping.is_set():
            return 0
        if self._rq_worker is None:
            from django_tasks import task_backends
            from django_tasks_rq.backend import Job
            from rq import SimpleWorker

            class InProcessRQWorker(SimpleWorker):
                jobs_run = 0

                def _install_signal_handlers(self) -> None:
                    pass  # this worker's own handlers stay in charge

                def execute_job(self, job, queue):  # type: ignore[no-untyped-def]
                    self.jobs_run += 1
                    super().execute_job(job, queue)

            queues = task_backends[self.backend_name]._get_queues()
            self._rq_worker = InProcessRQWorker(
                queues,
                connection=queues[0].connection,
                job_class=Job,
                name=f"{self.worker_id}-rq",
            )
        rq_worker = self._rq_worker
        before = rq_worker.jobs_run
        self._busy = True
        try:
            rq_worker.work(burst=True, max_jobs=limit, with_scheduler=True, logging_level="WARNING")
        finally:
            self._busy = False
        ran = rq_worker.jobs_run - before
        if ran:
            logger.info("Ran %s task(s) from the Redis queue", ran)
        return ran

    def run_once(self, *, force_jobs: bool = False, drain: bool = False) -> PassReport:
        """One pass: the due jobs (all of them with `force_jobs`), then the queued tasks (up to
        TASK_BATCH, or every ready one with `drain`, e.g. those the jobs just queued)."""
        report = self.run_due_jobs(force=force_jobs)
        report.tasks = self.run_queued_tasks()
        ran = report.tasks
        for _ in range(DRAIN_BATCHES if drain else 0):
            if ran < TASK_BATCH:
                break  # the queue was emptied
            ran = self.run_queued_tasks()
            report.tasks += ran
        return report

    # --- The loop ---------------------------------------------------------------------------

    def run_forever(self) -> None:
        logger.info(
            "Worker %s started: tick %ss, jobs %s",
            self.worker_id,
            self.tick,
            ", ".join(path for path, _ in self.jobs) or "none",
        )
        while not self.stopping.is_set():
            close_old_connections()
            try:
                report = self.run_once()
            except Exception:  # the database went away, say: wait and try again
                logger.exception("Worker pass failed")
                report = PassReport()
            close_old_connections()
            if report.tasks >= TASK_BATCH:
                continue  # more may be waiting
            self.stopping.wait(self._seconds_to_next_job())
        logger.info("Worker %s stopped.", self.worker_id)

    def _seconds_to_next_job(self) -> float:
        now = time.monotonic()
        upcoming = [self.next_run.get(path, now) - now for path, _ in self.jobs]
        return max(0.05, min([self.task_poll, *upcoming]))
