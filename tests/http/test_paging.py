"""Paging, the same on every listing: ``limit`` and ``cursor`` in, ``next`` and a
``Link`` header out; following ``next`` gives every row once, in order. (What a
cursor holds, and the refusals of bad ones: test_cursors.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.testclient import TestClient

from projections import registry, state
from projections.db import Cursor
from projections.facts import dashed, visible_facts
from service.runtime import Runtime
from tests.builders import BLACKPOOL, SOURCE, authority_body, count_body, source_body

PROBLEM = "application/problem+json"
FACTS = f"/authorities/{BLACKPOOL}/facts"


def _runtime(client: TestClient) -> Runtime:
    rt: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return rt


def _position(client: TestClient) -> int:
    return int(client.get("/healthz").json()["log_position"])


def walk(
    client: TestClient, path: str, params: dict[str, Any], items: str
) -> tuple[list[dict[str, Any]], int]:
    """Every item of a listing, following ``next`` from the first page; checks
    each page's size, count and Link header on the way."""
    url: str | None = f"{path}?{urlencode(params)}"
    seen: list[dict[str, Any]] = []
    pages = 0
    while url is not None:
        answer = client.get(url)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert len(body[items]) <= params.get("limit", 100)
        if "count" in body:
            assert body["count"] == len(body[items])
        next_url = body["next"]
        expected_link = f'<{next_url}>; rel="next"' if next_url else None
        assert answer.headers.get("link") == expected_link
        assert next_url is None or "min_position" not in next_url
        seen += body[items]
        pages += 1
        url = next_url
    return seen, pages


def _fact_ids(rows: list[Any]) -> list[tuple[str, int]]:
    return [(dashed(r.fact_id), r.version) for r in rows]


def _fact_docs(docs: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(d["fact_id"], d["version"]) for d in docs]


# (path, query, the body's list, what identifies an item, the same list unpaged)
LISTINGS: list[
    tuple[
        str,
        dict[str, Any],
        str,
        Callable[[list[dict[str, Any]]], list[Any]],
        Callable[[Cursor, Runtime], list[Any]],
    ]
] = [
    (
        FACTS,
        {"limit": 7},
        "facts",
        _fact_docs,
        lambda cur, rt: _fact_ids(visible_facts(cur, BLACKPOOL)),
    ),
    (
        FACTS,
        {"limit": 3, "kind": "count_reported", "include": "history"},
        "facts",
        _fact_docs,
        lambda cur, rt: _fact_ids(
            visible_facts(cur, BLACKPOOL, kind="count_reported", history=True)
        ),
    ),
    (
        "/sources/ofsted-la-outcomes-2025-03-31",
        {"limit": 50},
        "facts",
        _fact_docs,
        lambda cur, rt: _fact_ids(
            visible_facts(cur, source="ofsted-la-outcomes-2025-03-31")
        ),
    ),
    (
        f"/authorities/{BLACKPOOL}/timeline/children_in_care",
        {"limit": 4},
        "points",
        lambda docs: [(d["fact_id"], d["current"]) for d in docs],
        lambda cur, rt: [
            (d["fact_id"], d["current"])
            for d in state.timeline(
                cur, rt.ledger, BLACKPOOL, "children_in_care", not_kind=state.TARGET
            ).items
        ],
    ),
    (
        "/sources",
        {"limit": 4},
        "sources",
        lambda docs: [d["id"] for d in docs],
        lambda cur, rt: [s["id"] for s in registry.list_sources(cur).items],
    ),
    (
        "/authorities",
        {"limit": 7, "level": "all", "sort": "region"},
        "authorities",
        lambda docs: [d["code"] for d in docs],
        lambda cur, rt: [
            a["code"] for a in registry.authority_page(cur, None, sort="region").items
        ],
    ),
    (
        "/authorities",
        {"limit": 9, "q": "shire"},
        "authorities",
        lambda docs: [d["code"] for d in docs],
        lambda cur, rt: [
            a["code"] for a in registry.list_authorities(cur) if "shire" in a["name"]
        ],
    ),
    (
        "/events",
        {"limit": 9, "after": 3500},
        "events",
        lambda docs: [d["position"] for d in docs],
        lambda cur, rt: [e.position for e in rt.ledger.read(3500, 1_000_000)],
    ),
]


@pytest.mark.parametrize(
    ("path", "params", "items", "identify", "unpaged"),
    LISTINGS,
    ids=[f"{path} {params}" for path, params, *_ in LISTINGS],
)
def test_following_next_to_the_end_gives_every_row_once_in_order(
    client: TestClient,
    path: str,
    params: dict[str, Any],
    items: str,
    identify: Callable[[list[dict[str, Any]]], list[Any]],
    unpaged: Callable[[Cursor, Runtime], list[Any]],
) -> None:
    rt = _runtime(client)
    seen, pages = walk(client, path, params, items)
    with rt.core.views.read() as cur:
        expected = unpaged(cur, rt)
    assert pages > 2
    assert identify(seen) == expected
    assert len(set(map(str, expected))) == len(expected)


