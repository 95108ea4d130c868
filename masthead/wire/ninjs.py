"""IPTC ninjs ("news in JSON") documents, versions 1.x, 2.x and 3.x, read into one shape.

The three versions name the same things differently:

- 1.x: `headline`, `description_text`/`description_html`, `body_text`/`body_html` (any
  `body_*`), `byline`, `subject[]`, `associations` as an object keyed by name, `renditions` as an
  object keyed by name with `mimetype` and `sizeinbytes`; `$standard` says the version (1.3+).
- 2.x: `headlines[]`, `descriptions[]`, `bodies[]` (each `{role, contenttype, value}`), `by`,
  `subjects[]`, `associations` and `renditions` as lists of objects with a `name`; `standard`.
- 3.x: as 2.x with camelCase names (`versionCreated`, `firstCreated`, `copyrightHolder`,
  `copyrightNotice`, `contentType`, `sizeInBytes`, `pubStatus`); `standard`.

The version comes from `$schema`, `standard`/`$standard` (version or schema URL) when the document
says, from its shape otherwise. Reading is lenient where providers differ (a 3.x document with
lowercase names still reads) and strict where the import cannot go on: not a JSON object, no
`uri`, no headline, or a version this module does not know raise `NinjsError` with the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils.dateparse import parse_datetime

from masthead.wire.bodies import html_to_text

MAX_DOCUMENT_BYTES = 5 << 20
KNOWN_MAJORS = {"1", "2", "3"}
STORY_TYPES = {"text", "composite", "component", ""}
PICTURE_TYPES = {"picture", "image", "graphic"}
SCHEMA_VERSION = re.compile(r"ninjs-schema[_-](\d+)(?:\.(\d+))?", re.IGNORECASE)
CAMEL_CASE_KEYS = {
    "versionCreated",
    "firstCreated",
    "contentCreated",
    "copyrightHolder",
    "copyrightNotice",
    "pubStatus",
    "altIds",
    "edNote",
    "usageTerms",
}


class NinjsError(ValueError):
    """The document cannot be imported; the message says why, in words for the newsroom."""


class NotAStory(NinjsError):
    """A valid ninjs item that is not a story (a lone picture, video, event…): skipped."""


@dataclass(frozen=True)
class Rendition:
    href: str
    name: str = ""
    mimetype: str = ""
    width: int = 0
    height: int = 0
    size: int = 0

    @property
    def is_image(self) -> bool:
        return not self.mimetype or self.mimetype.lower().startswith("image/")


@dataclass(frozen=True)
class Picture:
    key: str  # the picture's own uri, or the story's uri and the association's name
    title: str
    caption: str
    credit: str
    renditions: tuple[Rendition, ...]

    def renditions_largest_first(self) -> list[Rendition]:
        """Image renditions, biggest first (by pixels, then bytes, then as listed)."""
        images = [r for r in self.renditions if r.href and r.is_image]
        return sorted(images, key=lambda r: (r.width * r.height, r.size), reverse=True)


@dataclass(frozen=True)
class WireDocument:
    ninjs_version: str  # "1", "2" or "3"
    uri: str
    version: str
    version_created: datetime | None
    first_created: datetime | None
    embargoed: datetime | None
    pubstatus: str
    language: str
    headline: str
    description: str  # plain text
    body_html: str  # as sent, sanitised later
    body_text: str
    byline: str
    located: str
    copyright_holder: str
    copyright_notice: str
    tags: tuple[str, ...] = ()
    pictures: tuple[Picture, ...] = field(default=())

    @property
    def withdrawn(self) -> bool:
        return self.pubstatus in {"withheld", "canceled", "cancelled"}


# --- Reading --------------------------------------------------------------------------------


def load_document(path: Path) -> WireDocument:
    """Read and parse one file."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise NinjsError(f"file too large ({size:,} bytes; at most {MAX_DOCUMENT_BYTES:,})")
        raw = path.read_bytes()
    except OSError as error:
        raise NinjsError(f"cannot read the file ({error.strerror or error})") from error
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise NinjsError("not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise NinjsError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from error
    return parse_document(data)


def parse_document(data: Any) -> WireDocument:
    if not isinstance(data, dict):
        raise NinjsError(f"not a ninjs document: a JSON {_json_kind(data)}, not an object")
    uri = _string(data.get("uri")) or _string(data.get("guid"))
    if not uri:
        raise NinjsError("no uri: a ninjs document must say which story it is")
    if len(uri) > 500:
        raise NinjsError("uri longer than 500 characters")
    major = detect_version(data)
    doc = _read_v1(data, uri) if major == "1" else _read_v2_or_v3(data, uri, major)
    item_type = _item_type(data)
    if item_type not in STORY_TYPES:
        raise NotAStory(f"a {item_type} item, not a story")
    if not doc.headline:
        raise NinjsError("no headline")
    return doc


def _item_type(item: dict[str, Any]) -> str:
    """`type` ("text", "picture"…), or `nature` as some 3.x senders call it, possibly as a
    code such as "ninat:picture"."""
    value = _string(_get(item, "type")) or _string(item.get("nature"))
    return re.split(r"[:/#]", value)[-1].lower() if value else ""


def detect_version(data: dict[str, Any]) -> str:
    """ "1", "2" or "3": as the document declares it, else by its shape."""
    declared = _declared_version(data)
    if declared is not None:
        if declared not in KNOWN_MAJORS:
            raise NinjsError(f"unknown ninjs version {declared!r} (1.x, 2.x and 3.x are known)")
        return declared
    if any(isinstance(data.get(key), list) for key in ("headlines", "bodies", "descriptions")):
        return "3" if CAMEL_CASE_KEYS & data.keys() else "2"
    if CAMEL_CASE_KEYS & data.keys():
        return "3"
    return "1"


def _declared_version(data: dict[str, Any]) -> str | None:
    candidates: list[str] = []
    for key in ("standard", "$standard"):
        standard = data.get(key)
        if isinstance(standard, dict):
            if standard.get("name") not in (None, "") and str(standard["name"]).lower() != "ninjs":
                raise NinjsError(f"not a ninjs document (standard {standard['name']!r})")
            version = _string(standard.get("version"))
            if version:
                return version.split(".")[0]
            candidates.append(_string(standard.get("schema")))
    candidates.append(_string(data.get("$schema")))
    for url in candidates:
        if not url:
            continue
        match = SCHEMA_VERSION.search(url)
        if match:
            return match.group(1)
        if "ninjs" not in url.lower():
            raise NinjsError(f"not a ninjs document (schema {url})")
    return None


# --- Version 1.x ----------------------------------------------------------------------------


def _read_v1(data: dict[str, Any], uri: str) -> WireDocument:
    body_html = body_text = ""
    for key, value in data.items():
        if not key.startswith("body_") or not isinstance(value, str):
            continue
        if "html" in key and not body_html:
            body_html = value
        elif key == "body_text" or (not body_text and "text" in key):
            body_text = value
    description = _string(data.get("description_text"))
    if not description:
        description = next(
            (
                html_to_text(value)
                for key, value in data.items()
                if key.startswith("description_") and isinstance(value, str) and value.strip()
            ),
            "",
        )
    return WireDocument(
        ninjs_version="1",
        uri=uri,
        version=_string(data.get("version"))[:100],
        version_created=_datetime(_get(data, "versioncreated")),
        first_created=_datetime(_get(data, "firstcreated")),
        embargoed=_datetime(data.get("embargoed")),
        pubstatus=_string(_get(data, "pubstatus")).lower(),
        language=_string(data.get("language")),
        headline=_plain(_string(data.get("headline")) or _string(data.get("title"))),
        description=_plain(description),
        body_html=body_html,
        body_text=body_text,
        byline=_plain(_string(data.get("byline")) or _string(data.get("by"))),
        located=_plain(_string(data.get("located"))),
        copyright_holder=_plain(_string(_get(data, "copyrightholder"))),
        copyright_notice=_plain(_string(_get(data, "copyrightnotice"))),
        tags=_tags(data.get("keywords"), data.get("subject") or data.get("subjects")),
        pictures=_pictures(data.get("associations"), uri),
    )


# --- Versions 2.x and 3.x -------------------------------------------------------------------


def _read_v2_or_v3(data: dict[str, Any], uri: str, major: str) -> WireDocument:
    bodies = _texts(data.get("bodies"))
    body_html = _pick(bodies, roles=("main", "body", ""), html=True)
    body_text = _pick(bodies, roles=("main", "body", ""), html=False)
    descriptions = _texts(data.get("descriptions"))
    description = _pick(descriptions, roles=("summary", "abstract", "main", "text", ""), html=False)
    if not description:
        description = html_to_text(
            _pick(descriptions, roles=("summary", "abstract", "main", "text", ""), html=True)
        )
    headlines = _texts(data.get("headlines"))
    headline = _pick(headlines, roles=("main", "headline", ""), html=False) or html_to_text(
        _pick(headlines, roles=("main", "headline", ""), html=True)
    )
    return WireDocument(
        ninjs_version=major,
        uri=uri,
        version=_string(data.get("version"))[:100],
        version_created=_datetime(_get(data, "versioncreated")),
        first_created=_datetime(_get(data, "firstcreated")),
        embargoed=_datetime(data.get("embargoed") or data.get("embargoedUntil")),
        pubstatus=_string(_get(data, "pubstatus")).lower(),
        language=_string(data.get("language")),
        headline=_plain(headline or _string(data.get("headline"))),
        description=_plain(description),
        body_html=body_html,
        body_text=body_text,
        byline=_plain(_string(data.get("by")) or _string(data.get("byline"))),
        located=_plain(_string(data.get("located"))),
        copyright_holder=_plain(_string(_get(data, "copyrightholder"))),
        copyright_notice=_plain(_string(_get(data, "copyrightnotice"))),
        tags=_tags(data.get("keywords"), data.get("subjects") or data.get("subject")),
        pictures=_pictures(data.get("associations"), uri),
    )


@dataclass(frozen=True)
class _Text:
    role: str
    html: bool
    value: str


def _texts(items: Any) -> list[_Text]:
    texts = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            item = {"value": item}
        if not isinstance(item, dict) or not isinstance(item.get("value"), str):
            continue
        kind = _string(_get(item, "contenttype")).lower()
        texts.append(
            _Text(
                role=_string(item.get("role")).lower(),
                html="html" in kind or "xml" in kind,
                value=item["value"],
            )
        )
    return texts


def _pick(texts: list[_Text], *, roles: tuple[str, ...], html: bool) -> str:
    """The first text of the wanted kind whose role comes earliest in `roles`, else any."""
    wanted = [t for t in texts if t.html == html and t.value.strip()]
    for role in roles:
        for text in wanted:
            if text.role == role:
                return text.value
    return wanted[0].value if wanted else ""


# --- Shared pieces --------------------------------------------------------------------------


def _get(data: dict[str, Any], lowercase_name: str) -> Any:
    """A field under its 1.x/2.x lowercase name or its 3.x camelCase name."""
    if lowercase_name in data:
        return data[lowercase_name]
    for key, value in data.items():
        if key.lower() == lowercase_name:
            return value
    return None


def _string(value: Any) -> str:
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return str(value).strip()


def _plain(text: str) -> str:
    """Metadata is plain text; markup some providers leave in it is removed."""
    return html_to_text(text) if "<" in text or "&" in text else " ".join(text.split())


def _json_kind(value: Any) -> str:
    return {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), "null"
    )


