"""Queries over the bitemporal fact view (:mod:`projections.facts_view`): the
facts as known at a log position and in force on a date, in listing order, and
what each says, read back from the log (:func:`hydrate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any, NamedTuple

from domain.provenance import PROVENANCE_FIELDS
from projections.db import Cursor
from projections.evidence import QUOTED_IN_REPORT, evidence_class
from projections.keyset import Key, Keyset
from projections.logged_events import EventLog, LoggedEvent
from projections.plain import effective_json, plain

_COMMON = frozenset(
    (
        "timestamp",
        "originator_topic",
        "authority",
        "source",
        "effective",
        "summary",
        *PROVENANCE_FIELDS,
    )
)


def fact_key(hex_id: str) -> int:
    """The first 8 bytes of a fact id as a signed integer: a compact index key."""
    value = int(hex_id[:16], 16)
    return value - (1 << 64) if value >= 1 << 63 else value


# The columns of a FactRow, from fact_versions v and sources s (search reads
# them too).
FACT_COLUMNS = (
    "v.position, v.fact_id, v.version, v.kind, v.authority, v.subject, "
    "v.effective, v.effective_start, v.superseded_at, v.status, v.retraction, "
    "s.source_id, s.kind, s.title, s.publisher, s.url, s.published, s.rank"
)
FACT_SELECT = (
    f"SELECT {FACT_COLUMNS} "
    "FROM fact_versions v JOIN sources s ON s.source_id = v.source "
)


def dashed(hex_id: str) -> str:
    h = hex_id
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class FactRow(NamedTuple):
    """One version of a fact as the view indexes it, with its source.

    A named tuple rather than a frozen dataclass: as immutable, and built from a
    row of the views about ten times faster (a listing or an export builds one
    per fact it reads).
    """

    position: int
    fact_id: str  # 32 hex digits
    version: int
    kind: str
    authority: str
    subject: str
    effective: str
    effective_start: str
    superseded_at: int | None
    status: str
    retraction: int
    source_id: str
    source_kind: str
    source_title: str
    source_publisher: str
    source_url: str | None
    source_published: str | None
    source_rank: int

    @property
    def sort_key(self) -> tuple[str, int]:
        """Where the row is in a listing (see :data:`FACT_ORDER`)."""
        return (self.effective_start, self.position)

    @property
    def rule_key(self) -> tuple[str, int, int]:
        """Order for the current-value rule: later effective date, then the more
        primary source, then the later recorded."""
        return (self.effective_start, -self.source_rank, self.position)


# Listings of facts: by effective date, then as recorded.
FACT_ORDER = Keyset("v.effective_start", "v.position")


def visible_facts(
    cur: Cursor,
    authority: str | None = None,
    *,
    known_at: int | None = None,
    as_of: date | None = None,
    kind: str | None = None,
    subject: str | None = None,
    source: str | None = None,
    history: bool = False,
    published_by: date | None = None,
    after: Key | None = None,
    limit: int | None = None,
    order: Keyset = FACT_ORDER,
    not_kind: str | None = None,
) -> list[FactRow]:
    """Facts as known at ``known_at`` and in force by ``as_of``, in ``order``:
    all of them, or at most ``limit`` after the sort key ``after`` (``not_kind``:
    but none of that kind).

    With ``history``, every version recorded by ``known_at`` is returned, retracted
    and corrected ones included, instead of only the versions then in force. With
    ``published_by``, only facts whose source was published by that date (one
    dated to a month or a year counts from the end of it).
    """
    where: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("v.authority", authority),
        ("v.source", source),
        ("v.kind", kind),
        ("v.subject", subject),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if not_kind is not None:
        where.append("v.kind <> ?")
        params.append(not_kind)
    if known_at is not None:
        where.append("v.position <= ?")
        params.append(known_at)
    if not history:
        if known_at is None:
            where.append("v.superseded_at IS NULL")
        else:
            where.append("(v.superseded_at IS NULL OR v.superseded_at > ?)")
            params.append(known_at)
        where.append("v.retraction = 0")
    if as_of is not None:
        where.append("v.effective_start <= ?")
        params.append(as_of.isoformat())
    if published_by is not None:
        # What had been reported by then: a source of unknown date never was.
        where.append("s.published_end <= ?")
        params.append(published_by.isoformat())
    return order.read_after(partial(select_facts, cur, where, params), after, limit)


def select_facts(
    cur: Cursor,
    where: list[str],
    params: list[Any],
    condition: str | None,
    values: list[Any],
    tail: str,
    tail_values: list[Any],
) -> list[FactRow]:
    """The facts view's rows meeting ``where`` and ``condition``, then ``tail``."""
    every = [*where, condition] if condition is not None else where
    sql = FACT_SELECT + ("WHERE " + " AND ".join(every) if every else "")
    cur.execute(sql + tail, [*params, *values, *tail_values])
    return list(map(FactRow._make, cur.fetchall()))