def test_the_first_page_holds_a_hundred_and_links_to_the_next(
    client: TestClient,
) -> None:
    answer = client.get(FACTS)
    body = answer.json()
    assert body["count"] == len(body["facts"]) == 100
    assert body["next"].startswith(FACTS + "?cursor=")
    assert answer.headers["link"] == f'<{body["next"]}>; rel="next"'
    rest = client.get(body["next"]).json()
    assert rest["next"] is None and rest["count"] == 15
    firsts = {f["fact_id"] for f in body["facts"]}
    assert not firsts & {f["fact_id"] for f in rest["facts"]}


def test_the_last_page_has_no_next_and_no_link(client: TestClient) -> None:
    answer = client.get(FACTS, params={"limit": 1000})
    assert answer.json()["next"] is None
    assert "link" not in answer.headers


def test_a_next_link_keeps_the_filters_and_the_limit(client: TestClient) -> None:
    body = client.get(
        FACTS, params={"kind": "count_reported", "limit": "0005", "min_position": 1}
    ).json()
    assert body["next"].startswith(f"{FACTS}?kind=count_reported&limit=5&cursor=")
    following = client.get(body["next"]).json()
    assert {f["kind"] for f in following["facts"]} == {"count_reported"}
    assert len(following["facts"]) == 5


@pytest.mark.parametrize("limit", ["0", "1001", "-1", "ten", "1.5", "9" * 30, ""])
def test_a_limit_outside_1_to_1000_is_a_422_that_stores_nothing(
    client: TestClient, limit: str
) -> None:
    before = _position(client)
    for path in (FACTS, "/sources", "/authorities", "/events"):
        answer = client.get(f"{path}?limit={limit}")
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == PROBLEM
        problem = answer.json()
        assert "limit must be a whole number from 1 to 1000" in problem["detail"]
        assert problem["errors"][0]["field"] == "limit"
    assert _position(client) == before


def _cursor(client: TestClient, path: str, **params: Any) -> str:
    next_url: str = client.get(path, params={"limit": 2, **params}).json()["next"]
    return next_url.rsplit("cursor=", 1)[1]


def test_the_html_list_still_shows_every_authority(client: TestClient) -> None:
    page = client.get("/authorities", headers={"Accept": "text/html"}).text
    json_list = client.get("/authorities", params={"limit": 1000}).json()
    codes = [a["code"] for a in json_list["authorities"] if a["status"] == "current"]
    assert len(codes) >= 153
    assert all(f"/authorities/{code}" in page for code in codes)


def test_pages_split_facts_of_one_date_without_losing_or_repeating_one(
    empty_client: TestClient,
) -> None:
    ledger = _runtime(empty_client).ledger
    ledger.register_authority(authority_body())
    ledger.register_source(source_body())
    recorded = [
        ledger.record_fact(count_body(measure=f"measure_{n:02}", value=n))
        for n in range(23)
    ]
    waited = empty_client.get(
        FACTS, params={"min_position": recorded[-1].position, "limit": 1}
    )
    assert waited.status_code == 200
    for path in (FACTS, f"/sources/{SOURCE}"):
        seen, pages = walk(empty_client, path, {"limit": 4}, "facts")
        assert pages == 6
        assert [f["fact_id"] for f in seen] == [r.id for r in recorded]


PAGED = [
    "/authorities",
    "/authorities/{code}/facts",
    "/authorities/{code}/timeline/{measure}",
    "/sources",
    "/sources/{source_id}",
    "/events",
]


def test_the_api_description_gives_each_listing_its_limit_cursor_next_and_link(
    client: TestClient,
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in PAGED:
        operation = paths[path]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"limit", "cursor"} <= names, path
        ok = operation["responses"]["200"]
        assert "Link" in ok["headers"], path
        schema = ok["content"]["application/json"]["schema"]
        assert "next" in schema["properties"] and "next" in schema["required"], path


def test_the_html_list_takes_the_paging_parameters_and_still_shows_everything(
    client: TestClient,
) -> None:
    whole = client.get("/authorities", headers={"Accept": "text/html"})
    cursor = _cursor(client, "/authorities")
    paged = client.get(
        "/authorities",
        params={"limit": 2, "cursor": cursor},
        headers={"Accept": "text/html"},
    )
    assert paged.status_code == 200
    assert paged.text == whole.text


@pytest.mark.parametrize(
    ("text", "found"), [("%", 0), ("_", 0), ("blackPOOL", 1), ("Black", 2)]
)
def test_the_authority_list_matches_names_by_the_text_itself_in_any_case(
    client: TestClient, text: str, found: int
) -> None:
    body = client.get("/authorities", params={"q": text}).json()
    assert body["count"] == found
