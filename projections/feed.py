"""The feed view: every event numbered in log order, globally and per authority.

Feed pages are ranges of these numbers, so a page, once full, never changes. The
numbers are dense (1, 2, 3...) even where log positions skip (PostgreSQL). The view
keeps only the numbering; an entry's words and JSON are made from the event itself
when a page is rendered (:func:`page_entries`), so replay stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.facts import FACT_EVENT_TOPICS, KIND_OF_EVENT
from domain.kinds import KINDS
from domain.values import EffectiveDate
from domain.wording import describe_fact, when
from projections.base import Projection
from projections.db import Cursor
from projections.facts import dashed, fact_key
from projections.log import EventLog, LoggedEvent
from projections.plain import effective_json, plain

GLOBAL = ""  # the scope of the global feed; an authority's scope is its code


class FeedView(Projection):
    """Counts events per feed and notes where each page starts.

    ``feed_pages`` holds the log position of the first entry of every page of
    every feed (global and per authority). With the count, that is all a page
    needs: its entries are the next ``page_size`` events of its feed from there.
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
        return f"{super().fingerprint()}-{self.page_size}"

    def apply(self, cur: Cursor, events: Sequence[LoggedEvent]) -> None:
        counts: dict[str, int] = {}
        size = self.page_size
        starts: list[tuple[str, int, int]] = []
        n = _count(cur, GLOBAL)
        for e in events:
            n += 1
            if n % size == 1 or size == 1:
                starts.append((GLOBAL, (n - 1) // size + 1, e.position))
            authority = e.authority  # lifted by the log: a registration's own code
            if authority:
                m = counts.get(authority)
                m = (_count(cur, authority) if m is None else m) + 1
                counts[authority] = m
                if m % size == 1 or size == 1:
                    starts.append((authority, (m - 1) // size + 1, e.position))
        counts[GLOBAL] = n
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


def _count(cur: Cursor, scope: str) -> int:
    """Entries of one feed so far."""
    cur.execute("SELECT entries FROM feed_counters WHERE scope = ?", (scope,))
    row = cur.fetchone()
    return int(row[0]) if row else 0


# -- queries -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One rendered-ready entry: numbering, words for people, JSON for machines."""

    seq: int
    position: int
    topic: str
    event_id: str
    authority: str | None
    fact_id: str | None
    recorded_at: str
    title: str
    summary: str
    content: dict[str, Any]
    source_id: str | None


def entry_count(cur: Cursor, authority: str | None = None) -> int:
    return _count(cur, authority or GLOBAL)


def page_start(cur: Cursor, page: int, authority: str | None = None) -> int | None:
    """The log position of a page's first entry, None if the page has no entries."""
    cur.execute(
        "SELECT first_position FROM feed_pages WHERE scope = ? AND page = ?",
        (authority or GLOBAL, page),
    )
    row = cur.fetchone()
    return int(row[0]) if row else None


def page_positions(
    cur: Cursor, log: EventLog, page: int, size: int, authority: str | None = None
) -> list[int]:
    """The log positions of one page's entries, in order."""
    first = page_start(cur, page, authority)
    if first is None:
        return []
    if authority is None:
        return list(log.positions(first - 1, size))
    cur.execute(
        "SELECT position FROM fact_versions WHERE authority = ? AND position >= ? "
        "UNION ALL SELECT position FROM authorities WHERE code = ? AND position >= ? "
        "ORDER BY 1 LIMIT ?",
        (authority, first, authority, first, size),
    )
    return [int(p) for (p,) in cur.fetchall()]


class Names:
    """Names of authorities, publishers and measures. Registrations never change,
    so a process may keep one of these for as long as it likes."""

    def __init__(self) -> None:
        self.authorities: dict[str, str] = {}
        self.publishers: dict[str, str] = {}
        self.measures: dict[str, str] = {}


def entries_at(
    cur: Cursor,
    log: EventLog,
    numbered: Sequence[tuple[int, int]],
    names: Names | None = None,
) -> list[FeedEntry]:
    """Entries for (number in the feed, log position) pairs."""
    events = {e.position: e for e in log.read_at([p for _, p in numbered])}
    words = _Words(cur, log, names or Names())
    return [words.entry(seq, events[position]) for seq, position in numbered]


def page_entries(
    cur: Cursor, log: EventLog, page: int, size: int, authority: str | None = None
) -> list[FeedEntry]:
    """One page's entries, numbered, with words for people and JSON for machines."""
    positions = page_positions(cur, log, page, size, authority)
    first = (page - 1) * size + 1
    return entries_at(cur, log, [(first + i, p) for i, p in enumerate(positions)])


class _Words:
    """Titles and summaries a person can read, with names looked up once."""

    def __init__(self, cur: Cursor, log: EventLog, names: Names) -> None:
        self.cur = cur
        self.log = log
        self.names = names

    def _lookup(self, cache: dict[str, str], sql: str, key: str) -> str | None:
        found = cache.get(key)
        if found is None:
            self.cur.execute(sql, (key,))
            row = self.cur.fetchone()
            if row is None:
                return None  # not registered (yet): ask again next time
            found = cache[key] = row[0]
        return found

    def name(self, code: str) -> str:
        sql = "SELECT name FROM authorities WHERE code = ?"
        return self._lookup(self.names.authorities, sql, code) or code

    def publisher(self, source_id: str) -> str:
        sql = "SELECT publisher FROM sources WHERE source_id = ?"
        return self._lookup(self.names.publishers, sql, source_id) or source_id

    def entry(self, seq: int, e: LoggedEvent) -> FeedEntry:
        s = e.state
        base: dict[str, Any] = {
            "event": e.topic,
            "event_id": str(e.event_id),
            "sequence": seq,
            "position": e.position,
            "recorded_at": e.recorded_at,
        }
        authority = fact_id = source = None
        aggregate = dashed(e.originator_id)
        if e.topic == "AuthorityRegistered":
            authority = s["code"]
            title = f"Authority registered: {s['name']} ({s['code']})"
            summary = f"{s['name']} ({s['code']}) was added to the ledger."
            details = {
                k: s[k]
                for k in (
                    "code",
                    "name",
                    "level",
                    "dfe_number",
                    "ofsted_urn",
                    "region",
                    "status",
                )
            }
            content = {**base, "authority": details}
        elif e.topic == "SourceRegistered":
            source = s["source_id"]
            title = f"Source registered: {s['title']} ({s['publisher']})"
            summary = f"{s['publisher']}: {s['title']}"
            details = plain(
                {
                    k: v
                    for k, v in s.items()
                    if k not in ("timestamp", "originator_topic")
                }
            )
            content = {**base, "source": details}
        elif e.topic in ("FactCorrected", "FactRetracted"):
            authority, fact_id = s["authority"], aggregate
            original = self.original_title(e.originator_id)
            if e.topic == "FactRetracted":
                title = f"Retracted: {original}"
                summary = f"Withdrawn: {s['reason']}"
                content = {
                    **base,
                    "fact_id": fact_id,
                    "authority": authority,
                    "reason": s["reason"],
                }
            else:
                changes = plain(s["changes"])
                listed = "; ".join(f"{k} now {_show(v)}" for k, v in changes.items())
                title = f"Corrected: {original}"
                summary = f"{listed}. Reason: {s['reason']}"
                source = s["source"]
                content = {
                    **base,
                    "fact_id": fact_id,
                    "authority": authority,
                    "changes": changes,
                    "reason": s["reason"],
                    "source": source,
                }
        elif e.topic in FACT_EVENT_TOPICS:
            authority, fact_id, source = s["authority"], aggregate, s["source"]
            title = self.fact_title(e)
            summary = s["summary"]
            spec = KINDS[KIND_OF_EVENT[e.topic]]
            fields = {f.name: plain(s[f.name]) for f in spec.stored_fields}
            content = {
                **base,
                "fact": {
                    "fact_id": fact_id,
                    "kind": spec.kind,
                    "authority": authority,
                    "subject": spec.subject_of(fields),
                    "effective": effective_json(s["effective"]["_data_"]),
                    "summary": summary,
                    "fields": fields,
                    "source": source,
                },
            }
        else:
            title = summary = e.topic
            content = base
        return FeedEntry(
            seq,
            e.position,
            e.topic,
            base["event_id"],
            authority,
            fact_id,
            e.recorded_at,
            title,
            summary,
            content,
            source,
        )

    def fact_title(self, e: LoggedEvent) -> str:
        """'Blackpool: 540 children in care (July 2023), reported by ...'."""
        s = self.log.decode(e)
        spec = KINDS[KIND_OF_EVENT[e.topic]]
        fields = {f.name: s[f.name] for f in spec.stored_fields}
        effective: EffectiveDate = s["effective"]
        what = describe_fact(spec.kind, fields)
        measure = fields.get("measure")
        if spec.kind == "count_reported" and isinstance(measure, str):
            name = self.measure_name(measure)
            if name is not None:  # a registered statistic: its own name reads better
                what = f"{name}: {fields['value']}"
        return (
            f"{self.name(s['authority'])}: {what} "
            f"({when(effective)}), reported by {self.publisher(s['source'])}"
        )

    def measure_name(self, code: str) -> str | None:
        sql = "SELECT name FROM measures WHERE code = ?"
        return self._lookup(self.names.measures, sql, code)

    def original_title(self, hex_id: str) -> str:
        self.cur.execute(
            "SELECT position FROM fact_versions "
            "WHERE fact_key = ? AND fact_id = ? AND version = 1",
            (fact_key(hex_id), hex_id),
        )
        row = self.cur.fetchone()
        events = self.log.read_at([int(row[0])]) if row else []
        return self.fact_title(events[0]) if events else f"fact {dashed(hex_id)}"


def _show(value: object) -> str:
    if isinstance(value, dict) and "amount" in value:
        return f"{value['amount']} {value['currency']}"
    return str(value)
