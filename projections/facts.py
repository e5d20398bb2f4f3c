"""The bitemporal fact view: one narrow row per version of every fact.

A fact's first row comes from the event that reported it; a correction adds a
version, a retraction a version marked as the retraction. Each row knows the log
position that recorded it and the position that superseded it, so "what did the
ledger know at position K" is a filter; and its effective date, so "what held on
date D" is another.

The rows hold what queries filter and sort on. What a fact says (summary, fields,
reasons) stays in the log, which the rows point into by position: queries read
those events back (:func:`hydrate`), so replay writes small rows quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from domain.kinds import KIND_BY_EVENT
from projections.base import Projection
from projections.db import Cursor, insert_rows
from projections.log import EventLog, LoggedEvent
from projections.plain import edtf_start, effective_json, plain

COLUMNS = (
    "position, fact_key, fact_id, version, kind, authority, subject, source, "
    "effective, effective_start, superseded_at, status, retraction"
)
_KEY_INDEX = "CREATE INDEX IF NOT EXISTS fact_versions_key ON fact_versions (fact_key)"
# event -> (kind, fixed subject, or the field that names the subject)
_SUBJECT: dict[str, tuple[str, str | None, str]] = {
    spec.event: (spec.kind, spec.subject, spec.subject_field or "")
    for spec in KIND_BY_EVENT.values()
}
_COMMON = (
    "timestamp",
    "originator_topic",
    "authority",
    "source",
    "effective",
    "summary",
)


def fact_key(hex_id: str) -> int:
    """The first 8 bytes of a fact id as a signed integer: a compact index key."""
    value = int(hex_id[:16], 16)
    return value - (1 << 64) if value >= 1 << 63 else value


class FactsView(Projection):
    name = "facts"
    tables = {
        "fact_versions": """CREATE TABLE IF NOT EXISTS fact_versions (
            position {int_pk}, fact_key {bigint} NOT NULL, fact_id TEXT NOT NULL,
            version INTEGER NOT NULL, kind TEXT NOT NULL, authority TEXT NOT NULL,
            subject TEXT NOT NULL, source TEXT NOT NULL, effective TEXT NOT NULL,
            effective_start TEXT NOT NULL, superseded_at {bigint},
            status TEXT NOT NULL, retraction INTEGER NOT NULL)""",
    }
    indexes = (
        _KEY_INDEX,
        "CREATE INDEX IF NOT EXISTS fact_versions_subject "
        "ON fact_versions (authority, subject, effective_start)",
        "CREATE INDEX IF NOT EXISTS fact_versions_authority "
        "ON fact_versions (authority, position)",
        "CREATE INDEX IF NOT EXISTS fact_versions_source ON fact_versions (source)",
        # The feeds by kind of fact page through this.
        "CREATE INDEX IF NOT EXISTS fact_versions_kind "
        "ON fact_versions (kind, position)",
    )

    def apply(self, cur: Cursor, events: Sequence[LoggedEvent]) -> None:
        # Reports, in one pass: everything their rows need was lifted by the log.
        reports = _REPORTS
        starts = _PeriodStarts()
        rows = [
            [
                e.position, fact_key(e.originator_id), e.originator_id, e.version,
                reports[e.topic][0], e.authority, reports[e.topic][1] or e.subject,
                e.source, e.effective, starts[e.effective], None, "current", 0,
            ]
            for e in events
            if e.topic in reports
        ]  # fmt: skip
        # Then corrections and retractions, in order. A fact's report precedes
        # them, so its row is in this batch or already written.
        changes = [e for e in events if e.topic in _CHANGES]
        superseded: list[tuple[Any, ...]] = []
        latest = {row[2]: row for row in rows} if changes else {}
        for e in changes:
            hex_id = e.originator_id
            retraction = e.topic == "FactRetracted"
            status = "retracted" if retraction else "corrected"
            previous = latest.get(hex_id)
            if previous is not None:  # not written yet: amend it in place
                previous[10], previous[11] = e.position, status
            else:
                previous = _latest_row(cur, hex_id)
                if previous is None:
                    continue  # cannot happen: the domain refuses it
                superseded.append((e.position, status, previous[0]))
            row = list(previous)
            row[0], row[3] = e.position, e.version
            row[10], row[11], row[12] = None, status if retraction else "current", 0
            if retraction:
                row[12] = 1
            else:
                changed = e.state["changes"]
                if "effective" in changed:
                    edtf = changed["effective"]["_data_"]
                    row[8], row[9] = edtf, edtf_start(edtf)
                _, fixed, field = _SUBJECT[_created_topic(str(row[4]))]
                if fixed is None and field in changed:
                    row[6] = changed[field]
            rows.append(row)
            latest[hex_id] = row
        if superseded:
            cur.executemany(
                "UPDATE fact_versions SET superseded_at = ?, status = ? "
                "WHERE position = ?",
                superseded,
            )
        if rows:
            insert_rows(cur, "fact_versions", COLUMNS, rows)


# report topic -> (kind, fixed subject or "" when a field names it)
_REPORTS = {topic: (kind, fixed or "") for topic, (kind, fixed, _) in _SUBJECT.items()}
_CHANGES = frozenset({"FactCorrected", "FactRetracted"})


class _PeriodStarts(dict[str | None, str]):
    """EDTF text -> first day of its period, computed once per distinct date."""

    def __missing__(self, edtf: str | None) -> str:
        start = self[edtf] = edtf_start(cast(str, edtf))
        return start


_CREATED_TOPIC = {spec.kind: spec.event for spec in KIND_BY_EVENT.values()}


def _created_topic(kind: str) -> str:
    return _CREATED_TOPIC[kind]


def _latest_row(cur: Cursor, hex_id: str) -> list[Any] | None:
    # During a replay the indexes come at the end; a correction needs this one now.
    cur.execute(_KEY_INDEX)
    cur.execute(
        f"SELECT {COLUMNS} FROM fact_versions WHERE fact_key = ? AND fact_id = ? "
        "ORDER BY version DESC LIMIT 1",
        (fact_key(hex_id), hex_id),
    )
    row = cur.fetchone()
    return list(row) if row else None


# -- queries -------------------------------------------------------------------

_SELECT = (
    "SELECT v.position, v.fact_id, v.version, v.kind, v.authority, v.subject, "
    "v.effective, v.effective_start, v.superseded_at, v.status, v.retraction, "
    "s.source_id, s.kind, s.title, s.publisher, s.url, s.published, s.rank "
    "FROM fact_versions v JOIN sources s ON s.source_id = v.source "
)


def dashed(hex_id: str) -> str:
    h = hex_id
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True, slots=True)
class FactRow:
    """One version of a fact as the view indexes it, with its source."""

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
    def rule_key(self) -> tuple[str, int, int]:
        """Order for the current-value rule: later effective date, then the more
        primary source, then the later recorded."""
        return (self.effective_start, -self.source_rank, self.position)


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
) -> list[FactRow]:
    """Facts as known at ``known_at`` and in force by ``as_of``.

    With ``history``, every version recorded by ``known_at`` is returned, retracted
    and corrected ones included, instead of only the versions then in force.
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
    sql = _SELECT + ("WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY v.effective_start, v.position"
    cur.execute(sql, params)
    return [FactRow(*r) for r in cur.fetchall()]


def fact_versions(cur: Cursor, fact_id: str) -> list[FactRow]:
    """Every version of one fact (``fact_id`` dashed or as 32 hex digits)."""
    hex_id = fact_id.replace("-", "")
    cur.execute(
        _SELECT + "WHERE v.fact_key = ? AND v.fact_id = ? ORDER BY v.version",
        (fact_key(hex_id), hex_id),
    )
    return [FactRow(*r) for r in cur.fetchall()]


def hydrate(
    cur: Cursor, log: EventLog, rows: Sequence[FactRow]
) -> list[dict[str, Any]]:
    """The rows as JSON documents, with what each fact says read from the log.

    A corrected version is its report with the corrections up to it applied.
    """
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
    events = {e.position: e for e in log.read_at(sorted(positions))}
    return [_document(row, events, needed.get(row.fact_id)) for row in rows]


def _document(
    row: FactRow, events: dict[int, LoggedEvent], history: list[int] | None
) -> dict[str, Any]:
    chain = [p for p in history if p <= row.position] if history else [row.position]
    report = events[chain[0]]
    state = {k: v for k, v in report.state.items() if k not in ("timestamp",)}
    reason = correction_source = None
    for position in chain[1:]:
        later = events[position]
        if later.topic == "FactCorrected":
            state.update(later.state["changes"])
            correction_source = later.state["source"]
        reason = later.state["reason"]
    current = events[row.position]
    fields = {k: plain(v) for k, v in state.items() if k not in _COMMON}
    doc: dict[str, Any] = {
        "fact_id": dashed(row.fact_id),
        "kind": row.kind,
        "authority": row.authority,
        "subject": row.subject,
        "effective": effective_json(row.effective),
        "summary": state["summary"],
        "fields": fields,
        "source": {
            "id": row.source_id,
            "kind": row.source_kind,
            "title": row.source_title,
            "publisher": row.source_publisher,
            "url": row.source_url,
            "published": row.source_published.rstrip("~")
            if row.source_published
            else None,
        },
        "recorded": {"position": row.position, "at": current.recorded_at},
        "version": row.version,
        "status": row.status,
    }
    if reason is not None:
        doc["reason"] = reason
    if correction_source is not None:
        doc["correction_source"] = correction_source
    if row.superseded_at is not None:
        doc["superseded_at"] = row.superseded_at
    return doc


def fields_of(cur: Cursor, log: EventLog, row: FactRow) -> dict[str, Any]:
    """The plain fields of one version (for rules that need a value, e.g. a name)."""
    fields: dict[str, Any] = hydrate(cur, log, [row])[0]["fields"]
    return fields
