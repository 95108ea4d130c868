"""Growth: does a page cost the same with 100 comments as with 100,000?

Run by `make bench` (bench/run.py), or alone: `.venv/bin/python bench/growth.py [--quick]`.

Builds a throwaway SQLite newsroom in the work directory (from a migrated template database kept
between runs), then, in one process with Django's test client:

- page 1 of one story's thread at 100 / 1,000 / 10,000 / 100,000 comments: the JSON API as a
  signed-in reader (Bearer token: built on every request), the same as an anonymous reader
  (served from the thread's own per-version cache), the HTML thread page `/comments/<id>/`
  signed in, and the article page itself (the page cache is off in this process, so the page
  is rendered around its comments section, which still comes from its own fragment cache);
- the moderation queue (Pending: the desk page and the API) at 1,000 / 100,000 pending comments;
- the home front at 1,000 / 100,000 stories.

Rows are inserted in bulk: comments with `bulk_create`, stories by cloning one story made
through Wagtail into page-tree rows with computed treebeard paths. Goal: the largest size within
1.5x of the smallest, and the same number of queries at every size. `--quick` caps the largest
sizes at 10,000 (and says so). Prints progress, a table, and writes bench/results/growth.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_WORKDIR = ROOT / "var" / "bench"  # shared with bench/run.py: one migrated template
BATCH = 5000
GOAL = 1.5
THREAD_SIZES = [100, 1_000, 10_000, 100_000]
QUEUE_SIZES = [1_000, 100_000]
FRONT_SIZES = [1_000, 100_000]
QUICK_CAP = 10_000
# Variables that would point the bench at a real deployment's database or cache.
# PYTEST_VERSION too: a bench started from a test must still run the way a deployment does.
STRIPPED_ENV = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URLS",
    "REDIS_URL",
    "MEDIA_ROOT",
    "PYTEST_VERSION",
)


def say(message: str) -> None:
    print(f"bench growth: {message}", flush=True)


def check_load() -> list[float]:
    """The load average now, with a warning when something else is using the machine."""
    load = [round(x, 2) for x in os.getloadavg()]
    if load[0] > (os.cpu_count() or 1) / 2:
        say(
            f"warning: load average {load[0]:.1f} on {os.cpu_count()} cores: something else is "
            "running, and the figures will be slower and noisier than on a quiet machine"
        )
    return load


class BenchError(Exception):
    pass


# --- A migrated SQLite database, made once per set of migrations ------------------------------


def migrations_digest() -> str:
    """Changes when any migration (ours or, through the lock file, a dependency's) changes."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("masthead/*/migrations/*.py"))
    for extra in ("requirements.lock", "pyproject.toml"):
        if (ROOT / extra).exists():
            files.append(ROOT / extra)
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def clean_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in STRIPPED_ENV}
    env.update(MASTHEAD_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="masthead.settings")
    env.pop("MASTHEAD_ENV", None)
    return env


def migrated_sqlite(workdir: Path) -> Path:
    """Path of a migrated, empty SQLite database for this code's migrations (made on first use,
    ~15 s; later runs copy it)."""
    template_dir = workdir / f"template-{migrations_digest()}"
    database = template_dir / "masthead.sqlite3"
    if database.exists():
        return database
    for old in workdir.glob("template-*"):
        shutil.rmtree(old, ignore_errors=True)
    building = workdir / "template-building"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    say("migrating a template SQLite database (once per set of migrations)")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "masthead", "migrate", "--verbosity", "0"],
        env=clean_env(building),
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"`masthead migrate` failed with exit code {result.returncode}")
    for extra in building.glob("masthead.sqlite3-*"):
        extra.unlink()
    building.rename(template_dir)
    say(f"  migrated in {time.perf_counter() - started:.0f} s")
    return database


def fresh_sqlite(workdir: Path, var_dir: Path) -> None:
    template = migrated_sqlite(workdir)
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    shutil.copyfile(template, var_dir / "masthead.sqlite3")


# --- Data builders (run inside a configured Django process) ----------------------------------


