"""A full rebuild of the SQLite views at bulk-load speed, into a new generation.

The batched path (:mod:`projections.worker`) applies each event in Python and
keeps every index up to date as it goes. A rebuild from nothing need not: into a
fresh file with no journal and no syncs, it extracts the fact reports' rows inside
SQLite, straight from the attached event file, adds the indexes once at the end,
and derives the feed's pages from the finished rows. Corrections and retractions,
a small share of any log, go through the facts view's own ``apply`` after every
report, which gives the batched path's rows: a report depends on nothing before
it, and the changes are applied in log order either way. The search view's words
are streamed into its full-text table in one pass (:mod:`projections.search_bulk`),
corrections after, the same way. On a long log the later half of the reports and
the whole search view are built by another process on the other core
(:mod:`projections.other_core`).

The file is then switched to WAL, brought to the end of the log by the batched
path (events recorded meanwhile), and only then named current
(:mod:`projections.generations`): until that rename the live views serve on
untouched, and a crash leaves a file nobody points at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from projections import generations, search_bulk
from projections.base import Projection
from projections.db import SQLiteViews, ViewDatabase
from projections.facts import fact_key
from projections.facts_view import FactsView
from projections.feed import GLOBAL, KIND, FeedView
from projections.logged_events import EventLog, LoggedEvent
from projections.other_core import OtherCore
from projections.registry import RegistryView
from projections.report_rows import BULK_PRAGMAS, SPLIT_FROM, report_rows
from projections.search_view import SQLiteSearchView

Progress = Callable[[int, int], None]

_CHANGES = ("FactCorrected", "FactRetracted")
# The share of a long log's reports the other core extracts when it also builds
# the search view: none, as that is about as much work as the rest of a rebuild
# (the reports, the facts view's indexes and the feed's pages) on this core.
SHARE_BESIDE_SEARCH = 0.0
_REGISTRATIONS = ("AuthorityRegistered", "SourceRegistered", "MeasureRegistered")


@dataclass(frozen=True)
class EventFile:
    """Where the log is: the SQLite file and the library's table in it."""

    path: Path
    table: str = "stored_events"


class Worker(Protocol):
    """What a rebuild needs of the worker whose views it replaces (the
    projections' ProjectionWorker): a new one of its kind follows the new
    generation to the end of the log."""

    db: ViewDatabase
    log: EventLog
    log_file: EventFile | None
    projections: list[Projection]

    def __init__(
        self, db: ViewDatabase, log: EventLog, projections: Sequence[Projection]
    ) -> None: ...

    @property
    def position(self) -> int: ...

    def setup(self) -> None: ...

    def catch_up(self, progress: Progress | None = None) -> int: ...

    def refresh(self) -> int: ...


def bulk_target(worker: Worker) -> tuple[SQLiteViews, EventFile] | None:
    """The views and log a worker's rebuild reads and writes in bulk, or None
    where it rebuilds in place (PostgreSQL, or views this module does not know).
    Views after the registry, facts and feed other than search are built by the
    batched worker into the new generation."""
    kinds = [type(p) for p in worker.projections]
    if kinds[:3] != [RegistryView, FactsView, FeedView] or worker.log_file is None:
        return None
    return (worker.db, worker.log_file) if isinstance(worker.db, SQLiteViews) else None


def rebuild_generation(live: Worker, progress: Progress | None = None) -> int:
    """Build a new generation to the end of the log, bring it up to the events
    recorded meanwhile as the live worker would, make it current and move the
    live worker's views to it; return how many events it took."""
    target = bulk_target(live)
    assert target is not None, "a rebuild in place is the worker's own"
    db, log_file = target
    end = live.log.last_position()
    path, hold = build_generation(db.base, log_file, live.projections, end)
    try:
        if progress is not None:
            progress(end, end)
        built = SQLiteViews(path)
        try:
            follower = type(live)(built, live.log, live.projections)
            follower.setup()
            follower.catch_up(progress)  # events since, and views built batched
            applied = max(end, follower.position)
        finally:
            built.close()
        generations.switch(db.base, path)
    finally:
        generations.release(hold)
    live.refresh()  # moves the live views to the new generation
    generations.remove_unused(db.base)
    return applied


