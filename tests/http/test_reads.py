"""Reading Blackpool's state, facts, timelines, sources and the log over HTTP."""

from __future__ import annotations

from starlette.testclient import TestClient

BLACKPOOL = "/authorities/E06000009"


def test_the_authority_list_has_every_english_authority_with_codes(
    client: TestClient,
) -> None:
    body = client.get("/authorities", params={"limit": 1000}).json()
    assert body["count"] == len(body["authorities"]) >= 153
    assert body["next"] is None
    blackpool = next(a for a in body["authorities"] if a["code"] == "E06000009")
    assert (blackpool["name"], blackpool["dfe_number"], blackpool["ofsted_urn"]) == (
        "Blackpool",
        "890",
        "80431",
    )
    assert blackpool["links"]["self"] == BLACKPOOL


def test_blackpool_now_has_the_latest_rating_director_and_count(
    client: TestClient,
) -> None:
    state = client.get(BLACKPOOL).json()["state"]
    assert state["rating"]["effective"]["date"] == "2026-07-28"
    assert state["rating"]["fields"]["judgement"] == "none"
    director = next(
        o
        for o in state["office_holders"]
        if o["role"] == "director_of_childrens_services"
    )
    assert director["person"] == "Victoria Gent"
    count = state["counts"]["children_in_care"]
    assert (count["fields"]["value"], count["effective"]["date"]) == (531, "2025-03-31")
    assert count["source"]["publisher"] == "Department for Education"


def test_blackpool_as_of_february_2019(client: TestClient) -> None:
    state = client.get(BLACKPOOL, params={"as_of": "2019-02-01"}).json()["state"]
    assert state["rating"]["fields"]["judgement"] == "inadequate"
    assert state["rating"]["effective"]["date"].startswith("2019-01")
    director = next(
        o
        for o in state["office_holders"]
        if o["role"] == "director_of_childrens_services"
    )
    assert director["person"] == "Diane Booth"


def test_every_fact_carries_its_id_date_position_and_source(client: TestClient) -> None:
    facts = client.get(f"{BLACKPOOL}/facts", params={"limit": 1000}).json()["facts"]
    assert len(facts) > 100
    for fact in facts:
        assert fact["fact_id"] and fact["effective"]["precision"] in (
            "day",
            "month",
            "year",
        )
        assert fact["recorded"]["position"] > 0
        assert {"id", "title", "publisher", "url", "published"} <= set(fact["source"])


def test_facts_can_be_filtered_by_kind_and_measure(client: TestClient) -> None:
    ratings = client.get(f"{BLACKPOOL}/facts", params={"kind": "rating_given"}).json()
    assert {f["kind"] for f in ratings["facts"]} == {"rating_given"}
    counts = client.get(
        f"{BLACKPOOL}/facts", params={"measure": "children_in_care"}
    ).json()
    assert {f["subject"] for f in counts["facts"]} == {"children_in_care"}


def test_the_children_in_care_timeline_has_official_and_reported_figures(
    client: TestClient,
) -> None:
    points = client.get(f"{BLACKPOOL}/timeline/children_in_care").json()["points"]
    dates = [p["effective"]["date"] for p in points]
    assert dates == sorted(dates, key=lambda d: (d + "-01-01")[:10])
    publishers = {p["source"]["publisher"] for p in points}
    assert {"Department for Education", "Blackpool Gazette"} <= publishers
    current = [p for p in points if p["current"] and p["kind"] == "count_reported"]
    assert [(p["fields"]["value"], p["effective"]["date"]) for p in current] == [
        (531, "2025-03-31")
    ]


def test_a_source_lists_the_facts_it_reported(client: TestClient) -> None:
    sources = client.get("/sources").json()["sources"]
    assert any(s["publisher"] == "Children & Young People Now" for s in sources)
    body = client.get("/sources/gazette-2023-07-care-reduction").json()
    assert body["source"]["published"] == {
        "date": "2023-07",
        "precision": "month",
        "approximate": True,
    }
    values = {f["fields"].get("value") for f in body["facts"]}
    assert {540, 651, 30, 500} <= values


def test_one_fact_is_served_with_its_versions(client: TestClient) -> None:
    fact = client.get(f"{BLACKPOOL}/facts", params={"kind": "grant_received"}).json()[
        "facts"
    ][0]
    body = client.get(f"/facts/{fact['fact_id']}").json()
    assert body["fact"]["fact_id"] == fact["fact_id"]
    assert [v["version"] for v in body["versions"]] == [1]


def test_the_log_is_served_in_order_after_a_position(client: TestClient) -> None:
    first = client.get("/events", params={"after": 0, "limit": 5}).json()
    assert [e["position"] for e in first["events"]] == [1, 2, 3, 4, 5]
    more = client.get(
        "/events", params={"after": first["next_after"], "limit": 2}
    ).json()
    assert [e["position"] for e in more["events"]] == [6, 7]
    assert first["events"][0]["type"] == "SourceRegistered"


def test_a_repeated_get_with_the_etag_is_not_modified(client: TestClient) -> None:
    first = client.get(BLACKPOOL)
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(BLACKPOOL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_healthz_reports_positions(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["lag"] == 0 and body["log_position"] == body["views_position"]


def test_a_measure_beside_statistical_neighbours_and_england(
    client: TestClient,
) -> None:
    body = client.get(f"{BLACKPOOL}/neighbours/children_in_care").json()
    assert body["date"] == "2025-03-31"
    assert body["value"]["fields"]["value"] == 531
    assert len(body["neighbours"]) == 10
    hartlepool = body["neighbours"][0]
    assert (hartlepool["code"], hartlepool["name"]) == ("E06000001", "Hartlepool")
    assert hartlepool["fact"]["effective"]["date"] == "2025-03-31"
    assert body["england"]["fact"]["fields"]["value"] == 81770
    assert body["neighbours_listed_by"]["source"]["id"] == "d2i-la-code-lookup"
    earlier = client.get(
        f"{BLACKPOOL}/neighbours/children_in_care", params={"as_of": "2022-06-30"}
    ).json()
    assert earlier["date"] == "2022-03-31"
    missing = client.get(f"{BLACKPOOL}/neighbours/no_such_measure")
    assert missing.status_code == 404
