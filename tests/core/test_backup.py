"""`masthead backup` and `masthead restore`: a round trip through the real commands, and the
ways a restore must refuse.

The round trip works on a database of its own, filled by a subprocess through the services
(accounts, a story with a photo, a document, comments, a reply, a reaction, reports, a
moderation decision, contributions with their payments). It starts as a copy of the migrated
test database, so nothing is migrated again: a file copy on SQLite, and on PostgreSQL a real
database created for the test and dropped after it (pytest's own test database lives inside
transactions that another process cannot see). Every table, every row and every column, and
every media file, must come back as they were.

Run as a script, this file is the helper those subprocesses run:
``python tests/core/test_backup.py seed|mutate|dump OUT.json``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 300  # seconds per subprocess: generous, the machine may be busy


# --- the subprocess side ------------------------------------------------------------------------


def seed() -> None:
    """A small newsroom, written the way the site writes it."""
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.documents import get_document_model
    from wagtail.models import Page, Site

    from masthead.accounts.models import Role
    from masthead.accounts.services import create_user
    from masthead.community.services import post_comment, react
    from masthead.moderation.models import ReportReason
    from masthead.moderation.services import decide, report_comment
    from masthead.newsroom.models import ArticlePage, HomePage, Photo, SectionPage
    from masthead.revenue.services import complete_test_checkout, start_checkout

    # Real password hashing costs a third of a second per account and proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def person(email: str, role: Role, name: str):  # type: ignore[no-untyped-def]
        return create_user(
            email=email, password="correct-horse-battery-42", role=role, verified=True,
            display_name=name,
        )  # fmt: skip

    reader = person("rosa.reader@example.com", Role.READER, "Rosa")
    second = person("sam.second@example.com", Role.READER, "Sam")
    third = person("tess.third@example.com", Role.READER, "Tess")
    moderator = person("mo.moderator@example.com", Role.MODERATOR, "Mo")
    person("eda.editor@example.com", Role.EDITOR, "Eda")

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="The Backup Gazette", slug="front"))
    site = Site.objects.get(is_default_site=True)
    old_root, site.root_page = site.root_page, home
    site.save()
    old_root.delete()
    section = home.add_child(instance=SectionPage(title="News", slug="news"))

    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), (40, 90, 140)).save(buffer, "JPEG")
    photo = Photo.objects.create(
        title="Harbour at dawn", file=ImageFile(buffer, name="harbour.jpg"), credit="Ines"
    )
    photo.get_rendition("fill-400x250")  # a rendition row and its file
    get_document_model().objects.create(
        title="Council budget", file=ContentFile(b"Budget 2027\n" * 50, name="budget.txt")
    )

    stories = []
    for number in (1, 2):
        story = ArticlePage(
            title=f"Council votes on the tram line ({number})",
            slug=f"tram-{number}",
            standfirst="The vote followed three years of campaigning.",
            body=[("paragraph", "<p>Councillors voted 31 to 9 on Tuesday night.</p>")],
            lead_photo=photo,
        )
        section.add_child(instance=story)
        story.save_revision().publish()
        stories.append(story)

    first = post_comment(author=reader, article=stories[0], body="Long overdue, this line.")
    reply = post_comment(author=second, article=stories[0], body="Agreed.", parent=first)
    rude = post_comment(author=third, article=stories[0], body="Whoever wrote this is a fool.")
    post_comment(author=reader, article=stories[1], body="What about the buses?")
    react(comment=first, user=second)
    react(comment=reply, user=reader)
    reason = ReportReason.objects.active().first()
    report_comment(reporter=reader, comment=rude, reason=reason.code, note="Personal attack.")
    report_comment(reporter=second, comment=rude, reason=reason.code)
    rude.refresh_from_db()
    decide(comment=rude, moderator=moderator, action="reject", reason=reason.code)

    for key, frequency, amount in (("one", "once", 1000), ("two", "monthly", 500)):
        contribution, _ = start_checkout(
            frequency=frequency, amount=amount, email="rosa.reader@example.com", name="Rosa",
            reader=reader, placement="article", idempotency_key=f"backup-test-{key}",
        )  # fmt: skip
        complete_test_checkout(contribution=contribution)


def mutate() -> None:
    """Changes a restore must undo: rows deleted, added and edited, media removed and added."""
    from django.conf import settings

    from masthead.accounts.models import User
    from masthead.community.models import Comment
    from masthead.newsroom.models import ArticlePage, Photo

    Comment.objects.filter(pk=Comment.objects.order_by("pk").first().pk).delete()
    User.objects.create(email="intruder@example.com", display_name="Intruder")
    ArticlePage.objects.update(title="Replaced headline")
    Path(Photo.objects.get().file.path).unlink()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("not in the backup")


def plain(value: Any) -> Any:
    """A column value as JSON (bytes, dates, decimals and UUIDs as text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value)


