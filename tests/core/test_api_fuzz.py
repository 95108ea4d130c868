"""Property-based requests against every API operation, as an anonymous caller, a reader with a
bearer token and a moderator with one: never a 500, invalid input always refused with a 4xx, and
every answer one the OpenAPI schema documents (status code, content type, headers, body).

Generated ids would almost never name a real row, so positive cases have their path ids (and a
reply's parent) mapped onto a small world of real comments (the caller's own, someone else's, a
pending one, a reply, one that does not exist): the fuzzing then reaches the code behind the 404s.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.modes import GenerationMode

from masthead.accounts.services import issue_token
from masthead.community import services
from masthead.core.api import api
from masthead.newsroom.models import CommentMode
from masthead.wsgi import application

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = application

# Not `positive_data_acceptance`: business rules (an unknown report reason, an empty comment, a
# bad cursor) rightly answer 400 to requests the schema cannot tell apart from good ones.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@dataclass
class World:
    """Real rows for generated ids to land on, and the caller's token (None: anonymous)."""

    ids: dict[str, list[int]]
    token: str | None = None

    def aim(self, case) -> None:  # type: ignore[no-untyped-def]
        meta = case.meta
        path_negative = meta is not None and meta.is_negative_at(ParameterLocation.PATH)
        for name, value in (case.path_parameters or {}).items():
            if name in self.ids and isinstance(value, int) and value >= 1 and not path_negative:
                case.path_parameters[name] = self.pick(name, value)
        body_negative = meta is not None and meta.is_negative_at(ParameterLocation.BODY)
        body = case.body if isinstance(case.body, dict) else None
        if body and not body_negative and isinstance(body.get("parent_id"), int):
            body["parent_id"] = self.pick("comment_id", body["parent_id"])

    def pick(self, name: str, value: int) -> int:
        pool = self.ids[name]
        return pool[value % len(pool)]

    def call(self, case) -> None:  # type: ignore[no-untyped-def]
        self.aim(case)
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else None
        case.call_and_validate(app=application, headers=headers, checks=CHECKS)


@pytest.fixture
def keep_test_connection():
    # Like Django's test client: the WSGI handler would close the test transaction's
    # connection at the end of each request.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def rate_unlimited(settings):
    limits = {name: "100000/m" for name in settings.MASTHEAD["RATE_LIMITS"]}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}


@pytest.fixture
def world(
    make_article, reader, second_reader, moderator, keep_test_connection, rate_unlimited
) -> World:
    story = make_article()
    closed = make_article("Inquest opens", comment_mode=CommentMode.CLOSED)
    own = services.post_comment(author=reader, article=story, body="Good to see the tram back.")
    other = services.post_comment(author=second_reader, article=story, body="About time too.")
    reply = services.post_comment(
        author=reader, article=story, body="Agreed, it took years.", parent=other
    )
    deep = services.post_comment(
        author=second_reader, article=story, body="Years and years.", parent=reply
    )
    held = services.post_comment(author=second_reader, article=story, body="Hold this one.")
    services.change_status(held, to="pending")
    gone = services.post_comment(author=second_reader, article=story, body="Soon deleted.")
    services.delete_own_comment(comment=gone, user=second_reader)
    comments = [own.pk, other.pk, reply.pk, deep.pk, held.pk, gone.pk, deep.pk + 1000]
    return World(ids={"article_id": [story.pk, closed.pk, story.pk + 1000], "comment_id": comments})


OPERATIONS = [result.ok() for result in schema.get_all_operations()]
MODERATION = [op for op in OPERATIONS if "/moderation/" in op.path or op.path.endswith("/feature")]


def fuzz(world: World, operations: list, *, valid: int, invalid: int) -> None:
    """Each operation with `valid` schema-valid and `invalid` schema-violating requests; every
    failure is collected, so one run names all the operations that misbehave."""
    failures = []
    for operation in operations:
        raw = operation.definition.raw
        # An operation that takes no input has no invalid request to make.
        takes_input = bool(raw.get("parameters") or raw.get("requestBody"))
        modes = [(GenerationMode.POSITIVE, valid)]
        modes += [(GenerationMode.NEGATIVE, invalid)] if takes_input else []
        for mode, examples in modes:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case) -> None:  # type: ignore[no-untyped-def]
                world.call(case)

            try:
                run()
            except Exception as exc:  # reported below, with the operation
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)


def test_api_as_anonymous(world):
    fuzz(world, OPERATIONS, valid=4, invalid=3)


def test_api_as_reader_with_a_token(world, reader):
    world.token = issue_token(user=reader)[1]
    fuzz(world, OPERATIONS, valid=8, invalid=5)


def test_moderation_api_as_moderator(world, moderator):
    world.token = issue_token(user=moderator)[1]
    fuzz(world, MODERATION, valid=12, invalid=6)


@pytest.mark.parametrize("body", ["[null, null]", "[]", '"featured"', "1", "null"])
def test_a_body_that_is_not_a_json_object_is_refused(client, moderator, make_article, body):
    # Found by the fuzzing: an array was read as `{}`, so its defaults featured the comment.
    story = make_article()
    comment = services.post_comment(author=moderator, article=story, body="Pin me?")
    response = client.post(
        f"/api/v1/comments/{comment.pk}/feature",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user=moderator)[1]}",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    comment.refresh_from_db()
    assert comment.featured_at is None


def test_the_desk_queue_shows_a_reply_under_a_deleted_comment(
    client, make_article, reader, second_reader, moderator
):
    # Found by the fuzzing (on PostgreSQL): a reply in a queue was a 500, its parent's
    # `is_placeholder` did not exist.
    story = make_article()
    parent = services.post_comment(author=reader, article=story, body="Words soon gone.")
    reply = services.post_comment(
        author=second_reader, article=story, body="A reply.", parent=parent
    )
    services.delete_own_comment(comment=parent, user=reader)
    response = client.get(
        "/api/v1/moderation/queues/recent",
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user=moderator)[1]}",
    )
    assert response.status_code == 200
    (item,) = [i for i in response.json()["items"] if i["id"] == reply.pk]
    assert item["parent"] == {"id": parent.pk, "author": "Rosa", "body": ""}
