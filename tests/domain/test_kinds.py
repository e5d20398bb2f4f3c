"""Each kind of fact is declared once (domain.kinds.KINDS); its event, its
summary and its subject follow from that declaration."""

from __future__ import annotations

import dataclasses

import pytest

from domain.drafts import draft_fact
from domain.facts import REPORT_EVENTS, Fact
from domain.kinds import KIND_BY_EVENT, KINDS
from tests.builders import count_body, grant_body

COMMON = ("authority", "source", "effective", "summary")


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_reports_with_an_event_made_from_its_fields(kind: str) -> None:
    spec = KINDS[kind]
    event_class = REPORT_EVENTS[kind]
    assert event_class is getattr(Fact, spec.event)
    assert spec.event == event_class.TOPIC
    assert KIND_BY_EVENT[spec.event] is spec
    names = [f.name for f in dataclasses.fields(event_class)]
    stored = [f.name for f in spec.stored_fields]
    assert names[-len(stored) - len(COMMON) :] == [*COMMON, *stored]
    optional = {f.name for f in spec.stored_fields if not f.required}
    for f in dataclasses.fields(event_class):
        if f.name in optional:
            assert f.default is None, f.name


def test_an_input_only_field_is_not_stored_in_the_event() -> None:
    names = {f.name for f in dataclasses.fields(REPORT_EVENTS["grant_received"])}
    assert "currency" not in names
    event = Fact.report(draft_fact(grant_body(currency="EUR"))).collect_events()[0]
    assert event.amount.currency == "EUR"  # type: ignore[attr-defined]


def test_a_kind_words_its_summary_and_names_its_subject() -> None:
    spec = KINDS["count_reported"]
    draft = draft_fact(count_body(value=1234, qualifier="more_than"))
    assert spec.summary_of(draft.fields) == "more than 1,234 children in care"
    assert draft.summary == spec.summary_of(draft.fields)
    assert draft.subject == "children_in_care"
    assert KINDS["grant_received"].subject_of(draft_fact(grant_body()).fields) == (
        "grant"
    )
