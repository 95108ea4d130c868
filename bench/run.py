"""`make bench`: every benchmark in one run, one table, bench/results/latest.json and growth.png.

`.venv/bin/python bench/run.py [--quick] [--only throughput,growth,soak]`

Runs the parts one after the other on this machine (never two at once: they share its cores):

- throughput (bench/throughput.py): the anonymous article page from the app's page cache,
  through the shipped nginx caching rules and as a static file from nginx; the uncached article
  against a stock Wagtail page; posting and reading comments against Isso; the small requests
  every page view sends to the app (read and ad-impression beacons, a signed-in reader's page
  state, the live comment counter); and each request kind's machine time per request (under
  `costs` in latest.json, for deploy/SCALE.md);
- growth (bench/growth.py): page-1 thread time, the moderation queue and the home front as
  the data grows;
- soak (bench/soak.py): breaking news on one story, on SQLite and on PostgreSQL + Redis.

Each part is a module with `run(quick, workdir) -> dict` and `rows(result)`; a part whose
module is missing is skipped with a line saying so. Goals are reported as PASS or FAIL and never
change the exit status; an error in a part does (exit 1), after the other parts have run.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
from common import RESULTS_DIR, VAR_DIR, say

BENCH_DIR = Path(__file__).resolve().parent

# (part, module, what it measures): run in this order.
PARTS = (
    (
        "throughput",
        "throughput",
        "article page, uncached render vs stock Wagtail, comments, page-view requests, costs",
    ),
    ("growth", "growth", "thread, queue and front page as the data grows"),
    ("soak", "soak", "breaking-news soak on SQLite and on PostgreSQL + Redis"),
)
# How growth.png groups the growth curves: one panel per kind of page.
PANELS = (
    ("thread", "Thread page 1", "comments in the thread"),
    ("queue", "Moderation queue page", "pending comments"),
    ("front", "Home front", "published articles"),
)
GROWTH_GOAL = 1.5  # the issue: the largest size within 1.5x of the smallest


def load(module_name: str):  # type: ignore[no-untyped-def]
    """The part's module, or None when its file is not there (yet)."""
    if not (BENCH_DIR / f"{module_name}.py").exists():
        return None
    return importlib.import_module(module_name)


# --- The table ------------------------------------------------------------------------------


def table_text(groups: list[list[tuple[str, str, str]]]) -> str:
    """One table, a blank line between parts; over-long cells push their row out rather than
    wrap, so every row stays one line (easy to grep and paste)."""
    header = ("measure", "value", "goal / verdict")
    rows = [row for group in groups for row in group]
    widths = [
        min(max(len(row[i]) for row in [header, *rows]), cap) for i, cap in ((0, 72), (1, 56))
    ]

    def line(row: tuple[str, str, str]) -> str:
        return f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}".rstrip()

    out = [line(header), "-" * (sum(widths) + 4 + max(len(row[2]) for row in [header, *rows]))]
    for n, group in enumerate(groups):
        if n:
            out.append("")
        out += [line(row) for row in group]
    return "\n".join(out)


def verdict_counts(table: list[tuple[str, str, str]]) -> dict[str, int]:
    counts = {"PASS": 0, "FAIL": 0}
    for _, _, goal in table:
        for word in counts:
            if goal.startswith(word):
                counts[word] += 1
    return counts


# --- growth.png -----------------------------------------------------------------------------


def plot_growth(growth: dict, out: Path, date: str) -> bool:
    """One panel per kind of page: median time against size (log scale), with the 1.5x goal
    over the smallest size drawn for the built pages. Returns False when there is nothing to
    plot."""
    curves = growth.get("curves") or {}
    if not curves:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [p for p in PANELS if any(k.split("_")[0] == p[0] for k in curves)]
    panels += [(k, k, "size") for k in curves if k.split("_")[0] not in {p[0] for p in PANELS}]
    figure, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4.2), squeeze=False)
    for axis, (prefix, title, xlabel) in zip(axes[0], panels, strict=True):
        for key, curve in curves.items():
            if key.split("_")[0] != prefix and key != prefix:
                continue
            sizes, times = curve.get("sizes") or [], curve.get("median_ms") or []
            points = [(s, t) for s, t in zip(sizes, times, strict=False) if t is not None]
            if not points:
                continue
            xs, ys = zip(*points, strict=True)
            line = axis.plot(xs, ys, marker="o", label=curve.get("label", key))[0]
            if key == prefix and len(points) > 1:
                axis.hlines(
                    ys[0] * GROWTH_GOAL,
                    xs[0],
                    xs[-1],
                    colors=line.get_color(),
                    linestyles="dashed",
                    linewidth=1,
                    label=f"goal: {GROWTH_GOAL}x the smallest",
                )
        axis.set_xscale("log")
        axis.set_ylim(0, axis.get_ylim()[1] * 1.15)  # room above the goal line for the legend
        axis.set_title(title)
        axis.set_xlabel(xlabel)
        axis.set_ylabel("median time per page (ms)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize="small")
    capped = f" ({growth['capped']})" if growth.get("capped") else ""
    figure.suptitle(f"Masthead growth curves, {date}{capped}", fontsize="medium")
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=100)
    plt.close(figure)
    return True


