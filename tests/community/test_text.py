import re

from hypothesis import given
from hypothesis import strategies as st

from masthead.community.text import render_comment_text


def test_paragraphs_and_line_breaks():
    assert render_comment_text("One\nline two\n\n\nTwo") == "<p>One<br>line two</p><p>Two</p>"


def test_links_are_made_and_marked_as_user_content():
    html = render_comment_text("See https://example.org/report?a=1&b=2.")
    assert html == (
        '<p>See <a href="https://example.org/report?a=1&amp;b=2" '
        'rel="nofollow ugc noopener">https://example.org/report?a=1&amp;b=2</a>.</p>'
    )


def test_bare_www_address_gets_https():
    assert 'href="https://www.example.org"' in render_comment_text("at www.example.org today")


def test_markup_is_shown_as_text_not_run():
    html = render_comment_text('<script>alert(1)</script><a href="javascript:x" onclick=y>hi</a>')
    assert "<script" not in html and '<a href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_javascript_urls_never_become_links():
    assert "<a" not in render_comment_text("javascript:alert(1)")


@given(st.text(max_size=300))
def test_any_text_renders_to_only_safe_tags(text):
    html = render_comment_text(text)
    tags = set(re.findall(r"<\s*/?\s*([a-zA-Z0-9]+)", html))
    assert tags <= {"p", "br", "a"}
    assert "on" not in {attr[:2] for attr in re.findall(r"\s([a-z-]+)=", html)}
