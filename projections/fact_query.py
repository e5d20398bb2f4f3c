"""One query of facts across authorities: the filters of ``GET /facts``.

The same rows as an authority's facts (:func:`projections.facts.visible_facts`),
from every authority or some, with filters on region, dates and publication. With
``current`` only the fact the current-value rule picks for each authority, kind
and subject is kept (later effective date, then the more primary source, then the
later recorded: :attr:`FactRow.rule_key`), chosen in SQL by a window function so
that a page never holds more rows in memory than it shows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from projections.db import Cursor
from projections.facts import FACT_ORDER, FactRow, select_facts
from projections.keyset import Key, Keyset

# The rows picked as current are read from a subquery whose columns are these.
_CURRENT_COLUMNS = (
    "position, fact_id, version, kind, authority, subject, effective, "
    "effective_start, superseded_at, status, retraction, source_id, source_kind, "
    "source_title, source_publisher, source_url, source_published, source_rank"
)
_CURRENT_INNER = (
    "SELECT v.position, v.fact_id, v.version, v.kind, v.authority, v.subject, "
    "v.effective, v.effective_start, v.superseded_at, v.status, v.retraction, "
    "s.source_id, s.kind AS source_kind, s.title AS source_title, "
    "s.publisher AS source_publisher, s.url AS source_url, "
    "s.published AS source_published, s.rank AS source_rank, "
    "ROW_NUMBER() OVER (PARTITION BY v.authority, v.kind, v.subject "
    "ORDER BY v.effective_start DESC, s.rank ASC, v.position DESC) AS pick "
    "FROM fact_versions v JOIN sources s ON s.source_id = v.source"
)
_CURRENT_ORDER = Keyset("c.effective_start", "c.position")


@dataclass(frozen=True, slots=True)
class FactFilter:
    """Which facts a query across authorities asks for; None or empty: any."""

    authorities: tuple[str, ...] = ()
    region: str | None = None
    kind: str | None = None
    subject: str | None = None
    source: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    as_of: date | None = None
    known_at: int | None = None
    published_by: date | None = None
    current: bool = False
    history: bool = False


def _conditions(f: FactFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.authorities:
        where.append(f"v.authority IN ({', '.join('?' * len(f.authorities))})")
        params += f.authorities
    if f.region is not None:
        where.append("v.authority IN (SELECT code FROM authorities WHERE region = ?)")
        params.append(f.region)
    for column, value in (
        ("v.kind", f.kind),
        ("v.subject", f.subject),
        ("v.source", f.source),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if f.known_at is not None:
        where.append("v.position <= ?")
        params.append(f.known_at)
    if not f.history:
        if f.known_at is None:
            where.append("v.superseded_at IS NULL")
        else:
            where.append("(v.superseded_at IS NULL OR v.superseded_at > ?)")
            params.append(f.known_at)
        where.append("v.retraction = 0")
    latest = min((d for d in (f.as_of, f.effective_to) if d is not None), default=None)
    if latest is not None:
        where.append("v.effective_start <= ?")
        params.append(latest.isoformat())
    if f.effective_from is not None:
        where.append("v.effective_start >= ?")
        params.append(f.effective_from.isoformat())
    if f.published_by is not None:
        # As everywhere: a source dated to a month or a year counts from its end,
        # and one of unknown date was never reported by then.
        where.append("s.published_end <= ?")
        params.append(f.published_by.isoformat())
    return where, params


def query_facts(
    cur: Cursor, f: FactFilter, *, after: Key | None = None, limit: int | None = None
) -> list[FactRow]:
    """The facts ``f`` asks for, in listing order (effective date, then recorded):
    at most ``limit`` after the sort key ``after``."""
    where, params = _conditions(f)
    if not f.current:
        return FACT_ORDER.read_after(
            partial(select_facts, cur, where, params), after, limit
        )
    outer: list[str] = []
    if after is not None:
        clause, values = _CURRENT_ORDER.after(after)
        outer.append(clause)
        params += values
    condition = " WHERE " + " AND ".join(where) if where else ""
    sql = (
        f"SELECT {_CURRENT_COLUMNS} FROM ({_CURRENT_INNER}{condition}) c "
        "WHERE c.pick = 1" + "".join(" AND " + clause for clause in outer)
    )
    tail, values = _CURRENT_ORDER.order(limit)
    cur.execute(sql + tail, params + values)
    return list(map(FactRow._make, cur.fetchall()))


def authority_names(
    cur: Cursor, codes: Collection[str], known: dict[str, str] | None = None
) -> dict[str, str]:
    """The names of the authorities with these codes. ``known``: names read
    before, used and added to (a registration never changes, so a process may
    keep them as long as it likes)."""
    known = {} if known is None else known
    missing = sorted({code for code in codes if code not in known})
    if missing:
        marks = ", ".join("?" * len(missing))
        cur.execute(
            f"SELECT code, name FROM authorities WHERE code IN ({marks})", missing
        )
        known.update(cur.fetchall())
    return {code: known[code] for code in codes if code in known}
