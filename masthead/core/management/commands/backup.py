"""`masthead backup [PATH]`: the database and media files in one archive (masthead.core.backup).

PATH defaults to var/backups/masthead-<UTC time>.tar; a directory gets a file of that name.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import Error as DatabaseError

from masthead.core.backup import BackupError, create_backup, human_size, resolve_destination


class Command(BaseCommand):
    help = "Back up the database and the media files into one archive, while the site runs."

    # An operator's tool: it should work even when a system check would complain.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="File to write, or a directory to write it in "
            "(default: var/backups/masthead-<UTC time>.tar).",
        )

    def handle(self, *args: object, **options: object) -> None:
        destination = resolve_destination(options["path"])  # type: ignore[arg-type]
        try:
            result = create_backup(destination, report=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:  # unreachable, or refused us: a message, not a traceback
            raise CommandError(f"The database failed: {error}") from error
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.path} ({human_size(result.size)}): "
                f"{sum(manifest['tables'].values()):,} rows in {len(manifest['tables'])} tables, "
                f"{manifest['media']['files']:,} media files."
            )
        )
