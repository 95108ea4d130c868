"""`masthead restore PATH [--yes]`: put back a backup made by `masthead backup`.

Refuses a backup of another engine or of a newer schema, and, without --yes, a database that
already holds content. Stop `masthead serve` and the worker first on a live site.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import Error as DatabaseError

from masthead.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore the database and media files from a `masthead backup` archive."

    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup file (masthead-<time>.tar).")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace the database and media files even when they hold content.",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = restore_backup(
                Path(str(options["path"])), confirmed=bool(options["yes"]), report=self.stdout.write
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:  # unreachable, or refused us: a message, not a traceback
            raise CommandError(f"The database failed: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {result.rows:,} rows in {result.tables} tables (every count matches "
                f"the backup) and {result.media_files:,} media files."
            )
        )
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(result.pending_migrations)} migration(s) of this "
                    "version: run `masthead migrate` before starting the site."
                )
            )
