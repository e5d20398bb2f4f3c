"""Proposals from outside: a curator posts an article, accepts two of the facts the
extractor read in it and rejects one; only the accepted facts become public, with
their evidence span and writer, and the article itself never does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from starlette.testclient import TestClient

from service.asgi import create_app
from service.settings import Settings
from tests.builders import authority_body
from tests.http.conftest import sync

ALICE = {"Authorization": "Bearer alices-token"}
BOB = {"Authorization": "Bearer bobs-token"}

# Written for these tests: four reported facts, and a sentence that reports none.
FILLER = "Along the promenade the trams ran late because of a gusty sea breeze."
ARTICLE = (
    "Blackpool Council said on Monday that 612 children are now in its care, "
    "down from 655 the previous spring.\n\n"
    "The council has appointed Morgan Testperson as its new director of children's "
    "services.\n\n"
    f"{FILLER}\n\n"
    "The authority also received a grant of £2.4 million from the Department for "
    "Education to support foster carers.\n"
)
SOURCE = {
    "id": "test-gazette-2024-06-children-care",
    "kind": "news",
    "title": "Fewer children in the council's care",
    "publisher": "Test Gazette",
    "url": "https://news.example/fewer-children-in-care",
    "published": "2024-06-12",
}


@pytest.fixture
def curators(settings: Settings) -> Iterator[TestClient]:
    """Alice and Bob may write; Blackpool is registered."""
    tokens = ("alice:alices-token", "bob:bobs-token")
    with TestClient(create_app(replace(settings, write_tokens=tokens))) as client:
        client.app.state.runtime.ledger.register_authority(authority_body())  # type: ignore[attr-defined]
        sync(client)
        yield client


def _propose(client: TestClient, **body: Any) -> dict[str, Any]:
    payload = {"text": ARTICLE, "source": {"id": SOURCE["id"]}, **body}
    response = client.post("/proposals", json=payload, headers=ALICE)
    assert response.status_code == 201, response.text
    proposal: dict[str, Any] = response.json()
    return proposal


def _candidate(proposal: dict[str, Any], kind: str, **fields: Any) -> dict[str, Any]:
    candidate: dict[str, Any]
    for candidate in proposal["candidates"]:
        if candidate["kind"] == kind and fields.items() <= candidate["fields"].items():
            return candidate
    raise AssertionError(f"no {kind} {fields} in {proposal['candidates']}")


def _public(client: TestClient, position: int) -> dict[str, str]:
    """Everything a reader can see, as text, once the views reach ``position``."""
    client.get("/authorities", params={"min_position": position})
    paths = [
        "/events",
        "/feed",
        "/feed.json",
        "/authorities/E06000009/feed",
        "/authorities/E06000009",
        "/authorities/E06000009/facts",
        "/facts",
        "/changes?after=0",
        f"/sources/{SOURCE['id']}",
        "/sources",
        "/search?q=promenade",
        "/search?q=Testperson",
    ]
    return {path: client.get(path).text for path in paths}


def test_two_accepted_candidates_are_public_and_the_rejected_one_and_article_are_not(
    curators: TestClient,
) -> None:
    client = curators
    registered = client.post("/sources", json=SOURCE, headers=ALICE)
    assert registered.status_code == 201
    before = client.get("/healthz").json()["log_position"]

    refused = client.post(
        "/proposals", json={"text": ARTICLE, "source": {"id": SOURCE["id"]}}
    )
    assert refused.status_code == 401
    proposal = _propose(client)
    assert proposal["authority"] == "E06000009"
    assert client.get("/healthz").json()["log_position"] == before  # nothing logged
    for candidate in proposal["candidates"]:
        assert candidate["status"] == "proposed"
        assert set(candidate) >= {
            "n", "kind", "fields", "effective", "approximate", "evidence",
            "confidence", "status",
        }  # fmt: skip
        span = candidate["evidence"]
        assert ARTICLE[span["start"] : span["end"]] == span["text"]

    count = _candidate(proposal, "count_reported", value=612)
    earlier = _candidate(proposal, "count_reported", value=655)
    appointed = _candidate(proposal, "office_holder_appointed")
    base = f"/proposals/{proposal['id']}/candidates"

    assert client.post(f"{base}/{count['n']}/accept", json={}).status_code == 401
    accepted = client.post(f"{base}/{count['n']}/accept", json={}, headers=ALICE)
    assert accepted.status_code == 201, accepted.text
    assert set(accepted.json()) >= {"fact_id", "position"}
    edited = client.post(
        f"{base}/{appointed['n']}/accept",
        json={"effective": "2024-06", "fields": {**appointed["fields"]}},
        headers=BOB,
    )
    assert edited.status_code == 201, edited.text
    rejected = client.post(
        f"{base}/{earlier['n']}/reject",
        json={"reason": "last year's figure, already recorded from another source"},
        headers=ALICE,
    )
    assert rejected.status_code == 200
    assert rejected.json()["candidate"]["status"] == "rejected"

    for n, verb in [
        (count["n"], "accept"), (count["n"], "reject"), (earlier["n"], "accept"),
    ]:  # fmt: skip
        again = client.post(
            f"{base}/{n}/{verb}", json={"reason": "again"} if verb == "reject" else {},
            headers=BOB,
        )  # fmt: skip
        assert again.status_code == 409, again.text
        assert again.headers["content-type"] == "application/problem+json"

    position = edited.json()["position"]
    state = client.get(
        "/authorities/E06000009", params={"min_position": position}
    ).json()["state"]
    in_care = state["counts"]["children_in_care"]
    assert in_care["fields"]["value"] == 612
    assert in_care["recorded_by"] == "alice"
    assert in_care["proposal_id"] == proposal["id"]
    assert in_care["evidence"] == count["evidence"]
    director = client.get(f"/facts/{edited.json()['fact_id']}").json()["fact"]
    assert director["recorded_by"] == "bob"
    assert director["effective"]["date"] == "2024-06"
    assert director["evidence"] == appointed["evidence"]

    found = client.get("/search", params={"q": "Testperson"}).json()["results"]
    assert [r["fact"]["recorded_by"] for r in found] == ["bob"]
    assert found[0]["fact"]["evidence"]["text"] == appointed["evidence"]["text"]

    feed = client.get("/feed.json").json()["items"]
    reports = [i for i in feed if i["_carefacts"]["event"]["event"] == "CountReported"]
    assert [r["_carefacts"]["event"]["fact"]["recorded_by"] for r in reports] == [
        "alice"
    ]
    assert "Recorded by: alice" in reports[0]["content_text"]
    assert count["evidence"]["text"] in reports[0]["content_text"]
    atom = client.get("/feed").text
    assert "Recorded by" in atom and "bob" in atom

    page = client.get(f"/facts/{accepted.json()['fact_id']}", params={"format": "html"})
    assert '<td id="recorded-by">alice</td>' in page.text
    assert proposal["id"] in page.text

    public = _public(client, position)
    for path, text in public.items():
        assert FILLER not in text, path
        assert "gusty sea breeze" not in text, path
    assert client.get("/search", params={"q": "promenade"}).json()["results"] == []
    facts = client.get("/facts").json()["facts"]
    assert sorted(f["recorded_by"] for f in facts) == ["alice", "bob"]
    # The rejected figure is only in the accepted fact's evidence span (both
    # figures are in one sentence): no fact or event gives it as a value.
    assert all(f["fields"].get("value") != 655 for f in facts)
    events = client.get("/events").json()["events"]
    assert [e["data"].get("value") for e in events if e["type"] == "CountReported"] == [
        612
    ]


def test_a_proposal_is_read_back_only_with_a_token(curators: TestClient) -> None:
    client = curators
    client.post("/sources", json=SOURCE, headers=ALICE)
    proposal = _propose(client)
    assert client.get(f"/proposals/{proposal['id']}").status_code == 401
    assert client.get("/proposals").status_code == 401
    read = client.get(f"/proposals/{proposal['id']}", headers=BOB)
    assert read.status_code == 200
    assert read.headers["cache-control"] == "no-store"
    assert read.json()["text"] == ARTICLE
    assert read.json()["recorded_by"] == "alice"
    listed = client.get("/proposals", headers=BOB).json()
    assert [p["id"] for p in listed["proposals"]] == [proposal["id"]]
    assert listed["proposals"][0]["counts"]["proposed"] == len(proposal["candidates"])
    assert "text" not in listed["proposals"][0]
