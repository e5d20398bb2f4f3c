"""Recording many facts at once (imports): prepare (validate, identify, encode),
then store. A single fact goes through its aggregate instead
(:meth:`service.application.Ledger.record_fact`).

Preparing is pure CPU work that needs no database, so an importer may run it in
other processes (a :class:`FactPreparer` pickles, and so do its results); storing
checks in one query which ids are already recorded, compares their stored content,
and inserts the rest in one transaction.

A prepared fact is exactly the stored form of the ``Fact`` created event that
:meth:`domain.facts.Fact.report` triggers, provenance included (a test compares
the two for every kind); it is written here directly because building an
aggregate and an event object per row only to encode it costs more than the rest
of the import. A batch shares one recorded time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent

from domain.drafts import FactDraft
from domain.provenance import PROVENANCE_FIELDS, Provenance
from service.transcoding import make_transcoder


@dataclass(frozen=True, slots=True)
class PreparedFact:
    """A validated fact, encoded as the event that reports it."""

    fact_id: UUID
    authority: str
    source: str
    stored: StoredEvent
    key: str  # the id as 32 hex digits, as SQLite stores it

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Compact pickling for worker processes: bytes and strings only.
        s = self.stored
        return _unpickle, (
            self.fact_id.bytes,
            self.authority,
            self.source,
            s.topic,
            s.state,
        )


def _unpickle(
    fact_id: bytes, authority: str, source: str, topic: str, state: bytes
) -> PreparedFact:
    uid = UUID(bytes=fact_id)
    stored = StoredEvent(uid, 1, topic, state)
    return PreparedFact(uid, authority, source, stored, uid.hex)


class FactPreparer:
    """Turns drafts into stored created events; picklable, for a process pool."""

    def __init__(self) -> None:
        self._types: dict[type, Any] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, _state: dict[str, Any]) -> None:
        self._types = None

    def _tag(self, value: Any) -> Any:
        if self._types is None:
            self._types = make_transcoder().types
        transcoding = self._types.get(type(value))
        if transcoding is None:
            return value
        return {"_type_": transcoding.name, "_data_": transcoding.encode(value)}

    def __call__(
        self, drafts: Sequence[FactDraft], provenance: Provenance | None = None
    ) -> list[PreparedFact]:
        """``provenance`` (who wrote them, from where) goes on every fact."""
        tag = self._tag
        timestamp = tag(datetime.now(UTC))
        extra = provenance.as_state() if provenance is not None else {}
        prepared = []
        for d in drafts:
            state: dict[str, Any] = {
                "timestamp": timestamp,
                "originator_topic": "Fact",
                "authority": d.authority,
                "source": d.source,
                "effective": tag(d.effective),
                "summary": d.summary,
            }
            for name, value in d.fields.items():
                state[name] = tag(value)
            state.update(extra)
            fact_id = d.fact_id
            stored = StoredEvent(fact_id, 1, d.spec.event, orjson.dumps(state))
            prepared.append(
                PreparedFact(fact_id, d.authority, d.source, stored, fact_id.hex)
            )
        return prepared


def comparable(topic: str, state: bytes) -> tuple[str, dict[str, Any]]:
    """What two reports of a fact must share to be the same report: all but the
    time and who recorded it from where (its provenance). A field with no value
    counts as absent, so a field added to a kind later (a qualifier) leaves the
    facts recorded before it the same."""
    data = {k: v for k, v in orjson.loads(state).items() if v is not None}
    data.pop("timestamp", None)
    for name in PROVENANCE_FIELDS:
        data.pop(name, None)
    return topic, data
