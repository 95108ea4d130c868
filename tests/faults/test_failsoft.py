"""Failing soft, in process: the Redis cache without Redis, rate limits without Redis, and the
503 page when the database cannot be reached."""

from __future__ import annotations

import json

import pytest
import redis
from django.core.cache import caches
from django.db import OperationalError
from django.test import Client

from masthead.community.models import Comment
from masthead.core import ratelimit
from masthead.core.cache import FailSoftRedisCache
from masthead.revenue.models import StripeEvent
from tests.faults.conftest import closed_port
from tests.revenue.signing import TEST_WEBHOOK_SECRET, encode, signature_header


def soft_cache(url: str, prefix: str = "faults") -> FailSoftRedisCache:
    return FailSoftRedisCache(url, {"KEY_PREFIX": prefix})


def retry_now(backend: FailSoftRedisCache) -> None:
    """Skip the breaker's wait, as if RETRY_SECONDS had passed."""
    backend.breaker.retry_at = 0.0


# --- The cache ---------------------------------------------------------------------------------


def test_every_operation_degrades_when_redis_is_unreachable():
    backend = soft_cache(f"redis://127.0.0.1:{closed_port()}/0")
    assert backend.get("a") is None
    assert backend.get("a", "fallback") == "fallback"
    assert backend.get_many(["a", "b"]) == {}
    assert backend.has_key("a") is False
    assert backend.add("a", 1) is False
    assert backend.set("a", 1) is None
    assert backend.touch("a") is False
    assert backend.delete("a") is False
    assert backend.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert backend.delete_many(["a"]) is None
    assert backend.get_or_set("c", 3) == 3
    with pytest.raises(ValueError):
        backend.incr("a")
    with pytest.raises(ValueError):
        backend.decr("a")
    assert backend.breaker.down


def test_an_open_breaker_skips_redis_instead_of_connecting_each_time(monkeypatch):
    backend = soft_cache(f"redis://127.0.0.1:{closed_port()}/0")
    backend.get("a")  # fails, opens the breaker
    tries = []
    real = backend._cache.get_client
    monkeypatch.setattr(backend._cache, "get_client", lambda *a, **k: tries.append(1) or real())
    for _ in range(20):
        assert backend.get("a") is None
    assert tries == []
    retry_now(backend)
    backend.get("a")
    assert tries, "after its wait the breaker lets one try through"


def test_it_logs_once_per_outage(caplog):
    backend = soft_cache(f"redis://127.0.0.1:{closed_port()}/0")
    for _ in range(5):
        retry_now(backend)
        backend.get("a")
    unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(unreachable) == 1


def test_it_works_and_recovers_by_itself(own_redis):
    backend = soft_cache(own_redis.url)
    backend.set("a", {"x": 1})
    assert backend.get("a") == {"x": 1}
    own_redis.kill()
    assert backend.get("a") is None
    assert backend.set("b", 2) is None
    own_redis.start()
    retry_now(backend)
    backend.set("c", 3)
    assert backend.get("c") == 3
    assert own_redis.client().get("faults:1:c") == b"3"
    assert not backend.breaker.down


def test_writes_skipped_during_an_outage_leave_nothing_stale_behind(own_redis, monkeypatch):
    """Redis unreachable but not emptied (a network cut): a value that should have been
    replaced meanwhile is dropped when Redis answers again, not served."""
    backend = soft_cache(own_redis.url, prefix="stale")
    backend.set("token", "old")
    backend.set("kept", "same")
    dead_pool = redis.ConnectionPool.from_url(f"redis://127.0.0.1:{closed_port()}/0")
    dead = redis.Redis(connection_pool=dead_pool)  # as Django's client is made: no retries
    real = backend._cache.get_client
    monkeypatch.setattr(backend._cache, "get_client", lambda *a, **k: dead)
    backend.set("token", "new")  # skipped
    backend.delete_many(["gone"])
    monkeypatch.setattr(backend._cache, "get_client", real)
    retry_now(backend)
    assert backend.get("token") is None, "the stale 'old' must not come back"
    assert backend.get("kept") == "same"
    assert backend.breaker.lost == set()


# --- Rate limits -------------------------------------------------------------------------------


@pytest.fixture
def redis_default(settings):
    def point_at(url: str) -> FailSoftRedisCache:
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "masthead.core.cache.FailSoftRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "faults-rl",
            },
        }
        return caches["default"]

    return point_at


def test_rate_limits_hold_per_process_without_redis(redis_default):
    redis_default(f"redis://127.0.0.1:{closed_port()}/0")
    verdicts = [ratelimit.hit("comment", "user:fallback-1", "5/m").allowed for _ in range(8)]
    assert verdicts == [True] * 5 + [False] * 3


