"""Analysts' access: CSV of the listings, one facts query across England, and
what changed since a position or a date."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from typing import Any

from starlette.testclient import TestClient

from projections.fact_records import FACT_COLUMNS
from tests.builders import BLACKPOOL, count_body, source_body
from tests.http.conftest import TOKEN, registered, sync

CARE_2025 = {
    "measure": "children_in_care",
    "kind": "count_reported",
    "effective_from": "2025-03-31",
    "effective_to": "2025-03-31",
}


def _csv(client: TestClient, path: str, params: dict[str, Any]) -> list[dict[str, str]]:
    answer = client.get(path, params={**params, "format": "csv"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(answer.text)))


def _walk(
    client: TestClient, path: str, params: dict[str, Any], items: str
) -> list[Any]:
    answer = client.get(path, params=params)
    seen: list[Any] = []
    while True:
        assert answer.status_code == 200, answer.text
        body = answer.json()
        seen += body[items]
        if body["next"] is None:
            assert "link" not in answer.headers
            return seen
        assert answer.headers["link"] == f'<{body["next"]}>; rel="next"'
        answer = client.get(body["next"])


def _position(client: TestClient) -> int:
    return int(client.get("/healthz").json()["log_position"])


def test_children_in_care_at_31_march_2025_in_every_authority_is_one_csv_request(
    client: TestClient,
) -> None:
    rows = _csv(client, "/facts", CARE_2025)
    assert len({row["authority"] for row in rows}) >= 150
    assert list(rows[0])[: len(FACT_COLUMNS)] == list(FACT_COLUMNS)
    for row in rows:
        assert row["source_id"] and row["source_title"] and row["value"].isdigit()
        assert row["effective"] == "2025-03-31"
        assert row["evidence_class"] == "official_statistics"
        assert (row["qualifier"], row["approximate"]) == ("", "false")
    blackpool = next(row for row in rows if row["authority"] == BLACKPOOL)
    assert (blackpool["authority_name"], blackpool["value"]) == ("Blackpool", "531")


def test_the_csv_of_facts_holds_the_rows_of_every_json_page_in_order(
    client: TestClient,
) -> None:
    pages = _walk(client, "/facts", {**CARE_2025, "limit": 40}, "facts")
    rows = _csv(client, "/facts", CARE_2025)
    assert [row["fact_id"] for row in rows] == [fact["fact_id"] for fact in pages]
    assert len(pages) > 40


def test_accept_text_csv_gets_the_same_csv_as_format_csv(client: TestClient) -> None:
    asked = client.get("/facts", params=CARE_2025, headers={"Accept": "text/csv"})
    assert asked.headers["content-type"].startswith("text/csv")
    assert (
        asked.text == client.get("/facts", params={**CARE_2025, "format": "csv"}).text
    )


def test_a_timelines_csv_has_as_many_rows_as_its_json_has_points(
    client: TestClient,
) -> None:
    path = f"/authorities/{BLACKPOOL}/timeline/children_in_care"
    points = _walk(client, path, {"limit": 5}, "points")
    rows = _csv(client, path, {})
    assert [row["fact_id"] for row in rows] == [p["fact_id"] for p in points]


# Every listing: its path and query, the JSON key of its items, and how an item
# and a CSV row name what they are.
LISTINGS: list[tuple[str, dict[str, Any], str, Any, str]] = [
    ("/authorities", {"level": "all"}, "authorities", lambda i: i["code"], "code"),
    ("/authorities", {"q": "shire"}, "authorities", lambda i: i["code"], "code"),
    (
        f"/authorities/{BLACKPOOL}/facts",
        {"include": "history"},
        "facts",
        lambda i: i["fact_id"],
        "fact_id",
    ),
    (
        f"/authorities/{BLACKPOOL}/timeline/children_in_care",
        {},
        "points",
        lambda i: i["fact_id"],
        "fact_id",
    ),
    ("/sources", {}, "sources", lambda i: i["id"], "id"),
    (
        "/sources/gazette-2012-09-care-panel",
        {},
        "facts",
        lambda i: i["fact_id"],
        "fact_id",
    ),
    ("/events", {"after": 3000}, "events", lambda i: str(i["position"]), "position"),
    ("/facts", CARE_2025, "facts", lambda i: i["fact_id"], "fact_id"),
    ("/changes", {"since": 3000}, "changes", lambda i: str(i["position"]), "position"),
    ("/search", {"q": "Gazette"}, "results", lambda i: i["fact"]["fact_id"], "fact_id"),
]


def test_every_listing_answers_csv_with_the_rows_of_all_its_json_pages(
    client: TestClient,
) -> None:
    for path, params, items, name, column in LISTINGS:
        listed = _walk(client, path, {**params, "limit": 7}, items)
        assert len(listed) > 7, path  # more than one page
        rows = _csv(client, path, params)
        assert [row[column] for row in rows] == [name(i) for i in listed], path
        asked = client.get(path, params=params, headers={"Accept": "text/csv"})
        assert asked.headers["content-type"].startswith("text/csv"), path
        assert (
            asked.text == client.get(path, params={**params, "format": "csv"}).text
        ), path


def test_every_listing_says_in_its_description_that_it_answers_csv(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    paths = {path for path, *_ in LISTINGS}
    paths |= {"/authorities/{code}/facts", "/authorities/{code}/timeline/{measure}"}
    paths |= {"/authorities/{code}/neighbours/{measure}", "/sources/{source_id}"}
    for path in paths:
        if path not in document["paths"]:
            continue  # a concrete path: its template is in the set
        get = document["paths"][path]["get"]
        formats = [p for p in get["parameters"] if p["name"] == "format"]
        assert formats and "csv" in formats[0]["schema"]["enum"], path
        assert "text/csv" in get["responses"]["200"]["content"], path
    assert len([p for p in paths if p in document["paths"]]) == 10


def test_a_comparisons_csv_has_the_authority_each_neighbour_and_england(
    client: TestClient,
) -> None:
    path = f"/authorities/{BLACKPOOL}/neighbours/children_in_care"
    body = client.get(path).json()
    rows = _csv(client, path, {})
    assert list(rows[0])[:2] == ["role", "code"]
    assert [r["role"] for r in rows] == [
        "authority",
        *["neighbour"] * len(body["neighbours"]),
        "england",
    ]
    assert [r["code"] for r in rows] == [
        BLACKPOOL,
        *[n["code"] for n in body["neighbours"]],
        "E92000001",
    ]
    assert rows[0]["fact_id"] == body["value"]["fact_id"]
    assert rows[0]["value"] == str(body["value"]["fields"]["value"])
    for row, entry in zip(
        rows[1:], [*body["neighbours"], body["england"]], strict=True
    ):
        assert row["fact_id"] == (entry["fact"]["fact_id"] if entry["fact"] else "")


def test_current_facts_give_each_authority_the_value_its_state_shows(
    client: TestClient,
) -> None:
    current = _walk(
        client,
        "/facts",
        {"measure": "children_in_care", "current": "true", "limit": 1000},
        "facts",
    )
    counts = [f for f in current if f["kind"] == "count_reported"]
    assert len({f["authority"] for f in counts}) == len(counts) >= 150
    blackpool = next(f for f in counts if f["authority"] == BLACKPOOL)
    state = client.get(f"/authorities/{BLACKPOOL}").json()["state"]
    assert blackpool["fact_id"] == state["counts"]["children_in_care"]["fact_id"]


def test_facts_can_be_asked_for_several_authorities_or_a_region(
    client: TestClient,
) -> None:
    two = ("E06000009", "E06000008")
    facts = _walk(client, "/facts", {**CARE_2025, "authority": list(two)}, "facts")
    assert sorted({f["authority"] for f in facts}) == sorted(two)
    region = client.get("/authorities", params={"q": "Blackpool"}).json()
    name = region["authorities"][0]["region"]
    in_region = _walk(client, "/facts", {**CARE_2025, "region": name}, "facts")
    assert BLACKPOOL in {f["authority"] for f in in_region}
    assert 1 < len(in_region) < 150


def test_changes_since_a_position_list_a_new_fact_by_its_id(
    client: TestClient,
) -> None:
    ledger = client.app.state.runtime.ledger  # type: ignore[attr-defined]
    ledger.register_source(source_body())
    before = _position(client)
    written = client.post("/facts", json=count_body(value=777), headers=TOKEN)
    assert written.status_code == 201
    body = client.get(
        "/changes", params={"since": before, "min_position": _position(client)}
    ).json()
    assert [c["fact_id"] for c in body["changes"]] == [written.json()["fact_id"]]
    assert body["changes"][0]["change"] == "reported"
    assert body["counts"] == [
        {"authority": BLACKPOOL, "kind": "count_reported", "count": 1}
    ]
    today = date.fromisoformat(body["changes"][0]["recorded_at"][:10])
    by_day = client.get("/changes", params={"since_date": today.isoformat()}).json()
    assert by_day["since"] <= before and by_day["changes"]
    later = (today + timedelta(days=1)).isoformat()
    nothing = client.get("/changes", params={"since_date": later}).json()
    assert (nothing["since"], nothing["changes"]) == (nothing["until"], [])


def test_bad_analyst_queries_are_refused_clearly_and_store_nothing(
    client: TestClient,
) -> None:
    before = _position(client)
    for path, params, status, words in (
        ("/facts", {"format": "xml"}, 422, "format must be one of"),
        ("/facts", {"authority": "Blackpool"}, 422, "GSS"),
        ("/facts", {"current": "yes"}, 422, "current must be true or false"),
        ("/facts", {"authority": [BLACKPOOL] * 201}, 400, "more than 200 times"),
        ("/changes", {"since_date": "2025-02-30"}, 422, "not a date"),
        ("/changes", {"since": "-1"}, 422, "log position"),
        (f"/authorities/{BLACKPOOL}/facts", {"format": "html"}, 422, "format"),
        ("/search", {"q": "Gazette", "format": "xlsx"}, 422, "format must be one of"),
        ("/sources", {"format": "html"}, 422, "format must be one of"),
        (
            f"/authorities/{BLACKPOOL}/neighbours/children_in_care",
            {"format": "pdf"},
            422,
            "format must be one of",
        ),
        (
            "/authorities/E06999999/neighbours/children_in_care",
            {"format": "csv"},
            404,
            "no authority",
        ),
    ):
        answer = client.get(path, params=params)
        assert answer.status_code == status, (path, params, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert words in answer.json()["detail"], answer.json()
    assert _position(client) == before


def test_an_unknown_authoritys_csv_is_a_problem_not_an_empty_csv(
    client: TestClient,
) -> None:
    answer = client.get("/authorities/E06999999/facts", params={"format": "csv"})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_reads_are_open_to_other_origins_and_writes_are_not(
    client: TestClient,
) -> None:
    for path in ("/facts", "/changes", f"/authorities/{BLACKPOOL}", "/feed"):
        answer = client.get(path, headers={"Origin": "https://notebook.example"})
        assert answer.headers["access-control-allow-origin"] == "*", path
        assert "Link" in answer.headers["access-control-expose-headers"]
    before = _position(client)
    refused = client.post(
        "/facts", json=count_body(), headers={"Origin": "https://notebook.example"}
    )
    assert refused.status_code == 401
    assert "access-control-allow-origin" not in refused.headers
    assert _position(client) == before


def test_a_method_facts_does_not_take_is_answered_405_with_both_it_does(
    client: TestClient,
) -> None:
    answer = client.request("OPTIONS", "/facts")
    assert answer.status_code == 405
    assert {m.strip() for m in answer.headers["allow"].split(",")} == {
        "GET",
        "HEAD",
        "POST",
    }


def test_the_authority_lists_q_finds_an_authority_by_its_code(
    client: TestClient,
) -> None:
    for q in (BLACKPOOL, BLACKPOOL.lower(), "blackp"):
        found = client.get("/authorities", params={"q": q}).json()["authorities"]
        assert [a["code"] for a in found] == [BLACKPOOL], q


def test_a_pages_cursor_asked_for_as_csv_gives_the_rest_of_the_listing(
    client: TestClient,
) -> None:
    first = client.get("/facts", params={**CARE_2025, "limit": 40}).json()
    answer = client.get(first["next"] + "&format=csv")
    assert answer.headers["content-type"].startswith("text/csv")
    rest = list(csv.DictReader(io.StringIO(answer.text)))
    every = _csv(client, "/facts", CARE_2025)
    assert [r["fact_id"] for r in rest] == [r["fact_id"] for r in every][40:]


# Strings that look like numbers but are names, not quantities: codes and dates.
_CODES = {"dfe_number", "ofsted_urn", "date", "effective", "last_reported", "period"}
_NUMERIC = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _numeric_strings(value: Any, where: str = "") -> list[str]:
    if isinstance(value, dict):
        return [
            found
            for key, item in value.items()
            if key not in _CODES
            for found in _numeric_strings(item, f"{where}.{key}")
        ]
    if isinstance(value, list):
        return [found for item in value for found in _numeric_strings(item, where)]
    if isinstance(value, str) and _NUMERIC.fullmatch(value):
        return [f"{where} = {value!r}"]
    return []


def test_rates_and_amounts_are_json_numbers_in_every_response(
    client: TestClient,
) -> None:
    asked: list[tuple[str, dict[str, Any]]] = [
        (f"/authorities/{BLACKPOOL}", {}),
        (f"/authorities/{BLACKPOOL}/facts", {"limit": 1000}),
        (f"/authorities/{BLACKPOOL}/timeline/children_in_care", {}),
        (f"/authorities/{BLACKPOOL}/neighbours/children_in_care", {}),
        ("/facts", {**CARE_2025, "limit": 1000}),
        ("/facts", {"kind": "grant_received"}),
        ("/search", {"q": "Gazette", "limit": 1000}),
        ("/events", {"limit": 1000}),
        ("/feed.json", {}),
    ]
    for path, params in asked:
        answer = client.get(path, params=params)
        assert answer.status_code == 200, path
        assert _numeric_strings(answer.json()) == [], path
    state = client.get(f"/authorities/{BLACKPOOL}").json()["state"]
    care = state["counts"]["children_in_care"]["fields"]
    assert isinstance(care["rate_per_10000"], int | float)
    grant = state["money"]["grant"]
    assert isinstance(grant["current"]["fields"]["amount"]["amount"], int | float)
    assert isinstance(grant["total"]["amount"], int | float)


def test_a_sources_publication_date_has_one_shape_everywhere(
    client: TestClient,
) -> None:
    source_id = "gazette-2023-07-care-reduction"
    listed = _walk(client, "/sources", {"limit": 1000}, "sources")
    published = next(s for s in listed if s["id"] == source_id)["published"]
    assert published == {"date": "2023-07", "precision": "month", "approximate": True}
    assert client.get(f"/sources/{source_id}").json()["source"]["published"] == (
        published
    )
    facts = client.get(f"/sources/{source_id}").json()["facts"]
    assert facts and all(f["source"]["published"] == published for f in facts)
    found = client.get("/search", params={"q": "Gazette", "limit": 1000}).json()
    for result in found["results"]:
        if result["source"]["id"] == source_id:
            assert result["source"]["published"] == published
            assert result["fact"]["source"]["published"] == published
    feed = client.get(f"/authorities/{BLACKPOOL}/feed.json").json()
    shapes = [
        i["_carefacts"]["source_published"]
        for i in feed["items"]
        if "source_published" in i["_carefacts"]
    ]
    assert shapes and all(set(s) == set(published) for s in shapes)
    # A CSV keeps its documented column: the date alone.
    rows = _csv(client, f"/sources/{source_id}", {})
    assert {row["source_published"] for row in rows} == {"2023-07"}


def test_csv_text_cells_that_a_spreadsheet_would_run_are_written_as_text(
    empty_client: TestClient,
) -> None:
    registered(empty_client)
    ledger = empty_client.app.state.runtime.ledger  # type: ignore[attr-defined]
    risky = '=HYPERLINK("https://x.example", "open me")'
    ledger.register_source(
        source_body(source_id="formula-title", title=risky, publisher="+Plus Press")
    )
    written = empty_client.post(
        "/facts",
        json=count_body(source="formula-title", value=12),
        headers=TOKEN,
    )
    assert written.status_code == 201, written.text
    sync(empty_client)
    for path in ("/sources", "/facts", f"/authorities/{BLACKPOOL}/facts"):
        rows = _csv(empty_client, path, {})
        title = "title" if path == "/sources" else "source_title"
        row = next(r for r in rows if r[title].endswith(risky))
        assert row[title] == "'" + risky, path
        publisher = "publisher" if path == "/sources" else "source_publisher"
        assert row[publisher] == "'+Plus Press", path
        if path != "/sources":
            assert row["value"] == "12"  # a number, never quoted
    events = _csv(empty_client, "/events", {})
    assert all(
        not cell.startswith(("=", "+", "@")) for r in events for cell in r.values()
    )


def test_a_timeline_holds_the_measures_reports_with_its_targets_apart(
    client: TestClient,
) -> None:
    path = f"/authorities/{BLACKPOOL}/timeline/children_in_care"
    first = client.get(path, params={"limit": 5}).json()
    points = _walk(client, path, {"limit": 5}, "points")
    assert points and {p["kind"] for p in points} == {"count_reported"}
    assert [t["kind"] for t in first["targets"]] == ["target_set"]
    assert first["targets"][0]["fields"]["value"] == 500
    assert sum(t["current"] for t in first["targets"]) == 1
    assert sum(p["current"] for p in points) == 1
    rows = _csv(client, path, {})
    assert [r["fact_id"] for r in rows] == [p["fact_id"] for p in points]
    later = client.get(first["next"]).json()
    assert later["targets"] == first["targets"]


def test_abolished_authorities_are_marked_with_what_replaced_them(
    client: TestClient,
) -> None:
    listed = _walk(client, "/authorities", {"limit": 1000}, "authorities")
    current = [a for a in listed if a["status"] == "current"]
    abolished = [a for a in listed if a["status"] == "abolished"]
    assert (len(listed), len(current)) == (157, 153)  # as the page lists them
    assert all(a["replaced_by"] and a["replaced_on"] for a in abolished)
    poole = client.get("/authorities/E06000029").json()["authority"]
    assert poole["replaced_by"] == [
        {"code": "E06000058", "name": "Bournemouth, Christchurch and Poole"}
    ]
    assert poole["replaced_on"] == "2019-04-01"
    rows = {r["code"]: r for r in _csv(client, "/authorities", {})}
    assert rows["E10000021"]["replaced_by"] == "E06000061 E06000062"
    assert rows["E10000021"]["replaced_on"] == "2021-04-01"
    assert (rows[BLACKPOOL]["replaced_by"], rows[BLACKPOOL]["replaced_on"]) == ("", "")