def build_newsroom(*, articles: int = 20, readers: int = 200, sections: int = 4) -> dict:
    """A home page, a few sections, `articles` stories published through Wagtail, verified
    readers and a moderator. Returns the objects the measurements need."""
    from wagtail.models import Page, Site

    from masthead.accounts.models import Role
    from masthead.accounts.services import create_user, issue_token
    from masthead.newsroom.models import ArticlePage, HomePage, SectionPage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="The Bench Gazette", slug="bench"))
    site = Site.objects.get(is_default_site=True)
    old_root, site.root_page = site.root_page, home
    site.save()
    if old_root.pk != home.pk:
        old_root.delete()
    home.refresh_from_db()
    section_pages = []
    for n in range(sections):
        section = home.add_child(instance=SectionPage(title=f"Section {n}", slug=f"section-{n}"))
        section.save_revision().publish()
        section_pages.append(section)
    stories = []
    for n in range(articles):
        article = ArticlePage(
            title=f"Bench story {n}",
            slug=f"bench-story-{n}",
            standfirst="A story for the bench, with a standfirst of ordinary length.",
        )
        section_pages[n % sections].add_child(instance=article)
        article.save_revision().publish()
        stories.append(article)
    people = [
        create_user(
            email=f"bench-reader-{n}@bench.example",
            password=None,
            role=Role.READER,
            verified=True,
            display_name=f"Bench reader {n}",
        )
        for n in range(readers)
    ]
    moderator = create_user(
        email="bench-moderator@bench.example",
        password=None,
        role=Role.MODERATOR,
        verified=True,
        display_name="Bench moderator",
    )
    token = issue_token(user=people[0], name="bench")[1]
    return {
        "home": home,
        "sections": section_pages,
        "articles": stories,
        "readers": people,
        "moderator": moderator,
        "reader_token": token,
    }


def add_articles(sections: list, total: int, template, progress=say) -> int:  # type: ignore[no-untyped-def]
    """Clone `template` (a live ArticlePage) into new live stories until there are `total`,
    spread over `sections`, newest last. Page rows go in with `bulk_create` and treebeard paths
    computed from each section's last child; the ArticlePage rows with one executemany."""
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from masthead.newsroom.models import ArticlePage

    have = ArticlePage.objects.count()
    need = total - have
    if need <= 0:
        return 0
    now = timezone.now()
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    base = {f.attname: getattr(template, f.attname) for f in page_fields}
    child_fields = list(ArticlePage._meta.local_concrete_fields)
    child_table = connection.ops.quote_name(ArticlePage._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in child_fields)
    marks = ", ".join(["%s"] * len(child_fields))
    insert = f"INSERT INTO {child_table} ({columns}) VALUES ({marks})"  # noqa: S608
    child_values = {
        f.attname: f.get_db_prep_save(getattr(template, f.attname), connection)
        for f in child_fields
    }

    # Next free step under each section.
    state = []
    for section in sections:
        section.refresh_from_db()
        last = section.get_last_child()
        step = Page._str2int(last.path[-Page.steplen :]) if last else 0
        state.append({"section": section, "step": step, "added": 0})

    started = time.perf_counter()
    made = 0
    while made < need:
        count = min(BATCH, need - made)
        pages = []
        for offset in range(count):
            n = have + made + offset
            slot = state[n % len(state)]
            slot["step"] += 1
            slot["added"] += 1
            section = slot["section"]
            slug = f"grown-story-{n}"
            # Newest last: the clones are newer than everything before them.
            when = now - timedelta(seconds=need - made - offset)
            pages.append(
                Page(
                    **{
                        **base,
                        "path": Page._get_path(section.path, section.depth + 1, slot["step"]),
                        "depth": section.depth + 1,
                        "numchild": 0,
                        "translation_key": uuid.uuid4(),
                        "title": f"Grown story {n}",
                        "draft_title": f"Grown story {n}",
                        "slug": slug,
                        "url_path": f"{section.url_path}{slug}/",
                        "first_published_at": when,
                        "last_published_at": when,
                        "latest_revision_created_at": None,
                        "latest_revision_id": None,
                        "live_revision_id": None,
                        "has_unpublished_changes": False,
                    }
                )
            )
        with transaction.atomic():
            Page.objects.bulk_create(pages)
            rows = []
            for offset, page in enumerate(pages):
                values = {**child_values, "page_ptr_id": page.pk}
                values["comment_count"] = (have + made + offset) % 40
                rows.append([values[f.attname] for f in child_fields])
            with connection.cursor() as cursor:
                cursor.executemany(insert, rows)
        made += count
        progress(f"  stories: {have + made:,} / {total:,}")
    with transaction.atomic():
        for slot in state:
            if slot["added"]:
                Page.objects.filter(pk=slot["section"].pk).update(
                    numchild=slot["section"].numchild + slot["added"]
                )
    progress(f"  {need:,} stories added in {time.perf_counter() - started:.1f} s")
    return need


