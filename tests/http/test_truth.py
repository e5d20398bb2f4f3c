"""Current state claims only what the sources said (Blackpool, from the seeds)."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

BLACKPOOL = "/authorities/E06000009"
HTML = {"Accept": "text/html"}


def _holders(state: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(h["role"], h["person"]): h for h in state["office_holders"]}


def test_nobody_is_in_post_whom_a_later_fact_ends(client: TestClient) -> None:
    state = client.get(BLACKPOOL).json()["state"]
    holders = _holders(state)
    booth = holders[("director_of_childrens_services", "Diane Booth")]
    assert (booth["status"], booth["until"]) == ("left", "2021-03")
    lincoln = holders[("commissioner", "Helen Lincoln")]
    assert lincoln["status"] == "left"  # the intervention she served ended
    assert lincoln["until"] == "2021-03-12"
    blackburn = holders[("council_leader", "Simon Blackburn")]
    assert blackburn["status"] == "succeeded"
    # A report from 2012 says nothing about today.
    assert holders[("panel_chair", "Ivan Taylor")]["status"] == "not_reported_since"
    assert all(not h["in_post"] for h in state["office_holders"] if h["until"])


def test_a_councillor_quoted_is_named_but_holds_no_office(client: TestClient) -> None:
    state = client.get(BLACKPOOL).json()["state"]
    assert all(h["role"] != "councillor" for h in state["office_holders"])
    assert [(a["role"], a["person"]) for a in state["also_named"]] == [
        ("councillor", "David Owen")
    ]


def test_in_post_is_measured_from_the_date_asked_about(client: TestClient) -> None:
    state = client.get(BLACKPOOL + "?as_of=2019-02-01").json()["state"]
    booth = _holders(state)[("director_of_childrens_services", "Diane Booth")]
    assert booth["status"] == "in_post"
    assert booth["since"] == "2017-04-24"


def test_published_by_never_gives_a_fact_from_a_later_source(
    client: TestClient,
) -> None:
    body = client.get(BLACKPOOL + "/facts?published_by=2019-02-01&limit=1000").json()
    assert body["facts"]
    for fact in body["facts"]:
        published = fact["source"]["published"]
        assert published is not None, fact["source"]
        assert published["date"] <= "2019-02-01", fact["source"]
    state = client.get(BLACKPOOL + "?as_of=2019-02-01&published_by=2019-02-01").json()[
        "state"
    ]
    assert state["rating"]["source"]["published"]["date"] <= "2019-02-01"
    assert state["rating"]["fields"]["judgement"] == "inadequate"


def test_a_month_dated_source_counts_as_published_at_the_end_of_the_month(
    client: TestClient,
) -> None:
    facts = client.get(BLACKPOOL + "/facts?published_by=2023-07-31&limit=1000").json()
    earlier = client.get(BLACKPOOL + "/facts?published_by=2023-07-30&limit=1000").json()
    july = {"gazette-2023-07-care-reduction"}
    assert july & {f["source"]["id"] for f in facts["facts"]}
    assert not july & {f["source"]["id"] for f in earlier["facts"]}


def test_every_fact_has_its_evidence_class_and_the_official_line_only_statistics(
    client: TestClient,
) -> None:
    points = client.get(BLACKPOOL + "/timeline/children_in_care?limit=1000").json()
    classes = {p["evidence_class"] for p in points["points"]}
    assert "official_statistics" in classes and "quoted_in_report" in classes
    quoted = [p for p in points["points"] if p["evidence_class"] == "quoted_in_report"]
    assert {p["fields"]["value"] for p in quoted} >= {483, 443, 409}
    assert all(p["quoted_in"] == "Ofsted" for p in quoted)
    page = client.get(BLACKPOOL, headers=HTML).text
    official = re.findall(r'class="point" data-value="(\d+)"><circle', page)
    assert official and not {"483", "443", "409"} & set(official)


def test_a_rating_without_an_overall_grade_shows_its_areas_and_framework(
    client: TestClient,
) -> None:
    state = client.get(BLACKPOOL).json()["state"]
    rating = state["rating"]
    assert rating["framework_name"] == (
        "Inspection of local authority children's services, 2026 framework"
    )
    assert rating["fields"]["sub_judgements"]
    assert state["latest_graded_rating"]["fields"]["judgement"] != "none"
    page = client.get(BLACKPOOL, headers=HTML).text
    assert "2026 framework" in page and "ilacs_2026" not in page
    assert "Care leavers: <strong>" in page or "care leavers: <strong>" in page.lower()


def test_sorting_by_judgement_never_puts_a_no_grade_result_below_inadequate(
    client: TestClient,
) -> None:
    page = client.get("/authorities?sort=judgement", headers=HTML).text
    grades = re.findall(r'class="judgement j-([a-z_]+)"', page)
    assert "none" in grades and "inadequate" in grades
    assert max(i for i, g in enumerate(grades) if g == "none") < min(
        i for i, g in enumerate(grades) if g == "inadequate"
    )


def test_disagreeing_sources_are_both_shown(client: TestClient) -> None:
    grant = client.get(BLACKPOOL).json()["state"]["money"]["grant"]["current"]
    amounts = {grant["fields"]["amount"]["amount"]} | {
        a["amount"]["amount"] for a in grant["also_reported"]
    }
    assert amounts == {764000, 764610}  # amounts are JSON numbers
    assert b'"amount":764610.00' in client.get(BLACKPOOL).content  # to the penny
    page = client.get(BLACKPOOL, headers=HTML).text
    assert "also reported as £764,000" in page or "also reported as £764,610" in page


def test_a_qualified_figure_keeps_its_qualifier_wherever_it_is_shown(
    client: TestClient,
) -> None:
    facts = client.get(BLACKPOOL + "/facts?kind=money_reported&limit=1000").json()
    overspend = next(
        f for f in facts["facts"] if f["effective"]["date"] == "2018-03-31"
    )
    assert overspend["fields"]["qualifier"] == "more_than"
    assert "more than £5m" in client.get(BLACKPOOL, headers=HTML).text


def test_a_judgement_from_ofsteds_outcomes_release_is_an_inspection_finding(
    client: TestClient,
) -> None:
    ratings = client.get(BLACKPOOL + "/facts?kind=rating_given&limit=1000").json()
    official = [
        f
        for f in ratings["facts"]
        if f["source"]["kind"] in ("statistics", "inspection_report")
    ]
    assert official
    assert {f["evidence_class"] for f in official} == {"inspection_finding"}
