"""Fetching wire pictures and feeds: local paths, file:// and http(s):// with a timeout and a
size cap, and pictures checked to be real images before anything is saved."""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from PIL import Image, UnidentifiedImageError

USER_AGENT = "Masthead wire importer (+https://github.com/masthead)"
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MAX_PIXELS = 60_000_000
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class FetchError(Exception):
    """Why a picture or feed could not be fetched, in words for the report."""


@dataclass(frozen=True)
class Fetched:
    data: bytes
    filename: str


@dataclass(frozen=True)
class HttpResponse:
    status: int  # 200, or 304 when unchanged since the ETag/Last-Modified we sent
    data: bytes
    etag: str
    modified: str


def fetch_timeout() -> float:
    return float(settings.MASTHEAD["WIRE_FETCH_TIMEOUT"])


def max_image_bytes() -> int:
    return int(settings.MASTHEAD["WIRE_MAX_IMAGE_BYTES"])


def fetch_image(href: str, *, base_path: Path | None) -> Fetched:
    """The bytes of a rendition, checked to be a JPEG, PNG, GIF or WebP image.

    `href` may be a path relative to `base_path` (the document's folder), a `file://` URL or an
    `http(s)://` URL. Local files are allowed only when `base_path` is given (the command line
    imports files; feeds do not)."""
    href = href.strip()
    scheme = urlsplit(href).scheme.lower()
    limit = max_image_bytes()
    if scheme in {"http", "https"}:
        data = http_get(href, limit=limit).data
        name = Path(unquote(urlsplit(href).path)).name
    elif scheme == "file" or (scheme == "" and href):
        if base_path is None:
            raise FetchError("local files are not allowed here")
        path = Path(url2pathname(urlsplit(href).path)) if scheme == "file" else base_path / href
        data = _read_local(path, limit)
        name = path.name
    else:
        raise FetchError(f"unsupported address {href[:80]!r}")
    extension = check_image(data)
    stem = SAFE_NAME.sub("-", Path(name).stem).strip("-.")[:60] or "wire-picture"
    return Fetched(data=data, filename=f"{stem}.{extension}")


def _read_local(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise FetchError(f"too large ({size:,} bytes; at most {limit:,})")
        return path.read_bytes()
    except FileNotFoundError as error:
        raise FetchError(f"no such file {path}") from error
    except OSError as error:
        raise FetchError(f"cannot read {path} ({error.strerror or error})") from error


def check_image(data: bytes) -> str:
    """The file extension for image bytes Pillow can read, or FetchError."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format or ""
            width, height = image.size
            image.verify()
        if image_format in IMAGE_FORMATS and width * height <= MAX_PIXELS:
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # verify() does not decode: a cut-off file fails only here
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise FetchError("not an image") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise FetchError(f"a broken image ({error})") from error
    if image_format not in IMAGE_FORMATS:
        raise FetchError(f"an image format we do not take ({image_format or 'unknown'})")
    if width * height > MAX_PIXELS:
        raise FetchError(f"too many pixels ({width} x {height})")
    return IMAGE_FORMATS[image_format]


def http_get(
    url: str, *, limit: int, etag: str = "", modified: str = "", accept: str = "*/*"
) -> HttpResponse:
    """GET with the configured timeout, reading at most `limit` bytes; conditional when an ETag
    or Last-Modified value from an earlier answer is given."""
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        raise FetchError("only http and https addresses can be fetched")
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked above
    timeout = fetch_timeout()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError(f"too large ({int(length):,} bytes; at most {limit:,})")
            data = response.read(limit + 1)
            if len(data) > limit:
                raise FetchError(f"too large (more than {limit:,} bytes)")
            return HttpResponse(
                status=response.status,
                data=data,
                etag=response.headers.get("ETag", ""),
                modified=response.headers.get("Last-Modified", ""),
            )
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return HttpResponse(status=304, data=b"", etag=etag, modified=modified)
        raise FetchError(f"HTTP {error.code} {error.reason} from {url}") from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise FetchError(f"timed out after {timeout:g} s: {url}") from error
        raise FetchError(f"cannot connect to {url} ({reason})") from error
    except TimeoutError as error:
        raise FetchError(f"timed out after {timeout:g} s: {url}") from error
    except (OSError, ValueError) as error:  # connection reset, bad URL…
        raise FetchError(f"cannot fetch {url} ({error})") from error