COMMENT_TEXT = (
    "The council says the line will open next spring, but the last three dates all slipped."
)


def add_thread_comments(article, readers: list, total: int, progress=say) -> int:  # type: ignore[no-untyped-def]
    """Grow `article`'s thread to `total` published comments: in each block of five, four
    top-level comments and one reply to the first of them (so page 1 has replies to attach),
    a few featured, likes spread for the `top` sort. Counters kept as the services would."""
    from django.db import transaction
    from django.utils import timezone

    from masthead.community.models import Comment, CommentStatus
    from masthead.community.services import thread_changed
    from masthead.community.text import render_comment_text
    from masthead.newsroom.models import ArticlePage

    have = Comment.objects.filter(article=article).count()
    need = total - have
    if need <= 0:
        return 0
    html = render_comment_text(COMMENT_TEXT)
    start = timezone.now() - timedelta(days=10)
    started = time.perf_counter()
    made = 0
    while made < need:
        count = min(BATCH, need - made)
        tops, replies_of = [], []
        for offset in range(count):
            n = have + made + offset
            if n % 5 == 4 and tops:
                replies_of.append((n, tops[-4] if len(tops) >= 4 else tops[0]))
                continue
            tops.append(
                Comment(
                    article=article,
                    author=readers[n % len(readers)],
                    body=f"{COMMENT_TEXT} ({n})",
                    body_html=html,
                    status=CommentStatus.PUBLISHED,
                    created_at=start + timedelta(seconds=2 * n),
                    like_count=(n * 7919) % 97,
                    featured_at=start + timedelta(seconds=2 * n) if n in (10, 50) else None,
                    reply_count=1 if n % 5 == 0 else 0,
                )
            )
        with transaction.atomic():
            Comment.objects.bulk_create(tops)
            Comment.objects.bulk_create(
                [
                    Comment(
                        article=article,
                        author=readers[(n * 3) % len(readers)],
                        parent=parent,
                        root=parent,
                        depth=1,
                        body=f"{COMMENT_TEXT} (reply {n})",
                        body_html=html,
                        status=CommentStatus.PUBLISHED,
                        created_at=start + timedelta(seconds=2 * n),
                    )
                    for n, parent in replies_of
                ]
            )
        made += count
        progress(f"  thread: {have + made:,} / {total:,} comments")
    with transaction.atomic():
        published = Comment.objects.filter(article=article, status=CommentStatus.PUBLISHED)
        ArticlePage.objects.filter(pk=article.pk).update(comment_count=published.count())
        thread_changed(article.pk)
    progress(f"  {need:,} comments added in {time.perf_counter() - started:.1f} s")
    return need


def add_pending(articles: list, readers: list, total: int, progress=say) -> int:  # type: ignore[no-untyped-def]
    """Grow the Pending queue to `total` held comments, spread over `articles`."""
    from django.utils import timezone

    from masthead.community.models import Comment, CommentStatus
    from masthead.community.text import render_comment_text

    have = Comment.objects.filter(status=CommentStatus.PENDING).count()
    need = total - have
    if need <= 0:
        return 0
    body = "Held for a look: the bus timetable changed again and nobody told the riders."
    html = render_comment_text(body)
    now = timezone.now()
    started = time.perf_counter()
    made = 0
    while made < need:
        count = min(BATCH, need - made)
        Comment.objects.bulk_create(
            [
                Comment(
                    article=articles[(have + made + n) % len(articles)],
                    author=readers[(have + made + n) % len(readers)],
                    body=f"{body} ({have + made + n})",
                    body_html=html,
                    status=CommentStatus.PENDING,
                    screening_summary="Held: first comment from this reader.",
                    created_at=now - timedelta(seconds=have + made + n),
                )
                for n in range(count)
            ]
        )
        made += count
        progress(f"  pending: {have + made:,} / {total:,}")
    progress(f"  {need:,} pending comments added in {time.perf_counter() - started:.1f} s")
    return need


# --- Timing ----------------------------------------------------------------------------------


