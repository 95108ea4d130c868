"""Reader text to safe HTML, done once when a comment is written.

Readers write plain text. Blank lines make paragraphs, single newlines line breaks, and web
addresses become links marked `nofollow ugc noopener`. Addresses are found in the raw text, then
every piece is escaped, and the result passes through nh3 with only <p>, <br> and <a href>
allowed, so nothing a reader types can add markup, scripts or attributes.
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


def _link(url: str) -> str:
    """One address found in the reader's raw text, as an escaped link plus any trailing
    punctuation (escaped too) that belongs to the sentence rather than to the address."""
    tail = ""
    while url and url[-1] in TRAILING:
        # "(see https://x.org/a)." keeps the bracket and full stop outside the link.
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        tail = url[-1] + tail
        url = url[:-1]
    href = url if url.lower().startswith("http") else f"https://{url}"
    return f'<a href="{escape(href)}">{escape(url)}</a>{escape(tail)}'


def _escape_and_link(text: str) -> str:
    # Addresses are found in the raw text, so a quote or angle bracket ends one (in escaped
    # text "&quot;" would look like part of the address, and its ";" like punctuation).
    parts, last = [], 0
    for match in URL.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(_link(match.group(0)))
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def render_comment_text(text: str) -> str:
    paragraphs = [p for p in PARAGRAPH_BREAK.split(normalise(text)) if p.strip()]
    html_parts = []
    for paragraph in paragraphs:
        linked = _escape_and_link(paragraph.strip())
        html_parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return nh3.clean(
        "".join(html_parts),
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener",
    )