# --- Main -----------------------------------------------------------------------------------


def run_part(name: str, module_name: str, quick: bool, workdir: Path) -> tuple[dict, list]:
    """(what goes in latest.json, table rows) for one part; errors are caught and reported."""
    started = time.monotonic()
    try:
        module = load(module_name)
    except Exception as error:  # a broken part must not stop the others
        traceback.print_exc()
        return {"error": f"could not import bench/{module_name}.py: {error}"}, []
    if module is None:
        message = f"bench/{module_name}.py not found: part skipped"
        say(f"{name}: {message}")
        return {"skipped": message}, [(f"{name}: skipped", f"bench/{module_name}.py not found", "")]
    say(f"=== {name} ({'quick' if quick else 'full'}) ===")
    try:
        result = module.run(quick, workdir)
    except Exception as error:
        if type(error).__name__ != "BenchError":
            traceback.print_exc()
        message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        say(f"{name}: error: {error}")
        return {"error": str(error), "seconds": round(time.monotonic() - started, 1)}, [
            (f"{name}: ERROR", message[:100], "")
        ]
    result.setdefault("seconds", round(time.monotonic() - started, 1))
    say(f"{name}: done in {time.monotonic() - started:.0f} s")
    try:
        table = [tuple(str(cell) for cell in row) for row in module.rows(result)]
    except Exception as error:
        traceback.print_exc()
        return {**result, "error": f"rows() failed: {error}"}, [(f"{name}: ERROR", str(error), "")]
    return result, table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="short runs, capped sizes, 30-second soaks per backend"
    )
    parser.add_argument(
        "--only",
        default=",".join(name for name, _, _ in PARTS),
        help="comma-separated parts: " + ", ".join(name for name, _, _ in PARTS),
    )
    parser.add_argument(
        "--workdir", type=Path, default=VAR_DIR, help=f"default {common.shown(VAR_DIR)}"
    )
    args = parser.parse_args()
    wanted = [part.strip() for part in args.only.split(",") if part.strip()]
    known = {name for name, _, _ in PARTS}
    if unknown := set(wanted) - known:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    date = datetime.now(UTC).isoformat(timespec="seconds")
    load_at_start = [round(x, 2) for x in os.getloadavg()]

    results: dict[str, dict] = {}
    groups: list[list[tuple[str, str, str]]] = []
    for name, module_name, _ in PARTS:
        if name not in wanted:
            continue
        result, rows = run_part(name, module_name, args.quick, workdir)
        results[name] = result
        if rows:
            groups.append(rows)
    table = [row for group in groups for row in group]

    seconds = round(time.monotonic() - started, 1)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    plot = RESULTS_DIR / "growth.png"
    plotted = False
    growth = results.get("growth") or {}
    if "error" not in growth and "skipped" not in growth and growth:
        try:
            plotted = plot_growth(growth, plot, date[:10])
        except Exception as error:
            traceback.print_exc()
            results["growth"]["plot_error"] = str(error)
    report = {
        "date": date,
        "quick": args.quick,
        "seconds": seconds,
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "table": [list(row) for row in table],
        "verdicts": verdict_counts(table),
        # Machine time per request of every request kind measured (bench/throughput.py).
        "costs": (results.get("throughput") or {}).get("costs"),
        "parts": results,
        "growth_png": common.shown(plot) if plotted else None,
    }
    out = RESULTS_DIR / "latest.json"
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")

    counts = report["verdicts"]
    print()
    print(
        f"Masthead bench, {date} ({'quick' if args.quick else 'full'} run, {os.cpu_count()} "
        f"cores, {seconds:.0f} s): {counts['PASS']} goals met, {counts['FAIL']} missed"
    )
    print()
    print(table_text(groups) if table else "(no part ran)")
    print()
    say(f"wrote {common.shown(out)}" + (f" and {common.shown(plot)}" if plotted else ""))
    if not plotted and "growth" in wanted:
        say("no growth curves to plot: growth.png not written")
    parts = ", ".join(
        f"{name} {result['seconds']:.0f} s"
        for name, result in results.items()
        if isinstance(result.get("seconds"), int | float)
    )
    say(
        f"total wall time: {seconds:.0f} s ({int(seconds // 60)} min {seconds % 60:02.0f} s)"
        + (f": {parts}" if parts else "")
        + f"; load average {report['machine']['load_average_at_start'][0]} at the start, "
        + f"{report['machine']['load_average_at_end'][0]} at the end"
    )
    errors = [name for name, result in results.items() if "error" in result]
    if errors:
        say(f"error in: {', '.join(errors)} (see above)")
        return 1
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