def time_get(client, url: str, rounds: int, headers: dict | None = None) -> dict:  # type: ignore[no-untyped-def]
    """Median and p90 of `rounds` GETs after one warm-up, and the queries of one request."""
    from django.db import connection

    headers = headers or {}
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise BenchError(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url, headers=headers)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p90_ms": round(times[max(0, int(len(times) * 0.9) - 1)], 2),
        "queries": len(executed),
    }


def record(series: dict, name: str, figures: dict) -> None:
    entry = series.setdefault(name, {"median_ms": [], "p90_ms": [], "queries": []})
    for key in ("median_ms", "p90_ms", "queries"):
        entry[key].append(figures[key])


def verdicts(part: dict) -> None:
    for figures in part["measures"].values():
        medians, queries = figures["median_ms"], figures["queries"]
        ratio = medians[-1] / medians[0] if medians and medians[0] else None
        figures["ratio"] = round(ratio, 2) if ratio is not None else None
        figures["queries_flat"] = len(set(queries)) <= 1
        figures["pass"] = bool(ratio is not None and ratio <= GOAL and figures["queries_flat"])


def measure(quick: bool) -> dict:
    """Runs inside the configured child process."""
    from django.test import Client

    cap = QUICK_CAP if quick else None
    thread_sizes = [s for s in THREAD_SIZES if cap is None or s <= cap]
    queue_sizes = [min(s, cap) if cap else s for s in QUEUE_SIZES]
    front_sizes = [min(s, cap) if cap else s for s in FRONT_SIZES]
    rounds = 10 if quick else 30
    timings: dict[str, float] = {}

    say("building the newsroom: home, 4 sections, 20 stories through Wagtail, 200 readers")
    started = time.perf_counter()
    room = build_newsroom()
    timings["newsroom_s"] = round(time.perf_counter() - started, 1)
    hot = room["articles"][0]
    others = room["articles"][1:]
    readers = room["readers"]

    anonymous = Client(HTTP_HOST="localhost")
    signed_in = Client(HTTP_HOST="localhost")
    signed_in.force_login(readers[0])
    desk = Client(HTTP_HOST="localhost")
    desk.force_login(room["moderator"])
    bearer = {"Authorization": f"Bearer {room['reader_token']}"}
    article_url = hot.url_path[len(room["home"].url_path) - 1 :]

    result: dict = {
        "quick": quick,
        "capped": f"largest sizes capped at {QUICK_CAP:,} (--quick)" if quick else None,
        "rounds": rounds,
        "thread": {"sizes": thread_sizes, "measures": {}},
        "queue": {"sizes": queue_sizes, "measures": {}},
        "front": {"sizes": front_sizes, "measures": {}},
    }

    def grow_front(size: int) -> None:
        say(f"front: growing to {size:,} stories")
        started = time.perf_counter()
        add_articles(room["sections"], size, hot)
        timings[f"front_{size}_s"] = round(time.perf_counter() - started, 1)
        figures = time_get(anonymous, "/", rounds)
        record(result["front"]["measures"], "home front (built)", figures)
        say(f"  home front at {size:,} stories: {figures['median_ms']} ms, {figures['queries']} q")

    grow_front(front_sizes[0])

    thread = result["thread"]["measures"]
    for size in thread_sizes:
        say(f"thread: growing to {size:,} comments")
        started = time.perf_counter()
        add_thread_comments(hot, readers, size)
        timings[f"thread_{size}_s"] = round(time.perf_counter() - started, 1)
        api = f"/api/v1/articles/{hot.pk}/comments"
        for name, client, url, headers in (
            ("thread API, signed in (built)", anonymous, api, bearer),
            ("thread API, anonymous (cached per version)", anonymous, api, None),
            ("thread page /comments/, signed in (built)", signed_in, f"/comments/{hot.pk}/", None),
            (
                "article page, anonymous (page cache off, comments fragment cached)",
                anonymous,
                article_url,
                None,
            ),
        ):
            figures = time_get(client, url, rounds, headers)
            record(thread, name, figures)
            say(f"  {name} at {size:,}: {figures['median_ms']} ms, {figures['queries']} queries")

    queue = result["queue"]["measures"]
    for size in queue_sizes:
        say(f"queue: growing to {size:,} pending comments")
        started = time.perf_counter()
        add_pending(others, readers, size)
        timings[f"queue_{size}_s"] = round(time.perf_counter() - started, 1)
        for name, url in (
            ("pending queue page (desk)", "/moderation/queue/pending/"),
            ("pending queue API", "/api/v1/moderation/queues/pending"),
        ):
            figures = time_get(desk, url, rounds)
            record(queue, name, figures)
            say(f"  {name} at {size:,}: {figures['median_ms']} ms, {figures['queries']} queries")

    for size in front_sizes[1:]:
        grow_front(size)

    for part in ("thread", "queue", "front"):
        verdicts(result[part])
    # What bench/run.py plots: sizes and the median per size of the built page of each part.
    result["curves"] = {
        "thread": {
            "sizes": thread_sizes,
            "median_ms": thread["thread API, signed in (built)"]["median_ms"],
            "label": "thread page 1 (API, signed in, built)",
        },
        "thread_anonymous": {
            "sizes": thread_sizes,
            "median_ms": thread["thread API, anonymous (cached per version)"]["median_ms"],
            "label": "thread page 1 (API, anonymous)",
        },
        "queue": {
            "sizes": queue_sizes,
            "median_ms": queue["pending queue page (desk)"]["median_ms"],
            "label": "moderation queue page (pending)",
        },
        "front": {
            "sizes": front_sizes,
            "median_ms": result["front"]["measures"]["home front (built)"]["median_ms"],
            "label": "home front (built)",
        },
    }
    result["build_seconds"] = timings
    return result


