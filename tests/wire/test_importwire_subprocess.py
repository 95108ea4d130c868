"""`masthead importwire` as a newsroom runs it: a real process, against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from masthead.newsroom.models import ArticlePage
from masthead.wire.models import WireItem
from tests.wire.conftest import only

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    if connection.vendor == "postgresql":
        user = quote(settings.get("USER") or "")
        password = quote(settings.get("PASSWORD") or "")
        credentials = f"{user}:{password}@" if user else ""
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or "5432"
        return f"postgres://{credentials}{host}:{port}/{settings['NAME']}"
    pytest.skip(f"no database URL for {connection.vendor}")


def test_the_command_runs_as_a_process_and_exits_1_when_a_file_fails(home, wire_dir, tmp_path):
    folder = only(wire_dir, "malformed.json", "story-v1.json", into=tmp_path / "batch")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MASTHEAD_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    masthead = Path(sys.executable).with_name("masthead")

    done = subprocess.run(
        [str(masthead), "importwire", str(folder), "--section", "Regional", "--publish"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("failed") and "not valid JSON" in lines[0]
    assert lines[1].startswith("created") and "Council delays budget vote" in lines[1]
    assert lines[2] == "2 files: 1 created, 1 failed."
    assert f"[1/2] {folder / 'malformed.json'}" in done.stderr
    assert "1 of 2 files could not be imported" in done.stderr
    article = ArticlePage.objects.get()
    assert article.live and article.get_parent().title == "Regional"
    assert WireItem.objects.get().article == article
