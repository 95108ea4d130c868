"""Backups of a whole newsroom, and restoring them: the database and the media files.

A backup is one tar file (``masthead-<UTC time>.tar``) holding, in this order:

``database.sqlite3.gz``
    SQLite: a consistent copy made with SQLite's online backup API while the site keeps
    writing (WAL readers do not block writers), gzip-compressed.
``database.pgdump``
    PostgreSQL: ``pg_dump --format=custom`` (compressed by pg_dump itself), taken in the same
    exported snapshot as the row counts below, so the two always agree.
``media/...``
    every file under MEDIA_ROOT: photos, their renditions and documents.
``manifest.json``
    engine, time, Masthead and Django versions, the migrations applied per app, rows per table,
    the database file's SHA-256 and the media files' count and size.

The tar itself is not compressed: photos and PDFs are already compressed, and gzip over them
would only burn CPU. The manifest comes last and the file is written under a temporary name
and renamed when complete, so a half-written backup never looks like a whole one. Restore
reads the manifest first (an uncompressed tar is indexed by seeking, not by reading it all),
refuses a backup that does not fit before touching anything, unpacks into staging space, and
only then replaces the database and the media files.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

import masthead

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3.gz"
PG_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
# Hidden working directories this module makes; never backed up, never restored over.
STAGING_PREFIX = ".masthead-"
# Progress lines at most this often during long steps (seconds).
PROGRESS_SECONDS = 2.0

Report = Callable[[str], None]


class BackupError(Exception):
    """An expected failure (missing file, wrong engine, tool missing...): shown without a
    traceback by the commands."""


# --- shared helpers ---------------------------------------------------------------------------


def quote(name: str) -> str:
    """A table name as an SQL identifier (the same quoting in SQLite and PostgreSQL)."""
    return '"' + name.replace('"', '""') + '"'


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"  # pragma: no cover - the loop always returns


def utc_stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def default_destination(now: datetime | None = None) -> Path:
    moment = now or datetime.now(UTC)
    return Path(settings.VAR_DIR) / "backups" / f"masthead-{utc_stamp(moment)}.tar"


def resolve_destination(path: str | None, now: datetime | None = None) -> Path:
    """Where `masthead backup [PATH]` writes: the default under var/backups/, a new file in
    PATH when it is a directory (or ends with a slash), or PATH itself."""
    if not path:
        return default_destination(now)
    target = Path(path).expanduser()
    if target.is_dir() or path.endswith(os.sep):
        return target / default_destination(now).name
    return target


class Throttle:
    """Calls `report` at most every PROGRESS_SECONDS (and always for the last step)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.last = time.monotonic()

    def __call__(self, message: str, *, final: bool = False) -> None:
        now = time.monotonic()
        if final or now - self.last >= PROGRESS_SECONDS:
            self.last = now
            self.report(message)


def engine() -> str:
    """'sqlite' or 'postgresql': the configured database's vendor."""
    vendor = connections["default"].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def applied_migrations(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


# --- what the code knows about migrations -----------------------------------------------------


@dataclass
class MigrationCheck:
    unknown: list[str]  # applied in the backup, unknown to this installation: refuse
    pending: list[str]  # known here, not applied in the backup: `masthead migrate` after


def check_migrations(applied: dict[str, list[str]]) -> MigrationCheck:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)  # squashed migrations keep their old names valid
    installed = {app for app, _ in loader.disk_migrations}
    in_backup = {(app, name) for app, names in applied.items() for name in names}
    # Apps no longer installed are left out: their tables come back but nothing reads them.
    unknown = sorted(f"{app}.{name}" for app, name in in_backup - known if app in installed)
    pending = sorted(
        f"{app}.{name}" for app, name in loader.graph.leaf_nodes() if (app, name) not in in_backup
    )
    return MigrationCheck(unknown=unknown, pending=pending)


# --- media ------------------------------------------------------------------------------------


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_files(root: Path) -> list[tuple[Path, str]]:
    """Every regular file under `root` as (path, name relative to root), sorted; skips this
    module's own staging directories."""
    if not root.is_dir():
        return []
    found: list[tuple[Path, str]] = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(name for name in subdirs if not name.startswith(STAGING_PREFIX))
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append((path, path.relative_to(root).as_posix()))
    return found


# --- SQLite -----------------------------------------------------------------------------------


def sqlite_path() -> Path:
    return Path(str(connections["default"].settings_dict["NAME"]))


def sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def sqlite_facts(db: sqlite3.Connection) -> tuple[dict[str, int], dict[str, list[str]]]:
    tables = sqlite_tables(db)
    counts = {
        table: db.execute(f"SELECT COUNT(*) FROM {quote(table)}").fetchone()[0]  # noqa: S608
        for table in tables
    }
    rows = []
    if "django_migrations" in tables:
        rows = db.execute("SELECT app, name FROM django_migrations").fetchall()
    return counts, applied_migrations(rows)


def structure_check(db: sqlite3.Connection) -> str:
    """SQLite's quick check of the file's structure ("ok" when sound). CHECK constraints are
    left out: some call functions (REGEXP) that only Django's connections define."""
    db.execute("PRAGMA ignore_check_constraints=ON")
    return str(db.execute("PRAGMA quick_check").fetchone()[0])


def sqlite_snapshot(staging: Path, report: Report) -> tuple[Path, dict[str, Any]]:
    live = sqlite_path()
    if not live.is_file():
        raise BackupError(f"There is no database at {live}: nothing to back up.")
    copy = staging / "database.sqlite3"
    report(f"Copying the database ({human_size(live.stat().st_size)}, SQLite online backup)…")
    started = time.monotonic()
    source = sqlite3.connect(live, timeout=30)
    target = sqlite3.connect(copy)
    try:
        # One step: the copy is one read transaction, a consistent snapshot. Under WAL the
        # server's writers carry on meanwhile; a copy in several steps would restart each time
        # another process wrote.
        source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"Could not copy the database {live}: {error}") from error
    finally:
        source.close()
    try:
        # A self-contained file: no -wal beside it to forget.
        target.execute("PRAGMA journal_mode=DELETE")
        status = structure_check(target)
        if status != "ok":
            raise BackupError(f"The database copy failed SQLite's check: {status}")
        counts, migrations = sqlite_facts(target)
    finally:
        target.close()
    report(f"  copied in {time.monotonic() - started:.1f} s; compressing…")
    packed = staging / SQLITE_MEMBER
    with copy.open("rb") as raw, gzip.open(packed, "wb", compresslevel=6) as zipped:
        shutil.copyfileobj(raw, zipped, 1 << 20)
    copy.unlink()
    facts = {
        "tables": counts,
        "migrations": migrations,
        "database": {"member": SQLITE_MEMBER, "sqlite_version": sqlite3.sqlite_version},
    }
    return packed, facts


def sqlite_restore(staged_gz: Path, report: Report) -> None:
    live = sqlite_path()
    live.parent.mkdir(parents=True, exist_ok=True)
    staged = staged_gz.with_suffix("")  # database.sqlite3
    try:
        with gzip.open(staged_gz, "rb") as zipped, staged.open("wb") as raw:
            shutil.copyfileobj(zipped, raw, 1 << 20)
        source = sqlite3.connect(staged)
        status = structure_check(source)
    except (OSError, EOFError, sqlite3.Error) as error:
        raise BackupError(f"The database in the backup is damaged: {error}") from error
    if status != "ok":
        source.close()
        raise BackupError(f"The database in the backup failed SQLite's check: {status}")
    connections.close_all()
    # The backup API writes into the live file under SQLite's own locks, so connections that
    # other processes hold open see the restored data next time they read (a file swap would
    # leave them on the old file, with a -wal that no longer matches it).
    target = sqlite3.connect(live, timeout=60)
    throttle = Throttle(report)

    def progress(status: int, remaining: int, total: int) -> None:
        done = total - remaining
        throttle(f"  {done * 100 // max(total, 1)}% of {total:,} pages", final=remaining == 0)

    try:
        source.backup(target, pages=4096, progress=progress)
        target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        raise BackupError(
            f"Could not write {live}: {error}. Stop `masthead serve` and the worker, then try "
            "again."
        ) from error
    finally:
        source.close()
        target.close()


# --- PostgreSQL -------------------------------------------------------------------------------

