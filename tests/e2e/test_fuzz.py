"""Property-based fuzzing of the API from its own OpenAPI description, with
schemathesis's every check: no 5xx, only documented statuses, media types,
headers and bodies, schema-valid requests accepted and schema-invalid ones
refused, resources available after they are created, writes refused without
the token.

The run is schemathesis's own command line, as a user would run it, over every
operation and every phase (examples, coverage, fuzzing, stateful), against its
own server so that its writes touch no other test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.http.feed import MAX_WAIT_SECONDS
from tests.e2e.conftest import TOKEN, running_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = int(os.environ.get("CAREFACTS_FUZZ_SEED", "1"))


@pytest.fixture(scope="module")
def fuzzed_server(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with running_server(seeded_template, tmp_path_factory.mktemp("fuzzed")) as port:
        yield f"http://127.0.0.1:{port}"


def test_every_operation_is_described(fuzzed_server: str) -> None:
    paths = httpx.get(fuzzed_server + "/openapi.json").json()["paths"]
    described = {f"{m.upper()} {p}" for p, methods in paths.items() for m in methods}
    assert {
        "GET /authorities",
        "POST /facts",
        "GET /events",
        "GET /healthz",
    } <= described


def test_schemathesis_with_every_check_finds_nothing(
    fuzzed_server: str, tmp_path: Path
) -> None:
    st = Path(sys.executable).with_name("st")
    # A long poll may hold a request up to its documented maximum: allow for it.
    patient = MAX_WAIT_SECONDS + 10
    command = [
        str(st),
        "--config-file",
        str(CONFIG),
        "run",
        "--checks",
        "all",
        "--max-examples",
        "30",
        "--seed",
        str(SEED),
        "--request-timeout",
        str(patient),
        "--max-response-time",
        str(patient),
        "--header",
        f"Authorization: Bearer {TOKEN}",
        "--no-color",
        fuzzed_server + "/openapi.json",
    ]
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=1200
    )
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-2000:]
