"""Who recorded an event, and where an accepted fact was read in its source.

A write over HTTP names its writer (``recorded_by``, the name given to its token);
a fact accepted from a proposal also keeps the proposal's id (``proposal_id``) and
its evidence span (``evidence``): where in the article the fact is stated, and
those words. They are stored beside an event's fields, so events recorded before
them, or by the seeds and importers, simply have none. They say who and where
from, not what: two reports that differ only in them are the same report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.errors import InvalidValueError
from domain.values import parse_text

PROVENANCE_FIELDS = ("recorded_by", "proposal_id", "evidence")
MAX_EVIDENCE_TEXT = 2000
MAX_OFFSET = 10_000_000


@dataclass(frozen=True, slots=True)
class Evidence:
    """Characters ``start`` to ``end`` of an article, and the words found there."""

    start: int
    end: int
    text: str

    @classmethod
    def parse(cls, value: object, field: str = "evidence") -> Evidence:
        if not isinstance(value, Mapping) or set(value) != {"start", "end", "text"}:
            raise InvalidValueError(
                f"{field} must be an object of start, end and text", field
            )
        start, end = value["start"], value["end"]
        for name, offset in (("start", start), ("end", end)):
            if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
                raise InvalidValueError(
                    f"{field}.{name} must be a whole number from 0 to {MAX_OFFSET}",
                    field,
                )
        assert isinstance(start, int) and isinstance(end, int)
        if end < start:
            raise InvalidValueError(f"{field} must not end before it starts", field)
        text = parse_text(value["text"], f"{field}.text", max_length=MAX_EVIDENCE_TEXT)
        return cls(start, end, text)

    def as_data(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Provenance:
    """What a write adds to the event it stores; None where it has nothing."""

    recorded_by: str | None = None
    proposal_id: str | None = None
    evidence: Evidence | None = None

    def as_state(self) -> dict[str, object]:
        """The stored members: only those given."""
        state: dict[str, object] = {}
        if self.recorded_by is not None:
            state["recorded_by"] = self.recorded_by
        if self.proposal_id is not None:
            state["proposal_id"] = self.proposal_id
        if self.evidence is not None:
            state["evidence"] = self.evidence.as_data()
        return state