# libpq settings Django may carry in OPTIONS, and the environment variables pg_dump reads them
# from. Everything goes through the environment: nothing secret on a command line (`ps`).
PG_ENVIRONMENT = {
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "host": "PGHOST",
    "port": "PGPORT",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def pg_params() -> dict[str, str]:
    entry = connections["default"].settings_dict
    params = {
        "dbname": entry.get("NAME"),
        "user": entry.get("USER"),
        "password": entry.get("PASSWORD"),
        "host": entry.get("HOST"),
        "port": entry.get("PORT"),
    }
    options = entry.get("OPTIONS") or {}
    params.update({key: options[key] for key in PG_ENVIRONMENT if key in options})
    return {key: str(value) for key, value in params.items() if value not in (None, "")}


def pg_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({PG_ENVIRONMENT[key]: value for key, value in pg_params().items()})
    return env


def pg_connect() -> Any:
    import psycopg

    try:
        return psycopg.connect(**pg_params())
    except psycopg.Error as error:
        raise BackupError(f"Could not connect to PostgreSQL: {error}") from error


def pg_tool(name: str) -> Path:
    """pg_dump or pg_restore: from MASTHEAD_PG_BIN when set, else from PATH."""
    directory = os.environ.get("MASTHEAD_PG_BIN") or None
    found = shutil.which(name, path=directory)
    if found is None:
        where = f"in {directory} (MASTHEAD_PG_BIN)" if directory else "on the PATH"
        raise BackupError(
            f"{name} was not found {where}. Install the PostgreSQL client tools of the "
            "server's version (Debian/Ubuntu: apt install postgresql-client-<version>), or set "
            "MASTHEAD_PG_BIN to their directory (e.g. /usr/lib/postgresql/16/bin)."
        )
    return Path(found)


def tool_major(tool: Path) -> int:
    """The major version a PostgreSQL client tool reports, e.g. 15 for
    'pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)'."""
    try:
        output = subprocess.run(  # noqa: S603 - a path we resolved, fixed arguments
            [str(tool), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"Could not run {tool} --version: {error}") from error
    return parse_major(output, tool.name)


def parse_major(version_output: str, name: str) -> int:
    match = re.search(r"\)\s*(\d+)(?:\.\d+)?", version_output) or re.search(
        r"(\d+)(?:\.\d+)?", version_output
    )
    if match is None:
        raise BackupError(f"Could not read {name}'s version from {version_output.strip()!r}.")
    return int(match.group(1))


def check_tool_version(*, name: str, tool_version: int, server_version: int) -> None:
    """pg_dump refuses (or worse, misreads) a server newer than itself: say so plainly."""
    if tool_version < server_version:
        raise BackupError(
            f"{name} is version {tool_version} but the PostgreSQL server is version "
            f"{server_version}; {name} must be at least as new as the server. Install "
            f"postgresql-client-{server_version} and set MASTHEAD_PG_BIN=/usr/lib/postgresql/"
            f"{server_version}/bin (Debian/Ubuntu) or put it first on the PATH."
        )


def pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid) "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY c.relname"
    )
    return [name for (name,) in cursor.fetchall()]


def pg_facts(cursor: Any) -> tuple[dict[str, int], dict[str, list[str]]]:
    tables = pg_tables(cursor)
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - quoted name
        counts[table] = cursor.fetchone()[0]
    rows: list[tuple[str, str]] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        rows = cursor.fetchall()
    return counts, applied_migrations(rows)


