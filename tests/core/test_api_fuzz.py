"""Property-based requests against every API operation: bad input gets a 4xx, never a 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from masthead.accounts.services import issue_token
from masthead.core.api import api
from masthead.wsgi import application

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = application


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
def token(make_article, reader, keep_test_connection):
    make_article()
    return issue_token(user=reader)[1]


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_answers_bad_input_with_a_server_error(case, token, settings_rate_unlimited):
    case.call_and_validate(
        app=application,
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error],
    )


@pytest.fixture
def settings_rate_unlimited(settings):
    limits = {name: "100000/m" for name in settings.MASTHEAD["RATE_LIMITS"]}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}
