"""Moderation desk: a queue page with 100 items against one with 100,000 pending comments and
20,000 open reports.

Run by `make bench`, or alone: `.venv/bin/python bench/moderation.py [--pending N] [--reports N]`.

Builds a throwaway SQLite newsroom in var/bench-moderation/ (a few stories, readers, comments
and reports, inserted in bulk), signs a moderator in with Django's test client, and times the
Pending and Reported queue pages (the HTML desk and the JSON API) in this process: first with
100 items in each queue, then after growing them to the full size. Prints the median and p90
per page, the query count of each (which must not change with the queue size) and the ratio
(goal: within 1.5x). Figures go to bench/results/moderation.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var" / "bench-moderation"
RESULTS_DIR = ROOT / "bench" / "results"
ROUNDS = 30
BATCH = 5000


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


def setup_django() -> None:
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    VAR_DIR.mkdir(parents=True)
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URLS", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "masthead.settings",
            "MASTHEAD_VAR_DIR": str(VAR_DIR),
            "MASTHEAD_ENV": "development",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    say("migrating a fresh database in var/bench-moderation")
    call_command("migrate", verbosity=0)


def newsroom():  # type: ignore[no-untyped-def]
    from wagtail.models import Page, Site

    from masthead.accounts.models import Role
    from masthead.accounts.services import create_user
    from masthead.newsroom.models import ArticlePage, HomePage, SectionPage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="The Bench Gazette", slug="bench"))
    site = Site.objects.get(is_default_site=True)
    old_root, site.root_page = site.root_page, home
    site.save()
    if old_root.pk != home.pk:
        old_root.delete()
    section = home.add_child(instance=SectionPage(title="News", slug="news"))
    articles = []
    for n in range(20):
        article = ArticlePage(
            title=f"Bench story {n}", slug=f"bench-story-{n}", standfirst="A story for the bench."
        )
        section.add_child(instance=article)
        article.save_revision().publish()
        articles.append(article)
    readers = [
        create_user(
            email=f"bench-reader-{n}@bench.example",
            password=None,
            role=Role.READER,
            verified=True,
            display_name=f"Bench reader {n}",
        )
        for n in range(200)
    ]
    moderator = create_user(
        email="bench-moderator@bench.example",
        password=None,
        role=Role.MODERATOR,
        verified=True,
        display_name="Bench moderator",
    )
    return articles, readers, moderator


def grow(articles, readers, *, pending: int, reported: int, reports: int) -> None:  # type: ignore[no-untyped-def]
    """Add comments in bulk until the queues hold `pending` held comments and `reported`
    published comments carrying `reports` open reports between them."""
    from django.db.models import Count, Min, OuterRef, Subquery
    from django.utils import timezone

    from masthead.community.models import Comment, CommentStatus
    from masthead.community.text import render_comment_text
    from masthead.moderation.models import Report, ReportReason

    now = timezone.now()
    have_pending = Comment.objects.filter(status=CommentStatus.PENDING).count()
    have_reported = Comment.objects.filter(open_reports__gt=0).count()
    body = "The bus timetable changed again and nobody told the riders."
    html = render_comment_text(body)

    def comments(count: int, status: str, start: int) -> list[Comment]:
        made = []
        for offset in range(0, count, BATCH):
            batch = [
                Comment(
                    article=articles[(start + n) % len(articles)],
                    author=readers[(start + n) % len(readers)],
                    body=f"{body} ({start + n})",
                    body_html=html,
                    status=status,
                    created_at=now - timedelta(seconds=start + n),
                )
                for n in range(offset, min(offset + BATCH, count))
            ]
            made.extend(Comment.objects.bulk_create(batch))
        return made

    comments(pending - have_pending, CommentStatus.PENDING, have_pending)
    new_reported = comments(
        reported - have_reported, CommentStatus.PUBLISHED, 10**6 + have_reported
    )
    reasons = list(ReportReason.objects.order_by("sort_order"))
    have_reports = Report.objects.count()
    rows = []
    for n in range(reports - have_reports if new_reported else 0):
        # Every reader reports a comment at most once: the same comment comes round again
        # only after a full pass, with the next reader.
        rows.append(
            Report(
                comment=new_reported[n % len(new_reported)],
                reporter=readers[(n // len(new_reported) + n) % len(readers)],
                reason=reasons[n % len(reasons)],
                note="Reported for the bench." if n % 3 == 0 else "",
                created_at=now - timedelta(minutes=n % 5000),
            )
        )
    Report.objects.bulk_create(rows, batch_size=BATCH)
    # Keep the denormalised counters as the services would have.
    open_reports = Report.objects.filter(comment=OuterRef("pk"), status="open").order_by()
    Comment.objects.filter(pk__in=[c.pk for c in new_reported]).update(
        open_reports=Subquery(
            open_reports.values("comment").annotate(n=Count("pk")).values("n")[:1]
        ),
        first_reported_at=Subquery(
            open_reports.values("comment").annotate(first=Min("created_at")).values("first")[:1]
        ),
    )


def time_pages(client, pages: dict[str, str]) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    from django.db import connection

    results = {}
    for name, url in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
        # Count what reaches the database (independent of DEBUG and the query log).
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):  # type: ignore[no-untyped-def]
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        results[name] = {
            "median_ms": round(statistics.median(times), 2),
            "p90_ms": round(times[int(len(times) * 0.9) - 1], 2),
            "queries": len(executed),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--reported", type=int, default=10_000, help="comments with reports")
    parser.add_argument("--reports", type=int, default=20_000)
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    articles, readers, moderator = newsroom()
    client = Client(HTTP_HOST="localhost")
    client.force_login(moderator)
    pages = {
        "pending page": "/moderation/queue/pending/",
        "reported page": "/moderation/queue/reported/",
        "pending API": "/api/v1/moderation/queues/pending",
        "reported API": "/api/v1/moderation/queues/reported",
    }
    say("100 pending comments and 100 reported ones (200 reports)")
    grow(articles, readers, pending=100, reported=100, reports=200)
    small = time_pages(client, pages)
    say(
        f"growing to {args.pending:,} pending comments and {args.reports:,} open reports on "
        f"{args.reported:,} comments"
    )
    started = time.perf_counter()
    grow(articles, readers, pending=args.pending, reported=args.reported, reports=args.reports)
    say(f"  grown in {time.perf_counter() - started:.0f} s")
    large = time_pages(client, pages)

    print()
    print(f"{'moderation queue page':<22} {'100 items':>12} {'full size':>12} {'ratio':>7} queries")
    ratios = {}
    for name in pages:
        ratio = large[name]["median_ms"] / small[name]["median_ms"]
        ratios[name] = round(ratio, 2)
        print(
            f"{name:<22} {small[name]['median_ms']:>10.1f}ms {large[name]['median_ms']:>10.1f}ms "
            f"{ratio:>6.2f}x {small[name]['queries']} -> {large[name]['queries']}"
        )
    print("goal: within 1.5x, and the same number of queries at both sizes")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "moderation.json"
    out.write_text(
        json.dumps(
            {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "sizes": {
                    "pending": args.pending,
                    "reported": args.reported,
                    "reports": args.reports,
                },
                "small": small,
                "large": large,
                "ratios": ratios,
            },
            indent=2,
        )
    )
    say(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
