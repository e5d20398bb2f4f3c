"""The search view: the words of every fact version, in the engine's full-text index.

Each version of a fact that the facts view holds has a row here under the same
log position, with three fields of words (see :mod:`projections.search_words`):
its summary; its names (every text field: people, roles, measures, funders,
details, and the measure's registered name); and its source's title and publisher.
In SQLite that row is in an FTS5 table; in PostgreSQL it is a table whose
``tsvector`` columns are generated from the words, with a GIN index.

Which version is in force, and the filters, come from the facts view at query
time (:mod:`projections.search`), so a correction adds a row and a retraction
none. A corrected row keeps the names it had beside the new ones: the old
spelling of a name still finds the fact.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from domain.kinds import KIND_BY_EVENT
from domain.provenance import PROVENANCE_FIELDS
from projections.base import Projection
from projections.db import Cursor, insert_rows
from projections.facts import fact_key
from projections.logged_events import LoggedEvent
from projections.search_words import (
    SEPARATOR,
    WORDS_VERSION,
    indexed,
    indexed_together,
)

_FTS5 = """CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
    summary, names, source, tokenize = 'ascii', columnsize = 0)"""
_SEP = f"' {SEPARATOR} '"
_POSTGRES = f"""CREATE TABLE IF NOT EXISTS search_text (
    position BIGINT PRIMARY KEY, summary TEXT NOT NULL, names TEXT NOT NULL,
    source TEXT NOT NULL,
    fact_words tsvector GENERATED ALWAYS AS
        (to_tsvector('simple', summary || {_SEP} || names)) STORED,
    all_words tsvector GENERATED ALWAYS AS (to_tsvector('simple',
        summary || {_SEP} || names || {_SEP} || source)) STORED)"""
_POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_text_words ON search_text USING GIN (all_words)"
)
# Words of sources and measures, by "source:<id>" and "measure:<code>".
_NAMES = """CREATE TABLE IF NOT EXISTS search_names (
    name TEXT PRIMARY KEY, words TEXT NOT NULL)"""

REGISTRATIONS = ("SourceRegistered", "MeasureRegistered")  # events that name words
# Fields that are not words about the fact (or are indexed on their own).
_NOT_NAMES = frozenset(
    {"timestamp", "originator_topic", "authority", "source", "effective", "summary"}
    | set(PROVENANCE_FIELDS)
)


def search_view(dialect: str) -> SearchView:
    """The search view for a view database of this dialect."""
    return PostgresSearchView() if dialect == "postgres" else SQLiteSearchView()


class SearchView(Projection):
    name = "search"
    key: ClassVar[str]  # the column holding a row's position
    dialect: ClassVar[str]

    def fingerprint(self) -> str:
        # The words' spelling is part of the view's shape: a change rebuilds it.
        text = "|".join([*self.tables.values(), *self.indexes, WORDS_VERSION])
        return hashlib.sha1(text.encode()).hexdigest()[:16]

    def checksum_queries(self) -> list[str]:
        return [
            f"SELECT {self.key}, summary, names, source FROM search_text ORDER BY 1",
            "SELECT name, words FROM search_names ORDER BY 1",
        ]

    def apply(self, cur: Cursor, events: Sequence[LoggedEvent]) -> None:
        names = _Names(cur)
        rows: list[list[Any]] = []
        latest: dict[str, list[Any]] = {}  # this batch's rows, by fact id
        for e in events:
            row: list[Any] | None
            if e.topic in KIND_BY_EVENT:
                row = self._report(e, names)
            elif e.topic == "FactCorrected":
                row = self._correction(cur, e, latest)
            elif e.topic in REGISTRATIONS:
                names.add(*registered_words(e.topic, e.state))
                continue
            else:
                continue  # retractions add no words; other events are not facts
            if row is not None:
                rows.append(row)
                latest[e.originator_id] = row
        names.write()
        if not rows:
            return
        insert_rows(cur, "search_text", f"{self.key}, summary, names, source", rows)

    @staticmethod
    def _report(e: LoggedEvent, names: _Names) -> list[Any]:
        return report_row(e.position, e.topic, e.state, e.subject, e.source, names.get)

    def _correction(
        self, cur: Cursor, e: LoggedEvent, latest: dict[str, list[Any]]
    ) -> list[Any] | None:
        previous = latest.get(e.originator_id) or _previous_row(cur, e, self.key)
        if previous is None:
            return None  # cannot happen: a correction names a recorded fact
        changes = e.state["changes"]
        summary = changes.get("summary")
        new = [v for k, v in changes.items() if type(v) is str and k != "summary"]
        return [
            e.position,
            indexed(summary) if type(summary) is str else previous[1],
            " ".join(filter(None, [previous[2], indexed(*new)])),
            previous[3],
        ]


def report_row(
    position: int,
    topic: str,
    state: dict[str, Any],
    subject: str | None,
    source: str | None,
    name_of: Callable[[str], str],
) -> list[Any]:
    """A fact report's row: its position and its three fields of words, given the
    words of the sources and measures registered before it (``name_of``)."""
    subject = KIND_BY_EVENT[topic].subject or subject or ""
    texts = [v for k, v in state.items() if type(v) is str and k not in _NOT_NAMES]
    texts += [subject, name_of(f"measure:{subject}")]
    return [
        position,
        indexed(state.get("summary")),
        indexed_together(tuple(texts)),
        name_of(f"source:{source}"),
    ]


def registered_words(topic: str, state: dict[str, Any]) -> tuple[str, str]:
    """The name and words a registration (one of REGISTRATIONS) adds."""
    if topic == "SourceRegistered":
        return f"source:{state['source_id']}", indexed(
            state["title"], state["publisher"]
        )
    return f"measure:{state['code']}", indexed(state["name"])


class SQLiteSearchView(SearchView):
    key = "rowid"
    dialect = "sqlite"
    tables = {"search_text": _FTS5, "search_names": _NAMES}


class PostgresSearchView(SearchView):
    key = "position"
    dialect = "postgres"
    tables = {"search_text": _POSTGRES, "search_names": _NAMES}
    indexes = (_POSTGRES_INDEX,)


def _previous_row(cur: Cursor, e: LoggedEvent, key: str) -> list[Any] | None:
    """The words of the version before ``e`` (the facts view has both rows)."""
    cur.execute(
        f"SELECT t.{key}, t.summary, t.names, t.source FROM fact_versions v "
        f"JOIN search_text t ON t.{key} = v.position "
        "WHERE v.fact_key = ? AND v.fact_id = ? AND v.position < ? "
        "ORDER BY v.version DESC LIMIT 1",
        (fact_key(e.originator_id), e.originator_id, e.position),
    )
    row = cur.fetchone()
    return list(row) if row else None


class _Names:
    """Words of sources and measures: this batch's, and those already written."""

    def __init__(self, cur: Cursor) -> None:
        self._cur = cur
        self._known: dict[str, str] = {}
        self._new: list[tuple[str, str]] = []

    def add(self, name: str, words: str) -> None:
        self._known[name] = words
        self._new.append((name, words))

    def get(self, name: str) -> str:
        found = self._known.get(name)
        if found is None:
            self._cur.execute("SELECT words FROM search_names WHERE name = ?", (name,))
            row = self._cur.fetchone()
            found = self._known[name] = row[0] if row else ""
        return found

    def write(self) -> None:
        if self._new:
            self._cur.executemany(
                "INSERT INTO search_names (name, words) VALUES (?, ?)", self._new
            )