def dump(out: Path) -> None:
    """Every row of every table (sorted, so order on disk does not matter) and every media
    file's checksum, as JSON."""
    import hashlib

    from django.conf import settings
    from django.db import connection

    tables: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            rows = sorted(([plain(value) for value in row] for row in cursor.fetchall()), key=repr)
            tables[table] = {"columns": columns, "rows": rows}
    media_root = Path(settings.MEDIA_ROOT)
    media = {
        path.relative_to(media_root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    }
    out.write_text(json.dumps({"tables": tables, "media": media}))


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    import django

    django.setup()
    command, out = argv[0], argv[1:]
    if command == "seed":
        seed()
    elif command == "mutate":
        mutate()
    if out:
        dump(Path(out[0]))


# --- the test side ------------------------------------------------------------------------------


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def masthead(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "masthead", *args], env)


def helper(*args: str, env: dict[str, str]) -> None:
    result = run([sys.executable, __file__, *args], env)
    assert result.returncode == 0, result.stderr


def subprocess_env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {**os.environ, "MASTHEAD_VAR_DIR": str(var_dir)}
    # Local caches only: a restore clears the page cache, which must not be the suite's Redis.
    for name in ("REDIS_URL", "MEDIA_ROOT", "MASTHEAD_PAGE_CACHE_DIR", "MASTHEAD_TASK_QUEUE"):
        env.pop(name, None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class Database:
    """The round trip's own database: a copy of the migrated (and, in a transactional test,
    committed) test database."""

    def __init__(self, tmp: Path) -> None:
        from django.db import connection

        self.vendor = connection.vendor
        self.settings = connection.settings_dict
        self.tmp = tmp
        self.var = tmp / "var"
        self.var.mkdir()
        self.name = f"masthead_backup_{os.getpid()}"
        self.url: str | None = None

    def create(self) -> None:
        if self.vendor == "sqlite":
            import sqlite3

            source = sqlite3.connect(self.settings["NAME"])
            target = sqlite3.connect(self.var / "masthead.sqlite3")
            source.backup(target)
            source.close()
            target.close()
            return
        self.check_pg_tools_match_server()
        parts = urlsplit(os.environ["DATABASE_URL"])
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin(f'CREATE DATABASE "{self.name}"')
        template = self.tmp / "template.pgdump"
        env = self.pg_env()
        for args in (
            ["pg_dump", "--format=custom", f"--file={template}", self.settings["NAME"]],
            ["pg_restore", "--no-owner", f"--dbname={self.name}", str(template)],
        ):
            result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
            assert result.returncode == 0, result.stderr

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
            if self.settings.get(key):
                env[name] = str(self.settings[key])
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = str(self.settings["PASSWORD"])
        return env

    def admin(self, statement: str) -> None:
        import psycopg

        params = {
            "dbname": "postgres",
            "host": self.settings.get("HOST") or None,
            "port": self.settings.get("PORT") or None,
            "user": self.settings.get("USER") or None,
            "password": self.settings.get("PASSWORD") or None,
        }
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as db:
            db.execute(statement)

    def check_pg_tools_match_server(self) -> None:
        """The backup needs a pg_dump at least as new as the server: check this machine's."""
        from django.db import connection

        from masthead.core.backup import parse_major

        out = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=True)  # noqa: S607
        assert parse_major(out.stdout, "pg_dump") >= connection.pg_version // 10000, out.stdout


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    found = []
    for table in sorted(set(before["tables"]) | set(after["tables"])):
        old, new = before["tables"].get(table), after["tables"].get(table)
        if old != new:
            rows = (len(old["rows"]) if old else None, len(new["rows"]) if new else None)
            found.append(f"{table}: rows {rows[0]} -> {rows[1]}")
    if before["media"] != after["media"]:
        found.append(f"media: {sorted(set(before['media']) ^ set(after['media']))}")
    return found


