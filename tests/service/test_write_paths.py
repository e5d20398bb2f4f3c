"""A single fact is recorded through its aggregate, an import through the bulk
encoder: both must store the same event, byte for byte but for the time."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
import pytest

from domain.drafts import FactDraft, draft_fact
from domain.errors import FactConflictError
from domain.kinds import KINDS
from domain.provenance import Evidence, Provenance
from service.application import Ledger
from service.bulk import FactPreparer
from tests.builders import (
    BLACKPOOL,
    SOURCE,
    appointment_body,
    count_body,
    grant_body,
    rating_body,
)


def _body(kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "authority": BLACKPOOL,
        "source": SOURCE,
        "effective": "2022-11~",
        **fields,
    }


# One report of every kind, with optional fields given and left out.
BODIES: dict[str, dict[str, Any]] = {
    "rating_given": rating_body(
        inspection_type="short",
        inspection_start="2018-11-26",
        inspection_end="2018-12-07",
        sub_judgements={"care_leavers": "good", "adoption": "outstanding"},
        report_url="https://reports.example/rating",
    ),
    "office_holder_appointed": appointment_body(),
    "office_holder_left": _body(
        "office_holder_left", role="chief_executive", person="Ada Pennington"
    ),
    "office_holder_in_post": _body(
        "office_holder_in_post", role="council_leader", person="Ruth Okafor"
    ),
    "count_reported": count_body(rate_per_10000="198.4", qualifier="around"),
    "grant_received": grant_body(
        amount="12500.50", currency="EUR", purpose="family hubs"
    ),
    "money_reported": _body(
        "money_reported",
        category="forecast_overspend",
        amount=4200000,
        period="financial year 2022-23",
        qualifier="more_than",
    ),
    "target_set": _body(
        "target_set", measure="social_workers", value="12.5", unit="percent", by="2025"
    ),
    "intervention_recorded": _body(
        "intervention_recorded", action="improvement_notice", by="the minister"
    ),
    "neighbours_listed": _body(
        "neighbours_listed", neighbours=["E06000008", "E08000012", "E06000021"]
    ),
    "milestone_recorded": _body(
        "milestone_recorded",
        category="panel",
        title="First improvement panel",
        details="chaired by an outside adviser",
    ),
}

PROVENANCE = {
    "none": None,
    "writer": Provenance(recorded_by="desk-writer"),
    "proposal": Provenance(
        "desk-writer", "prop-0042", Evidence(120, 163, "the words found there")
    ),
}


def _same_time(state: bytes) -> bytes:
    """The stored JSON with its recorded time set to one value, keys in order."""
    return orjson.dumps({**orjson.loads(state), "timestamp": None})


def test_every_kind_has_a_report_here() -> None:
    assert set(BODIES) == set(KINDS)


@pytest.mark.parametrize("provenance", list(PROVENANCE))
@pytest.mark.parametrize("kind", list(BODIES))
def test_the_aggregate_and_the_bulk_encoder_store_the_same_event(
    ledger: Ledger, kind: str, provenance: str
) -> None:
    draft = draft_fact(BODIES[kind])
    given = PROVENANCE[provenance]
    recorded = ledger.record_fact(draft, given)
    assert recorded.created
    (logged,) = ledger.read_at([recorded.position or 0])
    (prepared,) = FactPreparer()([draft], given)
    bulk = prepared.stored
    assert (logged.topic, UUID(logged.originator_id), logged.version) == (
        bulk.topic,
        bulk.originator_id,
        bulk.originator_version,
    )
    assert _same_time(logged.data) == _same_time(bulk.state)
    assert logged.topic == KINDS[kind].event
    extras = given.as_state() if given is not None else {}
    assert {k: logged.state.get(k) for k in extras} == extras
    if given is None:
        assert not {"recorded_by", "proposal_id", "evidence"} & set(logged.state)


def _draft_and_bulk_copy(ledger: Ledger, body: dict[str, Any]) -> FactDraft:
    draft = draft_fact(body)
    ledger.record_prepared(FactPreparer()([draft]))
    return draft


def test_a_fact_imported_in_bulk_and_then_written_singly_is_the_same_fact(
    ledger: Ledger,
) -> None:
    draft = _draft_and_bulk_copy(ledger, BODIES["money_reported"])
    position = ledger.last_position()
    again = ledger.record_fact(draft, PROVENANCE["proposal"])
    assert (again.created, again.position) == (False, None)
    with pytest.raises(FactConflictError, match="correction"):
        ledger.record_fact({**BODIES["money_reported"], "amount": 4300000})
    assert ledger.last_position() == position


def test_a_report_recorded_meanwhile_elsewhere_is_compared_not_doubled(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer records the same id between the look and the save: the
    store refuses the second insert, and the report is compared as usual."""
    body = BODIES["office_holder_left"]
    _draft_and_bulk_copy(ledger, body)
    position = ledger.last_position()
    look = ledger.recorder.select_created
    looks: list[int] = []

    def not_yet_seen(keys: Any) -> dict[str, tuple[str, bytes]]:
        looks.append(len(keys))
        return {} if len(looks) == 1 else look(keys)

    monkeypatch.setattr(ledger.recorder, "select_created", not_yet_seen)
    again = ledger.record_fact(body, PROVENANCE["writer"])
    assert (again.created, again.position) == (False, None)
    looks.clear()
    with pytest.raises(FactConflictError):
        ledger.record_fact({**body, "summary": "She left the council."})
    assert ledger.last_position() == position
