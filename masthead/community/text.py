"""Reader text to safe HTML, done once when a comment is written.

Readers write plain text. Blank lines make paragraphs, single newlines line breaks, and web
addresses become links marked `nofollow ugc noopener`. The text is escaped first and the result
passes through nh3 with only <p>, <br> and <a href> allowed, so nothing a reader types can add
markup, scripts or attributes.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape

URL = re.compile(r"""(?i)\b(https?://[^\s<>"']+|www\.[^\s<>"']+\.[a-z]{2,}[^\s<>"']*)""")
TRAILING = ".,;:!?)]}'\""
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def normalise(text: str) -> str:
    """Unify newlines, drop control characters and surrounding blank space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    return text.strip()


def _link(match: re.Match[str]) -> str:
    url = match.group(0)
    tail = ""
    while url and url[-1] in TRAILING:
        # "(see https://x.org/a)." keeps the bracket and full stop outside the link.
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        tail = url[-1] + tail
        url = url[:-1]
    href = url if url.lower().startswith("http") else f"https://{url}"
    return f'<a href="{href}">{url}</a>{tail}'


def render_comment_text(text: str) -> str:
    paragraphs = [p for p in PARAGRAPH_BREAK.split(normalise(text)) if p.strip()]
    html_parts = []
    for paragraph in paragraphs:
        # Escape first; links are found in the escaped text, so &amp; stays inside the href.
        escaped = escape(paragraph.strip())
        linked = URL.sub(_link, escaped)
        html_parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return nh3.clean(
        "".join(html_parts),
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener",
    )