@pytest.fixture
def database(tmp_path):  # type: ignore[no-untyped-def]
    db = Database(tmp_path)
    db.create()
    yield db
    db.drop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_every_row_of_every_table_and_every_media_file(database, tmp_path):
    env = subprocess_env(database.var, database.url)
    before, changed, after = (tmp_path / f"{name}.json" for name in ("before", "changed", "after"))
    helper("seed", str(before), env=env)

    made = masthead("backup", str(tmp_path / "backups") + "/", env=env)
    assert made.returncode == 0, made.stderr
    archives = list((tmp_path / "backups").iterdir())
    assert len(archives) == 1, archives  # no temporary files left beside it
    archive = archives[0]
    assert archive.name.startswith("masthead-") and archive.suffix == ".tar"
    assert "Backup written to" in made.stdout
    assert archive.stat().st_mode & 0o777 == 0o600  # personal data: the owner's only

    # The manifest describes exactly what was there.
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        names = tar.getnames()
    state = load(before)
    assert manifest["engine"] == database.vendor
    assert manifest["tables"] == {t: len(v["rows"]) for t, v in state["tables"].items()}
    assert manifest["media"]["files"] == len(state["media"]) == 3  # photo, rendition, document
    assert {f"media/{name}" for name in state["media"]} <= set(names)
    assert manifest["migrations"]["community"], manifest["migrations"]
    assert manifest["tables"]["community_comment"] == 4
    assert manifest["tables"]["revenue_payment"] == 2

    helper("mutate", str(changed), env=env)
    assert {"community_comment", "accounts_user", "wagtailcore_page", "media"} <= {
        line.split(":")[0] for line in differences(state, load(changed))
    }

    restored = masthead("restore", str(archive), "--yes", env=env)
    assert restored.returncode == 0, restored.stderr
    assert "every count matches" in restored.stdout

    helper("dump", str(after), env=env)
    assert differences(state, load(after)) == []


def test_a_sqlite_snapshot_is_consistent_while_another_process_writes(tmp_path, monkeypatch):
    """The online backup copies in one read transaction: writers carry on (WAL), and the copy
    holds a prefix of their commits, never half of one."""
    import gzip
    import sqlite3
    import threading

    from masthead.core import backup

    live = tmp_path / "live.sqlite3"
    db = sqlite3.connect(live)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE story (id INTEGER PRIMARY KEY, body BLOB)")
    db.execute("CREATE TABLE line (story INTEGER, n INTEGER)")
    with db:  # some megabytes, so the copy takes a while
        db.executemany("INSERT INTO story (body) VALUES (randomblob(4000))", [()] * 2000)
    db.close()
    stop, errors, written = threading.Event(), [], [0]

    def writer() -> None:
        conn = sqlite3.connect(live, timeout=5)
        try:
            while not stop.is_set():
                with conn:  # one commit: a story and its ten lines together
                    story = conn.execute("INSERT INTO story (body) VALUES (x'00')").lastrowid
                    conn.executemany(
                        "INSERT INTO line VALUES (?, ?)", [(story, n) for n in range(10)]
                    )
                written[0] += 1
        except sqlite3.Error as error:
            errors.append(error)
        finally:
            conn.close()

    monkeypatch.setattr(backup, "sqlite_path", lambda: live)
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        # The writer is under way before the copy starts, and carries on after it.
        while thread.is_alive() and written[0] < 20:
            thread.join(0.01)
        packed, facts = backup.sqlite_snapshot(tmp_path, lambda message: None)
        after = facts["tables"]["line"] // 10 + 20
        while thread.is_alive() and written[0] < after:
            thread.join(0.01)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(gzip.decompress(packed.read_bytes()))
    snapshot = sqlite3.connect(copy)
    assert snapshot.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    stories, lines = (
        snapshot.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
        for table in ("story", "line")
    )
    assert (stories, lines) == (facts["tables"]["story"], facts["tables"]["line"])
    assert lines == (stories - 2000) * 10 > 0  # whole commits only
    assert snapshot.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file


