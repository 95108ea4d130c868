"""`masthead worker [--once] [--tick SECONDS]`: scheduled publishing, periodic jobs and queued
tasks (see masthead.editorial.worker)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from masthead.editorial.worker import Worker


def non_negative(value: str) -> float:
    number = float(value)
    if not number >= 0:  # also refuses NaN
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Run the background worker: publish scheduled stories, run periodic jobs (wire feeds) "
        "and queued tasks (email). --once does one pass and exits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run every job once and every ready task, then exit.",
        )
        parser.add_argument(
            "--tick",
            type=non_negative,
            default=None,
            help="Seconds between periodic job runs (default: MASTHEAD_WORKER_TICK_SECONDS).",
        )

    def handle(self, *args: object, **options: object) -> None:
        worker = Worker(tick=options["tick"])  # type: ignore[arg-type]
        if options["once"]:
            report = worker.run_once(force_jobs=True, drain=True)
            for path, result in report.jobs.items():
                self.stdout.write(f"{path}: {result}")
            for path in report.failed_jobs:
                self.stderr.write(f"{path}: failed (see the log)")
            self.stdout.write(f"Tasks run: {report.tasks}")
            return
        worker.install_signal_handlers()
        worker.run_forever()
