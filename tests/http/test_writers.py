"""Named writers: each write over HTTP records who made it, and the fact shows it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from service.asgi import create_app
from service.settings import Settings, SettingsError, writers_of
from tests.builders import count_body
from tests.http.conftest import registered

ALICE = {"Authorization": "Bearer alices-token"}
BARE = {"Authorization": "Bearer a-bare-token"}


@pytest.fixture
def client(sqlite_settings: Settings) -> Iterator[TestClient]:
    tokens = ("alice:alices-token", "a-bare-token")
    with TestClient(create_app(replace(sqlite_settings, write_tokens=tokens))) as c:
        yield registered(c)


def test_a_named_token_records_its_writer_on_the_fact(client: TestClient) -> None:
    posted = client.post("/facts", json=count_body(), headers=ALICE).json()
    read = client.get(
        f"/facts/{posted['fact_id']}", params={"min_position": posted["position"]}
    ).json()
    assert read["fact"]["recorded_by"] == "alice"
    page = client.get(f"/facts/{posted['fact_id']}", params={"format": "html"})
    assert '<td id="recorded-by">alice</td>' in page.text


def test_a_token_without_a_name_keeps_working_and_writes_as_unnamed(
    client: TestClient,
) -> None:
    posted = client.post("/facts", json=count_body(), headers=BARE)
    assert posted.status_code == 201
    read = client.get(
        f"/facts/{posted.json()['fact_id']}",
        params={"min_position": posted.json()["position"]},
    )
    assert read.json()["fact"]["recorded_by"] == "unnamed"


def test_a_correction_names_its_own_writer(client: TestClient) -> None:
    fact_id = client.post("/facts", json=count_body(), headers=BARE).json()["fact_id"]
    corrected = client.post(
        f"/facts/{fact_id}/corrections",
        json={"value": 541, "reason": "a misread figure"},
        headers=ALICE,
    ).json()
    versions = client.get(
        f"/facts/{fact_id}", params={"min_position": corrected["position"]}
    ).json()["versions"]
    assert [v["recorded_by"] for v in versions] == ["unnamed", "alice"]
    events = client.get("/events").json()["events"]
    assert events[-1]["data"]["recorded_by"] == "alice"


def test_the_same_fact_from_another_writer_is_the_same_fact(
    client: TestClient,
) -> None:
    first = client.post("/facts", json=count_body(), headers=ALICE)
    again = client.post("/facts", json=count_body(), headers=BARE)
    assert again.status_code == 200
    assert again.json()["fact_id"] == first.json()["fact_id"]
    assert again.json()["fact"]["recorded_by"] == "alice"


def test_a_name_alone_is_no_token(client: TestClient) -> None:
    refused = client.post(
        "/facts", json=count_body(), headers={"Authorization": "Bearer alice"}
    )
    assert refused.status_code == 401
    assert client.get("/facts").json()["facts"] == []


def test_write_tokens_parse_into_names_and_tokens() -> None:
    assert writers_of(("alice:s3cret", " bob : other ", "bare")) == (
        ("alice", "s3cret"),
        ("bob", "other"),
        ("unnamed", "bare"),
    )


@pytest.mark.parametrize(
    "entries",
    [("bad name:token",), ("alice:",), ("alice:same", "bob:same"), (":token",)],
)
def test_malformed_write_tokens_are_refused_at_start(entries: tuple[str, ...]) -> None:
    with pytest.raises(SettingsError):
        writers_of(entries)
    with pytest.raises(SettingsError):
        Settings.from_env({"CAREFACTS_WRITE_TOKENS": ",".join(entries)}, dotenv=None)


def test_a_source_registered_over_http_names_its_writer(client: TestClient) -> None:
    body = {
        "kind": "news",
        "title": "A writer's test source",
        "publisher": "Test Gazette",
        "published": "2024-03",
    }
    registered = client.post("/sources", json=body, headers=ALICE)
    assert registered.status_code == 201
    events = client.get("/events").json()["events"]
    assert events[-1]["type"] == "SourceRegistered"
    assert events[-1]["data"]["recorded_by"] == "alice"