# --- refusals, without a database of their own -------------------------------------------------


def fake_archive(path: Path, manifest: dict[str, Any], members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in {**members, "manifest.json": json.dumps(manifest).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def manifest_for(vendor: str, **changes: Any) -> dict[str, Any]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    applied: dict[str, list[str]] = {}
    for app, name in loader.disk_migrations:
        applied.setdefault(app, []).append(name)
    member = "database.sqlite3.gz" if vendor == "sqlite" else "database.pgdump"
    return {
        "format": 1,
        "engine": vendor,
        "created_at": "2026-11-26T10:00:00Z",
        "masthead_version": "0.1.0",
        "database": {"member": member, "sha256": "0" * 64, "bytes": 4},
        "migrations": {app: sorted(names) for app, names in applied.items()},
        "tables": {"accounts_user": 1},
        "media": {"files": 0, "bytes": 0},
        **changes,
    }


def restore_error(path: Path, *, yes: bool = True) -> str:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as raised:
        call_command("restore", str(path), yes=yes)
    return str(raised.value)


def test_restore_says_when_there_is_no_backup(tmp_path):
    assert "There is no backup at" in restore_error(tmp_path / "nothing.tar")


def test_restore_of_a_corrupt_file_fails_cleanly_from_the_command_line(tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(os.urandom(5000))
    var = tmp_path / "var"
    var.mkdir()
    result = masthead("restore", str(junk), "--yes", env=subprocess_env(var, None))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "not a readable backup" in result.stderr, result.stderr


def test_a_truncated_backup_is_refused_as_incomplete(tmp_path):
    from django.db import connection

    whole = fake_archive(
        tmp_path / "whole.tar",
        manifest_for(connection.vendor),
        {"database.sqlite3.gz": b"x" * 20_000, "media/a.jpg": b"y" * 20_000},
    )
    cut = tmp_path / "cut.tar"
    cut.write_bytes(whole.read_bytes()[:25_000])  # the manifest, written last, is gone
    message = restore_error(cut)
    assert "incomplete" in message or "damaged" in message, message


def test_a_manifest_that_is_not_ours_is_refused(tmp_path):
    from django.db import connection

    broken = manifest_for(connection.vendor)
    broken["media"] = {"files": "many"}
    message = restore_error(fake_archive(tmp_path / "odd.tar", broken, {}))
    assert "not one `masthead backup` writes" in message


def test_restore_refuses_a_backup_of_the_other_engine(tmp_path):
    from django.db import connection

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    message = restore_error(fake_archive(tmp_path / "other.tar", manifest_for(other), {}))
    assert "Restoring across engines is not supported" in message


def test_restore_refuses_a_backup_from_a_newer_schema(tmp_path):
    from django.db import connection

    manifest = manifest_for(connection.vendor)
    manifest["migrations"]["community"].append("9999_from_the_future")
    message = restore_error(fake_archive(tmp_path / "newer.tar", manifest, {}))
    assert "newer Masthead" in message and "community.9999_from_the_future" in message


def test_a_backup_from_an_older_schema_is_restored_then_migrated():
    from django.db import connection

    from masthead.core.backup import check_migrations

    applied = manifest_for(connection.vendor)["migrations"]
    latest = applied["community"].pop()  # the site was upgraded since the backup
    check = check_migrations(applied)
    assert check.unknown == []
    assert check.pending == [f"community.{latest}"]


def test_a_backup_with_a_damaged_database_changes_nothing(tmp_path, reader, settings):
    from django.db import connection

    from masthead.accounts.models import User

    (Path(settings.MEDIA_ROOT) / "kept.txt").parent.mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "kept.txt").write_text("still here")
    manifest = manifest_for(connection.vendor)
    member = manifest["database"]["member"]
    damaged = fake_archive(tmp_path / "damaged.tar", manifest, {member: b"nope"})
    assert "the database already holds 1 accounts" in restore_error(damaged, yes=False).lower()
    assert "checksum mismatch" in restore_error(damaged)
    assert User.objects.filter(pk=reader.pk).exists()
    assert [p.name for p in Path(settings.MEDIA_ROOT).iterdir()] == ["kept.txt"]


def test_a_failed_backup_leaves_no_file_that_looks_complete(tmp_path, monkeypatch):
    from masthead.core import backup

    def snapshot(staging: Path, report: Any) -> tuple[Path, dict[str, Any]]:
        (staging / "database.sqlite3.gz").write_bytes(b"data")
        return staging / "database.sqlite3.gz", {"tables": {}, "migrations": {}, "database": {}}

    def full_disk(archive: Any, report: Any) -> dict[str, int]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "sqlite_snapshot", snapshot)
    monkeypatch.setattr(backup, "pg_snapshot", snapshot)
    monkeypatch.setattr(backup, "add_media", full_disk)
    target = tmp_path / "out" / "nightly.tar"
    with pytest.raises(backup.BackupError, match="No space left"):
        backup.create_backup(target, report=lambda message: None)
    assert list(target.parent.iterdir()) == []


def test_backup_paths_default_to_var_backups_and_never_overwrite(tmp_path, settings):
    from datetime import UTC, datetime

    from masthead.core import backup

    moment = datetime(2026, 11, 26, 9, 30, 5, tzinfo=UTC)
    assert backup.resolve_destination(None, moment) == (
        Path(settings.VAR_DIR) / "backups" / "masthead-20261126T093005Z.tar"
    )
    assert backup.resolve_destination(str(tmp_path), moment) == (
        tmp_path / "masthead-20261126T093005Z.tar"
    )
    taken = tmp_path / "taken.tar"
    taken.write_bytes(b"an older backup")
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.create_backup(taken, report=lambda message: None)
    assert taken.read_bytes() == b"an older backup"


def test_pg_dump_must_be_present_and_at_least_as_new_as_the_server(monkeypatch):
    from masthead.core import backup

    version = "pg_dump (PostgreSQL) 13.16 (Debian 13.16-0+deb11u1)"
    assert backup.parse_major(version, "pg_dump") == 13
    assert backup.parse_major("pg_restore (PostgreSQL) 17beta2", "pg_restore") == 17
    with pytest.raises(backup.BackupError, match="must be at least as new as the server"):
        backup.check_tool_version(name="pg_dump", tool_version=13, server_version=15)
    backup.check_tool_version(name="pg_dump", tool_version=16, server_version=15)
    monkeypatch.setenv("MASTHEAD_PG_BIN", "/nonexistent/bin")
    with pytest.raises(backup.BackupError, match="pg_dump was not found in /nonexistent/bin"):
        backup.pg_tool("pg_dump")


def test_the_password_reaches_pg_dump_through_the_environment_only():
    from django.db import connection

    from masthead.core import backup

    entry = {**connection.settings_dict, "NAME": "news", "USER": "masthead", "HOST": "db"}
    entry.update(PASSWORD="s3cret", PORT="5433", OPTIONS={"sslmode": "require", "pool": {}})
    original = connection.settings_dict
    connection.settings_dict = entry
    try:
        env = backup.pg_environment()
    finally:
        connection.settings_dict = original
    assert env["PGPASSWORD"] == "s3cret" and env["PGSSLMODE"] == "require"
    assert (env["PGDATABASE"], env["PGUSER"], env["PGHOST"], env["PGPORT"]) == (
        "news",
        "masthead",
        "db",
        "5433",
    )


if __name__ == "__main__":
    main(sys.argv[1:])
