"""The real server, over HTTP: every path, the writes and the errors."""

from __future__ import annotations

import httpx
import pytest

from tests.builders import count_body
from tests.e2e.conftest import TOKEN

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PROBLEM = "application/problem+json"


def _position(base: str) -> int:
    return int(httpx.get(base + "/healthz").json()["log_position"])


def test_every_read_path_answers_json(server: str) -> None:
    authorities = httpx.get(server + "/authorities").json()["authorities"]
    assert any(a["code"] == "E06000009" for a in authorities)
    state = httpx.get(server + "/authorities/E06000009").json()
    assert state["state"]["counts"]["children_in_care"]["fields"]["value"] == 531
    facts = httpx.get(server + "/authorities/E06000009/facts").json()["facts"]
    timeline = httpx.get(server + "/authorities/E06000009/timeline/children_in_care")
    assert timeline.status_code == 200
    fact = httpx.get(server + f"/facts/{facts[0]['fact_id']}").json()
    assert fact["fact"]["fact_id"] == facts[0]["fact_id"]
    sources = httpx.get(server + "/sources").json()["sources"]
    source = httpx.get(server + f"/sources/{sources[0]['id']}").json()
    assert source["source"]["id"] == sources[0]["id"]
    events = httpx.get(server + "/events", params={"after": 0, "limit": 3}).json()
    assert len(events["events"]) == 3
    assert httpx.get(server + "/healthz").json()["status"] == "ok"
    document = httpx.get(server + "/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert "/authorities/{code}/timeline/{measure}" in document["paths"]


def test_head_answers_without_a_body(server: str) -> None:
    response = httpx.head(server + "/authorities/E06000009")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["etag"]


def test_conditional_get_is_not_modified(server: str) -> None:
    etag = httpx.get(server + "/authorities").headers["etag"]
    again = httpx.get(server + "/authorities", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_writes_over_http_and_reading_them_back(server: str) -> None:
    body = count_body(
        source="gazette-2023-07-care-reduction", effective="2023-09", value=537
    )
    created = httpx.post(server + "/facts", json=body, headers=AUTH)
    assert created.status_code == 201
    location = created.headers["location"]
    position = created.json()["position"]
    read = httpx.get(server + location, params={"min_position": position}).json()
    assert read["fact"]["fields"]["value"] == 537
    assert httpx.post(server + "/facts", json=body, headers=AUTH).status_code == 200
    fact_id = created.json()["fact_id"]
    corrected = httpx.post(
        server + f"/facts/{fact_id}/corrections",
        json={"value": 536, "reason": "council figure revised"},
        headers=AUTH,
    )
    assert corrected.status_code == 201
    retracted = httpx.post(
        server + f"/facts/{fact_id}/retraction",
        json={"reason": "test fact"},
        headers=AUTH,
    )
    assert retracted.status_code == 201
    versions = httpx.get(
        server + location, params={"min_position": retracted.json()["position"]}
    ).json()["versions"]
    assert [v["status"] for v in versions] == ["corrected", "retracted", "retracted"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("POST", "/facts", {"json": count_body()}, 401),
        (
            "POST",
            "/facts",
            {"content": b"{", "headers": {**AUTH, "content-type": "application/json"}},
            400,
        ),
        (
            "POST",
            "/facts",
            {"content": b"x", "headers": {**AUTH, "content-type": "text/plain"}},
            415,
        ),
        (
            "POST",
            "/facts",
            {
                "content": b" " * (1024 * 1024 + 1),
                "headers": {**AUTH, "content-type": "application/json"},
            },
            413,
        ),
        ("POST", "/facts", {"json": count_body(value=-5), "headers": AUTH}, 422),
        (
            "POST",
            "/facts",
            {
                "json": count_body(source="gazette-2023-07-care-reduction", value=1),
                "headers": AUTH,
            },
            409,
        ),
        ("GET", "/authorities/E99999999", {}, 404),
        ("GET", "/authorities/E06000009?as_of=2019-02-30", {}, 422),
        ("GET", "/authorities/E06000009?nonsense=1", {}, 400),
        ("PUT", "/authorities", {}, 405),
    ],
)
def test_errors_over_http_are_problems_and_record_nothing(
    server: str, method: str, path: str, kwargs: dict[str, object], status: int
) -> None:
    before = _position(server)
    response = httpx.request(method, server + path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"]
    assert _position(server) == before
