"""Schemathesis fuzzes every operation of the OpenAPI schema: no input may cause a 500.

Valid (positive) and invalid (negative) requests are generated from the schema, plus the
schema's own examples. Bounded: `MAX_EXAMPLES` per operation and mode, a few seconds in all.
The answers must also match the documented status codes, content types and schemas.

Hypothesis drives the operations directly (not `schema.parametrize()`, whose pytest
plugin does not support this pytest version).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from app.api.main import create_app
from app.config import Settings

MAX_EXAMPLES = 30
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]

# the operations, from the schema of an app that is never started
_SCHEMA = create_app(Settings(_env_file=None, feedback_url="sqlite://")).openapi()
OPERATIONS = [f"{method.upper()} {path}" for path, item in _SCHEMA["paths"].items()
              for method in item]
# invalid requests need something to break: only operations with a body get them
CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + [
    (label, GenerationMode.NEGATIVE) for label in OPERATIONS if label.startswith("POST")]


@pytest.fixture(scope="module")
def fuzz_schema(make_client):
    with make_client(max_chars=500, max_comments=20) as client:
        yield schemathesis.openapi.from_asgi("/openapi.json", client.app)


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{m.value}-{lab}" for lab, m in CASES])
def test_fuzz_no_server_errors(fuzz_schema, label, mode):
    operation = fuzz_schema.find_operation_by_label(label)
    strategy = operation.as_strategy(generation_mode=mode)
    if mode is GenerationMode.POSITIVE:
        examples = operation.get_strategies_from_examples()
        strategy = st.one_of(strategy, *examples) if examples else strategy

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        case.call_and_validate(checks=CHECKS)

    run()
