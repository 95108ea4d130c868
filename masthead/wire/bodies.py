"""Wire text to article content: sanitised HTML or plain text into StreamField blocks.

Wire HTML passes through nh3 first (scripts, styles, embedded media and every attribute but a
link's address go), then is split into the article body's own blocks: paragraphs (rich text with
bold, italic, links, lists, superscript and subscript), subheadings and quotes. Plain text becomes
paragraphs split on blank lines, escaped. Pictures inside a wire body are dropped: the document's
associated pictures are imported as photos instead.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from django.utils.html import escape

from masthead.community.text import PARAGRAPH_BREAK, normalise

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
INLINE = {"b", "strong", "i", "em", "a", "sup", "sub", "br", "span", "cite", "q", "abbr", "u"}
CONTAINERS = {"div", "section", "article", "header", "footer", "main", "td", "th", "tr", "table"}
LISTS = {"ul", "ol"}
# What survives sanitising; everything else loses its tags but keeps its text.
ALLOWED_TAGS = INLINE | CONTAINERS | LISTS | HEADINGS | {"p", "li", "blockquote", "tbody", "thead"}
# Removed together with their content.
DROPPED_WITH_CONTENT = {"script", "style", "figure", "iframe", "object", "noscript", "template"}
INLINE_RENAMES = {"strong": "b", "em": "i"}
SUBHEADING_MAX = 200
QUOTE_MAX = 2000
WHITESPACE = re.compile(r"\s+")


def sanitise(markup: str) -> str:
    """Wire HTML reduced to the tags above; links keep only an http(s) or mailto address."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def html_to_text(markup: str) -> str:
    """The readable text of an HTML fragment on one line, entities decoded."""
    cleaned = nh3.clean(markup, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)
    return WHITESPACE.sub(" ", html.unescape(cleaned)).strip()


def trim_words(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis."""
    text = WHITESPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    ends_at_word = text[limit - 1] == " "
    if not ends_at_word and " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


# --- A small tree of the sanitised HTML -----------------------------------------------------


@dataclass
class Node:
    tag: str  # "" for text
    text: str = ""
    href: str = ""
    children: list[Node] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    VOID = {"br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = (dict(attrs).get("href") or "") if tag == "a" else ""
        node = Node(tag, href=href)
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Node("", text=data))


def _tree(markup: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def _text_of(node: Node, skip: frozenset[str] = frozenset()) -> str:
    if not node.tag:
        return node.text
    if node.tag in skip:
        return ""
    if node.tag == "br":
        return " "
    return "".join(_text_of(child, skip) for child in node.children)


def _inline_html(nodes: list[Node]) -> str:
    parts = []
    for node in nodes:
        if not node.tag:
            parts.append(escape(WHITESPACE.sub(" ", node.text)))
        elif node.tag == "br":
            parts.append("<br/>")
        elif node.tag == "a":
            inner = _inline_html(node.children)
            parts.append(f'<a href="{escape(node.href)}">{inner}</a>' if node.href else inner)
        elif node.tag in {"b", "strong", "i", "em", "sup", "sub"}:
            tag = INLINE_RENAMES.get(node.tag, node.tag)
            inner = _inline_html(node.children)
            parts.append(f"<{tag}>{inner}</{tag}>" if inner.strip() else inner)
        elif node.tag in LISTS:
            parts.append(" " + _inline_html(node.children) + " ")
        else:  # span, cite, nested blocks inside a paragraph...: keep the words
            parts.append(_inline_html(node.children))
    return "".join(parts)


def _paragraph(nodes: list[Node]) -> dict | None:
    inner = _inline_html(nodes).strip()
    inner = re.sub(r"^(<br/>\s*)+|(\s*<br/>)+$", "", inner).strip()
    if not html_to_text(inner):
        return None
    return {"type": "paragraph", "value": f"<p>{inner}</p>"}


def _list_block(node: Node) -> dict | None:
    items = []
    for child in node.children:
        if child.tag == "li":
            inner = _inline_html(child.children).strip()
            if html_to_text(inner):
                items.append(f"<li>{inner}</li>")
    if not items:
        return None
    return {"type": "paragraph", "value": f"<{node.tag}>{''.join(items)}</{node.tag}>"}


def _quote_block(node: Node) -> dict | None:
    attribution_tags = frozenset({"cite", "footer"})
    text = WHITESPACE.sub(" ", _text_of(node, skip=attribution_tags)).strip()
    attribution = " ".join(
        WHITESPACE.sub(" ", _text_of(child)).strip()
        for child in node.children
        if child.tag in attribution_tags
    ).strip(" -\u2013\u2014")
    if not text:
        return None
    return {
        "type": "quote",
        "value": {"text": trim_words(text, QUOTE_MAX), "attribution": attribution[:200]},
    }


def _walk(nodes: list[Node], blocks: list[dict]) -> None:
    loose: list[Node] = []

    def flush() -> None:
        if loose:
            block = _paragraph(loose)
            if block:
                blocks.append(block)
            loose.clear()

    for node in nodes:
        if not node.tag or node.tag in INLINE:
            loose.append(node)
            continue
        flush()
        block = None
        if node.tag == "p":
            block = _paragraph(node.children)
        elif node.tag in HEADINGS:
            text = WHITESPACE.sub(" ", _text_of(node)).strip()
            if text:
                block = {"type": "subheading", "value": trim_words(text, SUBHEADING_MAX)}
        elif node.tag == "blockquote":
            block = _quote_block(node)
        elif node.tag in LISTS:
            block = _list_block(node)
        else:  # div, section, table…: look inside
            _walk(node.children, blocks)
        if block:
            blocks.append(block)
    flush()


def html_to_blocks(markup: str) -> list[dict]:
    """StreamField data (`[{"type": …, "value": …}]`) for a wire body in HTML."""
    blocks: list[dict] = []
    _walk(_tree(sanitise(markup)).children, blocks)
    return blocks


def text_to_blocks(text: str) -> list[dict]:
    """Paragraph blocks for a plain-text body: blank lines separate paragraphs; a text with
    no blank line but several lines has one paragraph per line."""
    text = normalise(text)
    paragraphs = [p.strip() for p in PARAGRAPH_BREAK.split(text) if p.strip()]
    if len(paragraphs) == 1 and "\n" in paragraphs[0]:
        paragraphs = [line.strip() for line in paragraphs[0].split("\n") if line.strip()]
    return [
        {"type": "paragraph", "value": "<p>" + escape(p).replace("\n", "<br/>") + "</p>"}
        for p in paragraphs
    ]
