"""Schemathesis fuzzes every operation of /api/schema/ with valid and invalid input (bounded, repeatable).

It fails on any 5xx, on a status code, content type or body the schema does not describe, and on invalid
input (negative mode) that is not rejected with a 4xx. Examples are derandomized so a run is repeatable;
the number per operation and mode is bounded to keep the suite fast.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from cms.api.openapi import openapi

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = 30

SCHEMA = schemathesis.openapi.from_dict(openapi())
SCHEMA.app = WSGIHandler()
OPERATIONS = {
    operation.label: operation for operation in (result.ok() for result in SCHEMA.get_all_operations())
}


@pytest.fixture
def keep_test_connection():
    """Serve WSGI requests inside the test's transaction, as Django's test client does.

    Django closes "old" connections when a request starts and finishes; inside a test transaction that
    would close the test's own connection (PostgreSQL).
    """
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_conforms_to_its_schema(label, mode):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=OPERATIONS[label].as_strategy(generation_mode=mode))
    def fuzz(case):
        case.call_and_validate(checks=CHECKS, headers={"Host": "127.0.0.1"})

    fuzz()


def test_every_endpoint_is_fuzzed():
    assert {
        "GET /api/v2/pages/",
        "GET /api/v2/pages/{id}/",
        "GET /api/v2/images/",
        "GET /api/v2/documents/",
        "GET /api/v2/navigation/",
        "GET /api/v2/media/",
        "GET /api/v2/media/{id}/",
        "GET /api/v2/search/",
    } <= set(OPERATIONS)
