"""Reading ninjs: version detection, the three versions' field names into one shape, and wire
HTML and text into article blocks. No database needed."""

from __future__ import annotations

import json

import pytest

from masthead.wire.bodies import html_to_blocks, html_to_text, text_to_blocks, trim_words
from masthead.wire.ninjs import NinjsError, detect_version, load_document, parse_document
from tests.wire.conftest import FIXTURES


@pytest.mark.parametrize(
    ("document", "version"),
    [
        ({"$standard": {"name": "ninjs", "version": "1.4"}}, "1"),
        ({"standard": {"name": "ninjs", "version": "2.1"}}, "2"),
        ({"standard": {"schema": "https://www.iptc.org/std/ninjs/ninjs-schema_3.0.json"}}, "3"),
        ({"$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json"}, "2"),
        ({"headline": "A", "body_text": "B"}, "1"),
        ({"headlines": [{"value": "A"}], "versioncreated": "2026-01-01T00:00:00Z"}, "2"),
        ({"headlines": [{"value": "A"}], "versionCreated": "2026-01-01T00:00:00Z"}, "3"),
    ],
)
def test_it_detects_the_version_from_the_declaration_or_the_shape(document, version):
    assert detect_version(document) == version


def test_the_three_fixture_versions_read_into_the_same_shape():
    one = load_document(FIXTURES / "ninjs-1x-night-ferry.json")
    two = load_document(FIXTURES / "ninjs-2x-orchard-frost.json")
    three = load_document(FIXTURES / "ninjs-3x-library.json")

    assert [d.ninjs_version for d in (one, two, three)] == ["1", "2", "3"]
    assert one.headline.startswith("Night ferry returns")
    assert two.headline == "Late frost leaves Vell valley orchards counting the cost"  # main role
    assert three.headline.startswith("Flooded city library reopens")
    assert (one.byline, two.byline, three.byline) == ("Tomasz Rell", "Hanne Skov", "Mirela Dobos")
    assert one.copyright_holder == "Northwire News Service"
    assert three.copyright_holder == "Continental Press Agency"  # camelCase in 3.x
    assert three.copyright_notice == "© CPA 2026"
    assert one.body_html and not one.body_text
    assert two.body_text and not two.body_html
    assert three.version_created.isoformat() == "2026-05-20T14:00:00+00:00"
    assert two.version_created.isoformat() == "2026-04-02T06:15:00+01:00"
    assert [p.key for p in one.pictures] == [
        "urn:newsml:northwire.example:20260314:night-ferry:photo"
    ]
    assert [r.name for r in one.pictures[0].renditions_largest_first()] == [
        "baseImage",
        "thumbnail",
    ]
    assert [r.name for r in three.pictures[0].renditions_largest_first()] == [
        "original",
        "preview",
    ]


def test_a_picture_without_its_own_uri_is_keyed_by_the_story_and_association_name():
    document = parse_document(
        {
            "uri": "urn:story:9",
            "headline": "Story",
            "associations": {
                "featureimage": {"type": "picture", "renditions": {"a": {"href": "a.jpg"}}},
                "video": {"type": "video", "renditions": {"a": {"href": "a.mp4"}}},
            },
        }
    )
    assert [p.key for p in document.pictures] == ["urn:story:9#featureimage"]


def test_renditions_that_are_not_images_are_not_candidates():
    document = parse_document(
        {
            "uri": "urn:story:10",
            "headlines": [{"value": "Story"}],
            "associations": [
                {
                    "name": "pic",
                    "uri": "urn:pic:10",
                    "type": "picture",
                    "renditions": [
                        {"name": "raw", "href": "x.tiff", "contenttype": "application/x-raw"},
                        {"name": "web", "href": "x.jpg", "contenttype": "image/jpeg"},
                    ],
                }
            ],
        }
    )
    assert [r.name for r in document.pictures[0].renditions_largest_first()] == ["web"]


def test_bad_json_names_the_line(tmp_path):
    with pytest.raises(NinjsError, match=r"not valid JSON: .* at line 3"):
        load_document(FIXTURES / "malformed.json")


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(
        json.dumps({"uri": "x", "headline": "Caf\u00e9"}).encode("utf-8")[:-3] + b'\xe9"}'
    )
    with pytest.raises(NinjsError, match="not UTF-8"):
        load_document(path)


def test_html_bodies_become_blocks_and_lose_what_is_not_allowed():
    blocks = html_to_blocks(
        '<p>One <span style="color:red">two</span> <a href="http://a.example/x?b=1&c=2" '
        'rel="x">three</a> <a href="data:text/html,x">four</a></p>'
        "<iframe src=https://x.example></iframe><h4>Sub</h4>"
        "<blockquote>Said it<footer>- A. Person</footer></blockquote>"
        "<ol><li>first</li><li></li></ol><p>&nbsp;</p>loose <b>text</b>"
    )
    assert blocks == [
        {
            "type": "paragraph",
            "value": '<p>One two <a href="http://a.example/x?b=1&amp;c=2">three</a> four</p>',
        },
        {"type": "subheading", "value": "Sub"},
        {"type": "quote", "value": {"text": "Said it", "attribution": "A. Person"}},
        {"type": "paragraph", "value": "<ol><li>first</li></ol>"},
        {"type": "paragraph", "value": "<p>loose <b>text</b></p>"},
    ]


def test_plain_text_bodies_are_escaped_paragraphs():
    assert text_to_blocks("One <i>\r\n\r\nTwo & three\nstill two") == [
        {"type": "paragraph", "value": "<p>One &lt;i&gt;</p>"},
        {"type": "paragraph", "value": "<p>Two &amp; three<br/>still two</p>"},
    ]
    assert text_to_blocks("Line one\nLine two") == [
        {"type": "paragraph", "value": "<p>Line one</p>"},
        {"type": "paragraph", "value": "<p>Line two</p>"},
    ]


def test_trimming_cuts_at_a_word_and_marks_the_cut():
    text = "The council met on Tuesday to decide the future of the harbour"
    assert trim_words(text, 100) == text
    trimmed = trim_words(text, 30)
    assert len(trimmed) <= 30 and trimmed.endswith("…")
    assert trimmed == "The council met on Tuesday to…"
    assert html_to_text("<p>A&amp;B <script>x()</script>c</p>") == "A&B c"


def test_a_3x_nature_code_is_read_like_a_type():
    document = parse_document(
        {
            "uri": "urn:nature:1",
            "nature": "ninat:text",
            "headlines": [{"value": "Story"}],
            "associations": [
                {"name": "p", "uri": "urn:nature:1:p", "nature": "ninat:picture"},
            ],
        }
    )
    assert [p.key for p in document.pictures] == ["urn:nature:1:p"]
    with pytest.raises(NinjsError, match="a video item, not a story"):
        parse_document({"uri": "urn:nature:2", "nature": "ninat:video", "headline": "Clip"})
