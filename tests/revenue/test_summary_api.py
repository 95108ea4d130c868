"""`GET /api/v1/revenue/summary`: admins only (anonymous 401, everyone else 403), payments and
money per currency with refunds netted out, and answers that match the published schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from masthead.accounts.services import issue_token
from masthead.core.api import api
from masthead.wsgi import application
from tests.revenue.ledger import EUR_30, GBP_30, MRR, known_ledger

URL = "/api/v1/revenue/summary"


@pytest.fixture
def ledger(db):
    return known_ledger()


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)[1]}"}


# --- Who may ask ----------------------------------------------------------------------------


def test_it_asks_anonymous_callers_to_sign_in(db, client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


@pytest.mark.parametrize("persona", ["reader", "moderator", "editor"])
def test_it_refuses_everyone_but_admins(db, client, request, persona):
    user = request.getfixturevalue(persona)
    assert client.get(URL, **_bearer(user)).status_code == 403
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_it_answers_admins_by_session_or_token(client, admin):
    assert client.get(URL, **_bearer(admin)).status_code == 200
    client.force_login(admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --- The figures ----------------------------------------------------------------------------


def test_it_sums_the_last_thirty_days_per_currency(client, admin, ledger):
    client.force_login(admin)
    body = client.get(URL).json()
    assert body["count"] == EUR_30["count"] + GBP_30["count"]
    assert body["totals"] == {"EUR": EUR_30["net"], "GBP": GBP_30["net"]}
    assert body["gross"] == {"EUR": EUR_30["gross"], "GBP": GBP_30["gross"]}
    assert body["refunded"] == {"EUR": EUR_30["refunded"], "GBP": 0}
    assert body["one_off"] == {"EUR": EUR_30["once"], "GBP": GBP_30["once"]}
    assert body["monthly"] == {"EUR": EUR_30["monthly"], "GBP": GBP_30["monthly"]}
    assert body["monthly_recurring"] == MRR
    assert body["monthly_supporters"] == {"EUR": 1, "GBP": 1}
    today = timezone.localdate()
    assert body["since"].startswith(str(today - timedelta(days=29)))
    assert body["until"].startswith(str(today + timedelta(days=1)))


def test_it_takes_a_period_in_days_or_dates(client, admin, ledger):
    client.force_login(admin)
    today = timezone.localdate()
    assert client.get(URL, {"days": 90}).json()["totals"]["EUR"] == EUR_30["net"] + 500
    assert client.get(URL, {"days": 365}).json()["count"] == 7 + 2
    between = {"since": str(today - timedelta(days=40)), "until": str(today - timedelta(days=10))}
    body = client.get(URL, between).json()
    assert body["totals"] == {"EUR": 500 + 300 + 500}  # B twice, C
    assert body["count"] == 3
    assert body["monthly_recurring"] == MRR  # always as of now
    one_day = str(today - timedelta(days=2))
    assert client.get(URL, {"since": one_day, "until": one_day}).json()["totals"] == {"EUR": 1000}


def test_an_empty_period_has_no_money(client, admin, ledger):
    client.force_login(admin)
    body = client.get(URL, {"since": "2001-01-01", "until": "2001-12-31"}).json()
    assert (body["count"], body["totals"]) == (0, {})


def test_any_span_of_years_costs_the_same(client, admin, ledger):
    client.force_login(admin)
    body = client.get(URL, {"since": "2000-01-01", "until": "2999-12-31"}).json()
    assert body["totals"]["EUR"] == EUR_30["net"] + 500 + 5000


@pytest.mark.parametrize(
    "params",
    [
        {"days": 0},
        {"days": 100000},
        {"days": "soon"},
        {"since": "2026-02-30"},
        {"since": "1999-12-31"},
        {"until": "3000-01-01"},
        {"since": "2026-03-02", "until": "2026-03-01"},
    ],
)
def test_it_refuses_a_period_it_cannot_answer(client, admin, params):
    client.force_login(admin)
    response = client.get(URL, params)
    assert response.status_code == 422
    assert response.json()["error"] in {"invalid", "error"}


# --- The schema -----------------------------------------------------------------------------


def test_the_operation_is_documented():
    operation = api.get_openapi_schema(path_prefix="/api/v1")["paths"][URL]["get"]
    assert "admins only" in operation["summary"]
    assert {"200", "401", "403", "422"} <= {str(code) for code in operation["responses"]}
    params = {p["name"] for p in operation["parameters"]}
    assert params == {"days", "since", "until"}


schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))


@pytest.fixture
def keep_test_connection():
    # As in tests/core/test_api_fuzz.py: the WSGI handler would close the test's connection.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(admin, ledger, keep_test_connection) -> str:
    return issue_token(user=admin)[1]


@schema.include(path=URL).parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_admins_get_answers_that_match_the_schema(case, admin_token):
    # Every check but "schema-valid input is accepted": `since` after `until` is a documented 422
    # that a schema cannot express.
    case.call_and_validate(
        app=application,
        headers={"Authorization": f"Bearer {admin_token}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            response_headers_conformance,
            negative_data_rejection,
        ],
    )