def _datetime(value: Any) -> datetime | None:
    text = _string(value)
    if not text:
        return None
    try:
        parsed = parse_datetime(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _tags(keywords: Any, subjects: Any) -> tuple[str, ...]:
    """Subject names (from controlled vocabularies, so in their proper case) then keywords;
    the first spelling of a name wins."""
    names: list[str] = []
    for subject in subjects if isinstance(subjects, list) else []:
        if isinstance(subject, dict):
            names.append(_plain(_string(subject.get("name"))))
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    for keyword in keywords if isinstance(keywords, list) else []:
        names.append(_plain(_string(keyword)))
    seen: set[str] = set()
    tags = []
    for name in names:
        name = name.strip(" ,")[:100]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            tags.append(name)
    return tuple(tags)


def _named(items: Any) -> list[tuple[str, dict[str, Any]]]:
    """Associations or renditions as (name, object) pairs: 1.x keys them by name, 2.x and
    3.x list them with a `name` field."""
    if isinstance(items, dict):
        return [(str(name), value) for name, value in items.items() if isinstance(value, dict)]
    if isinstance(items, list):
        return [(_string(item.get("name")), item) for item in items if isinstance(item, dict)]
    return []


def _number(value: Any) -> int:
    try:
        return max(0, int(float(value)))
    except (TypeError, ValueError):
        return 0


def _pictures(associations: Any, story_uri: str) -> tuple[Picture, ...]:
    pictures = []
    for name, item in _named(associations):
        if _item_type(item) not in PICTURE_TYPES:
            continue
        renditions = tuple(
            Rendition(
                href=_string(rendition.get("href")),
                name=rendition_name,
                mimetype=_string(_get(rendition, "mimetype") or _get(rendition, "contenttype")),
                width=_number(rendition.get("width")),
                height=_number(rendition.get("height")),
                size=_number(_get(rendition, "sizeinbytes")),
            )
            for rendition_name, rendition in _named(item.get("renditions"))
        )
        headline = _plain(
            _string(item.get("headline"))
            or _pick(_texts(item.get("headlines")), roles=("main", ""), html=False)
        )
        caption = _plain(
            _string(item.get("description_text"))
            or _pick(_texts(item.get("descriptions")), roles=("caption", "text", ""), html=False)
            or html_to_text(_string(item.get("description_html")))
            or html_to_text(
                _pick(_texts(item.get("descriptions")), roles=("caption", "text", ""), html=True)
            )
            or _string(item.get("body_text"))
            or headline
        )
        pictures.append(
            Picture(
                key=_string(item.get("uri")) or f"{story_uri}#{name or len(pictures)}",
                title=headline or caption or name or "Wire picture",
                caption=caption,
                credit=_credit(item),
                renditions=renditions,
            )
        )
    return tuple(pictures)


def _credit(item: dict[str, Any]) -> str:
    """'Photographer/Agency', as the newsroom's own credits read."""
    creditline = _plain(_string(_get(item, "creditline")))
    if creditline:
        return creditline
    by = _plain(_string(item.get("by")) or _string(item.get("byline")))
    holder = _plain(_string(_get(item, "copyrightholder")))
    if holder and holder.lower() not in by.lower():
        return f"{by}/{holder}" if by else holder
    return by
