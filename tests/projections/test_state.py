"""Current state, timelines, as_of and known_at over the fact view."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from projections.facts import hydrate, visible_facts
from projections.state import current_state, timeline
from service.composition import Carefacts
from tests.builders import BLACKPOOL, SOURCE, appointment_body, count_body, source_body


def _state(core: Carefacts, **kwargs: Any) -> dict[str, Any]:
    core.worker.catch_up()
    with core.views.read() as cur:
        return current_state(cur, core.ledger, BLACKPOOL, **kwargs)


def test_the_latest_effective_count_is_current(core: Carefacts) -> None:
    core.ledger.record_fact(count_body(effective="2022-07", value=651))
    core.ledger.record_fact(count_body(effective="2023-07", value=540))
    count = _state(core)["counts"]["children_in_care"]
    assert count["fields"]["value"] == 540
    assert count["source"]["publisher"] == "Test Gazette"
    assert count["recorded"]["position"] > 0


def test_on_the_same_date_official_statistics_win_over_the_press(
    core: Carefacts,
) -> None:
    core.ledger.register_source(source_body(source_id="stats", kind="statistics"))
    core.ledger.record_fact(
        count_body(effective="2023-03-31", value=539, source="stats")
    )
    core.ledger.record_fact(count_body(effective="2023-03-31", value=538))
    state = _state(core)
    count = state["counts"]["children_in_care"]
    assert (count["fields"]["value"], count["source"]["id"], count["reported_by"]) == (
        539,
        "stats",
        2,
    )


def test_both_conflicting_facts_stay_in_the_timeline(core: Carefacts) -> None:
    core.ledger.register_source(source_body(source_id="stats", kind="statistics"))
    core.ledger.record_fact(
        count_body(effective="2023-03-31", value=539, source="stats")
    )
    core.ledger.record_fact(count_body(effective="2023-03-31", value=538))
    core.worker.catch_up()
    with core.views.read() as cur:
        points = timeline(cur, core.ledger, BLACKPOOL, "children_in_care").items
    assert [(p["fields"]["value"], p["current"]) for p in points] == [
        (539, True),
        (538, False),
    ] or [(p["fields"]["value"], p["current"]) for p in points] == [
        (538, False),
        (539, True),
    ]


def test_as_of_gives_the_state_of_the_world_on_that_date(core: Carefacts) -> None:
    core.ledger.record_fact(
        appointment_body(effective="2017-04-24", person="Diane Booth")
    )
    core.ledger.record_fact(
        appointment_body(effective="2021-04", person="Victoria Gent")
    )
    assert _state(core)["office_holders"][0]["person"] == "Victoria Gent"
    earlier = _state(core, as_of=date(2019, 2, 1))
    assert earlier["office_holders"][0]["person"] == "Diane Booth"


def test_known_at_before_a_correction_gives_the_uncorrected_value(
    core: Carefacts,
) -> None:
    fact_id = UUID(core.ledger.record_fact(count_body()).id)
    before = core.ledger.last_position()
    core.ledger.correct_fact(fact_id, {"value": 541}, "typing error")
    assert _state(core)["counts"]["children_in_care"]["fields"]["value"] == 541
    then = _state(core, known_at=before)["counts"]["children_in_care"]
    assert then["fields"]["value"] == 540


def test_a_correction_keeps_the_old_version_in_the_history(core: Carefacts) -> None:
    fact_id = UUID(core.ledger.record_fact(count_body()).id)
    core.ledger.correct_fact(fact_id, {"value": 541}, "typing error")
    core.worker.catch_up()
    with core.views.read() as cur:
        rows = visible_facts(cur, BLACKPOOL, history=True, kind="count_reported")
        history = hydrate(cur, core.ledger, rows)
    assert [(h["version"], h["status"], h["fields"]["value"]) for h in history] == [
        (1, "corrected", 540),
        (2, "current", 541),
    ]
    assert history[1]["reason"] == "typing error"


def test_a_retraction_removes_the_fact_from_state_and_timeline_not_history(
    core: Carefacts,
) -> None:
    core.ledger.record_fact(count_body(effective="2022-07", value=651))
    fact_id = UUID(core.ledger.record_fact(count_body()).id)
    core.ledger.retract_fact(fact_id, "the figure was withdrawn")
    assert _state(core)["counts"]["children_in_care"]["fields"]["value"] == 651
    with core.views.read() as cur:
        points = timeline(cur, core.ledger, BLACKPOOL, "children_in_care").items
        history = visible_facts(cur, BLACKPOOL, history=True, kind="count_reported")
    assert [p["fields"]["value"] for p in points] == [651]
    assert {(h.version, h.status) for h in history if h.fact_id == fact_id.hex} == {
        (1, "retracted"),
        (2, "retracted"),
    }


def test_a_correction_of_the_date_moves_the_fact_in_time(core: Carefacts) -> None:
    fact_id = UUID(core.ledger.record_fact(count_body(effective="2023-07")).id)
    core.ledger.correct_fact(fact_id, {"effective": "2021-07"}, "misdated")
    assert "children_in_care" not in _state(core, as_of=date(2020, 1, 1))["counts"]
    assert "children_in_care" in _state(core, as_of=date(2022, 1, 1))["counts"]


def test_the_source_of_every_fact_is_given(core: Carefacts) -> None:
    core.ledger.record_fact(count_body())
    count = _state(core)["counts"]["children_in_care"]
    assert count["source"] == {
        "id": SOURCE,
        "kind": "news",
        "title": "A test article about children in care",
        "publisher": "Test Gazette",
        "url": "https://news.example/test-article",
        "published": {"date": "2023-07", "precision": "month", "approximate": False},
    }
