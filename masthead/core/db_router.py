"""Reads from PostgreSQL replicas, without a reader ever missing their own write.

Active only when DATABASE_REPLICA_URLS names replicas (aliases `replica1`..`replicaN`). Writes
always go to the primary (`default`). A read goes to a replica only when all of these hold:

- it happens while a web request is being answered (ReplicaPinMiddleware opens that scope):
  background work, commands and the shell read the primary, so scheduled publishing and the
  like never act on a lagging copy;
- the request is a safe one (GET, HEAD, OPTIONS) and carries no pin from a recent write of the
  same reader (see below);
- nothing has written in this request yet, and no transaction is open on the primary.

A reader who posts (a comment, a login, a decision) is pinned to the primary for
DATABASE_REPLICA_PIN_SECONDS: browsers by a short-lived cookie, API clients by a cache flag
keyed by a hash of their Authorization header. Keep that longer than the replicas' lag.

Each request keeps to one replica, picked at random, so its reads see one consistent copy.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "masthead_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class ReadScope:
    """Where one request's reads may go."""

    replica: str | None  # None: the primary only
    wrote: bool = False


_scope: ContextVar[ReadScope | None] = ContextVar("masthead_read_scope", default=None)


@contextmanager
def replica_reads(replica: str | None) -> Iterator[ReadScope]:
    """Let the reads inside go to `replica` (until something writes); None: primary only."""
    scope = ReadScope(replica=replica)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def primary_reads():  # type: ignore[no-untyped-def]
    """Reads inside go to the primary: e.g. rendering a page that will be cached right after
    a purge, which must not store what a lagging replica still shows."""
    return replica_reads(None)


def current_scope() -> ReadScope | None:
    return _scope.get()


def in_transaction(alias: str) -> bool:
    """Whether `transaction.atomic()` is open on `alias` (not counting the one a test case
    wraps around each test, so tests route as production does)."""
    return any(not block._from_testcase for block in connections[alias].atomic_blocks)


class PrimaryReplicaRouter:
    def __init__(self, replicas: list[str] | None = None) -> None:
        self.replicas = list(settings.DATABASE_REPLICAS if replicas is None else replicas)

    def db_for_read(self, model: type, **hints: object) -> str:
        scope = _scope.get()
        if scope is None or scope.replica is None or scope.wrote:
            return DEFAULT_DB_ALIAS
        if in_transaction(DEFAULT_DB_ALIAS):
            return DEFAULT_DB_ALIAS
        return scope.replica

    def db_for_write(self, model: type, **hints: object) -> str:
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True  # the rest of this request reads what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: object, obj2: object, **hints: object) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db == DEFAULT_DB_ALIAS


def token_pin_key(authorization: str) -> str:
    digest = hashlib.sha256(authorization.encode()).hexdigest()[:32]
    return f"db:pin:{digest}"


class ReplicaPinMiddleware:
    """Opens the read scope of each request and pins writers to the primary for a while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.DATABASE_REPLICAS:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.replicas = list(settings.DATABASE_REPLICAS)
        self.pin_seconds = int(settings.DATABASE_REPLICA_PIN_SECONDS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        authorization = request.META.get("HTTP_AUTHORIZATION", "")
        writing = request.method not in SAFE_METHODS
        pinned = writing or PIN_COOKIE in request.COOKIES
        if not pinned and authorization:
            pinned = bool(cache.get(token_pin_key(authorization)))
        with replica_reads(None if pinned else random.choice(self.replicas)) as scope:  # noqa: S311
            response = self.get_response(request)
        if writing or scope.wrote:
            self._pin(request, response, authorization, safe=not writing)
        return response

    def _pin(
        self, request: HttpRequest, response: HttpResponse, authorization: str, *, safe: bool
    ) -> None:
        if authorization:
            cache.set(token_pin_key(authorization), 1, self.pin_seconds)
        elif not safe:
            # Never on a GET: a cookie would make a cacheable page personal. A GET that writes
            # (a counter, a queued task) reads its own write within the request anyway.
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=self.pin_seconds,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
