"""The ledger's use cases, against SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from domain.drafts import draft_fact
from domain.errors import (
    DomainError,
    FactConflictError,
    FactRetractedError,
    InvalidCountError,
    InvalidDateError,
    InvalidJudgementError,
    InvalidMoneyError,
    InvalidValueError,
    RegistrationConflictError,
    UnknownAuthorityError,
    UnknownFactError,
    UnknownSourceError,
)
from projections.logged_events import LIFTED_SUBJECT
from service.application import Ledger
from tests.builders import (
    appointment_body,
    count_body,
    grant_body,
    rating_body,
    source_body,
)


def test_recording_a_fact_returns_its_id_and_log_position(ledger: Ledger) -> None:
    before = ledger.last_position()
    recorded = ledger.record_fact(count_body())
    assert recorded.created
    assert recorded.position is not None and recorded.position > before
    assert ledger.get_fact(UUID(recorded.id))["value"] == 540


def test_recording_the_same_fact_twice_is_a_no_op(ledger: Ledger) -> None:
    first = ledger.record_fact(count_body())
    position = ledger.last_position()
    again = ledger.record_fact(count_body())
    assert (again.id, again.created, again.position) == (first.id, False, None)
    assert ledger.last_position() == position


def test_a_different_fact_under_an_existing_id_is_a_conflict(ledger: Ledger) -> None:
    ledger.record_fact(count_body())
    position = ledger.last_position()
    with pytest.raises(FactConflictError, match="correction"):
        ledger.record_fact(count_body(value=541))
    assert ledger.last_position() == position


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (count_body(authority="E06000008"), UnknownAuthorityError),
        (count_body(source="never-registered"), UnknownSourceError),
        (count_body(value=-1), InvalidCountError),
        (count_body(value="12.5"), InvalidCountError),
        (rating_body(judgement="excellent"), InvalidJudgementError),
        (count_body(effective="2019-02-30"), InvalidDateError),
        (grant_body(amount=764000.0), InvalidMoneyError),
        (count_body(summary="a NUL \x00 here"), InvalidValueError),
    ],
)
def test_a_bad_fact_raises_a_clear_error_and_records_nothing(
    ledger: Ledger, body: dict[str, Any], error: type[DomainError]
) -> None:
    position = ledger.last_position()
    with pytest.raises(error) as raised:
        ledger.record_fact(body)
    assert raised.value.message
    assert ledger.last_position() == position


def test_a_correction_of_an_unknown_fact_is_refused(ledger: Ledger) -> None:
    position = ledger.last_position()
    with pytest.raises(UnknownFactError):
        ledger.correct_fact(UUID(int=1), {"value": 3}, "no such fact")
    assert ledger.last_position() == position


def test_a_correction_of_a_retracted_fact_is_refused(ledger: Ledger) -> None:
    fact_id = UUID(ledger.record_fact(count_body()).id)
    ledger.retract_fact(fact_id, "the article was withdrawn")
    position = ledger.last_position()
    with pytest.raises(FactRetractedError):
        ledger.correct_fact(fact_id, {"value": 541}, "too late")
    assert ledger.last_position() == position


def test_a_correction_citing_an_unknown_source_is_refused(ledger: Ledger) -> None:
    fact_id = UUID(ledger.record_fact(count_body()).id)
    position = ledger.last_position()
    with pytest.raises(UnknownSourceError):
        ledger.correct_fact(fact_id, {"value": 541}, "see erratum", source="nowhere")
    assert ledger.last_position() == position


def test_a_correction_and_a_retraction_are_new_events_on_the_fact(
    ledger: Ledger,
) -> None:
    fact_id = UUID(ledger.record_fact(count_body()).id)
    corrected = ledger.correct_fact(fact_id, {"value": 541}, "typing error")
    assert corrected.created
    assert ledger.get_fact(fact_id)["value"] == 541
    retracted = ledger.retract_fact(fact_id, "withdrawn")
    assert retracted.created
    fact = ledger.get_fact(fact_id)
    assert (fact["status"], fact["version"]) == ("retracted", 3)


def test_registering_a_source_again_with_other_details_is_a_conflict(
    ledger: Ledger,
) -> None:
    assert not ledger.register_source(source_body()).created
    with pytest.raises(RegistrationConflictError):
        ledger.register_source(source_body(title="Another title"))


def test_bulk_recording_skips_what_is_there_and_lists_conflicts(ledger: Ledger) -> None:
    drafts = [
        draft_fact(count_body(effective=f"2020-0{m}", value=m)) for m in range(1, 8)
    ]
    first = ledger.record_facts(drafts[:3])
    assert (first.recorded, first.present) == (3, 0)
    conflicting = draft_fact(count_body(effective="2020-01", value=99))
    second = ledger.record_facts([*drafts, conflicting])
    assert (second.recorded, second.present) == (4, 3)
    assert [why for _, why in second.conflicts] == ["conflicts with an earlier row"]


def test_the_log_reads_back_every_event_in_order(ledger: Ledger) -> None:
    ledger.record_fact(count_body())
    events = ledger.read(0, 100)
    assert [e.topic for e in events] == [
        "AuthorityRegistered",
        "SourceRegistered",
        "CountReported",
    ]
    assert [e.position for e in events] == sorted(e.position for e in events)
    assert ledger.read_at([events[-1].position])[0].state["value"] == 540


def test_the_log_lifts_the_indexed_fields_out_of_each_event(ledger: Ledger) -> None:
    """What the views index without parsing an event (authority, source, effective
    date, subject) is what the event itself says, for every kind of event."""
    ledger.register_measure(
        {"code": "bench:m1", "name": "A measure", "unit_label": "children"}
    )
    fact_id = UUID(ledger.record_fact(count_body(summary="Blackpool’s count, é")).id)
    ledger.record_fact(rating_body())
    ledger.record_fact(appointment_body())
    ledger.record_fact(grant_body())
    ledger.correct_fact(fact_id, {"value": 541}, "typing error")
    ledger.retract_fact(fact_id, "withdrawn")
    events = ledger.read(0, 100)
    assert [e.position for e in ledger.read_at([e.position for e in events])] == [
        e.position for e in events
    ]
    for e in [*events, *ledger.read_at([e.position for e in events])]:
        s = e.state
        effective = s.get("effective")
        subject = LIFTED_SUBJECT.get(e.topic)
        assert (e.authority, e.source, e.effective, e.subject) == (
            s.get("code") if e.topic == "AuthorityRegistered" else s.get("authority"),
            s.get("source"),
            effective["_data_"] if isinstance(effective, dict) else None,
            s[subject] if subject else None,
        ), e.topic
    assert {e.topic for e in events} >= {
        "AuthorityRegistered",
        "SourceRegistered",
        "MeasureRegistered",
        "CountReported",
        "RatingGiven",
        "FactCorrected",
        "FactRetracted",
    }
    assert events[3].state["summary"] == "Blackpool’s count, é"
