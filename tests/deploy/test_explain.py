"""deploy/explain.py runs the hot pages' real queries and prints the database's plans."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from masthead.community.models import Comment

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "explain.py"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def test_it_explains_every_hot_page(make_article, reader, tmp_path):
    article = make_article("Tram line reopens", tags=["transport"])
    first = Comment.objects.create(article=article, author=reader, body="a", body_html="<p>a</p>")
    Comment.objects.create(
        article=article,
        author=reader,
        parent=first,
        root=first,
        depth=1,
        body="b",
        body_html="<p>b</p>",
    )
    Comment.objects.filter(pk=first.pk).update(reply_count=1)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url(),
        "MASTHEAD_VAR_DIR": str(tmp_path),
    }
    args = ["--brief", "--check"]
    if connection.vendor == "postgresql":
        args.append("--analyze")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for title in (
        "## Thread page 1, newest first",
        "## Thread page 1, top first",
        "## Replies of comment",
        "## Moderation queue: pending",
        "## Moderation queue: reported",
        "## Home front",
        "## Tag page /tags/transport/",
    ):
        assert title in result.stdout, title
    assert "# No sequential scan of a large table." in result.stdout
