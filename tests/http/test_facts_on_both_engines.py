"""``GET /facts`` reads the same rows from SQLite and from PostgreSQL: the same
ledger recorded in each, the same queries asked of both, the same answers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import partial
from typing import Any
from uuid import UUID

import pytest
from starlette.testclient import TestClient

from service.asgi import create_app
from service.settings import Settings
from tests.builders import (
    BLACKPOOL,
    authority_body,
    count_body,
    grant_body,
    rating_body,
    source_body,
    statistics_source_body,
)
from tests.http.conftest import sync

LANCASHIRE = "E10000017"
HAMPSHIRE = "E10000014"
# Where the ledger stood after the first reports (before the later ones, the
# correction and the retraction): known_at asks what was known then.
EARLY = "early"


def _record(client: TestClient) -> dict[str, int]:
    """The same small ledger in any store: three authorities in two regions, a
    news source dated to a month and an official one to a day, counts over
    several years, a target, a grant, a rating, a correction and a retraction."""
    ledger = client.app.state.runtime.ledger  # type: ignore[attr-defined]
    ledger.register_authority(authority_body())
    ledger.register_authority(
        authority_body(
            code=LANCASHIRE, name="Lancashire", dfe_number="888", ofsted_urn="80519"
        )
    )
    ledger.register_authority(
        authority_body(
            code=HAMPSHIRE,
            name="Hampshire",
            dfe_number="850",
            ofsted_urn="80476",
            region="South East",
        )
    )
    ledger.register_source(source_body())
    ledger.register_source(statistics_source_body())
    for code, base in ((BLACKPOOL, 500), (LANCASHIRE, 2000), (HAMPSHIRE, 1500)):
        for year in (2021, 2022, 2023):
            ledger.record_fact(
                count_body(
                    authority=code,
                    source="test-ofsted-outcomes",
                    effective=f"{year}-03-31",
                    value=base + year - 2021,
                    rate_per_10000="91.5",
                )
            )
    ledger.record_fact(count_body(effective="2023-03-31", value=588))
    early = int(ledger.last_position())
    ledger.record_fact(count_body(kind="target_set", effective="2025", value=450))
    ledger.record_fact(grant_body(authority=LANCASHIRE))
    ledger.record_fact(rating_body(source="test-ofsted-outcomes"))
    corrected = ledger.record_fact(count_body(effective="2024-03-31", value=530)).id
    ledger.correct_fact(UUID(corrected), {"value": 531}, "a typing error", None)
    retracted = ledger.record_fact(count_body(effective="2024-06", value=9)).id
    ledger.retract_fact(UUID(retracted), "the figure was not the council's")
    sync(client)
    return {EARLY: early}


@pytest.fixture
def engines(
    sqlite_settings: Settings, pg_settings: Settings
) -> Iterator[tuple[TestClient, TestClient, dict[str, int]]]:
    with (
        TestClient(create_app(sqlite_settings)) as sqlite,
        TestClient(create_app(pg_settings)) as postgres,
    ):
        marks = _record(sqlite)
        assert _record(postgres) == marks  # the same positions in both logs
        yield sqlite, postgres, marks


def _queries(marks: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {},
        {"measure": "children_in_care"},
        {"authority": [BLACKPOOL, HAMPSHIRE]},
        {"region": "North West", "kind": "count_reported"},
        {"source": "test-gazette-2023-07"},
        {"effective_from": "2022", "effective_to": "2023-03"},
        {"effective_from": "2023-03-31", "effective_to": "2023-03-31"},
        {"as_of": "2022-12-31"},
        {"known_at": marks[EARLY]},
        {"known_at": marks[EARLY], "include": "history"},
        {"published_by": "2023-07-15"},  # before the month-dated article ends
        {"published_by": "2023-07-31"},
        {"current": "true"},
        {"current": "true", "measure": "children_in_care", "as_of": "2022-06"},
        {"include": "history"},
        {"include": "history", "authority": BLACKPOOL, "kind": "count_reported"},
    ]


def _same(body: Any) -> Any:
    """An answer without what differs between two recordings: the wall clock."""
    if isinstance(body, dict):
        return {k: _same(v) for k, v in body.items() if k != "at"}
    if isinstance(body, list):
        return [_same(v) for v in body]
    return body


def _pages(client: TestClient, params: dict[str, Any]) -> list[Any]:
    answer = client.get("/facts", params={**params, "limit": 3})
    pages = []
    while True:
        assert answer.status_code == 200, answer.text
        pages.append(_same(answer.json()))
        following = answer.json()["next"]
        if following is None:
            return pages
        assert answer.headers["link"] == f'<{following}>; rel="next"'
        answer = client.get(following)


def _csv_rows(client: TestClient, params: dict[str, Any]) -> list[dict[str, str]]:
    answer = client.get("/facts", params={**params, "format": "csv"})
    assert answer.status_code == 200, answer.text
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    return [{k: v for k, v in row.items() if k != "recorded_at"} for row in rows]


def test_every_facts_query_answers_the_same_on_sqlite_and_postgresql(
    engines: tuple[TestClient, TestClient, dict[str, int]],
) -> None:
    sqlite, postgres, marks = engines
    for params in _queries(marks):
        pages = _pages(sqlite, params)
        assert _pages(postgres, params) == pages, params
        rows = _csv_rows(sqlite, params)
        assert _csv_rows(postgres, params) == rows, params
        ids = [f["fact_id"] for page in pages for f in page["facts"]]
        assert [row["fact_id"] for row in rows] == ids, params


def _facts(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    body = client.get("/facts", params={**params, "limit": 1000}).json()
    found: list[dict[str, Any]] = body["facts"]
    return found


def test_the_facts_filters_pick_what_they_say_on_both_engines(
    engines: tuple[TestClient, TestClient, dict[str, int]],
) -> None:
    for client in engines[:2]:
        facts = partial(_facts, client)
        care = facts(measure="children_in_care", kind="count_reported")
        assert len(care) == 3 * 3 + 2  # the official counts, two reported
        march = facts(effective_from="2023-03-31", effective_to="2023-03-31")
        assert sorted(f["fields"]["value"] for f in march) == [502, 588, 1502, 2002]
        north_west = facts(region="North West")
        assert {f["authority"] for f in north_west} == {BLACKPOOL, LANCASHIRE}
        current = facts(current="true", measure="children_in_care")
        by_kind = {(f["authority"], f["kind"]): f for f in current}
        assert len(by_kind) == len(current) == 4  # a count each, Blackpool's target
        assert by_kind[(BLACKPOOL, "count_reported")]["fields"]["value"] == 531
        history = facts(
            include="history",
            authority=BLACKPOOL,
            kind="count_reported",
            effective_from="2024",
        )
        assert sorted((f["version"], f["status"]) for f in history) == [
            (1, "corrected"),
            (1, "retracted"),
            (2, "current"),
            (2, "retracted"),
        ]
        # A source dated to a month counts from its end, as everywhere else.
        assert not facts(source="test-gazette-2023-07", published_by="2023-07-15")
        assert facts(source="test-gazette-2023-07", published_by="2023-07-31")
        early = facts(known_at=engines[2][EARLY])
        assert {f["kind"] for f in early} == {"count_reported"}
