"""Print the query plans of Masthead's hot reads against the configured database.

    DATABASE_URL=postgres://... python deploy/explain.py [--analyze] [--brief] [--sql] [--check]

Runs the real code paths (a thread's page 1 sorted newest, oldest and top; the replies of a
busy comment; the Pending and Reported moderation queues and their counts; the home front;
a tag page), captures every query each one sends, and prints the database's plan for it:
`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL with --analyze.
It picks the largest thread, the busiest comment and the most used tag in the database, so
run it on a copy of production (or on generated data) to see plans at your size. Only
reads: nothing is written, and the cache is replaced by a private in-process one meanwhile.

--check (PostgreSQL) exits with status 1 when a plan reads a large table (over 10,000 rows)
sequentially.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Max  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from masthead.community.models import Comment  # noqa: E402
from masthead.community.threads import (  # noqa: E402
    new_comments_since,
    replies_page,
    thread_page,
)
from masthead.moderation.queues import queue_counts, queue_page  # noqa: E402
from masthead.newsroom.fronts import compose_front  # noqa: E402
from masthead.newsroom.models import ArticlePage, ArticleTag, HomePage  # noqa: E402
from masthead.newsroom.services import list_page  # noqa: E402

LARGE_TABLE_ROWS = 10_000
BRIEF = re.compile(
    r"Scan|Sort|Limit|Index Cond|Rows Removed|Execution Time|SubPlan|SEARCH|SCAN|B-TREE"
)
COST = re.compile(r"\s*\(cost=[^)]*\)")
SEQ_SCAN = re.compile(r"(?:Parallel )?Seq Scan on (\w+)|SCAN (\w+)\b(?! USING)")


def hot_paths() -> list[tuple[str, Callable[[], object]]]:
    """(title, the code a page runs), for the biggest thread, comment and tag there are."""
    busiest = Comment.objects.values("article_id").annotate(n=Count("pk")).order_by("-n").first()
    paths: list[tuple[str, Callable[[], object]]] = []
    if busiest:
        article = ArticlePage.objects.get(pk=busiest["article_id"])
        size = f"article {article.pk}, {busiest['n']:,} comments"
        for sort in ("newest", "oldest", "top"):
            paths.append(
                (
                    f"Thread page 1, {sort} first ({size})",
                    lambda sort=sort: thread_page(article=article, sort=sort),
                )
            )
        # An open page asks for what was posted since it last looked: the newest ids only.
        newest = Comment.objects.aggregate(newest=Max("pk"))["newest"] or 0
        paths.append(
            (
                "New comments for an open page (its poll found 500 new comments site-wide)",
                lambda: new_comments_since(article, max(0, newest - 500)),
            )
        )
        root = (
            Comment.objects.filter(article=article, parent__isnull=True)
            .order_by("-reply_count")
            .first()
        )
        if root is not None and root.reply_count:
            paths.append(
                (
                    f"Replies of comment {root.pk} ({root.reply_count:,} replies), first page",
                    lambda: replies_page(root=root),
                )
            )
    for name in ("pending", "reported"):
        paths.append((f"Moderation queue: {name}, first page", lambda name=name: queue_page(name)))
    paths.append(("Moderation queue sizes (the desk's menu)", queue_counts))
    home = HomePage.objects.live().first()
    if home is not None:
        paths.append(
            (
                f"Home front: lead, picks, latest page 1, most read, most commented "
                f"({ArticlePage.objects.count():,} stories)",
                lambda: compose_front(home),
            )
        )
    tag = (
        ArticleTag.objects.values("tag_id", "tag__slug")
        .annotate(n=Count("pk"), last=Max("pk"))
        .order_by("-n")
        .first()
    )
    if tag:
        paths.append(
            (
                f"Tag page /tags/{tag['tag__slug']}/ ({tag['n']:,} stories), page 1",
                lambda: list(
                    list_page(
                        ArticlePage.objects.listed().filter(tagged_items__tag_id=tag["tag_id"]),
                        None,
                    )
                ),
            )
        )
    return paths


def captured_selects(run: Callable[[], object]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        result = run()
        # Evaluate what the page would: paginated lists load when they are iterated.
        for value in vars(result).values() if hasattr(result, "__dict__") else []:
            if hasattr(value, "object_list"):
                list(value.object_list)
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
    ]


def plan(sql: str, *, analyze: bool) -> list[str]:
    if connection.vendor == "postgresql":
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN "
    else:
        prefix = "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return [row[0] for row in rows]
    return [f"{'  ' * 0}{row[-1]}" for row in rows]


def brief(lines: list[str]) -> list[str]:
    """The lines that say how tables are read and sorted, without cost estimates, nodes that
    never ran, or the join nesting's deep indentation."""
    out, skipping = [], False
    for line in lines:
        if "never executed" in line:
            skipping = True
            continue
        if skipping and line.lstrip().startswith(("Index Cond", "Filter", "Recheck")):
            continue
        skipping = False
        if BRIEF.search(line):
            text = COST.sub("", line)
            depth = (len(text) - len(text.lstrip())) // 6
            out.append("  " * depth + text.lstrip())
    return out


def table_rows() -> dict[str, int]:
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_live_tup FROM pg_stat_user_tables")
        return dict(cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sql", action="store_true", help="print each query's SQL too")
    parser.add_argument(
        "--brief",
        action="store_true",
        help="only the plan lines that read tables or sort (scans, index conditions, sorts, "
        "limits, timings), without cost estimates",
    )
    parser.add_argument(
        "--analyze", action="store_true", help="PostgreSQL: run the queries (EXPLAIN ANALYZE)"
    )
    parser.add_argument(
        "--check", action="store_true", help="fail on a sequential scan of a large table"
    )
    args = parser.parse_args()

    sizes = table_rows()
    print(f"# {connection.vendor} {connection.settings_dict['NAME']}")
    problems = []
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "explain",
            },
            "pages": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "explain-pages",
            },
        }
    ):
        for title, run in hot_paths():
            print(f"\n## {title}")
            for n, sql in enumerate(captured_selects(run), start=1):
                tables = re.findall(r'FROM "(\w+)"', sql)
                print(f"\n-- query {n}: from {', '.join(dict.fromkeys(tables)) or '?'}")
                if args.sql:
                    print(sql)
                lines = plan(sql, analyze=args.analyze)
                print("\n".join(brief(lines) if args.brief else lines))
                for line in lines:
                    for match in SEQ_SCAN.finditer(line):
                        table = match.group(1) or match.group(2)
                        if sizes.get(table, 0) > LARGE_TABLE_ROWS:
                            problems.append(
                                f"{title}: sequential scan of {table} ({sizes[table]:,} rows)"
                            )
    if problems:
        print("\n# Sequential scans of large tables:")
        print("\n".join(f"- {p}" for p in problems))
    else:
        print("\n# No sequential scan of a large table.")
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
