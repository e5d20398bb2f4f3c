"""GET /search: facts found by their words, people and sources, ranked and paged,
with filters; any text answered; JSON and a page, and a search box on every page."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.builders import appointment_body, authority_body, count_body, source_body
from tests.http.conftest import sync


def results(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/search", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["results"]
    return found


def test_searching_lincoln_finds_the_commissioners_appointment(
    client: TestClient,
) -> None:
    found = results(client, q="Lincoln")
    appointments = [r for r in found if r["fact"]["kind"] == "office_holder_appointed"]
    assert appointments
    hit = appointments[0]
    assert hit["fact"]["fields"]["person"] == "Helen Lincoln"
    assert hit["fact"]["subject"] == "commissioner"
    assert hit["authority"] == {
        "code": "E06000009",
        "name": "Blackpool",
        "links": {"self": "/authorities/E06000009"},
    }
    assert hit["source"]["id"] == hit["fact"]["source"]["id"]
    assert hit["source"]["links"]["self"] == f"/sources/{hit['source']['id']}"
    assert hit["links"]["self"] == f"/facts/{hit['fact']['fact_id']}"
    assert hit["matched"] == "fact"
    # A whole word: Lincolnshire's facts are not Lincoln's.
    assert all(r["authority"]["name"] != "Lincolnshire" for r in found)


def test_searching_gazette_finds_the_blackpool_gazettes_facts(
    client: TestClient,
) -> None:
    found = results(client, q="Gazette", limit=1000)
    by_source = [r for r in found if r["matched"] == "source"]
    assert by_source
    assert {r["source"]["publisher"] for r in by_source} == {"Blackpool Gazette"}
    sources = client.get("/sources", params={"limit": 1000}).json()["sources"]
    gazette = {s["id"] for s in sources if s["publisher"] == "Blackpool Gazette"}
    listed = set()
    for source_id in gazette:
        facts = client.get(f"/sources/{source_id}", params={"limit": 1000}).json()
        listed |= {f["fact_id"] for f in facts["facts"]}
    assert listed <= {r["fact"]["fact_id"] for r in found}
    ranks = [r["matched"] for r in found]
    assert ranks == sorted(ranks)  # the fact's own words first, then its source's


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "-",
        "AND",
        "OR NOT",
        'Lincoln" AND -',
        "NEAR(helen lincoln, 2)",
        "*",
        "lincoln:",
        "{summary}: care",
        "^care",
        "Zoë — ζωή 🙂",
        "\x00care",
        "x" * 20_000,
        "care " * 5_000,
        "'; DROP TABLE search_text; --",
    ],
)
def test_any_text_is_a_query_answered_200(client: TestClient, q: str) -> None:
    position = client.get("/healthz").json()["log_position"]
    response = client.get("/search", params={"q": q})
    assert response.status_code == 200, response.text
    assert response.json()["q"] == q
    assert client.get("/healthz").json()["log_position"] == position


def test_results_are_paged_like_every_listing(client: TestClient) -> None:
    everything = [
        r["fact"]["fact_id"] for r in results(client, q="commissioner", limit=1000)
    ]
    assert len(everything) > 5
    seen: list[str] = []
    url: str | None = "/search?q=commissioner&limit=3"
    while url is not None:
        response = client.get(url)
        body = response.json()
        seen += [r["fact"]["fact_id"] for r in body["results"]]
        if body["next"]:
            assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
        url = body["next"]
    assert seen == everything
    first = client.get("/search?q=commissioner&limit=3").json()["next"]
    other = first.replace("q=commissioner", "q=lincoln")
    assert client.get(other).status_code == 404  # a cursor keeps its query


def test_filters_narrow_the_results(client: TestClient) -> None:
    every = results(client, q="commissioner", limit=1000)
    kinds = {r["fact"]["kind"] for r in every}
    assert {"office_holder_appointed", "intervention_recorded"} <= kinds
    only = results(client, q="commissioner", kind="office_holder_appointed")
    assert only and {r["fact"]["kind"] for r in only} == {"office_holder_appointed"}
    assert results(client, q="commissioner", authority="E10000019") == []
    early = results(client, q="commissioner", as_of="2019-12", limit=1000)
    assert early and all(r["fact"]["effective"]["date"] < "2020" for r in early)
    reported = results(client, q="commissioner", published_by="2019", limit=1000)
    assert reported and len(reported) < len(every)
    assert all(r["source"]["published"]["date"][:4] <= "2019" for r in reported)


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"q": "care", "published_by": "2019-13"}, 422, "published_by"),
        ({"q": "care", "as_of": "yesterday"}, 422, "as_of"),
        ({"q": "care", "authority": "Blackpool"}, 422, "authority"),
        ({"q": "care", "kind": "rumour"}, 422, "kind"),
        ({"q": "care", "limit": "0"}, 422, "limit"),
        ({"q": "care", "order": "rank"}, 400, None),
    ],
)
def test_bad_filters_are_refused_clearly_and_store_nothing(
    client: TestClient, params: dict[str, str], status: int, field: str | None
) -> None:
    position = client.get("/healthz").json()["log_position"]
    response = client.get("/search", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    if field is not None:
        assert response.json()["errors"][0]["field"] == field
    assert client.get("/healthz").json()["log_position"] == position


def test_the_results_page_lists_each_fact_with_its_authority_and_source(
    client: TestClient,
) -> None:
    response = client.get(
        "/search", params={"q": "Lincoln"}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "Helen Lincoln" in page
    assert 'href="/authorities/E06000009"' in page
    assert 'href="/sources/' in page
    assert 'value="Lincoln"' in page  # the box keeps the query
    nothing = client.get("/search", params={"q": "zzzz", "format": "html"}).text
    assert "Nothing found" in nothing


@pytest.mark.parametrize(
    "path", ["/", "/authorities/E06000009", "/sources/gazette-2023-07-care-reduction"]
)
def test_every_page_has_a_plain_search_form_in_its_header(
    client: TestClient, path: str
) -> None:
    page = client.get(path, headers={"Accept": "text/html"}).text
    header = page.split('<header class="site">')[1].split("</header>")[0]
    assert '<form class="search" role="search" method="get" action="/search">' in (
        header
    )
    assert 'name="q"' in header
    assert "<script" not in page and "style=" not in page


def test_a_fact_is_found_as_soon_as_its_write_is_read_back(
    empty_client: TestClient,
) -> None:
    """SQLite and PostgreSQL: the view follows writes, a correction and all."""
    ledger = empty_client.app.state.runtime.ledger  # type: ignore[attr-defined]
    ledger.register_authority(authority_body())
    ledger.register_source(source_body())
    ledger.record_fact(appointment_body(person="Sarah Thompson"))
    ledger.record_fact(count_body(summary="Fewer children were in care."))
    sync(empty_client)
    found = results(empty_client, q="thompson")
    assert [r["fact"]["fields"]["person"] for r in found] == ["Sarah Thompson"]
    both = results(empty_client, q="gazette")  # the source's publisher
    assert [r["matched"] for r in both] == ["source", "source"]
    assert results(empty_client, q='"fewer children" -thompson')[0]["fact"][
        "summary"
    ] == ("Fewer children were in care.")