def pg_snapshot(staging: Path, report: Report) -> tuple[Path, dict[str, Any]]:
    import psycopg

    pg_dump = pg_tool("pg_dump")
    dump_version = tool_major(pg_dump)
    conn = pg_connect()
    try:
        server_version = conn.info.server_version // 10000
        check_tool_version(name="pg_dump", tool_version=dump_version, server_version=server_version)
        # One REPEATABLE READ transaction exports its snapshot to pg_dump, so the row counts
        # in the manifest are exactly those of the dump, however busy the site is.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            report("Counting rows…")
            counts, migrations = pg_facts(cursor)
            output = staging / PG_MEMBER
            report(f"Dumping the database ({sum(counts.values()):,} rows, pg_dump)…")
            started = time.monotonic()
            result = subprocess.run(  # noqa: S603 - resolved tool, no secrets in arguments
                [
                    str(pg_dump),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-password",
                    f"--file={output}",
                ],
                env=pg_environment(),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
            report(
                f"  dumped {human_size(output.stat().st_size)} in "
                f"{time.monotonic() - started:.1f} s"
            )
        conn.rollback()
    except psycopg.Error as error:
        raise BackupError(f"Could not read the PostgreSQL database: {error}") from error
    finally:
        conn.close()
    facts = {
        "tables": counts,
        "migrations": migrations,
        "database": {
            "member": PG_MEMBER,
            "server_version": server_version,
            "pg_dump_version": dump_version,
        },
    }
    return output, facts


def pg_restore(staged: Path, manifest: dict[str, Any], report: Report) -> None:
    import psycopg

    tool = pg_tool("pg_restore")
    restore_version = tool_major(tool)
    made_with = int(manifest["database"].get("pg_dump_version") or 0)
    if restore_version < made_with:
        raise BackupError(
            f"This backup was made by pg_dump {made_with}; pg_restore {restore_version} cannot "
            f"read it. Install postgresql-client-{made_with} (or newer) and set MASTHEAD_PG_BIN."
        )
    connections.close_all()
    # Tables the backup does not have (a newer schema) would block --clean from dropping the
    # tables they reference, and would be left behind: drop them first.
    conn = pg_connect()
    try:
        with conn.cursor() as cursor:
            extra = sorted(set(pg_tables(cursor)) - set(manifest["tables"]))
            for table in extra:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(table)} CASCADE")
        conn.commit()
    except psycopg.Error as error:
        raise BackupError(f"Could not prepare the PostgreSQL database: {error}") from error
    finally:
        conn.close()
    if extra:
        report(f"  dropped {len(extra)} table(s) the backup does not have: {', '.join(extra)}")
    database = pg_params().get("dbname", "")
    report("Restoring the database (pg_restore, one transaction)…")
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - resolved tool; password only in the environment
        [
            str(tool),
            "--clean",
            "--if-exists",
            "--no-owner",
            # All or nothing: a failure half-way leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={database}",
            str(staged),
        ],
        env=pg_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        raise BackupError("pg_restore failed:\n" + "\n".join(lines[-15:]))
    report(f"  restored in {time.monotonic() - started:.1f} s")


# --- backup -----------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    size: int


def create_backup(destination: Path, *, report: Report = print) -> BackupResult:
    """Write a complete backup to `destination` (a temporary name first, renamed at the end)."""
    kind = engine()
    destination = destination.absolute()
    if destination.exists() and not destination.is_file():
        raise BackupError(f"{destination} exists and is not a file.")
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose another name.")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}backup-", dir=destination.parent))
    except OSError as error:
        raise BackupError(f"Cannot write in {destination.parent}: {error.strerror}") from error
    created = datetime.now(UTC)
    try:
        if kind == "sqlite":
            database, facts = sqlite_snapshot(staging, report)
        else:
            database, facts = pg_snapshot(staging, report)
        facts["database"]["sha256"] = sha256_of(database)
        facts["database"]["bytes"] = database.stat().st_size
        partial = staging / "backup.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            archive.add(database, arcname=database.name)
            database.unlink()
            # The media after the database: files it names were there before the snapshot, and
            # uploads are new files, so nothing the snapshot refers to is missing.
            media = add_media(archive, report)
            manifest = {
                "format": FORMAT,
                "engine": kind,
                "created_at": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
                "masthead_version": masthead.__version__,
                "django_version": django.get_version(),
                "database": facts["database"],
                "migrations": facts["migrations"],
                "tables": facts["tables"],
                "media": media,
            }
            add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        size = partial.stat().st_size
        # Password hashes, email addresses and payments: for the owner's eyes only.
        partial.chmod(0o600)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, destination)
        directory = os.open(destination.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the new name survives a power cut too
        finally:
            os.close(directory)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"Could not write the backup: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BackupResult(path=destination, manifest=manifest, size=size)


def add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def add_media(archive: tarfile.TarFile, report: Report) -> dict[str, int]:
    root = media_root()
    files = media_files(root)
    total = sum(path.stat().st_size for path, _ in files)
    report(f"Adding media files ({len(files):,} files, {human_size(total)})…")
    throttle = Throttle(report)
    added = size = 0
    for number, (path, name) in enumerate(files, start=1):
        try:
            info = archive.gettarinfo(path, arcname=MEDIA_PREFIX + name)
            with path.open("rb") as handle:
                archive.addfile(info, handle)
        except FileNotFoundError:  # deleted since the listing (an old rendition): not needed
            continue
        added += 1
        size += info.size
        throttle(f"  {number:,}/{len(files):,} files", final=number == len(files))
    return {"files": added, "bytes": size}


# --- restore ----------------------------------------------------------------------------------

# What `restore` names when it says what it would replace: (label, app label, model name).
SUMMARY_MODELS = (
    ("accounts", "accounts", "User"),
    ("articles", "newsroom", "ArticlePage"),
    ("comments", "community", "Comment"),
    ("reports", "moderation", "Report"),
    ("contributions", "revenue", "Contribution"),
    ("photos", "newsroom", "Photo"),
    ("documents", "wagtaildocs", "Document"),
)


def target_counts(only: set[str] | None = None) -> dict[str, int]:
    """Rows per table in the configured database (`only` those tables, when given)."""
    connection = connections["default"]
    tables = connection.introspection.table_names()
    if only is not None:
        tables = [table for table in tables if table in only]
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - quoted name
            counts[table] = cursor.fetchone()[0]
    return counts


def summarise(media: int) -> list[str]:
    """What the configured database and MEDIA_ROOT hold that a restore would replace."""
    from django.apps import apps

    tables = {
        label: apps.get_model(app, model)._meta.db_table for label, app, model in SUMMARY_MODELS
    }
    counts = target_counts(set(tables.values()))
    lines = []
    for label, table in tables.items():
        if counts.get(table):
            lines.append(f"{counts[table]:,} {label}")
    if media:
        lines.append(f"{media:,} media files")
    return lines


def read_manifest(archive: tarfile.TarFile, path: Path) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError(
            f"{path} has no {MANIFEST}: it is not a Masthead backup, or it is incomplete."
        )
    try:
        manifest = json.loads(handle.read())
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path}: the manifest is not valid JSON ({error}).") from error
    if not well_formed(manifest):
        raise BackupError(f"{path}: the manifest is not one `masthead backup` writes.")
    if manifest["format"] != FORMAT:
        raise BackupError(
            f"{path} is in backup format {manifest['format']}; this Masthead reads format {FORMAT}."
        )
    return manifest


