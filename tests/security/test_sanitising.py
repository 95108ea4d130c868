"""Every hostile vector through every place reader or wire text is cleaned, without a browser.

The output is parsed the way a browser parses it (html5lib follows the HTML standard's parser),
then checked element by element against the allowlist of that place: no other element, no
other attribute, no link to anything but a web (or, for wire copy, mail) address, and links in
readers' text marked `nofollow ugc noopener`. Reader text must also come back whole: escaped,
never silently dropped or added to.

Where text is stored plain and escaped by the template (display names, report notes, notices,
appeals, wire headlines and bylines), the check is on the templates: only the sanitised comment
HTML is ever marked safe. The browser tests (tests/e2e/test_hostile_content.py) render all of it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import html5lib
import pytest
from django.core.exceptions import ValidationError

from masthead.accounts.services import check_display_name
from masthead.community.services import CommentError, check_body
from masthead.community.text import normalise, render_comment_text
from masthead.newsroom.feeds import FEED_TAGS, sanitise_feed_html
from masthead.wire import bodies
from masthead.wire.ninjs import _plain
from tests.security.vectors import COUNT_BY_CLASS, VECTORS, Vector

COMMENT_TAGS = {"p": set(), "br": set(), "a": {"href", "rel"}}
USER_REL = ["nofollow", "ugc", "noopener"]
WIRE_BLOCK_TAGS = {t: set() for t in ("p", "br", "b", "i", "sup", "sub", "ul", "ol", "li")}
WIRE_BLOCK_TAGS["a"] = {"href"}
C0_AND_SPACE = "".join(chr(i) for i in range(0x21))
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
REPO = Path(__file__).resolve().parents[2]


def parse(markup: str):  # type: ignore[no-untyped-def]
    return html5lib.parseFragment(markup, treebuilder="etree", namespaceHTMLElements=False)


def scheme_of(url: str) -> str:
    """The scheme a browser would see: it drops tabs and newlines anywhere and control
    characters and spaces around the address before reading it."""
    url = re.sub(r"[\t\n\r]", "", url).strip(C0_AND_SPACE)
    match = SCHEME.match(url)
    return match.group(1).lower() if match else ""


def assert_allowed(
    markup: str,
    allowed: dict[str, set[str]],
    *,
    schemes: set[str],
    relative_ok: bool = False,
    rel: list[str] | None = None,
) -> None:
    for element in parse(markup).iter():
        tag = element.tag
        if not isinstance(tag, str) or tag == "DOCUMENT_FRAGMENT":
            continue  # comments are not allowed either: html5lib gives them a callable tag
        assert tag in allowed, f"element <{tag}> in {markup[:300]!r}"
        extra = set(element.attrib) - allowed[tag]
        assert not extra, f"attributes {extra} on <{tag}> in {markup[:300]!r}"
        href = element.attrib.get("href")
        if href is not None:
            scheme = scheme_of(href)
            assert scheme in schemes or (relative_ok and not scheme), f"href {href!r}"
        if tag == "a" and rel is not None:
            assert element.attrib.get("rel", "").split() == rel, markup[:300]
    assert "<!--" not in markup


def each_vector(check: Callable[[Vector], None]) -> None:
    """Run `check` on every vector; fail once, naming every vector that broke it (one test
    per vector would cost more in pytest overhead than the checks themselves)."""
    failures = []
    for vector in VECTORS:
        try:
            check(vector)
        except AssertionError as error:
            failures.append(f"{vector.name}: {str(error)[:300]}")
    assert not failures, "\n".join(failures)


def visible_text(markup: str) -> str:
    """The words a reader sees, one space for every line or paragraph break."""
    parts: list[str] = []

    def walk(element) -> None:  # type: ignore[no-untyped-def]
        if element.tag in {"p", "br"}:
            parts.append(" ")
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")

    walk(parse(markup))
    return " ".join("".join(parts).split())


# --- The corpus itself ----------------------------------------------------------------------


def test_corpus_is_large_and_covers_every_class():
    assert len(VECTORS) >= 200
    assert len({v.name for v in VECTORS}) == len(VECTORS)
    expected = {"tag", "attr", "url", "encoding", "svg", "template", "unicode", "css"}
    expected |= {"context", "markdown", "long"}
    assert set(COUNT_BY_CLASS) == expected
    assert all(count >= 8 for count in COUNT_BY_CLASS.values()), COUNT_BY_CLASS


def test_every_payload_calls_its_hook_if_run():
    def check(vector: Vector) -> None:
        # Either written out, entity-encoded, or packed (base64, char codes) in a few of them.
        readable = html.unescape(vector.payload)
        packed = {"attr-atob-eval", "attr-fromcharcode", "url-data-html-b64"}
        packed.add("encoding-html-in-base64-text")
        assert vector.name in readable or vector.name in packed
        assert "__xss" in readable or vector.name in packed

    each_vector(check)


# --- Reader comments ------------------------------------------------------------------------


def test_comment_html_is_only_paragraphs_breaks_and_web_links():
    def check(vector: Vector) -> None:
        out = render_comment_text(vector.payload)
        assert_allowed(out, COMMENT_TAGS, schemes={"http", "https"}, rel=USER_REL)
        # Nothing the reader wrote is lost or added: the text reads the same, only escaped.
        assert visible_text(out) == " ".join(normalise(vector.payload).split())

    each_vector(check)


def test_links_end_at_quotes_and_angle_brackets():
    # Found in the raw text: a quote ends the address, and no stray ";" of "&quot;" is left.
    out = render_comment_text('see https://example.org/a"onmouseover="x" now')
    assert out == (
        '<p>see <a href="https://example.org/a" rel="nofollow ugc noopener">'
        'https://example.org/a</a>"onmouseover="x" now</p>'
    )
    out = render_comment_text("https://example.org/&")
    assert visible_text(out) == "https://example.org/&"
    out = render_comment_text("www.example.org/<img src=x>")
    assert '<a href="https://www.example.org/" rel="nofollow ugc noopener">' in out
    assert "&lt;img src=x&gt;" in out


def test_an_over_long_comment_is_refused_not_cut():
    vector = next(v for v in VECTORS if v.name == "long-over-limit")
    with pytest.raises(CommentError) as refused:
        check_body(vector.payload)
    assert refused.value.code == "too_long"


# --- Display names and report notes (stored plain, escaped where shown) --------------------


def test_display_name_is_refused_or_kept_as_plain_visible_text():
    def check(vector: Vector) -> None:
        try:
            name = check_display_name(vector.payload)
        except ValidationError:
            return
        assert name == " ".join(vector.payload.split())
        # Nothing invisible or direction-changing can sit in a public name.
        assert not any(unicodedata.category(ch).startswith("C") for ch in name)

    each_vector(check)


def test_notes_lose_control_and_direction_characters():
    def check(vector: Vector) -> None:
        # Report notes (and comment bodies) keep their text but no controls, bidi overrides or
        # zero-width characters, which could disguise the text a moderator reads.
        note = normalise(vector.payload)
        assert all(
            ch in "\n\t" or unicodedata.category(ch)[0] not in "CZ" or ch == " " for ch in note
        )

    each_vector(check)


# --- Wire copy --------------------------------------------------------------------------------


def test_wire_html_keeps_only_its_tags_and_safe_links():
    def check(vector: Vector) -> None:
        allowed = {tag: set() for tag in bodies.ALLOWED_TAGS} | {"a": {"href"}}
        assert_allowed(
            bodies.sanitise(vector.payload),
            allowed,
            schemes={"http", "https", "mailto"},
            relative_ok=True,
        )

    each_vector(check)


def test_wire_body_blocks_render_safely():
    def check(vector: Vector) -> None:
        from wagtail.rich_text import expand_db_html

        wrapped = (
            f"<p>Before.</p><div>{vector.payload}</div><blockquote>{vector.payload}</blockquote>"
        )
        for source in (bodies.html_to_blocks(wrapped), bodies.text_to_blocks(vector.payload)):
            for block in source:
                if block["type"] == "paragraph":
                    for markup in (block["value"], expand_db_html(block["value"])):
                        assert_allowed(
                            markup,
                            WIRE_BLOCK_TAGS,
                            schemes={"http", "https", "mailto"},
                            relative_ok=True,
                        )
                else:  # subheadings and quotes are plain strings, escaped by their templates
                    values = [block["value"]] if isinstance(block["value"], str) else []
                    values += (
                        list(block["value"].values()) if isinstance(block["value"], dict) else []
                    )
                    assert all(isinstance(value, str) for value in values)

    each_vector(check)


def test_wire_plain_text_body_keeps_every_word():
    def check(vector: Vector) -> None:
        blocks = bodies.text_to_blocks(vector.payload)
        text = " ".join(visible_text(block["value"]) for block in blocks)
        assert " ".join(text.split()) == " ".join(normalise(vector.payload).split())

    each_vector(check)


def test_wire_metadata_is_one_line_of_text():
    # Headlines, bylines and datelines: markup is taken out and the text kept on one line;
    # the templates escape what is left (see the template check below).
    def check(vector: Vector) -> None:
        plain = _plain(vector.payload)
        assert "\n" not in plain and "\r" not in plain
        if "<" not in vector.payload and "&" not in vector.payload:
            assert plain == " ".join(vector.payload.split())

    each_vector(check)


def test_feed_html_keeps_only_feed_tags():
    def check(vector: Vector) -> None:
        allowed = {tag: set() for tag in FEED_TAGS} | {"a": {"href"}}
        assert_allowed(
            sanitise_feed_html(vector.payload),
            allowed,
            schemes={"http", "https", "mailto"},
            relative_ok=True,
        )

    each_vector(check)


# --- Forms that give the reader's words back -----------------------------------------------


def assert_given_back_as_text(content: bytes, field: str, value: str) -> None:
    """The page holds `value` as the text of the `field` textarea, and no markup of its own."""
    document = html5lib.parse(content, treebuilder="etree", namespaceHTMLElements=False)
    boxes = [box for box in document.iter("textarea") if box.get("name") == field]
    assert boxes and " ".join((boxes[0].text or "").split()) == " ".join(value.split())
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        assert not [name for name in element.attrib if name.lower().startswith("on")]
        if element.tag == "script":
            assert element.get("src") or element.get("type") == "application/ld+json"


@pytest.mark.django_db
def test_forms_give_hostile_input_back_as_text(client, reader, second_reader, make_article):
    """A refused comment or report comes back in its form for the reader to fix: inside a
    <textarea>, where "</textarea><script>" and friends must stay text."""
    from masthead.community.services import post_comment

    article = make_article()
    other = post_comment(author=second_reader, article=article, body="A comment to report.")
    client.force_login(reader)
    padding = " x" * 1600  # over the comment length limit, so the form comes back
    echoed = [v for v in VECTORS if v.cls == "context"] + [
        v for v in VECTORS if v.cls == "attr" and "breakout" in v.name
    ]

    def check(vector: Vector) -> None:
        body = vector.payload + padding
        response = client.post(f"/comments/{article.pk}/post", {"body": body})
        assert response.status_code == 400
        assert_given_back_as_text(response.content, "body", body)
        note = vector.payload  # no reason chosen: the form comes back with the note
        response = client.post(f"/comments/{other.pk}/report/", {"reason": "", "note": note})
        assert response.status_code == 400
        assert_given_back_as_text(response.content, "note", note)

    failures = []
    for vector in echoed:
        try:
            check(vector)
        except AssertionError as error:
            failures.append(f"{vector.name}: {str(error)[:300]}")
    assert len(echoed) > 20
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_an_illegal_content_notice_is_stored_as_plain_text(client, second_reader, make_article):
    """The public notice form used to store its fields as sent: NUL bytes (a 500 on PostgreSQL,
    which refuses them) and bidi overrides that disguise what a moderator reads."""
    from masthead.community.services import post_comment
    from masthead.moderation.models import IllegalContentNotice

    article = make_article()
    comment = post_comment(author=second_reader, article=article, body="A comment.")
    url = f"/comments/{comment.pk}/notice/"
    fields = {"email": "ann@example.com", "good_faith": "on"}
    # A NUL byte never reaches the form: the request is refused first (a clear 400).
    response = client.post(url, {**fields, "law": "Defamation\x00 Act", "explanation": "x"})
    assert response.status_code == 400
    assert not IllegalContentNotice.objects.exists()
    hostile = {
        "law": "Defamation Act \u202e1996",
        "explanation": "It says\u2066 <script>__xss('notice')</script> about me.",
        "name": "Ann\u200d Other",
    }
    response = client.post(url, {**fields, **hostile})
    assert response.status_code == 303
    notice = IllegalContentNotice.objects.get(comment=comment)
    assert (notice.law, notice.name) == ("Defamation Act 1996", "Ann Other")
    assert notice.explanation == "It says <script>__xss('notice')</script> about me."
    # A field of nothing but invisible characters is an empty field.
    response = client.post(url, {**fields, **hostile, "law": "\u200b\u202e"})
    assert response.status_code == 400
    assert IllegalContentNotice.objects.filter(comment=comment).count() == 1


# --- Templates: only sanitised HTML is ever marked safe --------------------------------------


def _templates() -> list[Path]:
    return sorted((REPO / "masthead").glob("**/templates/**/*.html"))


def test_templates_mark_only_sanitised_comment_html_safe():
    """Display names, report notes, notices, appeals and wire headlines are plain text: the
    templates must escape them. `|safe` is allowed on the sanitised comment HTML only."""
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\{\{\s*([^}|]+?)\s*\|\s*safe\s*\}\}", text):
            if not match.group(1).endswith("body_html"):
                found.append(f"{path.relative_to(REPO)}: {match.group(0)}")
        if re.search(r"\{%\s*autoescape\s+off", text):
            found.append(f"{path.relative_to(REPO)}: autoescape off")
    assert len(_templates()) > 20
    assert not found, found
