"""The bitemporal fact view: one narrow row per version of every fact.

A fact's first row comes from the event that reported it; a correction adds a
version, a retraction a version marked as the retraction. Each row knows the log
position that recorded it and the position that superseded it, so "what did the
ledger know at position K" is a filter; and its effective date, so "what held on
date D" is another.

The rows hold what queries filter and sort on (:mod:`projections.facts`). What a
fact says (summary, fields, reasons) stays in the log, which the rows point into
by position: queries read those events back, so replay writes small rows quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from domain.kinds import KIND_BY_EVENT, KINDS
from projections.base import Projection
from projections.db import Cursor, insert_rows
from projections.facts import fact_key
from projections.logged_events import LoggedEvent
from projections.plain import edtf_start

COLUMNS = (
    "position, fact_key, fact_id, version, kind, authority, subject, source, "
    "effective, effective_start, superseded_at, status, retraction"
)
_KEY_INDEX = "CREATE INDEX IF NOT EXISTS fact_versions_key ON fact_versions (fact_key)"


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
    # The listings read in (effective_start, position) order: each index that
    # serves one ends in those columns, so any page is a range of it, unsorted.
    indexes = (
        _KEY_INDEX,
        "CREATE INDEX IF NOT EXISTS fact_versions_subject "
        "ON fact_versions (authority, subject, effective_start, position)",
        "CREATE INDEX IF NOT EXISTS fact_versions_authority "
        "ON fact_versions (authority, position)",
        "CREATE INDEX IF NOT EXISTS fact_versions_by_authority "
        "ON fact_versions (authority, effective_start, position)",
        "CREATE INDEX IF NOT EXISTS fact_versions_source "
        "ON fact_versions (source, effective_start, position)",
        # The feeds by kind of fact page through this.
        "CREATE INDEX IF NOT EXISTS fact_versions_kind "
        "ON fact_versions (kind, position)",
        # GET /facts across authorities: every fact, or one measure everywhere.
        "CREATE INDEX IF NOT EXISTS fact_versions_order "
        "ON fact_versions (effective_start, position)",
        "CREATE INDEX IF NOT EXISTS fact_versions_subject_order "
        "ON fact_versions (subject, effective_start, position)",
    )

    def apply(self, cur: Cursor, events: Sequence[LoggedEvent]) -> None:
        # Reports, in one pass: everything their rows need was lifted by the log.
        kinds = KIND_BY_EVENT
        starts = _PeriodStarts()
        rows = [
            [
                e.position, fact_key(e.originator_id), e.originator_id, e.version,
                spec.kind, e.authority, spec.subject or e.subject,
                e.source, e.effective, starts[e.effective], None, "current", 0,
            ]
            for e in events
            if (spec := kinds.get(e.topic)) is not None
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
                field = KINDS[str(row[4])].subject_field
                if field is not None and field in changed:
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


_CHANGES = frozenset({"FactCorrected", "FactRetracted"})


class _PeriodStarts(dict[str | None, str]):
    """EDTF text -> first day of its period, computed once per distinct date."""

    def __missing__(self, edtf: str | None) -> str:
        start = self[edtf] = edtf_start(cast(str, edtf))
        return start


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
