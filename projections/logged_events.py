"""What projections read: the global log, as positioned events in their stored form.

The service supplies an :class:`EventLog` over its event store. ``state`` is the
event's stored JSON, parsed but not converted: value objects appear as
``{"_type_": name, "_data_": text}`` (dates as EDTF text, money as
``"764000.00 GBP"``, decimals and timestamps as text). Reading that form directly
keeps replay fast; :mod:`projections.plain` turns it into API-ready JSON.

Most events are fact reports, and the views index only four of their fields. The
log lifts those out of the stored JSON (SQLite in its own query; see
:data:`LIFTED_AUTHORITY` and :data:`LIFTED_SUBJECT` for where each comes from) and
hands them over beside the event, so a replay parses a whole event only when a view
asks for its ``state`` (corrections, registrations, rendering).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID, uuid5

import orjson

from domain.kinds import KIND_BY_EVENT

# Which field of a stored event each lifted value comes from, by topic: the
# authority an event is about (a registration's own code), its source, its
# effective date (EDTF text) and, for fact reports, the field naming its subject.
LIFTED_AUTHORITY = {"AuthorityRegistered": "code"}  # otherwise "authority"
LIFTED_SUBJECT = {
    spec.event: spec.subject_field
    for spec in KIND_BY_EVENT.values()
    if spec.subject_field is not None
}


class LoggedEvent:
    """One event as the log holds it, with its lifted fields (None where absent)."""

    __slots__ = (
        "_state",
        "authority",
        "data",
        "effective",
        "originator_id",
        "position",
        "source",
        "subject",
        "topic",
        "version",
    )

    def __init__(
        self,
        position: int,
        originator_id: str,  # 32 hex digits, as SQLite stores it
        version: int,
        topic: str,
        data: bytes,  # the stored JSON
        authority: str | None = None,
        source: str | None = None,
        effective: str | None = None,  # EDTF text
        subject: str | None = None,
    ) -> None:
        self.position = position
        self.originator_id = originator_id
        self.version = version
        self.topic = topic
        self.data = data
        self.authority = authority
        self.source = source
        self.effective = effective
        self.subject = subject
        self._state: dict[str, Any] | None = None

    @property
    def state(self) -> dict[str, Any]:
        """The stored JSON, parsed on first use."""
        if self._state is None:
            self._state = orjson.loads(self.data)
        return self._state

    def parsed(self, state: dict[str, Any]) -> None:
        """Hand over the stored JSON already parsed (by a log that had to)."""
        self._state = state

    @property
    def recorded_at(self) -> str:
        """ISO 8601 timestamp of when the ledger recorded the event."""
        text: str = self.state["timestamp"]["_data_"]
        return text

    @property
    def event_id(self) -> UUID:
        """A stable id for the event itself, derived from its aggregate and version."""
        return uuid5(UUID(self.originator_id), str(self.version))

    def __repr__(self) -> str:
        return f"LoggedEvent({self.position}, {self.topic}, {self.originator_id})"


class EventLog(Protocol):
    def read(self, after: int, limit: int) -> Sequence[LoggedEvent]:
        """Events with positions greater than ``after``, in order, at most ``limit``."""
        ...

    def positions(self, after: int, limit: int) -> Sequence[int]:
        """The positions of the events that :meth:`read` would return."""
        ...

    def read_at(
        self, positions: Sequence[int], lift: bool = True
    ) -> Sequence[LoggedEvent]:
        """The events at these positions, in position order (without ``lift``,
        their lifted fields may be None: see the recorders)."""
        ...

    def last_position(self) -> int:
        """The position of the newest event, 0 when the log is empty."""
        ...

    def decode(self, event: LoggedEvent) -> dict[str, Any]:
        """The event's state with values as domain objects (EffectiveDate, Money)."""
        ...
