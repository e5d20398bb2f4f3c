"""Property-based fuzzing of the API from its own OpenAPI description: no 5xx, and
every response conforms to the documented status codes, media types and schemas.

Schemathesis generates the cases (valid and invalid) for every operation; each
operation is its own test, so a failure names the path.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from tests.e2e.conftest import TOKEN

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# What the API promises: no server errors, and only documented statuses, media
# types, headers and bodies. (A schema-valid request may still be refused with a
# 422 when its value is impossible, such as 2019-02-30: that is not a failure.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
    checks.unsupported_method,
]


def _operations(server: str) -> dict[str, Any]:
    schema = schemathesis.openapi.from_url(server + "/openapi.json")
    found = {}
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]
        found[f"{operation.method.upper()} {operation.path}"] = operation
    return found


def _fuzz(operation: Any, mode: GenerationMode) -> Callable[[], None]:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if case.query:
            case.query.pop("wait", None)  # long polls are tested on their own
        case.call_and_validate(headers=AUTH, checks=CHECKS)

    return run


def test_every_operation_is_described(server: str) -> None:
    described = set(_operations(server))
    assert {
        "GET /authorities",
        "POST /facts",
        "GET /events",
        "GET /healthz",
    } <= described
    paths = httpx.get(server + "/openapi.json").json()["paths"]
    assert len(described) == sum(len(methods) for methods in paths.values())


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzzing_finds_no_5xx_and_no_undocumented_response(
    server: str, mode: GenerationMode
) -> None:
    for name, operation in _operations(server).items():
        try:
            _fuzz(operation, mode)()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # nothing to get wrong: no input
        except Exception as error:
            raise AssertionError(
                f"{name}: {error}\nserver log:\n{_log_tail()}"
            ) from error


def _log_tail() -> str:
    logs = sorted(
        Path(tempfile.gettempdir()).glob(
            "pytest-of-*/pytest-current/server*/server.log"
        )
    )
    return logs[-1].read_text()[-4000:] if logs else "(no server log found)"
