"""Reads from replicas, writes and one's own reads on the primary (masthead.core.db_router).

The replica here is a second connection alias to the same test database (as Django's
`TEST: {"MIRROR": "default"}` does), so each test checks which connection ran the queries.
Runs on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import json

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from masthead.accounts.services import issue_token
from masthead.community.models import Comment
from masthead.core.db_router import (
    PIN_COOKIE,
    PrimaryReplicaRouter,
    primary_reads,
    replica_reads,
)

ROUTER = "masthead.core.db_router.PrimaryReplicaRouter"


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """A `replica1` alias reading the test database through a connection of its own. Tests
    using it commit (transaction=True): like a real replica, it sees only committed rows."""
    primary = connections["default"].settings_dict
    connections.settings["replica1"] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    yield "replica1"
    with django_db_blocker.unblock():
        connection = connections["replica1"]
        connection.close()
        if getattr(connection, "pool", None):
            connection.close_pool()
    del connections["replica1"]
    del connections.settings["replica1"]


@pytest.fixture
def with_replica(replica_alias, settings):
    settings.DATABASE_REPLICAS = [replica_alias]
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.DATABASE_REPLICA_PIN_SECONDS = 30
    return replica_alias


WITH_REPLICA = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica1"]
)


def selects(context: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in context.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_reads_outside_a_web_request_go_to_the_primary():
    router = PrimaryReplicaRouter(replicas=["replica1"])
    assert router.db_for_read(Comment) == "default"
    assert router.db_for_write(Comment) == "default"


@pytest.mark.django_db
def test_a_request_reads_from_its_replica_until_it_writes():
    router = PrimaryReplicaRouter(replicas=["replica1"])
    with replica_reads("replica1"):
        assert router.db_for_read(Comment) == "replica1"
        assert router.db_for_write(Comment) == "default"
        assert router.db_for_read(Comment) == "default"  # reads its own write
    with replica_reads("replica1"):
        assert router.db_for_read(Comment) == "replica1"  # the next request starts afresh


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary():
    router = PrimaryReplicaRouter(replicas=["replica1"])
    with replica_reads("replica1"):
        with transaction.atomic():
            assert router.db_for_read(Comment) == "default"
        assert router.db_for_read(Comment) == "replica1"
        with primary_reads():
            assert router.db_for_read(Comment) == "default"


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter(replicas=["replica1"])
    assert router.allow_migrate("default", "community")
    assert not router.allow_migrate("replica1", "community")


@WITH_REPLICA
def test_an_anonymous_page_view_reads_from_the_replica(with_replica, client, make_article):
    make_article()
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[with_replica]) as replica,
    ):
        response = client.get("/api/v1/articles")
    assert response.status_code == 200
    assert selects(replica), "the replica answered nothing"
    assert not selects(primary), selects(primary)
    assert PIN_COOKIE not in response.cookies


@WITH_REPLICA
def test_a_page_to_be_stored_for_everyone_is_read_from_the_primary(
    with_replica, client, make_article
):
    """A replica a moment behind a purge must not have its old copy stored for an hour."""
    story = make_article()
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[with_replica]) as replica,
    ):
        response = client.get(story.url)
    assert response.status_code == 200 and response["X-Cache"] == "MISS"
    assert selects(primary), "the page was not read from the primary"
    assert not selects(replica), selects(replica)


@WITH_REPLICA
def test_a_reader_who_posts_reads_the_primary_for_a_while(
    with_replica, client, reader, make_article
):
    article = make_article()
    client.force_login(reader)
    with CaptureQueriesContext(connections[with_replica]) as replica:
        response = client.post(
            f"/api/v1/articles/{article.pk}/comments",
            data=json.dumps({"body": "The tram line was the best thing about this town."}),
            content_type="application/json",
            HTTP_X_CSRFTOKEN="not-needed-in-tests",
        )
    assert response.status_code == 201, response.content
    assert not selects(replica), "a write request read from the replica"
    pin = response.cookies[PIN_COOKIE]
    assert pin["max-age"] == 30 and pin["httponly"]

    # The next pages this browser asks for come from the primary: it sees its own comment.
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[with_replica]) as replica,
    ):
        response = client.get(f"/api/v1/articles/{article.pk}/comments")
    assert response.status_code == 200
    assert not selects(replica)
    assert selects(primary)
    assert "best thing about this town" in response.content.decode()

    # Another browser, without the pin, reads from the replica.
    client.cookies.clear()
    with CaptureQueriesContext(connections[with_replica]) as replica:
        client.get("/api/v1/articles")
    assert selects(replica)


@WITH_REPLICA
def test_an_api_client_that_posts_reads_the_primary_for_a_while(
    with_replica, client, reader, second_reader, make_article
):
    article = make_article()
    token = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=reader)[1]}"}
    other = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=second_reader)[1]}"}
    response = client.post(
        f"/api/v1/articles/{article.pk}/comments",
        data=json.dumps({"body": "Posted from the newsroom app."}),
        content_type="application/json",
        **token,
    )
    assert response.status_code == 201, response.content
    assert PIN_COOKIE not in response.cookies  # API clients keep no cookies: a cache flag

    with CaptureQueriesContext(connections[with_replica]) as replica:
        response = client.get(f"/api/v1/articles/{article.pk}/comments", **token)
    assert response.status_code == 200
    assert not selects(replica)
    assert "Posted from the newsroom app." in response.content.decode()

    with CaptureQueriesContext(connections[with_replica]) as replica:
        client.get(f"/api/v1/articles/{article.pk}/comments", **other)
    assert selects(replica)


def test_without_replicas_the_router_and_middleware_stay_out_of_the_way(settings):
    from django.core.exceptions import MiddlewareNotUsed

    from masthead.core.db_router import ReplicaPinMiddleware

    assert settings.DATABASE_REPLICAS == [] or settings.DATABASE_ROUTERS == [ROUTER]
    settings.DATABASE_REPLICAS = []
    with pytest.raises(MiddlewareNotUsed):
        ReplicaPinMiddleware(lambda request: None)
