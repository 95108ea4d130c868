"""`make stress`: the reliability report. Floods, faults and hostile input, one table.

`.venv/bin/python bench/stress.py [--quick] [--only flood,faults]`

Runs bench/flood.py (one account, and one address with many accounts, posting and reporting as
fast as they can while other readers read and post; then a barrage of hostile and malformed
requests) and bench/faults.py (the app server killed with SIGKILL during writes, Redis stopped,
the database cut off, a payment webhook sent meanwhile), one after the other, each against its
own real `masthead serve`. Each script writes its rows as JSON; this one prints them as a table
with a summary: load held, faults survived, bad inputs tried, data lost (must be 0).

Exits 1 when any check fails or anything acknowledged was lost. A timing goal (the readers'
p99 under a flood) is reported PASS or FAIL but, as in `make bench`, does not fail the command:
on a shared machine it measures the neighbours too. `--quick` is the short form that CI runs.
Results: bench/results/stress.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"

# (part, script, what it does), run in this order, never two at once: they share the cores.
PARTS = (
    ("flood", "flood.py", "floods of posts and reports, and hostile input, against the limits"),
    ("faults", "faults.py", "SIGKILL during writes, Redis stopped, database cut off"),
)
# Generous: a part that hangs must not hold CI for its whole 90 minutes.
PART_TIMEOUT = {True: 600, False: 3600}


def run_part(name: str, script: str, quick: bool) -> dict:
    out = RESULTS_DIR / f"stress-{name}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, str(BENCH_DIR / script), "--json", str(out)]
    if quick:
        command.append("--quick")
    print(f"\n== {name}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    try:
        # The part prints its own progress lines straight to this terminal.
        status = subprocess.run(command, timeout=PART_TIMEOUT[quick], check=False).returncode
    except subprocess.TimeoutExpired:
        status = None
    seconds = time.monotonic() - started
    result = json.loads(out.read_text()) if out.exists() else {"rows": [], "ok": False}
    if status != 0 and not result["rows"]:
        why = "timed out" if status is None else f"exited {status} without results"
        result["rows"] = [
            {"area": name, "check": f"{script} {why}", "ok": False, "figure": "", "lost": 0}
        ]
    result["seconds"] = round(seconds, 1)
    result["exit_status"] = status
    return result


def table(rows: list[dict]) -> str:
    headers = ("area", "check", "result", "figure", "bad inputs", "lost")
    lines = [
        (
            row["area"],
            row["check"],
            ("PASS" if row["ok"] else "FAIL") + (" (goal)" if row.get("goal") else ""),
            row.get("figure", ""),
            str(row.get("bad_inputs", 0) or ""),
            str(row.get("lost", 0)),
        )
        for row in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    out = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out += [" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    return "\n".join(out)


def summary(parts: dict[str, dict]) -> dict[str, object]:
    rows = [row for part in parts.values() for row in part["rows"]]
    load = [row for row in rows if row["area"] in {"flood", "load"}]
    faults = [row for row in rows if row["area"] == "fault"]
    return {
        "load held": f"{sum(r['ok'] for r in load)}/{len(load)}",
        "faults survived": f"{sum(r['ok'] for r in faults)}/{len(faults)}",
        "bad inputs tried": sum(int(r.get("bad_inputs", 0) or 0) for r in rows),
        "data lost": sum(int(r.get("lost", 0) or 0) for r in rows),
        "checks failed": sum(not r["ok"] and not r.get("goal") for r in rows),
        "timing goals missed": sum(not r["ok"] and bool(r.get("goal")) for r in rows),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the short form CI runs")
    parser.add_argument("--only", default="", help="comma-separated parts: flood,faults")
    args = parser.parse_args()
    wanted = {name for name in args.only.split(",") if name} or {name for name, *_ in PARTS}
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    parts = {
        name: run_part(name, script, args.quick) for name, script, _ in PARTS if name in wanted
    }
    rows = [row for part in parts.values() for row in part["rows"]]
    totals = summary(parts)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "seconds": round(time.monotonic() - started, 1),
        "parts": parts,
        "summary": totals,
    }
    (RESULTS_DIR / "stress.json").write_text(json.dumps(report, indent=2) + "\n")

    print("\n== Reliability report" + (" (quick)" if args.quick else ""))
    print(table(rows))
    print()
    for name, value in totals.items():
        print(f"{name:>17}: {value}")
    print(f"{'took':>17}: {report['seconds']:.0f} s; bench/results/stress.json")
    failed = totals["checks failed"] or totals["data lost"]
    failed = failed or any(part["exit_status"] != 0 for part in parts.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
