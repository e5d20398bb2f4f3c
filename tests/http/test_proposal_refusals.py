"""What proposals and decisions refuse: each with a clear problem, nothing stored,
the candidate left undecided; and the review page, which holds no article."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from service.asgi import create_app
from service.proposal_input import MAX_TEXT_BYTES
from service.proposals import STALE_CLAIM_SECONDS
from service.settings import Settings
from tests.builders import authority_body
from tests.http.conftest import log_position, sync
from tests.http.test_proposals import ALICE, ARTICLE, FILLER, SOURCE


@pytest.fixture
def client(sqlite_settings: Settings) -> Iterator[TestClient]:
    settings = replace(sqlite_settings, write_tokens=("alice:alices-token",))
    with TestClient(create_app(settings)) as test_client:
        test_client.app.state.runtime.ledger.register_authority(authority_body())  # type: ignore[attr-defined]
        sync(test_client)
        yield test_client


def _listed(client: TestClient) -> list[Any]:
    proposals: list[Any] = client.get("/proposals", headers=ALICE).json()["proposals"]
    return proposals


def _proposal(client: TestClient) -> dict[str, Any]:
    response = client.post(
        "/proposals", json={"text": ARTICLE, "source": SOURCE}, headers=ALICE
    )
    assert response.status_code == 201, response.text
    proposal: dict[str, Any] = response.json()
    return proposal


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source": {"id": SOURCE["id"]}}, "text"),
        ({"text": "  ", "source": SOURCE}, "text"),
        ({"text": "x" * (MAX_TEXT_BYTES + 1), "source": SOURCE}, "text"),
        ({"text": "é" * (MAX_TEXT_BYTES // 2 + 1), "source": SOURCE}, "text"),
        ({"text": "a\x00b", "source": SOURCE}, "text"),
        ({"text": ARTICLE}, "source"),
        ({"text": ARTICLE, "source": "the gazette"}, "source"),
        ({"text": ARTICLE, "source": {"id": "never-registered"}}, "source.id"),
        ({"text": ARTICLE, "source": {**SOURCE, "kind": "rumour"}}, "source.kind"),
        (
            {
                "text": ARTICLE,
                "source": {k: v for k, v in SOURCE.items() if k != "published"},
            },
            "source.published",
        ),
        ({"text": ARTICLE, "source": SOURCE, "authority": "E99999999"}, "authority"),
        ({"text": ARTICLE, "source": SOURCE, "note": "hello"}, "note"),
    ],
)
def test_a_bad_proposal_is_a_422_naming_its_field_and_stores_nothing(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    before = log_position(client)
    response = client.post("/proposals", json=body, headers=ALICE)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert _listed(client) == []
    assert log_position(client) == before


def test_a_proposal_over_the_body_limit_is_a_413(client: TestClient) -> None:
    body = {"text": "x" * (1024 * 1024 + 1), "source": SOURCE}
    response = client.post("/proposals", json=body, headers=ALICE)
    assert response.status_code == 413
    assert _listed(client) == []


def test_a_proposal_without_a_token_is_refused(client: TestClient) -> None:
    response = client.post("/proposals", json={"text": ARTICLE, "source": SOURCE})
    assert response.status_code == 401
    assert _listed(client) == []


def test_the_source_is_registered_by_the_first_acceptance_and_names_its_writer(
    client: TestClient,
) -> None:
    proposal = _proposal(client)
    assert client.get(f"/sources/{SOURCE['id']}").status_code == 404
    n = proposal["candidates"][0]["n"]
    accepted = client.post(
        f"/proposals/{proposal['id']}/candidates/{n}/accept", headers=ALICE
    )
    assert accepted.status_code == 201, accepted.text
    events = client.get("/events").json()["events"]
    registration = next(e for e in events if e["type"] == "SourceRegistered")
    assert registration["data"]["recorded_by"] == "alice"
    assert (
        client.get(f"/sources/{SOURCE['id']}").json()["source"]["title"]
        == (SOURCE["title"])
    )


@pytest.mark.parametrize(
    ("edits", "field"),
    [
        ({"effective": "2024-13"}, "effective"),
        ({"fields": {"measure": "children_in_care", "value": -4}}, "value"),
        (
            {"fields": {"measure": "children_in_care", "value": 612, "colour": "red"}},
            "colour",
        ),
        ({"fields": "612"}, "fields"),
        ({"authority": "E99999999"}, "authority"),
        (
            {"fields": {"measure": "children_in_care", "value": 612, "source": "x"}},
            "fields.source",
        ),
        ({"approximate": "yes"}, "approximate"),
        ({"kind": "grant_received"}, "kind"),
    ],
)
def test_an_invalid_edit_is_refused_as_post_facts_refuses_it_and_the_candidate_stays_undecided(
    client: TestClient, edits: dict[str, Any], field: str
) -> None:
    proposal = _proposal(client)
    count = next(c for c in proposal["candidates"] if c["kind"] == "count_reported")
    before = log_position(client)
    response = client.post(
        f"/proposals/{proposal['id']}/candidates/{count['n']}/accept",
        json=edits,
        headers=ALICE,
    )
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert log_position(client) == before
    again = client.get(f"/proposals/{proposal['id']}", headers=ALICE).json()
    assert next(c for c in again["candidates"] if c["n"] == count["n"])["status"] == (
        "proposed"
    )


def test_the_same_invalid_value_gets_the_same_problem_as_post_facts(
    client: TestClient,
) -> None:
    proposal = _proposal(client)
    count = next(c for c in proposal["candidates"] if c["kind"] == "count_reported")
    fields = {**count["fields"], "value": -4}
    accepted = client.post(
        f"/proposals/{proposal['id']}/candidates/{count['n']}/accept",
        json={"fields": fields},
        headers=ALICE,
    ).json()
    client.post("/sources", json=SOURCE, headers=ALICE)
    direct = client.post(
        "/facts",
        json={
            "kind": "count_reported", "authority": "E06000009",
            "source": SOURCE["id"], "effective": count["effective"], **fields,
        },
        headers=ALICE,
    ).json()  # fmt: skip
    assert accepted["errors"] == direct["errors"]
    assert accepted["type"] == direct["type"]


def test_a_rejection_needs_a_reason_and_nothing_else(client: TestClient) -> None:
    proposal = _proposal(client)
    at = f"/proposals/{proposal['id']}/candidates/1/reject"
    for body in ({}, {"reason": ""}, {"reason": "dup", "extra": 1}, {"reason": 7}):
        response = client.post(at, json=body, headers=ALICE)
        assert response.status_code == 422, (body, response.text)
    assert (
        client.get(f"/proposals/{proposal['id']}", headers=ALICE).json()["candidates"][
            0
        ]["status"]
        == "proposed"
    )


def test_unknown_proposals_and_candidates_are_404s(client: TestClient) -> None:
    proposal = _proposal(client)
    missing = "00000000-0000-4000-8000-000000000000"
    for path in (
        f"/proposals/{missing}",
        "/proposals/not-a-uuid",
    ):
        assert client.get(path, headers=ALICE).status_code == 404
    for path in (
        f"/proposals/{missing}/candidates/1/accept",
        f"/proposals/{proposal['id']}/candidates/999/accept",
        f"/proposals/{proposal['id']}/candidates/0/accept",
        f"/proposals/{proposal['id']}/candidates/x/accept",
    ):
        response = client.post(path, json={}, headers=ALICE)
        assert response.status_code == 404, path


def test_proposals_are_paged_like_every_listing(client: TestClient) -> None:
    ids = [_proposal(client)["id"] for _ in range(3)]
    seen: list[str] = []
    url: str | None = "/proposals?limit=2"
    while url:
        page = client.get(url, headers=ALICE)
        assert page.status_code == 200
        seen += [p["id"] for p in page.json()["proposals"]]
        url = page.json()["next"]
    assert sorted(seen) == sorted(ids)
    assert client.get("/proposals?limit=0", headers=ALICE).status_code == 422
    assert (
        client.get("/proposals?cursor=AAAAAAAAAAAAAAAAAAAA", headers=ALICE).status_code
        == 404
    )


def test_the_review_page_holds_no_article_and_labels_every_input(
    client: TestClient,
) -> None:
    proposal = _proposal(client)
    page = client.get(f"/review/{proposal['id']}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert FILLER not in page.text
    browsing = client.get(
        f"/proposals/{proposal['id']}", headers={"Accept": "text/html"}
    )
    assert browsing.status_code == 401
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "access-control-allow-methods" not in page.headers
    assert '<label for="token">' in page.text
    assert '<script src="/static/review.js" defer></script>' in page.text
    script = client.get("/static/review.js")
    assert script.status_code == 200
    assert "Authorization" in script.text
    # Every input the script makes has a label of its own.
    for suffix in ("fields", "effective", "approximate", "authority", "reason"):
        assert f'id + "-{suffix}"' in script.text


def test_a_write_from_another_site_gets_no_cross_origin_permission(
    client: TestClient,
) -> None:
    preflight = client.options(
        "/proposals",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-headers" not in preflight.headers
    form = client.post(
        "/proposals",
        data={"text": ARTICLE},
        headers={**ALICE, "Origin": "https://elsewhere.example"},
    )
    assert form.status_code == 415
    assert _listed(client) == []


def test_proposals_are_described_with_their_token(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    described = {
        "/proposals": ("get", "post"),
        "/proposals/{proposal_id}": ("get",),
        "/proposals/{proposal_id}/candidates/{n}/accept": ("post",),
        "/proposals/{proposal_id}/candidates/{n}/reject": ("post",),
    }
    for path, methods in described.items():
        for method in methods:
            operation = paths[path][method]
            assert operation["security"] == [{"bearer": []}], (path, method)
            assert "401" in operation["responses"], (path, method)
    assert (
        "409"
        in paths["/proposals/{proposal_id}/candidates/{n}/accept"]["post"]["responses"]
    )


def test_a_proposal_while_the_extractor_is_busy_is_a_503_and_stores_nothing(
    client: TestClient,
) -> None:
    slots = client.app.state.review.extracting  # type: ignore[attr-defined]
    taken = 0
    while slots.acquire(blocking=False):
        taken += 1
    try:
        response = client.post(
            "/proposals", json={"text": ARTICLE, "source": SOURCE}, headers=ALICE
        )
    finally:
        for _ in range(taken):
            slots.release()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert _listed(client) == []
    assert _proposal(client)["candidates"]


def _claim(client: TestClient, proposal_id: str, n: int, seconds_ago: float) -> None:
    """Claim a candidate as an acceptance that began ``seconds_ago`` would have."""
    at = datetime.now(UTC) - timedelta(seconds=seconds_ago)
    store = client.app.state.review.store  # type: ignore[attr-defined]
    assert store.claim(proposal_id, n, at.isoformat(), at.isoformat())


def _status(client: TestClient, proposal_id: str, n: int) -> str:
    proposal = client.get(f"/proposals/{proposal_id}", headers=ALICE).json()
    status: str = next(c for c in proposal["candidates"] if c["n"] == n)["status"]
    return status


def test_a_candidate_being_accepted_is_a_409_and_nothing_is_recorded(
    client: TestClient,
) -> None:
    proposal = _proposal(client)
    count = next(c for c in proposal["candidates"] if c["kind"] == "count_reported")
    _claim(client, proposal["id"], count["n"], seconds_ago=1)
    before = log_position(client)
    base = f"/proposals/{proposal['id']}/candidates/{count['n']}"
    for decision, body in (("accept", {}), ("reject", {"reason": "not so"})):
        response = client.post(f"{base}/{decision}", json=body, headers=ALICE)
        assert response.status_code == 409, response.text
        assert "being accepted right now" in response.json()["detail"]
    assert log_position(client) == before
    assert _status(client, proposal["id"], count["n"]) == "accepting"


def test_an_acceptance_that_never_finished_is_taken_over_by_the_next_one(
    client: TestClient,
) -> None:
    proposal = _proposal(client)
    count = next(c for c in proposal["candidates"] if c["kind"] == "count_reported")
    _claim(client, proposal["id"], count["n"], seconds_ago=STALE_CLAIM_SECONDS + 5)
    base = f"/proposals/{proposal['id']}/candidates/{count['n']}"
    before = log_position(client)
    accepted = client.post(f"{base}/accept", json={}, headers=ALICE)
    assert accepted.status_code == 201, accepted.text
    assert log_position(client) > before
    assert _status(client, proposal["id"], count["n"]) == "accepted"
    fact = client.get(
        f"/facts/{accepted.json()['fact_id']}",
        params={"min_position": accepted.json()["position"]},
    ).json()["fact"]
    assert fact["proposal_id"] == proposal["id"]


def test_a_taken_over_acceptance_whose_fact_was_recorded_records_it_once(
    client: TestClient,
) -> None:
    # The first acceptance recorded the fact, then its process stopped before
    # marking the candidate: accepting again names the same fact, records nothing.
    proposal = _proposal(client)
    count = next(c for c in proposal["candidates"] if c["kind"] == "count_reported")
    base = f"/proposals/{proposal['id']}/candidates/{count['n']}"
    first = client.post(f"{base}/accept", json={}, headers=ALICE)
    assert first.status_code == 201, first.text
    with client.app.state.review.store.db.write() as cur:  # type: ignore[attr-defined]
        cur.execute(
            "UPDATE proposal_candidates SET status = 'accepting', decided_at = ?, "
            "fact_id = NULL, position = NULL WHERE proposal_id = ? AND n = ?",
            (
                (
                    datetime.now(UTC) - timedelta(seconds=STALE_CLAIM_SECONDS + 5)
                ).isoformat(),
                proposal["id"],
                count["n"],
            ),
        )
    before = log_position(client)
    again = client.post(f"{base}/accept", json={}, headers=ALICE)
    assert again.status_code == 200, again.text  # recorded before: nothing new
    assert again.json()["fact_id"] == first.json()["fact_id"]
    assert log_position(client) == before
    assert _status(client, proposal["id"], count["n"]) == "accepted"