def well_formed(manifest: Any) -> bool:
    """The manifest has every part restore reads, of the right kind."""

    def mapping(value: Any, kind: type | tuple[type, ...]) -> bool:
        return isinstance(value, dict) and all(
            isinstance(key, str) and isinstance(item, kind) for key, item in value.items()
        )

    if not isinstance(manifest, dict):
        return False
    database, media = manifest.get("database"), manifest.get("media")
    return (
        isinstance(manifest.get("format"), int)
        and isinstance(manifest.get("engine"), str)
        and mapping(manifest.get("tables"), int)
        and mapping(manifest.get("migrations"), list)
        and isinstance(database, dict)
        and isinstance(database.get("member"), str)
        and isinstance(database.get("sha256"), str)
        and isinstance(media, dict)
        and isinstance(media.get("files"), int)
        and isinstance(media.get("bytes"), int)
    )


@contextlib.contextmanager
def open_archive(path: Path) -> Iterator[tarfile.TarFile]:
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(
            f"{path} is not a readable backup (damaged or not a tar file)."
        ) from error
    with archive:
        try:
            yield archive
        except (tarfile.TarError, EOFError) as error:
            raise BackupError(f"{path} is damaged or truncated: {error}") from error
        except OSError as error:  # the disk, not the backup: say which
            raise BackupError(f"Could not restore: {error}") from error


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    tables: int
    rows: int
    media_files: int
    pending_migrations: list[str] = field(default_factory=list)


def check_fits(manifest: dict[str, Any], path: Path) -> MigrationCheck:
    """Refuse a backup this installation cannot take: another engine, or a newer schema."""
    kind = engine()
    if manifest["engine"] != kind:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        made, here = names.get(manifest["engine"], manifest["engine"]), names[kind]
        raise BackupError(
            f"{path} is a backup of a {made} database, but this Masthead uses {here}. "
            "Restoring across engines is not supported: restore it into a Masthead configured "
            f"for {made}, then move the content with `masthead dumpdata` / `masthead loaddata` "
            "(or a tool such as pgloader)."
        )
    check = check_migrations(manifest["migrations"])
    if check.unknown:
        shown = ", ".join(check.unknown[:8]) + (" …" if len(check.unknown) > 8 else "")
        raise BackupError(
            f"{path} was made by a newer Masthead (version {manifest.get('masthead_version')}): "
            f"its database has migrations this version does not know ({shown}). Upgrade "
            "Masthead, then restore."
        )
    return check