def test_rate_limits_fall_back_with_djangos_own_redis_cache_too(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        },
    }
    verdicts = [ratelimit.hit("report", "user:fallback-2", "2/m").allowed for _ in range(4)]
    assert verdicts == [True, True, False, False]


def test_rate_limits_go_back_to_redis_when_it_returns(redis_default, own_redis):
    backend = redis_default(own_redis.url)
    assert ratelimit.hit("comment", "user:7", "5/m").allowed
    assert own_redis.client().keys("faults-rl:*rl:comment:user:7:*")
    own_redis.kill()
    verdicts = [ratelimit.hit("comment", "user:8", "3/m").allowed for _ in range(5)]
    assert verdicts == [True] * 3 + [False] * 2
    own_redis.start()
    retry_now(backend)
    assert ratelimit.hit("comment", "user:9", "3/m").allowed
    assert own_redis.client().keys("faults-rl:*rl:comment:user:9:*")


# --- The database unreachable: 503 -------------------------------------------------------------


class DatabaseDown:
    """A middleware that fails the way Django does when PostgreSQL is unreachable."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


@pytest.fixture
def database_down(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.faults.test_failsoft.DatabaseDown"]


def no_traceback(body: bytes) -> bool:
    return b"Traceback" not in body and b"OperationalError" not in body and b"5432" not in body


@pytest.mark.django_db
def test_a_page_answers_503_with_retry_after(database_down):
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    assert no_traceback(response.content)


@pytest.mark.django_db
def test_the_api_answers_503_in_json(database_down):
    response = Client(raise_request_exception=False).get("/api/v1/report-reasons")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response.json()["error"] == "unavailable"
    assert no_traceback(response.content)


@pytest.mark.django_db
def test_a_session_that_cannot_be_read_gives_503(reader, monkeypatch):
    """The failure happens inside Django's session and auth middleware."""
    client = Client(raise_request_exception=False)
    client.force_login(reader)

    def unreachable(self):  # type: ignore[no-untyped-def]
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", unreachable)
    response = client.get("/accounts/email/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert no_traceback(response.content)


@pytest.mark.django_db
def test_other_errors_are_still_500(settings, monkeypatch):
    def broken(self, request):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr("masthead.core.middleware.ContentSecurityPolicyMiddleware.__call__", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
def test_a_webhook_while_the_database_is_down_is_refused_then_recorded_once(settings, monkeypatch):
    settings.MASTHEAD = {**settings.MASTHEAD, "STRIPE_WEBHOOK_SECRET": TEST_WEBHOOK_SECRET}
    event = {
        "id": "evt_faults_1",
        "object": "event",
        "type": "customer.created",
        "data": {"object": {"id": "cus_1", "object": "customer"}},
    }
    body = encode(event)
    client = Client(raise_request_exception=False)

    def post():  # type: ignore[no-untyped-def]
        return client.post(
            "/webhooks/stripe",
            body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature_header(body),
        )

    def unreachable(event):  # type: ignore[no-untyped-def]
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("masthead.revenue.webhooks.handle_event", unreachable)
    refused = post()
    assert refused.status_code == 503, "non-2xx: Stripe retries"
    assert refused["Retry-After"].isdigit()
    assert not StripeEvent.objects.exists()
    monkeypatch.undo()
    settings.MASTHEAD = {**settings.MASTHEAD, "STRIPE_WEBHOOK_SECRET": TEST_WEBHOOK_SECRET}
    assert post().json() == {"received": True, "duplicate": False}
    assert post().json() == {"received": True, "duplicate": True}
    assert StripeEvent.objects.filter(event_id="evt_faults_1").count() == 1


# --- Comments are accepted with Redis down ------------------------------------------------------


@pytest.mark.django_db
def test_a_comment_is_accepted_with_redis_unreachable(
    settings, reader, make_article, django_capture_on_commit_callbacks, monkeypatch
):
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    soft = {"BACKEND": "masthead.core.cache.FailSoftRedisCache", "LOCATION": dead}
    settings.CACHES = {"default": soft, "pages": {**soft, "KEY_PREFIX": "pages"}}
    article = make_article()

    def queue_down(keys):  # type: ignore[no-untyped-def]
        raise redis.ConnectionError("the task queue's Redis is down too")

    # With MASTHEAD_TASK_QUEUE=redis the front-cache purge is queued in Redis after the commit.
    monkeypatch.setattr("masthead.caching.purge.queue_front_purge", queue_down)
    client = Client(raise_request_exception=False)
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/articles/{article.pk}/comments",
            json.dumps({"body": "Still here with Redis down."}),
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert Comment.objects.filter(pk=response.json()["id"]).exists()