def build_generation(
    base: Path, log: EventFile, projections: Sequence[Projection], end: int
) -> tuple[Path, int]:
    """Build every view up to log position ``end`` into a new generation file;
    return it, still held by this process, not yet current."""
    path, descriptor = generations.fresh(base)
    try:
        _build(path, log, projections, end)
    except BaseException:
        generations.release(descriptor)
        path.unlink(missing_ok=True)  # never current: nobody else opens it
        raise
    return path, descriptor


def _connect(path: Path, log: EventFile) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in BULK_PRAGMAS:
        conn.execute(pragma)
    conn.create_function("fact_key", 1, fact_key, deterministic=True)
    conn.execute("ATTACH DATABASE ? AS log", (str(log.path),))
    return conn


def _release(conn: sqlite3.Connection) -> None:
    """Close a connection and give up its exclusive lock on the file at once."""
    conn.execute("PRAGMA main.locking_mode=NORMAL")
    conn.execute("SELECT COUNT(*) FROM main.sqlite_master").fetchall()
    conn.close()


def _build(
    path: Path, log: EventFile, projections: Sequence[Projection], end: int
) -> None:
    # The registry, facts, feed and (SQLite) search views are built in bulk; any
    # other view is created empty and brought to the end by the batched worker
    # before the generation is current.
    registry, facts, feed = core = projections[:3]
    assert isinstance(feed, FeedView)
    search = next((p for p in projections if isinstance(p, SQLiteSearchView)), None)
    bulk = [*core, search] if search is not None else core
    others = [p for p in projections if p not in bulk]
    # On a long log the other core builds the search view, or extracts a share
    # of the reports, or both, while this one does the rest.
    split = end >= SPLIT_FROM
    share = SHARE_BESIDE_SEARCH if search is not None else 0.5
    half = end - int(end * share) if split else end
    conn = _connect(path, log)
    try:
        with OtherCore(
            path, log.path, log.table, half, end, split and search is not None
        ) as other:
            conn.execute("BEGIN")
            cur = conn.cursor()
            cur.execute(_POSITIONS)
            for p in projections:
                for ddl in p.tables.values():
                    cur.execute(_sqlite(ddl))
            # Registrations and changes in one pass over the log (both are few).
            events = _events(cur, log, _REGISTRATIONS + _CHANGES, end)
            registry.apply(cur, [e for e in events if e.topic in _REGISTRATIONS])
            changes = [e for e in events if e.topic in _CHANGES]
            del events
            cur.execute(report_rows(log.table), (0, half))
            if search is not None and not split:
                search_bulk.fill(conn, log.table, end)
            conn.execute("COMMIT")
            other.copy_reports(conn)
            conn.execute("BEGIN")
            if changes:
                facts.apply(cur, changes)
            for ddl in (ddl for p in core for ddl in p.indexes):
                cur.execute(_sqlite(ddl))
            _feed_pages(cur, log.table, end, feed.page_size)
            for p in others:  # indexed once the worker has filled them
                cur.execute(
                    "INSERT INTO projection_positions "
                    "(name, position, indexed, fingerprint) VALUES (?, 0, 0, ?)",
                    (p.name, p.fingerprint()),
                )
            conn.execute("COMMIT")
            if search is not None and split:
                other.move_search(conn)
                # FTS5 must read the moved table afresh, in a new connection.
                _release(conn)
                conn = _connect(path, log)
                cur = conn.cursor()
        conn.execute("BEGIN")
        if search is not None:
            if changes:  # a correction's words start from its previous version's
                search.apply(cur, changes)
            for ddl in search.indexes:
                cur.execute(_sqlite(ddl))
        for p in bulk:
            cur.execute(
                "INSERT INTO projection_positions "
                "(name, position, indexed, fingerprint) VALUES (?, ?, 1, ?)",
                (p.name, end, p.fingerprint()),
            )
        conn.execute("COMMIT")
        # Leave the bulk settings behind: the live views are read under WAL.
        conn.execute("PRAGMA main.locking_mode=NORMAL")
        conn.execute("DETACH DATABASE log")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    finally:
        conn.close()


def _sqlite(ddl: str) -> str:
    return ddl.format(**SQLiteViews.types)


_POSITIONS = """CREATE TABLE IF NOT EXISTS projection_positions (
    name TEXT PRIMARY KEY, position INTEGER NOT NULL, indexed INTEGER NOT NULL,
    fingerprint TEXT NOT NULL)"""


