"""Cursors: a page's ``next`` holds one; it works only on the listing and filters
that issued it, and a malformed, altered or foreign one is refused, clearly."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from starlette.testclient import TestClient

from service.http.paging import FACT_KEY, decode, encode
from service.http.problems import ProblemError
from tests.builders import BLACKPOOL

PROBLEM = "application/problem+json"
FACTS = f"/authorities/{BLACKPOOL}/facts"


def _position(client: TestClient) -> int:
    return int(client.get("/healthz").json()["log_position"])


def test_a_cursor_works_with_the_same_filters_spelt_another_way(
    client: TestClient,
) -> None:
    position = _position(client)
    first = client.get(FACTS, params={"known_at": position, "limit": 10}).json()
    cursor = first["next"].rsplit("cursor=", 1)[1]
    padded = client.get(
        FACTS, params={"known_at": f"000{position}", "cursor": cursor, "limit": 10}
    )
    assert padded.status_code == 200
    assert padded.json()["facts"] == client.get(first["next"]).json()["facts"]


@pytest.mark.parametrize("cursor", ["abc", "not a cursor!", "x" * 513, "=" * 20])
def test_a_cursor_of_the_wrong_shape_is_a_422_that_stores_nothing(
    client: TestClient, cursor: str
) -> None:
    before = _position(client)
    answer = client.get(FACTS, params={"cursor": cursor})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert "cursor must be the one in a page's 'next' link" in answer.json()["detail"]
    assert _position(client) == before


def _cursor(client: TestClient, path: str, **params: Any) -> str:
    next_url: str = client.get(path, params={"limit": 2, **params}).json()["next"]
    return next_url.rsplit("cursor=", 1)[1]


def _tampered(cursor: str) -> str:
    middle = len(cursor) // 2
    swapped = "B" if cursor[middle] == "A" else "A"
    return cursor[:middle] + swapped + cursor[middle + 1 :]


@pytest.mark.parametrize(
    ("path", "params", "why"),
    [
        (FACTS, {}, "altered"),
        ("/sources/ofsted-la-outcomes-2025-03-31", {}, "another listing"),
        ("/authorities/E06000001/facts", {}, "another listing"),
        (FACTS, {"kind": "rating_given"}, "other filters"),
        (FACTS, {"known_at": 5}, "other filters"),
    ],
)
def test_a_tampered_or_foreign_cursor_is_a_404_that_stores_nothing(
    client: TestClient, path: str, params: dict[str, Any], why: str
) -> None:
    cursor = _cursor(client, FACTS)
    if why == "altered":
        cursor = _tampered(cursor)
    before = _position(client)
    answer = client.get(path, params={**params, "cursor": cursor})
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["detail"].startswith("no page has this cursor")
    assert problem["errors"][0]["field"] == "cursor"
    assert _position(client) == before


def test_a_cursor_of_one_kind_of_listing_is_refused_by_another(
    client: TestClient,
) -> None:
    answer = client.get("/sources", params={"cursor": _cursor(client, "/events")})
    assert answer.status_code == 404
    assert "another listing" in answer.json()["detail"]


def test_the_events_take_after_or_a_cursor_but_not_both(client: TestClient) -> None:
    before = _position(client)
    first = client.get("/events", params={"after": 10, "limit": 5}).json()
    assert first["next"] == "/events?limit=5&cursor=" + first["next"].split("=")[-1]
    following = client.get(first["next"]).json()
    assert [e["position"] for e in following["events"]] == [16, 17, 18, 19, 20]
    assert following["after"] == 15 and following["next_after"] == 20
    both = client.get(first["next"] + "&after=3")
    assert both.status_code == 400
    assert both.headers["content-type"] == PROBLEM
    assert "after or cursor, not both" in both.json()["detail"]
    assert _position(client) == before


CONTEXT = b"/authorities/E06000009/facts\n[]"


def test_a_cursor_gives_back_the_sort_key_it_was_made_from() -> None:
    key = ("2019-03-31", 1234)
    assert decode(encode(CONTEXT, key), CONTEXT, FACT_KEY) == key


@pytest.mark.parametrize(
    "key",
    [
        ("2019-03-31",),
        ("2019-03-31", "1234"),
        ("2019-03-31", True),
        ("2019-03-31", -1),
        ("2019-03-31", 2**63),
        ("x" * 301, 1),
        (None, 1),
    ],
)
def test_a_cursor_forged_with_a_key_of_the_wrong_shape_is_refused(
    key: tuple[Any, ...],
) -> None:
    with pytest.raises(ProblemError) as raised:
        decode(encode(CONTEXT, key), CONTEXT, FACT_KEY)
    assert raised.value.status == 404
    assert "sort key" in raised.value.detail


def test_a_cursor_spelt_another_way_in_base64_is_refused() -> None:
    cursor = encode(CONTEXT, ("2019-03-31", 1234))
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    # The last character carries spare bits when the length is not a multiple of 4.
    variants = [cursor[:-1] + c for c in last if c != cursor[-1]]
    decodable = [v for v in variants if _same_bytes(v, cursor)]
    assert decodable
    for variant in decodable:
        with pytest.raises(ProblemError) as raised:
            decode(variant, CONTEXT, FACT_KEY)
        assert raised.value.status == 404


def _same_bytes(a: str, b: str) -> bool:
    def raw(text: str) -> bytes:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    return raw(a) == raw(b)
