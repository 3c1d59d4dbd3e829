"""Schemathesis against the served OpenAPI schema (issue #19): generated requests of every
operation, with a read-write key of a seeded service, must never get a server error nor an
answer that the schema does not describe. Bounded: a fixed number of examples per operation,
no database between examples reset (what one POST stored, the next may meet)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from feedback.wsgi import application

from .conftest import make_key

pytestmark = pytest.mark.django_db

EXAMPLES = 30
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def connection_kept():
    """The WSGI app closes the database connection after each request, which would end the
    test's transaction; Django's own test client keeps it open the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded_key(connection_kept, service, rated_episode, foreign_episode, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"api_key": "100000/min"}
    }
    return make_key(service)


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    return [result.ok() for result in schema.get_all_operations()]


def test_the_api_keeps_to_its_schema(seeded_key):
    """Each operation in turn (schemathesis' pytest plugin does not run on this pytest)."""
    headers = {"Authorization": f"Bearer {seeded_key}"}
    tried, statuses = [], set()
    for operation in operations():

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def keeps_to_the_schema(case):
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses.add(response.status_code)

        keeps_to_the_schema()
        tried.append(operation.label)
    assert len(tried) >= 12, tried
    assert {200, 400, 404} <= statuses, "the key worked, and bad input was refused"
