"""The search view built in one pass over the attached event file, for a rebuild.

The batched path (:meth:`SearchView.apply`) reads each batch through the log. A
rebuild reads the fact reports and the registrations that name words straight
from the event file, in log order, parses each once and streams its words into
an FTS5 table with no other index to keep. Corrections come after, through the
view's own ``apply``, once the facts view holds every version: a correction's
words start from its previous version's, which that finds through the facts
view, so the rows are those of the batched path.

Built by another process into a file of its own, the finished table is moved
into the generation by copying FTS5's shadow tables (its own b-trees, which a
copy leaves as they are) rather than by indexing every row again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from domain.kinds import KIND_BY_EVENT
from projections.search_view import (
    REGISTRATIONS,
    SQLiteSearchView,
    registered_words,
    report_row,
)

_TABLE = "search_text"


def fill(conn: sqlite3.Connection, table: str, end: int) -> None:
    """Write the words of every report up to log position ``end`` (read from the
    event file attached as ``log``) into the empty search tables of ``main``."""
    topics = (*KIND_BY_EVENT, *REGISTRATIONS)
    marks = ",".join("?" * len(topics))
    reader = conn.execute(
        f"SELECT rowid, topic, state FROM log.{table} "
        f"WHERE topic IN ({marks}) AND rowid <= ? ORDER BY rowid",
        (*topics, end),
    )
    known = _Words()
    named: list[tuple[str, str]] = []

    def rows() -> Iterator[list[Any]]:
        loads = orjson.loads
        name_of = known.__getitem__
        registrations = frozenset(REGISTRATIONS)
        for position, topic, data in reader:
            state = loads(data)
            if topic in registrations:
                name, words = registered_words(topic, state)
                known[name] = words
                named.append((name, words))
                continue
            field = KIND_BY_EVENT[topic].subject_field
            subject = state.get(field) if field else None
            yield report_row(
                position, topic, state, subject, state.get("source"), name_of
            )

    writer = conn.cursor()
    writer.executemany(
        f"INSERT INTO main.{_TABLE} (rowid, summary, names, source) "
        "VALUES (?, ?, ?, ?)",
        rows(),
    )
    writer.executemany(
        "INSERT INTO main.search_names (name, words) VALUES (?, ?)", named
    )


class _Words(dict[str, str]):
    """The words of the sources and measures registered so far; none for others."""

    def __missing__(self, name: str) -> str:
        return ""


def build_file(
    path: Path, log: Path, table: str, end: int, pragmas: tuple[str, ...]
) -> None:
    """The search view up to ``end`` in a fresh file of its own (another process)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in pragmas:
            conn.execute(pragma)
        for ddl in SQLiteSearchView.tables.values():
            conn.execute(ddl)
        conn.execute("ATTACH DATABASE ? AS log", (str(log),))
        conn.execute("BEGIN")
        fill(conn, table, end)
        # The bulk insert leaves the index in several segments, and a query
        # looks a word up in each: merged into one, a query costs about half.
        conn.execute(f"INSERT INTO main.{_TABLE} ({_TABLE}) VALUES ('optimize')")
        conn.execute("COMMIT")
    finally:
        conn.close()


def move_into(conn: sqlite3.Connection, path: Path) -> None:
    """Copy the search view built in ``path`` into ``main``'s empty search tables.

    FTS5 keeps what it knows of its table's structure in the connection, so the
    connection must not have used ``main``'s table since creating it, and must be
    closed before anything reads or writes it."""
    conn.execute("ATTACH DATABASE ? AS words", (str(path),))
    try:
        conn.execute("BEGIN")
        shadows = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM words.sqlite_master WHERE type = 'table' "
                f"AND name LIKE '{_TABLE}\\_%' ESCAPE '\\' ORDER BY name"
            )
        ]
        assert shadows, "the search view was not built"
        for name in shadows:
            conn.execute(f"DELETE FROM main.{name}")
            conn.execute(f"INSERT INTO main.{name} SELECT * FROM words.{name}")
        conn.execute(
            "INSERT INTO main.search_names (name, words) "
            "SELECT name, words FROM words.search_names"
        )
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute("DETACH DATABASE words")