def restore_backup(path: Path, *, confirmed: bool, report: Report = print) -> RestoreResult:
    path = path.expanduser().absolute()
    with open_archive(path) as archive:
        manifest = read_manifest(archive, path)
        check = check_fits(manifest, path)
        report(
            f"Backup of {manifest.get('created_at')} (Masthead {manifest.get('masthead_version')}"
            f", {manifest['engine']}): {sum(manifest['tables'].values()):,} rows in "
            f"{len(manifest['tables'])} tables, {manifest['media']['files']:,} media files."
        )
        media_now = len(media_files(media_root()))
        replaced = summarise(media_now)
        if replaced and not confirmed:
            raise BackupError(
                "The database already holds "
                + ", ".join(replaced)
                + ". Restoring replaces all of it (and every media file) with the backup. Run "
                "again with --yes to go ahead."
            )
        root = media_root()
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}restore-", dir=root))
        try:
            staged_db = unpack(archive, manifest, work, report)
            if manifest["engine"] == "sqlite":
                report("Restoring the database (SQLite backup API)…")
                sqlite_restore(staged_db, report)
            else:
                pg_restore(staged_db, manifest, report)
            swap_media(root, work / "media", work / "old")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    report("Checking row counts against the manifest…")
    counts = target_counts()
    wrong = [
        f"{table}: {counts.get(table, 'missing')} (backup {expected})"
        for table, expected in sorted(manifest["tables"].items())
        if counts.get(table) != expected
    ]
    if wrong:
        raise BackupError(
            "Restored, but row counts differ from the backup:\n  " + "\n  ".join(wrong)
        )
    clear_page_cache(report)
    return RestoreResult(
        manifest=manifest,
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        media_files=manifest["media"]["files"],
        pending_migrations=check.pending,
    )


def unpack(archive: tarfile.TarFile, manifest: dict[str, Any], work: Path, report: Report) -> Path:
    """Extract the database and media into `work`, checking them against the manifest."""
    database_member = manifest["database"].get("member")
    if database_member not in (SQLITE_MEMBER, PG_MEMBER):
        raise BackupError(f"The manifest names an unknown database file {database_member!r}.")
    report(f"Unpacking ({manifest['media']['files']:,} media files)…")
    throttle = Throttle(report)
    database: Path | None = None
    files = size = 0
    for member in archive:
        if member.name == MANIFEST:
            continue
        if member.name == database_member:
            archive.extract(member, work, filter="data")
            database = work / member.name
        elif member.name.startswith(MEDIA_PREFIX) and member.isfile():
            archive.extract(member, work, filter="data")
            files += 1
            size += member.size
            throttle(f"  {files:,} media files")
        elif not member.isdir():
            raise BackupError(f"Unexpected entry {member.name!r} in the backup.")
    if database is None:
        raise BackupError(f"The backup has no {database_member}: it is incomplete.")
    if sha256_of(database) != manifest["database"].get("sha256"):
        raise BackupError("The database file in the backup is damaged (checksum mismatch).")
    expected = manifest["media"]
    if (files, size) != (expected["files"], expected["bytes"]):
        raise BackupError(
            f"The backup's media files are incomplete: {files} files, {size} bytes; the "
            f"manifest lists {expected['files']} files, {expected['bytes']} bytes."
        )
    (work / "media").mkdir(exist_ok=True)
    return database


def swap_media(root: Path, new: Path, old: Path) -> None:
    """Replace what MEDIA_ROOT holds by `new`'s entries: a few renames (all on one file system,
    as `new` is inside MEDIA_ROOT), then the old files are deleted."""
    old.mkdir()
    for entry in sorted(root.iterdir()):
        if not entry.name.startswith(STAGING_PREFIX):
            entry.rename(old / entry.name)
    for entry in sorted(new.iterdir()):
        entry.rename(root / entry.name)


def clear_page_cache(report: Report) -> None:
    """Pages cached before the restore show content that no longer exists: drop them. Only the
    page cache's own entries go; Redis may hold other things (limits, the task queue)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    pages = caches["pages"]
    try:
        if isinstance(pages, RedisCache):
            client = pages._cache.get_client(None, write=True)
            pattern = pages.make_key("*")
            batch: list[Any] = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
        else:
            pages.clear()
    except Exception as error:  # the restore is done; the cache only ages out
        report(f"Could not clear the page cache ({error}); cached pages expire within an hour.")
        return
    report("Cleared Masthead's page cache.")
