"""The shape of a feed entry, and how one is made from its event.

Shared by the entries for registrations (:mod:`projections.registration_entries`)
and for facts (:mod:`projections.feed_entries`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projections.entry_bodies import Body
from projections.logged_events import LoggedEvent


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One rendered-ready entry: numbering, words for people, JSON for machines."""

    seq: int
    position: int
    topic: str
    event_id: str
    recorded_at: str
    title: str
    summary: str
    content: dict[str, Any]  # the event's JSON
    body: Body  # what a person reads
    authority: str | None = None
    fact_id: str | None = None
    source_id: str | None = None
    kind: str | None = None
    effective: dict[str, object] | None = None
    source: dict[str, Any] | None = None  # the registered source, as served
    evidence: str | None = None
    deletes: str | None = None  # a retraction: the event id of the withdrawn entry
    reason: str | None = None


def event_json(seq: int, e: LoggedEvent) -> dict[str, Any]:
    """The JSON every entry's machine part starts with."""
    return {
        "event": e.topic,
        "event_id": str(e.event_id),
        "sequence": seq,
        "position": e.position,
        "recorded_at": e.recorded_at,
    }


def make_entry(
    seq: int,
    e: LoggedEvent,
    title: str,
    summary: str,
    content: dict[str, Any],
    body: Body,
    **details: Any,
) -> FeedEntry:
    return FeedEntry(
        seq=seq,
        position=e.position,
        topic=e.topic,
        event_id=content["event_id"],
        recorded_at=e.recorded_at,
        title=title,
        summary=summary,
        content=content,
        body=body,
        **details,
    )