def fact_versions(cur: Cursor, fact_id: str) -> list[FactRow]:
    """Every version of one fact (``fact_id`` dashed or as 32 hex digits)."""
    hex_id = fact_id.replace("-", "")
    cur.execute(
        FACT_SELECT + "WHERE v.fact_key = ? AND v.fact_id = ? ORDER BY v.version",
        (fact_key(hex_id), hex_id),
    )
    return list(map(FactRow._make, cur.fetchall()))


def hydrate(
    cur: Cursor, log: EventLog, rows: Sequence[FactRow]
) -> list[dict[str, Any]]:
    """The rows as JSON documents, with what each fact says read from the log.

    A corrected version is its report with the corrections up to it applied.
    """
    said = versions_said(cur, log, rows)
    return [_document(row, one) for row, one in zip(rows, said, strict=True)]


class Said(NamedTuple):
    """What one version of a fact says, as read from the log."""

    state: dict[str, Any]  # its report's state, with the corrections up to it
    fields: dict[str, Any]  # the kind's own fields, as plain data
    report: LoggedEvent
    current: LoggedEvent  # the version's own event (its report, or a change)
    reason: str | None  # the latest change's reason
    correction_source: str | None  # the latest correction's source


def versions_said(cur: Cursor, log: EventLog, rows: Sequence[FactRow]) -> list[Said]:
    """What each row's version says, in the rows' order: one read of the log for
    them all (and of each corrected fact's earlier versions)."""
    needed: dict[str, list[int]] = {}
    for row in rows:
        if row.version > 1 and row.fact_id not in needed:
            cur.execute(
                "SELECT position FROM fact_versions WHERE fact_key = ? AND fact_id = ? "
                "ORDER BY version",
                (fact_key(row.fact_id), row.fact_id),
            )
            needed[row.fact_id] = [p for (p,) in cur.fetchall()]
    positions = {row.position for row in rows}
    for earlier in needed.values():
        positions.update(earlier)
    # The rows hold what the log lifts: only the events' states are needed.
    events = {e.position: e for e in log.read_at(sorted(positions), lift=False)}
    said = []
    for row in rows:
        history = needed.get(row.fact_id)
        said.append(
            _corrected(row, events, history)
            if history
            else _reported(events[row.position])
        )
    return said


def _reported(report: LoggedEvent) -> Said:
    """What a fact's report says (a version with no change after it)."""
    state = report.state
    return Said(state, _fields(state), report, report, None, None)


def _corrected(
    row: FactRow, events: dict[int, LoggedEvent], history: list[int]
) -> Said:
    """What one version says of a fact with several: its report, with the
    changes up to the version applied (``history``: the versions' positions)."""
    chain = [p for p in history if p <= row.position]
    report = events[chain[0]]
    if len(chain) == 1:
        return _reported(report)
    state = dict(report.state)
    reason = correction_source = None
    for position in chain[1:]:
        later = events[position]
        if later.topic == "FactCorrected":
            state.update(later.state["changes"])
            correction_source = later.state["source"]
        reason = later.state["reason"]
    current = events[row.position]
    return Said(state, _fields(state), report, current, reason, correction_source)


def _fields(state: dict[str, Any]) -> dict[str, Any]:
    """The kind's own fields of a state, as plain data (most are plain already:
    only a stored object needs :func:`plain`)."""
    common = _COMMON
    return {
        k: plain(v) if type(v) is dict or type(v) is list else v
        for k, v in state.items()
        if k not in common
    }


def _document(row: FactRow, said: Said) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "fact_id": dashed(row.fact_id),
        "kind": row.kind,
        "authority": row.authority,
        "subject": row.subject,
        "effective": effective_json(row.effective),
        "summary": said.state["summary"],
        "fields": said.fields,
        "source": {
            "id": row.source_id,
            "kind": row.source_kind,
            "title": row.source_title,
            "publisher": row.source_publisher,
            "url": row.source_url,
            "published": effective_json(row.source_published)
            if row.source_published
            else None,
        },
        "evidence_class": evidence_class(row.source_kind, row.kind),
        "recorded": {"position": row.position, "at": said.current.recorded_at},
        "version": row.version,
        "status": row.status,
    }
    if doc["evidence_class"] == QUOTED_IN_REPORT:
        doc["quoted_in"] = row.source_publisher  # whose report quotes the figure
    if said.reason is not None:
        doc["reason"] = said.reason
    add_provenance(doc, said.report.state, said.current.state)
    if said.correction_source is not None:
        doc["correction_source"] = said.correction_source
    if row.superseded_at is not None:
        doc["superseded_at"] = row.superseded_at
    return doc


def add_provenance(
    doc: dict[str, Any], report: dict[str, Any], event: dict[str, Any]
) -> None:
    """The writer of the version's event (``event``), and the proposal and evidence
    span of the fact's report: those the events hold (see domain.provenance)."""
    writer = event.get("recorded_by")
    if writer is not None:
        doc["recorded_by"] = writer
    for name in ("proposal_id", "evidence"):
        if report.get(name) is not None:
            doc[name] = report[name]
