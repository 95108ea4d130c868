"""`masthead importwire`: ninjs 1.x, 2.x and 3.x documents become articles, with their pictures,
credits, tags and datelines; imports are idempotent by uri and version; a batch reports each file
and goes on past bad ones."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.models import Revision

from masthead.newsroom.models import ArticlePage, Photo, SectionPage, WireAgency
from masthead.wire.models import WireItem, WirePicture
from tests.wire.conftest import only, write_jpeg


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: object, stderr: io.StringIO | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
    call_command("importwire", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: object) -> tuple[str, CommandError]:
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("importwire", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue(), error.value


def article_for(uri: str) -> ArticlePage:
    return WireItem.objects.get(uri=uri).article


def body_of(article: ArticlePage) -> list[tuple[str, object]]:
    return [(block.block_type, block.value) for block in article.body]


def test_it_imports_a_ninjs_1x_story_with_credit_dateline_tags_and_picture(home, wire_dir):
    out, _ = run(wire_dir / "ninjs-1x-night-ferry.json")

    assert out.startswith("created")
    article = article_for("urn:newsml:northwire.example:20260314:night-ferry")
    assert article.title == "Night ferry returns to Kessling harbour after a two-year pause"
    assert article.standfirst.startswith("The overnight crossing to the outer islands restarts")
    assert article.dateline == "Kessling"
    assert article.wire_byline == "Tomasz Rell"
    assert article.get_parent().title == "Wire"
    assert not article.live  # a draft for the editors
    assert sorted(article.tags.names()) == [
        "Outer islands",
        "Transport",
        "ferries",
        "harbours",
    ]
    agency = article.wire_agency
    assert (agency.name, agency.short_name) == ("Northwire News Service", "NNS")
    assert agency.copyright_line(2031) == "© 2031 Northwire News Service. All rights reserved."
    item = WireItem.objects.get(article=article)
    assert item.version == "1"
    assert item.copyright_notice == "© 2026 Northwire News Service. All rights reserved."

    photo = article.lead_photo
    assert photo.width == 1600  # the largest rendition, not the thumbnail
    assert photo.credit == "Ines Varga/Northwire News Service"
    assert photo.caption.startswith("The night ferry Skarv at the rebuilt pier")
    assert article.lead_caption == photo.caption
    assert photo.alt_text == photo.description == photo.caption  # the agency's description


def test_wire_html_is_sanitised_into_paragraphs_subheadings_and_quotes(home, wire_dir):
    run(wire_dir / "ninjs-1x-night-ferry.json")
    article = article_for("urn:newsml:northwire.example:20260314:night-ferry")

    kinds = [kind for kind, _ in body_of(article)]
    assert kinds == ["paragraph", "subheading", "paragraph", "quote", "paragraph"]
    raw = json.dumps(list(article.body.raw_data))
    for hostile in ("<script", "document.cookie", "onclick", "javascript:", "tracker.example"):
        assert hostile not in raw
    assert "target=" not in raw and "class=" not in raw
    first = body_of(article)[0][1].source
    assert "<b>Kessling</b>" in first and "<i>fresh bread</i>" in first
    assert body_of(article)[1][1] == "A quieter boat"
    link_paragraph = body_of(article)[2][1].source
    assert '<a href="https://ferries.example.org/night">published online</a>' in link_paragraph
    assert "timetable" in link_paragraph  # the words of a refused link stay
    quote = body_of(article)[3][1]
    assert quote["text"].startswith("We missed the sound of the horn at night.")
    assert quote["attribution"] == "Orla Brandt, who runs the harbour cafe"


def test_it_imports_a_ninjs_2x_plain_text_story_with_a_file_url_picture(home, wire_dir):
    out, _ = run(wire_dir / "ninjs-2x-orchard-frost.json")

    assert out.startswith("created")
    article = article_for("https://meridianwire.example/items/2026/orchard-frost")
    assert article.title == "Late frost leaves Vell valley orchards counting the cost"
    assert article.standfirst == (
        "Growers lit fires between the rows overnight, but say up to a third of the apple "
        "blossom may be lost."
    )
    assert article.dateline == "Vell valley"
    assert article.wire_byline == "Hanne Skov"
    paragraphs = [value.source for kind, value in body_of(article) if kind == "paragraph"]
    assert len(paragraphs) == 3
    assert "his &lt;b&gt;name&lt;/b&gt; &amp; farm" in paragraphs[1]  # plain text is escaped
    assert sorted(article.tags.names()) == ["Agriculture", "Weather", "apples", "frost"]
    assert article.wire_agency.name == "Meridian Wire"
    assert article.wire_agency.short_name == "Meridian Wire"
    assert article.wire_agency.copyright_line(2030) == "Copyright Meridian Wire 2030"
    assert article.lead_photo.credit == "Paul Anker/Meridian Wire"
    assert (
        article.lead_photo.caption
        == "Small fires burn between the apple rows near Vell before dawn."
    )
    assert article.lead_photo.title == "Fires between the apple rows"


def test_it_imports_a_ninjs_3x_story_with_a_remote_picture(home, wire_dir, wire_server):
    out, _ = run(wire_dir / "ninjs-3x-library.json")

    assert out.startswith("created")
    article = article_for("urn:continental.example:2026:library-reopens")
    assert article.title.startswith("Flooded city library reopens")
    assert article.standfirst == "Volunteers spent fourteen months drying 9,000 books by hand."
    assert article.dateline == "Ostrava Nova"
    assert [kind for kind, _ in body_of(article)] == [
        "paragraph",
        "subheading",
        "paragraph",
        "paragraph",
    ]
    assert body_of(article)[1][1] == "Page by page"
    assert "display:none" not in json.dumps(list(article.body.raw_data))
    assert "<li>9,000 books saved</li>" in body_of(article)[3][1].source
    assert (article.wire_agency.name, article.wire_agency.short_name) == (
        "Continental Press Agency",
        "CPA",
    )
    assert article.lead_photo.width == 1400
    assert article.lead_photo.credit == "Karel Just/CPA"
    assert wire_server.hits("/pictures/library.jpg")
    assert not wire_server.hits("/pictures/library-preview.jpg")  # the largest worked


def test_a_picture_that_cannot_be_fetched_is_a_warning_and_the_story_still_imports(home, wire_dir):
    out, _ = run(wire_dir / "ninjs-3x-pictures-fail.json")

    lines = out.splitlines()
    assert lines[0].startswith("created")
    assert "Old rail bridge closes" in lines[0]
    warnings = [line.strip() for line in lines if "warning:" in line]
    assert len(warnings) == 2
    assert "The bridge from the river bank" in warnings[0] and "HTTP 404" in warnings[0]
    assert "Engineers on the arch" in warnings[1] and "cannot connect" in warnings[1]
    assert "2 warnings" in lines[-1]
    article = article_for("urn:continental.example:2026:bridge-inspection")
    assert article.lead_photo is None
    assert not Photo.objects.exists()


def test_a_bad_file_is_named_with_the_reason_the_rest_import_and_the_exit_status_is_1(
    home, wire_dir, tmp_path
):
    folder = only(wire_dir, "malformed.json", "story-v1.json", into=tmp_path / "batch")

    out, error = run_failing(folder, tmp_path / "nowhere.json")

    assert error.returncode == 1
    assert "1 of 3" not in str(error)  # two failed: the broken file and the missing one
    assert "2 of 3 files could not be imported" in str(error)
    lines = out.splitlines()
    assert lines[0].startswith("failed") and "malformed.json" in lines[0]
    assert "not valid JSON" in lines[0] and "line 3" in lines[0]
    assert lines[1].startswith("created") and "Council delays budget vote" in lines[1]
    assert lines[2].startswith("failed") and "no such file or folder" in lines[2]
    assert lines[-1] == "3 files: 1 created, 2 failed."
    assert ArticlePage.objects.count() == 1


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ([{"uri": "urn:x"}], "a JSON array, not an object"),
        ({"headline": "No identifier"}, "no uri"),
        ({"uri": "urn:x:1", "body_text": "Words."}, "no headline"),
        (
            {"uri": "urn:x:2", "headlines": [{"value": "Future"}], "standard": {"version": "4.0"}},
            "unknown ninjs version '4'",
        ),
        (
            {"uri": "urn:x:3", "$schema": "https://schema.example/article.json", "headline": "X"},
            "not a ninjs document",
        ),
    ],
)
def test_documents_that_cannot_be_imported_say_why(home, tmp_path, document, reason):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))

    out, _ = run_failing(path)

    assert out.splitlines()[0].startswith("failed")
    assert reason in out.splitlines()[0]
    assert not ArticlePage.objects.exists()


def test_a_lone_picture_item_is_skipped_not_failed(home, tmp_path):
    path = tmp_path / "picture.json"
    path.write_text(json.dumps({"uri": "urn:pic:1", "type": "picture", "headline": "Sunset"}))

    out, _ = run(path)

    assert out.startswith("skipped") and "a picture item, not a story" in out


def test_importing_the_same_version_again_changes_nothing(home, wire_dir):
    run(wire_dir / "ninjs-1x-night-ferry.json")
    article = article_for("urn:newsml:northwire.example:20260314:night-ferry")
    revisions = Revision.objects.for_instance(article).count()

    out, _ = run(wire_dir / "ninjs-1x-night-ferry.json")

    assert out.startswith("unchanged")
    assert ArticlePage.objects.count() == 1
    assert Photo.objects.count() == 1
    assert Revision.objects.for_instance(article).count() == revisions


def test_a_newer_version_updates_the_published_story(home, wire_dir):
    run(wire_dir / "story-v1.json", "--publish")
    first = article_for("urn:northwire.example:2026:council-budget")
    assert first.live and first.updated_at is None

    out, _ = run(wire_dir / "story-v2.json")

    assert out.startswith("updated")
    article = ArticlePage.objects.get(pk=first.pk)
    assert article.live  # it was live, so the new version is published
    assert article.title == "Council passes budget after late-night session"
    assert article.wire_byline == "Tomasz Rell and Ada Oyelaran"
    assert sorted(article.tags.names()) == ["budget", "council"]
    assert article.updated_at is not None  # readers see when it changed
    assert ArticlePage.objects.count() == 1
    assert WireItem.objects.get().version == "2"
    assert Revision.objects.for_instance(article).count() == 2


def test_an_older_version_is_skipped(home, wire_dir):
    run(wire_dir / "story-v2.json")

    out, _ = run(wire_dir / "story-v1.json")

    assert out.startswith("skipped")
    assert "older than the imported version 2" in out
    article = article_for("urn:northwire.example:2026:council-budget")
    assert article.title == "Council passes budget after late-night session"


def test_a_newer_version_of_a_draft_updates_the_draft(home, wire_dir):
    run(wire_dir / "story-v1.json")

    run(wire_dir / "story-v2.json")

    article = article_for("urn:northwire.example:2026:council-budget")
    assert not article.live
    latest = article.get_latest_revision_as_object()
    assert latest.title == "Council passes budget after late-night session"
    assert latest.updated_at is None  # never published: nothing to flag as updated


def test_publish_with_a_newer_version_publishes_a_draft(home, wire_dir):
    run(wire_dir / "story-v1.json")

    out, _ = run(wire_dir / "story-v2.json", "--publish")

    assert out.startswith("updated")
    article = article_for("urn:northwire.example:2026:council-budget")
    assert article.live
    assert article.title == "Council passes budget after late-night session"


def test_versions_without_numbers_compare_by_version_created(home, tmp_path):
    base = {
        "uri": "urn:text-versions:1",
        "headline": "Earlier headline",
        "body_text": "Words.",
        "version": "a",
        "versioncreated": "2026-01-01T10:00:00Z",
    }
    (tmp_path / "a.json").write_text(json.dumps(base))
    newer = {**base, "headline": "Later headline", "version": "b"}
    newer["versioncreated"] = "2026-01-01T12:00:00Z"
    (tmp_path / "b.json").write_text(json.dumps(newer))

    out, _ = run(tmp_path / "b.json")
    out, _ = run(tmp_path / "a.json")

    assert out.startswith("skipped")
    assert article_for("urn:text-versions:1").title == "Later headline"


def test_a_picture_imported_before_is_reused_by_a_newer_version(home, wire_dir):
    run(wire_dir / "ninjs-1x-night-ferry.json")
    document = json.loads((wire_dir / "ninjs-1x-night-ferry.json").read_text())
    document["version"] = "2"
    document["headline"] = "Night ferry is back, and full"
    (wire_dir / "ferry-v2.json").write_text(json.dumps(document))

    out, _ = run(wire_dir / "ferry-v2.json")

    assert out.startswith("updated")
    assert Photo.objects.count() == 1
    assert WirePicture.objects.count() == 1
    latest = article_for(document["uri"]).get_latest_revision_as_object()
    assert latest.lead_photo == Photo.objects.get()


def test_publish_makes_the_story_readable_with_the_agency_copyright(client, home, wire_dir):
    run(wire_dir / "ninjs-1x-night-ferry.json", "--publish")
    article = article_for("urn:newsml:northwire.example:20260314:night-ferry")

    response = client.get(article.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Night ferry returns to Kessling harbour" in html
    assert "The new vessel runs on batteries" in html
    assert "document.cookie" not in html and "evil.example" not in html
    year = timezone.localtime(article.first_published_at).year
    assert f"© {year} Northwire News Service. All rights reserved." in html
    assert article in ArticlePage.objects.listed()


def test_sections_named_on_the_command_line_are_created(home, wire_dir):
    run(wire_dir / "story-v1.json", "--section", "Local politics")

    section = SectionPage.objects.get(title="Local politics")
    assert section.get_parent().specific == home
    assert section.live
    assert article_for("urn:northwire.example:2026:council-budget").get_parent() == section.page_ptr

    run(wire_dir / "ninjs-2x-orchard-frost.json", "--section", "local politics")
    assert SectionPage.objects.filter(title__iexact="local politics").count() == 1


def test_an_existing_section_is_used_as_it_is(home, section, wire_dir):
    run(wire_dir / "story-v1.json", "--section", "News")

    assert article_for("urn:northwire.example:2026:council-budget").get_parent() == section.page_ptr
    assert SectionPage.objects.count() == 1


def test_agency_option_credits_every_story_to_that_agency(home, agency, wire_dir):
    run(wire_dir / "story-v1.json", wire_dir / "ninjs-2x-orchard-frost.json", "--agency", "ATP")

    assert {a.wire_agency for a in ArticlePage.objects.all()} == {agency}
    assert not WireAgency.objects.exclude(pk=agency.pk).exists()


def test_an_embargoed_story_is_scheduled_not_published(home, tmp_path):
    later = timezone.now() + timezone.timedelta(hours=3)
    document = {
        "uri": "urn:embargo:1",
        "headline": "Exam results out at noon",
        "body_text": "Pass rates rose.",
        "embargoed": later.isoformat(),
    }
    (tmp_path / "embargo.json").write_text(json.dumps(document))

    out, _ = run(tmp_path / "embargo.json", "--publish")

    assert "embargoed until" in out
    article = article_for("urn:embargo:1")
    assert not article.live
    assert abs((article.go_live_at - later).total_seconds()) < 1
    assert Revision.objects.for_instance(article).get().approved_go_live_at is not None


def test_a_story_the_agency_cancels_is_taken_down(home, tmp_path):
    document = {"uri": "urn:kill:1", "version": "1", "headline": "Wrong result", "body_text": "X"}
    (tmp_path / "v1.json").write_text(json.dumps(document))
    run(tmp_path / "v1.json", "--publish")
    assert article_for("urn:kill:1").live
    (tmp_path / "v2.json").write_text(
        json.dumps({**document, "version": "2", "pubstatus": "canceled"})
    )

    out, _ = run(tmp_path / "v2.json")

    assert out.startswith("updated") and "canceled by the agency: unpublished" in out
    assert not article_for("urn:kill:1").live


def test_a_withheld_story_never_imported_is_skipped(home, tmp_path):
    document = {"uri": "urn:kill:2", "headline": "Held", "body_text": "X", "pubstatus": "withheld"}
    (tmp_path / "held.json").write_text(json.dumps(document))

    out, _ = run(tmp_path / "held.json")

    assert out.startswith("skipped") and "withheld by the agency" in out
    assert not ArticlePage.objects.exists()


def test_a_folder_imports_its_json_files_in_name_order_with_progress_lines(home, wire_dir):
    with pytest.raises(CommandError):  # the malformed fixture fails
        out, err = io.StringIO(), io.StringIO()
        call_command("importwire", str(wire_dir), stdout=out, stderr=err)
    names = sorted(p.name for p in wire_dir.glob("*.json"))
    reported = [line.split()[1] for line in out.getvalue().splitlines() if "  warning:" not in line]
    assert [Path(p).name for p in reported[:-1]] == names
    progress = err.getvalue().splitlines()
    assert progress[0] == f"[1/{len(names)}] {wire_dir / names[0]}"
    assert len(progress) == len(names)
    summary = out.getvalue().splitlines()[-1]
    assert summary.startswith(f"{len(names)} files: ") and "1 failed" in summary
    # v1 and v2 of the council story: the newer one, second by name, updated the first
    assert article_for(
        "urn:northwire.example:2026:council-budget"
    ).get_latest_revision_as_object().title == ("Council passes budget after late-night session")


def test_a_terminal_gets_a_progress_bar(home, wire_dir):
    terminal = TTY()
    run(wire_dir / "story-v1.json", wire_dir / "story-v2.json", stderr=terminal)

    shown = terminal.getvalue()
    assert "\r[" + "#" * 15 + "." * 15 + "] 1/2" in shown
    assert "\r[" + "#" * 30 + "] 2/2" in shown


def test_without_a_home_page_the_command_says_what_to_do(db, wire_dir):
    with pytest.raises(CommandError, match="no home page"):
        run(wire_dir / "story-v1.json")


def test_a_picture_too_large_is_left_out(home, tmp_path, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "WIRE_MAX_IMAGE_BYTES": 1000}
    write_jpeg(tmp_path / "big.jpg", (900, 600))
    document = {
        "uri": "urn:big:1",
        "headline": "Big picture",
        "body_text": "Words.",
        "associations": {
            "pic": {"type": "picture", "renditions": {"main": {"href": "big.jpg"}}},
        },
    }
    (tmp_path / "big.json").write_text(json.dumps(document))

    out, _ = run(tmp_path / "big.json")

    assert out.startswith("created") and "too large" in out
    assert not Photo.objects.exists()


def test_a_rendition_that_is_not_an_image_is_left_out(home, tmp_path):
    (tmp_path / "fake.jpg").write_text("<html>not a picture</html>")
    document = {
        "uri": "urn:fake:1",
        "headline": "Fake picture",
        "body_text": "Words.",
        "associations": {"pic": {"type": "picture", "renditions": {"m": {"href": "fake.jpg"}}}},
    }
    (tmp_path / "fake.json").write_text(json.dumps(document))

    out, _ = run(tmp_path / "fake.json")

    assert "not an image" in out
    assert not Photo.objects.exists()


def test_editors_open_an_imported_draft_in_the_cms(client, editor, home, wire_dir):
    run(wire_dir / "ninjs-1x-night-ferry.json")
    article = article_for("urn:newsml:northwire.example:20260314:night-ferry")
    client.force_login(editor)

    response = client.get(f"/cms/pages/{article.pk}/edit/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Night ferry returns to Kessling harbour" in html
    assert "Orla Brandt, who runs the harbour cafe" in html


def test_a_cut_off_picture_is_left_out(home, tmp_path):
    whole = write_jpeg(tmp_path / "whole.jpg", (600, 400)).read_bytes()
    (tmp_path / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    document = {
        "uri": "urn:cut:1",
        "headline": "Cut picture",
        "body_text": "Words.",
        "associations": {"pic": {"type": "picture", "renditions": {"m": {"href": "cut.jpg"}}}},
    }
    (tmp_path / "cut.json").write_text(json.dumps(document))

    out, _ = run(tmp_path / "cut.json")

    assert out.startswith("created") and "broken image" in out
    assert not Photo.objects.exists()
