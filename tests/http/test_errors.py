"""Every error is a problem+json with a helpful message, and records nothing."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.builders import authority_body, count_body, grant_body, source_body
from tests.http.conftest import TOKEN

PROBLEM = "application/problem+json"


def _position(client: TestClient) -> int:
    return int(client.get("/healthz").json()["log_position"])


def _assert_problem(response: Any, status: int, words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert words in body["detail"], body["detail"]
    assert body["type"].endswith("/problems/" + body["type"].rsplit("/", 1)[1])
    return body


@pytest.fixture
def writer(empty_client: TestClient) -> TestClient:
    ledger = empty_client.app.state.runtime.ledger  # type: ignore[attr-defined]
    ledger.register_authority(authority_body())
    ledger.register_source(source_body())
    return empty_client


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        (
            {
                "content": b"{not json",
                "headers": {**TOKEN, "content-type": "application/json"},
            },
            400,
            "not valid JSON",
        ),
        ({"json": count_body()}, 401, "Bearer"),
        (
            {"json": count_body(), "headers": {"Authorization": "Bearer wrong"}},
            401,
            "valid write token",
        ),
        (
            {
                "content": b"value=1",
                "headers": {
                    **TOKEN,
                    "content-type": "application/x-www-form-urlencoded",
                },
            },
            415,
            "application/json",
        ),
        (
            {
                "content": b"[" + b"1," * 600_000 + b"1]",
                "headers": {**TOKEN, "content-type": "application/json"},
            },
            413,
            "1 MiB",
        ),
        ({"json": count_body(value=-1), "headers": TOKEN}, 422, "must not be negative"),
        (
            {"json": count_body(effective="2019-02-30"), "headers": TOKEN},
            422,
            "not a real date",
        ),
        (
            {"json": count_body(authority="E06000008"), "headers": TOKEN},
            422,
            "not registered",
        ),
        (
            {"json": count_body(source="nowhere"), "headers": TOKEN},
            422,
            "not registered",
        ),
        ({"json": [1, 2], "headers": TOKEN}, 422, "JSON object"),
        (
            {"json": count_body(summary="540 \u0000 children"), "headers": TOKEN},
            422,
            "control characters (U+0000 at character 5)",
        ),
        (
            {"json": {**count_body(), "amount": 1.5}, "headers": TOKEN},
            422,
            "not a field",
        ),
        (
            {"json": count_body(value=10_000_000_000), "headers": TOKEN},
            422,
            "out of range for unit children",
        ),
        (
            {"json": count_body(value=2**64 - 1), "headers": TOKEN},
            422,
            "out of range for unit children",
        ),
        (
            {"json": count_body(value=str(2**64), unit="count"), "headers": TOKEN},
            422,
            "below 10,000,000,000,000 for unit count",
        ),
        (
            {"json": count_body(value="1e400", unit="percent"), "headers": TOKEN},
            422,
            "written plainly",
        ),
        (
            {"json": count_body(value="1e300000", unit="value"), "headers": TOKEN},
            422,
            "written plainly",
        ),
        (
            {"json": count_body(value="9" * 5000), "headers": TOKEN},
            422,
            "(5000 characters)",
        ),
        (
            {"json": grant_body(amount="1e26"), "headers": TOKEN},
            422,
            "written as pounds",
        ),
        (
            {"json": count_body(unit={}, value=0.0), "headers": TOKEN},
            422,
            "unit {} is not one of",
        ),
        (
            {"json": count_body(summary="540 \u202echildren"), "headers": TOKEN},
            422,
            "U+202E at character 5",
        ),
        (
            {
                "content": b'{"kind": "fact_invented", "kind": "count_reported"}',
                "headers": {**TOKEN, "content-type": "application/json"},
            },
            400,
            "the key 'kind' appears twice",
        ),
        (
            {
                "content": b'{"value": ' + b"9" * 5000 + b"}",
                "headers": {**TOKEN, "content-type": "application/json"},
            },
            400,
            "written with 5000 characters",
        ),
        (
            {
                "content": b'{"value": 1e400}',
                "headers": {**TOKEN, "content-type": "application/json"},
            },
            400,
            "too large",
        ),
        (
            {
                "content": b'{"value": NaN}',
                "headers": {**TOKEN, "content-type": "application/json"},
            },
            400,
            "NaN is not a JSON number",
        ),
        (
            {
                "content": b"[" * 100_000 + b"]" * 100_000,
                "headers": {**TOKEN, "content-type": "application/json"},
            },
            400,
            "nested too deeply",
        ),
    ],
    ids=lambda v: v if isinstance(v, (int, str)) and len(str(v)) < 40 else None,
)
def test_a_bad_write_is_refused_clearly_and_records_nothing(
    writer: TestClient, kwargs: dict[str, Any], status: int, words: str
) -> None:
    before = _position(writer)
    _assert_problem(writer.post("/facts", **kwargs), status, words)
    assert _position(writer) == before


def test_an_invalid_value_names_each_field(writer: TestClient) -> None:
    response = writer.post(
        "/facts", json=count_body(value=-1, effective="2019-02-30"), headers=TOKEN
    )
    body = _assert_problem(response, 422, "not a real date")
    assert [e["field"] for e in body["errors"]] == ["effective", "value"]


def test_a_different_fact_under_an_existing_id_is_409(writer: TestClient) -> None:
    writer.post("/facts", json=count_body(), headers=TOKEN)
    before = _position(writer)
    _assert_problem(
        writer.post("/facts", json=count_body(value=541), headers=TOKEN),
        409,
        "correction",
    )
    assert _position(writer) == before


def test_correcting_an_unknown_fact_is_404_and_a_retracted_one_409(
    writer: TestClient,
) -> None:
    missing = "00000000-0000-0000-0000-000000000001"
    _assert_problem(
        writer.post(
            f"/facts/{missing}/corrections",
            json={"value": 1, "reason": "x"},
            headers=TOKEN,
        ),
        404,
        "no fact",
    )
    fact_id = writer.post("/facts", json=count_body(), headers=TOKEN).json()["fact_id"]
    writer.post(f"/facts/{fact_id}/retraction", json={"reason": "gone"}, headers=TOKEN)
    before = _position(writer)
    _assert_problem(
        writer.post(
            f"/facts/{fact_id}/corrections",
            json={"value": 1, "reason": "x"},
            headers=TOKEN,
        ),
        409,
        "retracted",
    )
    assert _position(writer) == before


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"value": 541, "reason": "recount", "source": 5}, "source must be"),
        ({"value": "1e400", "reason": "recount"}, "written plainly"),
        ({"value": 10_000_000_000, "reason": "recount"}, "out of range"),
    ],
)
def test_a_bad_correction_is_refused_clearly_and_records_nothing(
    writer: TestClient, body: dict[str, Any], words: str
) -> None:
    fact_id = writer.post("/facts", json=count_body(), headers=TOKEN).json()["fact_id"]
    before = _position(writer)
    _assert_problem(
        writer.post(f"/facts/{fact_id}/corrections", json=body, headers=TOKEN),
        422,
        words,
    )
    assert _position(writer) == before


def test_writes_are_refused_when_no_tokens_are_configured(seeded_settings: Any) -> None:
    from dataclasses import replace

    from service.asgi import create_app

    with TestClient(create_app(replace(seeded_settings, write_tokens=()))) as client:
        _assert_problem(client.post("/facts", json=count_body()), 401, "disabled")


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/authorities/E99999999", 404, "no authority"),
        ("/authorities/blackpool", 404, "GSS code"),
        ("/authorities/E06000009/timeline/no_such_measure", 404, "nothing is recorded"),
        ("/facts/not-a-uuid", 404, "UUID"),
        ("/sources/no-such-source", 404, "no source"),
        ("/no/such/path", 404, "no resource"),
        ("/authorities/E06000009?colour=blue", 400, "unknown query parameter"),
        ("/authorities/E06000009?as_of=2019-02-30", 422, "not a real date"),
        ("/authorities/E06000009?as_of=soon", 422, "not an ISO 8601 date"),
        ("/authorities/E06000009?known_at=-1", 422, "log position"),
        ("/authorities/E06000009/facts?kind=rumour", 422, "not one of"),
        ("/events?limit=0", 422, "limit"),
        ("/authorities/E06000009?min_position=999999999", 404, "beyond the end"),
        ("/authorities/E06000009?min_position=%C2%B2", 422, "log position"),  # '²'
        ("/events?after=%D9%A3", 422, "log position"),  # an Arabic-Indic three
        ("/feed/archive/%C2%B2", 404, "page number"),
        ("/authorities/E06000009?as_of=%D9%A2%D9%A0%D9%A1%D9%A9", 422, "ISO 8601"),
    ],
)
def test_a_bad_read_is_a_problem_not_a_crash(
    client: TestClient, path: str, status: int, words: str
) -> None:
    _assert_problem(client.get(path), status, words)


def test_an_unsupported_method_is_405_with_allow(client: TestClient) -> None:
    response = client.delete("/authorities")
    _assert_problem(response, 405, "not allowed")
    assert "GET" in response.headers["allow"]


def test_the_largest_accepted_count_still_renders_its_authority_page(
    writer: TestClient,
) -> None:
    body = count_body(value=20_000_000, effective="2024-03-31")
    position = writer.post("/facts", json=body, headers=TOKEN).json()["position"]
    response = writer.get(
        f"/authorities/E06000009?min_position={position}",
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 200, response.text
    assert ">20M</text>" in response.text
