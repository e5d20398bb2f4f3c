"""Tenures from office facts: succession, leaving, the end of an intervention,
and the age of the last report."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.values import EffectiveDate
from projections.facts import FactRow
from projections.plain import edtf_start
from projections.tenures import tenures


def _row(position: int, kind: str, role: str, effective: str) -> FactRow:
    return FactRow(
        position, f"{position:032x}", 1, kind, "E06000009", role, effective,
        edtf_start(effective), None, "current", 0, "s", "news", "t", "p", None,
        "2020", 3,
    )  # fmt: skip


def _state(
    facts: list[tuple[str, str, str, str]],
    on: date,
    actions: tuple[tuple[str, str], ...] = (),
) -> dict[str, dict[str, Any]]:
    rows = [_row(n, k, r, e) for n, (k, r, _, e) in enumerate(facts, 1)]
    docs = {
        n: {"fact_id": f"f{n}", "fields": {"person": p}}
        for n, (_, _, p, _) in enumerate(facts, 1)
    }
    interventions = [
        (_row(100 + n, "intervention_recorded", "intervention", e), a)
        for n, (a, e) in enumerate(actions)
    ]
    for row, _ in interventions:
        docs[row.position] = {"fact_id": f"f{row.position}", "fields": {}}
    holders, _ = tenures(rows, docs, interventions, on)
    return {h["person"]: h for h in holders}


DCS = "director_of_childrens_services"


def test_a_single_holder_office_ends_with_the_next_holder() -> None:
    state = _state(
        [
            ("office_holder_appointed", DCS, "A", "2015-01"),
            ("office_holder_in_post", DCS, "B", "2019-06"),
        ],
        date(2020, 1, 1),
    )
    assert (state["A"]["status"], state["A"]["until"]) == ("succeeded", "2019-06")
    assert state["B"]["status"] == "in_post"


def test_a_report_older_than_three_years_no_longer_shows_anyone_in_post() -> None:
    facts = [("office_holder_in_post", DCS, "B", "2019-06")]
    assert _state(facts, date(2022, 6, 1))["B"]["status"] == "in_post"
    assert _state(facts, date(2022, 7, 1))["B"]["status"] == "not_reported_since"


def test_a_leaving_ends_a_tenure() -> None:
    state = _state(
        [
            ("office_holder_appointed", DCS, "A", "2015-01"),
            ("office_holder_left", DCS, "A", "2016-03"),
        ],
        date(2016, 4, 1),
    )
    assert (state["A"]["status"], state["A"]["until"]) == ("left", "2016-03")
    assert state["A"]["since"] == "2015-01"


def test_a_commissioner_leaves_with_the_end_of_the_intervention() -> None:
    state = _state(
        [("office_holder_in_post", "commissioner", "C", "2019-03-25")],
        date(2019, 12, 1),
        (("statutory_direction", "2019-03-25"), ("control_retained", "2019-07-23")),
    )
    assert (state["C"]["status"], state["C"]["until"]) == ("left", "2019-07-23")


def test_an_office_several_hold_at_once_is_not_ended_by_another_holder() -> None:
    state = _state(
        [
            ("office_holder_in_post", "minister", "M", "2020-01"),
            ("office_holder_in_post", DCS, "A", "2020-01"),
            ("office_holder_in_post", DCS, "A", "2020-06"),
        ],
        date(2021, 1, 1),
    )
    assert "M" not in state  # a minister holds no office of the service
    assert state["A"]["last_reported"] == "2020-06"
    assert EffectiveDate.parse(state["A"]["last_reported"]).first_day.year == 2020
