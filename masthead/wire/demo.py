"""Demo wire copy: three agency stories, one in each ninjs version, imported as the desk would.

The documents live in `demo_feed/`; their pictures are drawn at load time (nothing is
downloaded) into a temporary folder next to copies of the documents, then imported through
`import_document` like any wire delivery. Two stories are published in the World section; the
third waits there as a draft for an editor. Loading again changes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import IO

from django.core.management.base import OutputWrapper

from masthead.newsroom.models import SectionPage
from masthead.wire.models import WireItem
from masthead.wire.ninjs import load_document
from masthead.wire.services import CREATED, ensure_section, import_document

DEMO_FEED = Path(__file__).parent / "demo_feed"
SECTION = "World"
# picture file -> (scene, seed, options) for the demo painter
PICTURES = {
    "glacier-lake.jpg": ("mountains", 7101, {"time": "day", "snow": True}),
    "barley-fields.jpg": ("fields", 7102, {"time": "day"}),
    "night-platform.jpg": ("lanterns", 7103, {}),
}
DRAFTS = {"03-night-trains-ninjs-3x.json"}  # left for an editor to look at and publish


def load_demo_wire(*, stdout: IO[str] | OutputWrapper | None = None) -> int:
    """Import the demo wire stories that are not there yet; returns how many were created."""
    from masthead.newsroom.demo.load import RENDITION_SPECS, Progress
    from masthead.newsroom.demo.photos import draw_photo

    progress = Progress(stdout)
    documents = sorted(DEMO_FEED.glob("*.json"))
    uris = {load_document(path).uri for path in documents}
    if WireItem.objects.filter(uri__in=uris).count() == len(uris):
        progress.line("Demo wire stories are already there; leaving them as they are.")
        return 0
    section = _demo_section()
    created = 0
    with tempfile.TemporaryDirectory(prefix="masthead-wire-demo-") as folder:
        base = Path(folder)
        (base / "pictures").mkdir()
        for name, (scene, seed, options) in PICTURES.items():
            (base / "pictures" / name).write_bytes(draw_photo(scene, seed, **options))
        for done, path in enumerate(documents, start=1):
            copy = base / path.name
            shutil.copy(path, copy)
            result = import_document(
                document=load_document(copy),
                base_path=base,
                section=section,
                publish=path.name not in DRAFTS,
            )
            created += result.status == CREATED
            for warning in result.warnings:
                progress.line(f"Demo wire: {warning}")
            if result.article and result.article.lead_photo:
                result.article.lead_photo.get_renditions(*RENDITION_SPECS)
            progress.count("Importing wire stories", done, len(documents))
    return created


def _demo_section() -> SectionPage:
    existing = SectionPage.objects.filter(slug=SECTION.lower()).first()
    return existing or ensure_section(name=SECTION)
