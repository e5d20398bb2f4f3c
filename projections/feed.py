"""The feed view: every event numbered in log order, globally, per authority and per
kind of fact.

Feed pages are ranges of these numbers, so a page, once full, never changes. The
numbers are dense (1, 2, 3...) even where log positions skip (PostgreSQL). The view
keeps only the numbering; an entry's words and JSON are made from the event itself
when a page is rendered (:mod:`projections.feed_entries`), so replay stays cheap.

A scope names one feed: ``""`` the global feed, a GSS code an authority's, and
``kind:<kind>`` one kind of fact's (its reports, corrections and retractions).
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.kinds import KIND_BY_EVENT
from projections.base import Projection
from projections.db import Cursor
from projections.facts import fact_key
from projections.feed_entries import FeedEntry, Names, entries_at
from projections.logged_events import EventLog, LoggedEvent

__all__ = ["FeedEntry", "FeedView", "Names", "entries_at", "kind_scope"]

GLOBAL = ""  # the scope of the global feed; an authority's scope is its code
KIND = "kind:"  # the prefix of a kind of fact's scope
_CHANGES = frozenset({"FactCorrected", "FactRetracted"})


def kind_scope(kind: str) -> str:
    return KIND + kind


class FeedView(Projection):
    """Counts events per feed and notes where each page starts.

    ``feed_pages`` holds the log position of the first entry of every page of
    every feed (global, per authority, per kind of fact). With the count, that is
    all a page needs: its entries are the next ``page_size`` events of its feed
    from there.
    """

    name = "feed"
    tables = {
        "feed_pages": """CREATE TABLE IF NOT EXISTS feed_pages (
            scope TEXT NOT NULL, page INTEGER NOT NULL,
            first_position {bigint} NOT NULL,
            PRIMARY KEY (scope, page))""",
        "feed_counters": """CREATE TABLE IF NOT EXISTS feed_counters (
            scope TEXT PRIMARY KEY, entries {bigint} NOT NULL)""",
    }

    def __init__(self, page_size: int = 100) -> None:
        self.page_size = page_size

    def fingerprint(self) -> str:
        # "kinds": the feeds by kind of fact were added without a change of tables.
        return f"{super().fingerprint()}-{self.page_size}-kinds"

    def apply(self, cur: Cursor, events: Sequence[LoggedEvent]) -> None:
        counts: dict[str, int] = {GLOBAL: _count(cur, GLOBAL)}
        size = self.page_size
        starts: list[tuple[str, int, int]] = []
        kinds = _Kinds(cur, remember=any(e.topic in _CHANGES for e in events))
        for e in events:
            scopes = [GLOBAL]
            if e.authority:  # lifted by the log: a registration's own code
                scopes.append(e.authority)
            kind = kinds.of(e)
            if kind:
                scopes.append(kind_scope(kind))
            for scope in scopes:
                n = counts.get(scope)
                n = counts[scope] = (_count(cur, scope) if n is None else n) + 1
                if n % size == 1 or size == 1:
                    starts.append((scope, (n - 1) // size + 1, e.position))
        if starts:
            cur.executemany(
                "INSERT INTO feed_pages (scope, page, first_position) VALUES (?, ?, ?)",
                starts,
            )
        cur.executemany(
            "INSERT INTO feed_counters (scope, entries) VALUES (?, ?) "
            "ON CONFLICT (scope) DO UPDATE SET entries = excluded.entries",
            list(counts.items()),
        )


class _Kinds:
    """The kind of fact an event is about: a report's from its topic, a correction's
    or retraction's from its fact (reported earlier in this batch, or in the facts
    view, which the worker applies first in the same transaction)."""

    def __init__(self, cur: Cursor, remember: bool) -> None:
        self.cur = cur
        self.remember = remember  # only a batch with changes needs its reports' kinds
        self.facts: dict[str, str] = {}

    def of(self, e: LoggedEvent) -> str | None:
        spec = KIND_BY_EVENT.get(e.topic)
        if spec is not None:
            if self.remember:
                self.facts[e.originator_id] = spec.kind
            return spec.kind
        if e.topic not in _CHANGES:
            return None
        known = self.facts.get(e.originator_id)
        if known is None:
            self.cur.execute(
                "SELECT kind FROM fact_versions WHERE fact_key = ? AND fact_id = ? "
                "AND version = 1",
                (fact_key(e.originator_id), e.originator_id),
            )
            row = self.cur.fetchone()
            known = str(row[0]) if row else None
        return known


def _count(cur: Cursor, scope: str) -> int:
    """Entries of one feed so far."""
    cur.execute("SELECT entries FROM feed_counters WHERE scope = ?", (scope,))
    row = cur.fetchone()
    return int(row[0]) if row else 0


# -- queries -------------------------------------------------------------------


def entry_count(cur: Cursor, scope: str | None = None) -> int:
    return _count(cur, scope or GLOBAL)


def page_start(cur: Cursor, page: int, scope: str | None = None) -> int | None:
    """The log position of a page's first entry, None if the page has no entries."""
    cur.execute(
        "SELECT first_position FROM feed_pages WHERE scope = ? AND page = ?",
        (scope or GLOBAL, page),
    )
    row = cur.fetchone()
    return int(row[0]) if row else None


def page_positions(
    cur: Cursor, log: EventLog, page: int, size: int, scope: str | None = None
) -> list[int]:
    """The log positions of one page's entries, in order."""
    first = page_start(cur, page, scope)
    if first is None:
        return []
    if not scope:
        return list(log.positions(first - 1, size))
    if scope.startswith(KIND):
        cur.execute(
            "SELECT position FROM fact_versions WHERE kind = ? AND position >= ? "
            "ORDER BY position LIMIT ?",
            (scope.removeprefix(KIND), first, size),
        )
    else:
        cur.execute(
            "SELECT position FROM fact_versions WHERE authority = ? AND position >= ? "
            "UNION ALL SELECT position FROM authorities WHERE code = ? "
            "AND position >= ? ORDER BY 1 LIMIT ?",
            (scope, first, scope, first, size),
        )
    return [int(p) for (p,) in cur.fetchall()]


def page_entries(
    cur: Cursor, log: EventLog, page: int, size: int, scope: str | None = None
) -> list[FeedEntry]:
    """One page's entries, numbered, with words for people and JSON for machines."""
    positions = page_positions(cur, log, page, size, scope)
    first = (page - 1) * size + 1
    return entries_at(cur, log, [(first + i, p) for i, p in enumerate(positions)])


def numbered_after(
    cur: Cursor, log: EventLog, scope: str, after: int, upto: int, size: int
) -> list[tuple[int, int]]:
    """(number, log position) of a feed's entries after position ``after`` and up
    to ``upto``, at most ``size`` (the page size) of them: what a push sends."""
    cur.execute(
        "SELECT MAX(page) FROM feed_pages WHERE scope = ? AND first_position <= ?",
        (scope or GLOBAL, after),
    )
    row = cur.fetchone()
    page = int(row[0]) if row and row[0] is not None else 1
    found: list[tuple[int, int]] = []
    for number in (page, page + 1):  # the page holding ``after``, then the next
        first = (number - 1) * size + 1
        positions = page_positions(cur, log, number, size, scope)
        found += [(first + i, p) for i, p in enumerate(positions) if after < p <= upto]
    return found[:size]
