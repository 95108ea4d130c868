"""Charts for the staff dashboards (moderation, revenue), drawn on the server as SVG.

No library, no external CDN and no inline styles: every shape carries a class and the colours
live in the stylesheets (`.chart__*` in desk.css; revenue-dashboard.css adds money's colours).
Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` summing it up in words, and
every bar has its own `<title>` (a tooltip, and what a screen reader announces), so the numbers
are never only in the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 28

_ids = count(1)


@dataclass(frozen=True)
class Series:
    key: str  # a CSS modifier: `.chart__bar--<key>`
    label: str
    values: Sequence[float]


def _fmt(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def nice_max(value: float) -> float:
    """The top of the axis: 1, 2 or 5 times a power of ten, at least `value`."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover


def _open(title: str, desc: str, width: int, height: int, css: str) -> tuple[str, str]:
    n = next(_ids)
    head = (
        f'<svg class="chart {css}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{n}-title">{escape(title)}</title>'
        f'<desc id="chart-{n}-desc">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    noun: str = "days",
) -> SafeString:
    """Vertical bars, one group per label (`noun` says what a label is); several series are
    stacked."""
    n = len(labels)
    totals = [sum(s.values[i] for s in series) for i in range(n)]
    top = nice_max(max(totals, default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(n, 1)
    bar_w = max(slot * 0.75, 1)
    summary = "; ".join(f"{s.label}: {_fmt(sum(s.values))}{unit} in all" for s in series)
    desc = f"{n} {noun}. {summary}." if n else "No data for this period."
    head, tail = _open(title, desc, WIDTH, HEIGHT, "chart--bars")
    parts = [head]
    # Axis and grid lines at 0, half and the top.
    for frac in (0, 0.5, 1):
        y = TOP + plot_h * (1 - frac)
        parts.append(
            f'<line class="chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart__tick" x="{LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{_fmt(top * frac)}</text>'
        )
    every = max(1, math.ceil(n / 8))
    for i, label in enumerate(labels):
        x = LEFT + i * slot + (slot - bar_w) / 2
        base = TOP + plot_h
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / top
            base -= h
            parts.append(
                f'<rect class="chart__bar chart__bar--{escape(s.key)}" x="{x:.1f}" '
                f'y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
                f"<title>{escape(label)}: {escape(s.label)} {_fmt(value)}{escape(unit)}</title>"
                "</rect>"
            )
        if i % every == 0:
            parts.append(
                f'<text class="chart__label" x="{x + bar_w / 2:.1f}" y="{HEIGHT - 8}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


def hbar_chart(
    *, title: str, rows: Sequence[tuple[str, float]], unit: str = "", key: str = "default"
) -> SafeString:
    """Horizontal bars with their labels: a ranking (most-reported articles, moderators)."""
    row_h = 26
    label_w = 260
    height = max(row_h * len(rows), row_h) + 8
    top = nice_max(max((v for _, v in rows), default=0))
    plot_w = WIDTH - label_w - 60
    desc = (
        "; ".join(f"{label}: {_fmt(value)}{unit}" for label, value in rows)
        if rows
        else "Nothing to rank in this period."
    )
    head, tail = _open(title, desc, WIDTH, height, "chart--ranking")
    parts = [head]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * row_h
        short = label if len(label) <= 38 else label[:37] + "…"
        w = max(plot_w * value / top, 1)
        parts.append(
            f'<text class="chart__label chart__label--row" x="{label_w - 8}" y="{y + 17}" '
            f'text-anchor="end">{escape(short)}</text>'
            f'<rect class="chart__bar chart__bar--{escape(key)}" x="{label_w}" y="{y + 4}" '
            f'width="{w:.1f}" height="{row_h - 8}"><title>{escape(label)}: {_fmt(value)}'
            f"{escape(unit)}</title></rect>"
            f'<text class="chart__value" x="{label_w + w + 6:.1f}" y="{y + 17}">'
            f"{_fmt(value)}{escape(unit)}</text>"
        )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


def share_bar(*, title: str, parts: Sequence[tuple[str, str, float]]) -> SafeString:
    """One bar split into shares (key, label, amount), each labelled with its percentage."""
    height = 64
    total = sum(amount for _, _, amount in parts)
    if total:
        desc = "; ".join(
            f"{label}: {_fmt(amount)} ({amount / total:.0%})" for _, label, amount in parts
        )
    else:
        desc = "Nothing in this period."
    head, tail = _open(title, desc, WIDTH, height, "chart--share")
    out = [head]
    x = 0.0
    for key, label, amount in parts:
        if not total or amount <= 0:
            continue
        w = WIDTH * amount / total
        out.append(
            f'<rect class="chart__bar chart__bar--{escape(key)}" x="{x:.1f}" y="4" '
            f'width="{w:.1f}" height="32"><title>{escape(label)}: {_fmt(amount)} '
            f"({amount / total:.0%})</title></rect>"
        )
        if w > 70:
            out.append(
                f'<text class="chart__share-label" x="{x + 6:.1f}" y="56">'
                f"{escape(label)} {amount / total:.0%}</text>"
            )
        x += w
    if not total:
        out.append(
            f'<rect class="chart__bar chart__bar--empty" x="0" y="4" width="{WIDTH}" height="32"/>'
        )
    out.append(tail)
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
