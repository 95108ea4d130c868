"""A recording front cache: a real HTTP server on loopback that answers 200 and keeps every
request it gets, and the way to run the purges a change queued (on commit, then the worker)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from masthead.caching.tasks import purge_front_cache
from masthead.editorial.worker import Worker


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Recorder:
    url: str
    requests: list[Recorded] = field(default_factory=list)

    def keys(self) -> list[set[str]]:
        """The surrogate keys of each purge, whatever the backend spelled them as."""
        import json

        found = []
        for request in self.requests:
            if "xkey" in request.headers:
                found.append(set(request.headers["xkey"].split()))
            elif "surrogate-key" in request.headers:
                found.append(set(request.headers["surrogate-key"].split()))
            elif request.body:
                found.append(set(json.loads(request.body)["tags"]))
        return found

    def purged(self) -> set[str]:
        return set().union(*self.keys()) if self.requests else set()

    def clear(self) -> None:
        self.requests.clear()


@pytest.fixture
def recorder():
    requests: list[Recorded] = []

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            requests.append(
                Recorded(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        do_GET = do_POST = do_PURGE = _record

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    recorder = Recorder(url=f"http://127.0.0.1:{server.server_address[1]}")
    recorder.requests = requests
    yield recorder
    server.shutdown()
    server.server_close()


@pytest.fixture
def front_cache(settings, recorder):
    """Point the front cache at the recorder: `front_cache("fastly")` and so on."""

    def use(kind: str = "fastly") -> Recorder:
        settings.MASTHEAD_FRONT_CACHE = kind
        settings.MASTHEAD_FRONT_CACHE_URL = recorder.url
        settings.MASTHEAD_FRONT_CACHE_API_URL = recorder.url
        settings.MASTHEAD_FRONT_CACHE_SERVICE = "svc123"
        settings.MASTHEAD_FRONT_CACHE_TOKEN = "secret-token"
        return recorder

    return use


@pytest.fixture
def run_purges(django_capture_on_commit_callbacks):
    """`with run_purges(): change()` runs the change's on-commit purges and then the queued
    front-cache tasks, as `masthead worker` would."""
    from contextlib import contextmanager

    worker = Worker(jobs=[])

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        while worker.run_queued_tasks(task_paths=(purge_front_cache.module_path,)):
            pass

    return run