def _events(
    cur: sqlite3.Cursor, log: EventFile, topics: Sequence[str], end: int
) -> list[LoggedEvent]:
    marks = ",".join("?" * len(topics))
    cur.execute(
        "SELECT rowid, originator_id, originator_version, topic, state "
        f"FROM log.{log.table} WHERE topic IN ({marks}) AND rowid <= ? ORDER BY rowid",
        (*topics, end),
    )
    return [LoggedEvent(*row) for row in cur.fetchall()]


def _feed_pages(cur: sqlite3.Cursor, table: str, end: int, size: int) -> None:
    """Every feed's pages and counts from the finished rows: the same members as
    :func:`projections.feed.page_positions` reads a page from, numbered along
    the indexes (no sort, no Python per row). An authority's registration
    precedes its facts (the domain refuses facts about an unknown authority), so
    it is entry 1 of its feed; a log where that does not hold is numbered the
    slow way."""
    if not _registered_first(cur):
        return _feed_pages_merged(cur, table, end, size)
    feeds: dict[str, Sequence[int]] = {GLOBAL: _log_positions(cur, table, end)}
    cur.execute("SELECT code, position FROM authorities")
    registered = dict(cur.fetchall())
    for column, prefix in (("kind", KIND), ("authority", "")):
        # Both in the index's order: the counts say where each feed's run ends.
        cur.execute(
            f"SELECT {column}, COUNT(*) FROM fact_versions GROUP BY 1 ORDER BY 1"
        )
        runs = cur.fetchall()
        cur.execute(f"SELECT position FROM fact_versions ORDER BY {column}, position")
        positions = [p for (p,) in cur.fetchall()]
        offset = 0
        for value, count in runs:
            first = [registered.pop(value)] if column == "authority" else []
            feeds[prefix + value] = first + positions[offset : offset + count]
            offset += count
    feeds.update((code, [position]) for code, position in registered.items())
    cur.executemany(
        "INSERT INTO feed_pages (scope, page, first_position) VALUES (?, ?, ?)",
        [
            (scope, page, position)
            for scope, members in feeds.items()
            for page, position in enumerate(members[::size], 1)
        ],
    )
    cur.executemany(
        "INSERT INTO feed_counters (scope, entries) VALUES (?, ?)",
        [(scope, len(members)) for scope, members in feeds.items() if members],
    )
    return None


def _log_positions(cur: sqlite3.Cursor, table: str, end: int) -> Sequence[int]:
    """The positions of the log up to ``end``: 1 to ``end`` when it has no gaps
    (SQLite's never has; counted along its smallest index), else as read."""
    cur.execute(f"SELECT COUNT(*), MIN(rowid), MAX(rowid) FROM log.{table}")
    count, first, last = cur.fetchone()
    if count == last and first == 1 and end <= last:
        return range(1, end + 1)
    cur.execute(f"SELECT rowid FROM log.{table} WHERE rowid <= ?", (end,))
    return [p for (p,) in cur.fetchall()]


def _registered_first(cur: sqlite3.Cursor) -> bool:
    cur.execute(
        "SELECT COUNT(*) FROM (SELECT authority, MIN(position) AS first "
        "FROM fact_versions GROUP BY authority) f "
        "LEFT JOIN authorities a ON a.code = f.authority "
        "WHERE a.position IS NULL OR a.position > f.first"
    )
    return int(cur.fetchone()[0]) == 0


def _feed_pages_merged(cur: sqlite3.Cursor, table: str, end: int, size: int) -> None:
    members = (
        f"SELECT '{GLOBAL}' AS scope, rowid AS position FROM log.{table} "
        "WHERE rowid <= ? "
        "UNION ALL SELECT authority, position FROM fact_versions "
        "UNION ALL SELECT code, position FROM authorities "
        f"UNION ALL SELECT '{KIND}' || kind, position FROM fact_versions"
    )
    cur.execute(f"CREATE TEMP TABLE feed_members AS {members}", (end,))
    cur.execute(
        "INSERT INTO feed_pages (scope, page, first_position) "
        "SELECT scope, (n - 1) / ? + 1, position FROM (SELECT scope, position, "
        "row_number() OVER (PARTITION BY scope ORDER BY position) AS n "
        "FROM feed_members) WHERE (n - 1) % ? = 0",
        (size, size),
    )
    cur.execute(
        "INSERT INTO feed_counters (scope, entries) "
        "SELECT scope, COUNT(*) FROM feed_members GROUP BY scope"
    )
    cur.execute("DROP TABLE feed_members")
