"""`masthead importwire PATH... [--section NAME] [--publish] [--agency NAME]`

Imports IPTC ninjs documents (1.x, 2.x, 3.x). PATH may be files or folders (every `*.json` in a
folder, sorted by name). One line per file on stdout:

    created    wire/2026-03-04-floods.json  Flood barriers hold as river peaks
    failed     wire/broken.json  not valid JSON: Expecting ',' delimiter at line 4, column 3

then a summary. A progress bar goes to stderr (one line per file when stderr is not a
terminal). The exit status is 1 when any file failed; the other files are imported anyway.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from masthead.wire.services import (
    DEFAULT_SECTION,
    FAILED,
    ImportResult,
    WireSetupError,
    ensure_section,
    find_or_create_agency,
    import_file,
)

STATUSES = ("created", "updated", "unchanged", "skipped", "failed")
BAR_WIDTH = 30


class ProgressBar:
    """`[#####.....] 3/10` redrawn in place on a terminal; `[3/10] path` lines elsewhere."""

    def __init__(self, out: OutputWrapper, total: int) -> None:
        self.out = out
        self.total = total
        self.tty = bool(getattr(out, "isatty", lambda: False)())
        self.drawn = False
        out.style_func = None  # progress is not an error: no red on a terminal

    def clear(self) -> None:
        """Rub the bar out before a report line goes to the same terminal."""
        if self.tty and self.drawn:
            self.out.write("\r\033[K", ending="")
            self.out.flush()
            self.drawn = False

    def step(self, done: int, label: str) -> None:
        if self.tty:
            filled = BAR_WIDTH * done // max(self.total, 1)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.out.write(f"\r[{bar}] {done}/{self.total}", ending="")
            self.drawn = True
            if done == self.total:
                self.out.write("")
                self.drawn = False
            self.out.flush()
        else:
            self.out.write(f"[{done}/{self.total}] {label}")


def collect(paths: list[str]) -> list[tuple[Path, str]]:
    """Files to import, in order, each with a reason it cannot be read ("" when fine)."""
    files: list[tuple[Path, str]] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                files.append((path, "a folder without *.json files"))
            files.extend((p, "") for p in found)
        elif path.is_file():
            files.append((path, ""))
        else:
            files.append((path, "no such file or folder"))
    return files


class Command(BaseCommand):
    help = "Import IPTC ninjs wire stories (files or folders of *.json) as articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="ninjs files or folders")
        parser.add_argument(
            "--section",
            default=DEFAULT_SECTION,
            help=f"section for new stories, created if missing (default: {DEFAULT_SECTION})",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish the stories (default: drafts for the editors)",
        )
        parser.add_argument(
            "--agency",
            help="credit every story to this agency (default: each document's copyright holder)",
        )

    def handle(self, *args: object, **options: object) -> None:
        files = collect(list(options["paths"]))  # type: ignore[arg-type]
        try:
            section = ensure_section(name=str(options["section"]))
        except ValidationError as error:
            raise CommandError(f"--section: {'; '.join(error.messages)}") from error
        except (WireSetupError, ValueError) as error:
            raise CommandError(str(error)) from error
        agency = None
        if options["agency"]:
            try:
                agency = find_or_create_agency(name=str(options["agency"]))
            except ValidationError as error:
                raise CommandError(f"--agency: {'; '.join(error.messages)}") from error
        publish = bool(options["publish"])

        counts: Counter[str] = Counter()
        warnings = 0
        width = max(len(status) for status in STATUSES)
        progress = ProgressBar(self.stderr, len(files))
        for done, (path, problem) in enumerate(files, start=1):
            if problem:
                result = ImportResult(FAILED, reason=problem)
            else:
                result = import_file(path=path, section=section, publish=publish, agency=agency)
            counts[result.status] += 1
            warnings += len(result.warnings)
            progress.clear()
            self.stdout.write(f"{result.status:<{width}}  {path}  {result.summary}")
            for warning in result.warnings:
                self.stdout.write(f"{'':<{width}}  warning: {warning}")
            progress.step(done, str(path))

        parts = [f"{counts[status]} {status}" for status in STATUSES if counts[status]]
        summary = f"{len(files)} file{'s' if len(files) != 1 else ''}: " + ", ".join(parts)
        if warnings:
            summary += f"; {warnings} warning{'s' if warnings != 1 else ''}"
        self.stdout.write(summary + ".")
        if counts[FAILED]:
            raise CommandError(
                f"{counts[FAILED]} of {len(files)} files could not be imported.", returncode=1
            )