# --- Interface for bench/run.py --------------------------------------------------------------


def child_main(quick: bool, var_dir: Path, out: Path) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    result = measure(quick)
    out.write_text(json.dumps(result, indent=2) + "\n")


def run(quick: bool, workdir: Path) -> dict:
    """Measure in a child process (Django is configured once per process, for this
    database only), streaming its progress lines; returns the figures."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    var_dir = workdir / "growth"
    started = time.perf_counter()
    load_before = check_load()
    fresh_sqlite(workdir, var_dir)
    out = workdir / "growth-result.json"
    out.unlink(missing_ok=True)
    env = clean_env(var_dir)
    # Development settings without DEBUG (no query log, cached templates, no static manifest
    # needed); the page cache off so that pages are built, not served from the cache.
    env.update(MASTHEAD_ENV="development", DEBUG="0", MASTHEAD_PAGE_CACHE="0")
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(out)]
    if quick:
        command.append("--quick")
    result = subprocess.run(command, env=env, cwd=ROOT, check=False)
    if result.returncode != 0 or not out.exists():
        raise BenchError(f"the growth measurements failed (exit code {result.returncode})")
    figures = json.loads(out.read_text())
    figures["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    figures["seconds"] = round(time.perf_counter() - started, 1)
    figures["cores"] = os.cpu_count()
    figures["load_average"] = {"start": load_before, "end": check_load()}
    shutil.rmtree(var_dir, ignore_errors=True)
    return figures


def rows(result: dict) -> list[tuple[str, str, str]]:
    table = []
    for part, unit in (("thread", "comments"), ("queue", "pending"), ("front", "stories")):
        sizes = result[part]["sizes"]
        for name, figures in result[part]["measures"].items():
            medians = " / ".join(f"{ms:.1f}" for ms in figures["median_ms"])
            queries = " / ".join(str(q) for q in figures["queries"])
            verdict = "PASS" if figures["pass"] else "FAIL"
            reason = f"{figures['ratio']}x (goal <= {GOAL}x)"
            if not figures["queries_flat"]:
                reason += ", queries grow"
            table.append(
                (
                    f"growth: {name} at {' / '.join(f'{s:,}' for s in sizes)} {unit}",
                    f"{medians} ms; queries {queries}",
                    f"{verdict} {reason}",
                )
            )
    if result.get("capped"):
        table.append(("growth: note", result["capped"], ""))
    load = result.get("load_average", {}).get("start")
    if load and load[0] > (result.get("cores") or 1) / 2:
        table.append(("growth: note", f"load average {load[0]} at the start: a busy machine", ""))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"cap sizes at {QUICK_CAP:,}")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.quick, Path(os.environ["MASTHEAD_VAR_DIR"]), args.child)
        return
    result = run(args.quick, args.workdir)
    print()
    for measure_name, value, verdict in rows(result):
        print(f"{measure_name}\n    {value}    {verdict}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "growth.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    say(f"wrote {out.relative_to(ROOT)} in {result['seconds']:.0f} s")


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        print(f"bench growth: error: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
