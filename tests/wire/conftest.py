"""Wire test helpers: a real HTTP server on localhost, JPEGs drawn with Pillow, and the ninjs
fixtures copied into a temporary folder with their pictures beside them."""

from __future__ import annotations

import io
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures"


def jpeg(size: tuple[int, int] = (800, 500), colour: tuple[int, int, int] = (30, 90, 140)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def write_jpeg(path: Path, size: tuple[int, int] = (800, 500)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jpeg(size))
    return path


@dataclass
class Route:
    body: bytes
    content_type: str = "application/octet-stream"
    status: int = 200
    etag: str = ""
    last_modified: str = ""


@dataclass
class WireServer:
    """Serves `routes` (path -> Route); answers 304 to a matching If-None-Match; 404 else."""

    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen == path]


@pytest.fixture
def wire_server() -> Iterator[WireServer]:
    server_state = WireServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server_state.requests.append((self.path, dict(self.headers.items())))
            route = server_state.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server_state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def refused_url() -> str:
    """An address where nothing listens: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def wire_dir(tmp_path, wire_server, refused_url) -> Path:
    """The ninjs fixtures with {dir}, {server} and {refused} filled in, and their pictures:
    local JPEGs next to the documents, remote ones on the local server."""
    folder = tmp_path / "wire"
    folder.mkdir()
    for source in sorted(FIXTURES.glob("*.json")):
        text = source.read_text(encoding="utf-8")
        text = text.replace("{dir}", folder.as_posix())
        text = text.replace("{server}", wire_server.url).replace("{refused}", refused_url)
        (folder / source.name).write_text(text, encoding="utf-8")
    write_jpeg(folder / "pictures" / "ferry.jpg", (1600, 1000))
    write_jpeg(folder / "pictures" / "ferry-small.jpg", (320, 200))
    write_jpeg(folder / "pictures" / "orchard.jpg", (1200, 800))
    wire_server.routes["/pictures/library.jpg"] = Route(jpeg((1400, 875)), "image/jpeg")
    wire_server.routes["/pictures/library-preview.jpg"] = Route(jpeg((400, 250)), "image/jpeg")
    return folder


def only(folder: Path, *names: str, into: Path) -> Path:
    """A folder with just `names` copied from `folder` (and its pictures)."""
    into.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(folder / name, into / name)
    if (folder / "pictures").exists() and not (into / "pictures").exists():
        shutil.copytree(folder / "pictures", into / "pictures")
    return into
