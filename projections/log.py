"""What projections read: the global log, as positioned events in their stored form.

The service supplies an :class:`EventLog` over its event store. ``state`` is the
event's stored JSON, parsed but not converted: value objects appear as
``{"_type_": name, "_data_": text}`` (dates as EDTF text, money as
``"764000.00 GBP"``, decimals and timestamps as text). Reading that form directly
keeps replay fast; :mod:`projections.plain` turns it into API-ready JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID, uuid5


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One event as the log holds it."""

    position: int
    originator_id: str  # 32 hex digits, as SQLite stores it
    version: int
    topic: str
    state: dict[str, Any]

    @property
    def recorded_at(self) -> str:
        """ISO 8601 timestamp of when the ledger recorded the event."""
        text: str = self.state["timestamp"]["_data_"]
        return text

    @property
    def event_id(self) -> UUID:
        """A stable id for the event itself, derived from its aggregate and version."""
        return uuid5(UUID(self.originator_id), str(self.version))


class EventLog(Protocol):
    def read(self, after: int, limit: int) -> Sequence[LoggedEvent]:
        """Events with positions greater than ``after``, in order, at most ``limit``."""
        ...

    def positions(self, after: int, limit: int) -> Sequence[int]:
        """The positions of the events that :meth:`read` would return."""
        ...

    def read_at(self, positions: Sequence[int]) -> Sequence[LoggedEvent]:
        """The events at these positions, in position order."""
        ...

    def last_position(self) -> int:
        """The position of the newest event, 0 when the log is empty."""
        ...

    def decode(self, event: LoggedEvent) -> dict[str, Any]:
        """The event's state with values as domain objects (EffectiveDate, Money)."""
        ...
