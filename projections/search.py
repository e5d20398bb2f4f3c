"""Search: the facts in force whose words match a query, ranked, a page at a time.

Ranking is the same on both engines, so both give the same pages: first the facts
whose own words (summary, names) match the whole query, then those found only
with their source's title or publisher; within each, the newest recorded first.
Both tiers match the whole query against all the words first, so together they
are exactly the matching facts. Each is read newest first with a LIMIT, which
FTS5 answers from its index in rowid order and PostgreSQL from the GIN index
or, for a common word, by walking the positions backwards: a page costs about
the same however many facts match.

The sort key of a hit is ``(tier, position)``: the hits after a key are those of
a later tier, or of the same tier and an earlier position.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from projections.db import Cursor
from projections.facts import FACT_COLUMNS, FactRow
from projections.keyset import Key, Page, read_page
from projections.search_words import SearchQuery

OWN_WORDS = 0  # the fact's summary or names match
SOURCE_WORDS = 1  # only with its source's words
TIERS = (OWN_WORDS, SOURCE_WORDS)


@dataclass(frozen=True, slots=True)
class SearchFilters:
    authority: str | None = None
    kind: str | None = None
    as_of: date | None = None  # effective on or before
    published_by: date | None = None  # source published on or before


@dataclass(frozen=True, slots=True)
class Hit:
    row: FactRow
    tier: int

    @property
    def key(self) -> Key:
        return (self.tier, self.row.position)

    @property
    def matched(self) -> str:
        return "fact" if self.tier == OWN_WORDS else "source"


def search_hits(
    cur: Cursor,
    dialect: str,
    query: SearchQuery,
    filters: SearchFilters,
    after: Key | None = None,
    limit: int | None = None,
) -> list[Hit]:
    """At most ``limit`` hits (None: all) after the sort key ``after``, in order."""
    if query.empty:
        return []
    hits: list[Hit] = []
    for tier in TIERS:
        if after is not None and tier < after[0]:
            continue
        below = after[1] if after is not None and tier == after[0] else None
        left = None if limit is None else limit - len(hits)
        if left == 0:
            break
        found = _tier(cur, dialect, query, filters, tier, below, left)
        hits += [Hit(row, tier) for row in found]
    return hits


def search_page(
    cur: Cursor,
    dialect: str,
    query: SearchQuery,
    filters: SearchFilters,
    after: Key | None = None,
    limit: int | None = None,
) -> Page[Hit]:
    """A page of the facts in force matching ``query``, after the key ``after``."""
    return read_page(
        lambda start, at_most: search_hits(
            cur, dialect, query, filters, start, at_most
        ),
        after,
        limit,
        lambda hit: hit.key,
    )


def _tier(
    cur: Cursor,
    dialect: str,
    query: SearchQuery,
    filters: SearchFilters,
    tier: int,
    below: int | None,
    limit: int | None,
) -> list[FactRow]:
    where, params = _match(dialect, query, tier)
    where += ["v.superseded_at IS NULL", "v.retraction = 0"]
    for column, value in (("v.authority", filters.authority), ("v.kind", filters.kind)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if filters.as_of is not None:
        where.append("v.effective_start <= ?")
        params.append(filters.as_of.isoformat())
    if filters.published_by is not None:
        # As everywhere: a source dated to a month or a year counts from its end.
        where.append("s.published_end <= ?")
        params.append(filters.published_by.isoformat())
    key = "t.rowid" if dialect == "sqlite" else "t.position"
    if below is not None:
        where.append(f"{key} < ?")
        params.append(below)
    sql = _from_search(key) + " WHERE " + " AND ".join(where) + f" ORDER BY {key} DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    cur.execute(sql, params)
    return list(map(FactRow._make, cur.fetchall()))


def _from_search(key: str) -> str:
    return (
        f"SELECT {FACT_COLUMNS} FROM search_text t "
        f"JOIN fact_versions v ON v.position = {key} "
        "JOIN sources s ON s.source_id = v.source"
    )


def _match(dialect: str, query: SearchQuery, tier: int) -> tuple[list[str], list[Any]]:
    if dialect == "sqlite":
        own = query.fts5_in("summary names")
        if tier == OWN_WORDS and not any(a.excluded for a in query.alternatives):
            # Without exclusions a fact whose own words match the query matches
            # it with all its words: the own words alone are the cheaper match
            # (FTS5 need not walk the whole query's list beside them).
            return ["t.search_text MATCH ?"], [own]
        joined = "AND" if tier == OWN_WORDS else "NOT"
        return ["t.search_text MATCH ?"], [f"({query.fts5()}) {joined} ({own})"]
    words = "websearch_to_tsquery('simple', ?)"
    own = f"t.fact_words @@ {words}"
    return [
        f"t.all_words @@ {words}",
        own if tier == OWN_WORDS else f"NOT {own}",
    ], [query.websearch()] * 2
