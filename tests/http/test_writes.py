"""Writing facts over HTTP: created, no-op, corrected, retracted, read back."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.builders import authority_body, count_body, source_body
from tests.http.conftest import TOKEN


def _register(client: TestClient) -> None:
    ledger = client.app.state.runtime.ledger  # type: ignore[attr-defined]
    ledger.register_authority(authority_body())
    ledger.register_source(source_body())


def test_posting_a_fact_records_it_and_points_to_it(empty_client: TestClient) -> None:
    _register(empty_client)
    response = empty_client.post("/facts", json=count_body(), headers=TOKEN)
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == f"/facts/{body['fact_id']}"
    assert int(response.headers["carefacts-position"]) == body["position"]
    assert body["links"]["self"] == response.headers["location"]
    read = empty_client.get(
        response.headers["location"], params={"min_position": body["position"]}
    )
    assert read.json()["fact"]["summary"] == "540 children in care"


def test_posting_the_same_fact_twice_answers_200_with_the_existing_fact(
    empty_client: TestClient,
) -> None:
    _register(empty_client)
    first = empty_client.post("/facts", json=count_body(), headers=TOKEN).json()
    again = empty_client.post("/facts", json=count_body(), headers=TOKEN)
    assert again.status_code == 200
    assert again.json()["fact_id"] == first["fact_id"]
    assert again.json()["created"] is False
    assert again.json()["fact"]["fields"]["value"] == 540


def test_a_write_is_readable_at_once_with_its_position(
    empty_client: TestClient,
) -> None:
    _register(empty_client)
    position = empty_client.post("/facts", json=count_body(), headers=TOKEN).json()[
        "position"
    ]
    state = empty_client.get(
        "/authorities/E06000009", params={"min_position": position}
    ).json()["state"]
    assert state["counts"]["children_in_care"]["fields"]["value"] == 540


def test_a_correction_and_a_retraction_over_http(empty_client: TestClient) -> None:
    _register(empty_client)
    fact_id = empty_client.post("/facts", json=count_body(), headers=TOKEN).json()[
        "fact_id"
    ]
    corrected = empty_client.post(
        f"/facts/{fact_id}/corrections",
        json={"value": 541, "reason": "typing error"},
        headers=TOKEN,
    )
    assert corrected.status_code == 201
    after = empty_client.get(
        f"/facts/{fact_id}", params={"min_position": corrected.json()["position"]}
    )
    assert after.json()["fact"]["fields"]["value"] == 541
    same = empty_client.post(
        f"/facts/{fact_id}/corrections",
        json={"value": 541, "reason": "typing error"},
        headers=TOKEN,
    )
    assert same.status_code == 200
    retracted = empty_client.post(
        f"/facts/{fact_id}/retraction", json={"reason": "withdrawn"}, headers=TOKEN
    )
    assert retracted.status_code == 201
    versions = empty_client.get(
        f"/facts/{fact_id}", params={"min_position": retracted.json()["position"]}
    ).json()["versions"]
    assert [(v["version"], v["status"]) for v in versions] == [
        (1, "corrected"),
        (2, "retracted"),
        (3, "retracted"),
    ]
