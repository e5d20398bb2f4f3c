"""The event store's recorders: the library's, with the reads it does not offer.

Two things, as :class:`LogRecorder` declares them: the log read in batches as
plain records (position, ids, topic, decoded state), for projections and
``GET /events``; and, for bulk imports, which of many fact ids are already
recorded and with what original content, in one query instead of one per fact.
:class:`SQLiteLogRecorder` and :class:`PostgresLogRecorder` extend the library's
application recorders with them (the library's settings name them: see
:meth:`service.settings.Settings.event_store_env`).
"""

from __future__ import annotations

import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
)
from psycopg.rows import tuple_row

from projections.logged_events import LIFTED_AUTHORITY, LIFTED_SUBJECT, LoggedEvent


class LogRecorder(ApplicationRecorder, ABC):
    """An application recorder that also reads the log as :class:`LoggedEvent`."""

    events_table_name: str

    @abstractmethod
    def read_log(self, after: int, limit: int) -> list[LoggedEvent]:
        """Events after a position, straight from the table: no domain objects."""

    @abstractmethod
    def positions(self, after: int, limit: int) -> list[int]:
        """The positions after ``after``, at most ``limit``, without the events."""

    @abstractmethod
    def read_at(self, positions: Sequence[int], lift: bool = True) -> list[LoggedEvent]:
        """The events at the given positions, in position order. Without
        ``lift`` their authority, source, effective date and subject may be left
        None (for readers that take them from the views): SQLite then need not
        parse each event's JSON a second time."""

    @abstractmethod
    def last_position(self) -> int:
        """The position of the newest event, 0 when the log is empty."""

    def select_created(self, keys: Sequence[str]) -> dict[str, tuple[str, bytes]]:
        """Topic and stored state of the first event of each recorded id among
        these (ids as 32 hex digits)."""
        found: dict[str, tuple[str, bytes]] = {}
        for oid, topic, state in self._select_created(keys):
            found[oid.hex if isinstance(oid, UUID) else oid] = (topic, bytes(state))
        return found

    @abstractmethod
    def _select_created(self, ids: Sequence[str]) -> list[tuple[Any, str, bytes]]:
        """Rows of (originator id, topic, state) of the first events of ``ids``."""


def _case(mapping: dict[str, str], default: str, path: str) -> str:
    """A SQL CASE on the topic choosing a JSON path (every name is the code's own)."""
    whens = " ".join(
        f"WHEN '{topic}' THEN '{path.format(key)}'" for topic, key in mapping.items()
    )
    return f"CASE topic {whens} ELSE {default} END"


# The lifted fields (see projections.logged_events) come out of the stored JSON in the
# same SQLite query, as one JSON array of the four values (PostgreSQL: see
# _pg_event).
_AUTHORITY_PATH = _case(LIFTED_AUTHORITY, "'$.authority'", "$.{}")
_SUBJECT_PATH = _case(LIFTED_SUBJECT, "NULL", "$.{}")
_SQLITE_READ = (
    "SELECT rowid, originator_id, originator_version, topic, state, "
    f"json_extract(CAST(state AS TEXT), {_AUTHORITY_PATH}, '$.source', "
    f"'$.effective._data_', {_SUBJECT_PATH}) "
    "FROM {table} "
)


def _sqlite_events(rows: list[Any]) -> list[LoggedEvent]:
    loads = orjson.loads
    return [
        LoggedEvent(position, oid, version, topic, state, *loads(lifted))
        for position, oid, version, topic, state, lifted in rows
    ]


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SQLiteLogRecorder(LogRecorder, SQLiteApplicationRecorder):
    """The library's SQLite recorder, reading the log on connections of its own
    and inserting a batch with one ``executemany``.

    The library inserts row by row to learn each row's id. Inside the insert's
    transaction this connection holds SQLite's write lock, so the batch's rowids
    are consecutive and end at ``last_insert_rowid()``.

    Bulk batches (imports, which can be re-run) commit with ``synchronous=NORMAL``:
    safe against a crash of the process, and much faster; a power failure may
    lose the last batches, which the next run of the import records again.
    Everything else keeps SQLite's default, ``FULL``.
    """

    BULK = 100

    def __init__(
        self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name)
        self._readers = threading.local()
        self._read = _SQLITE_READ.format(table=self.events_table_name)
        self._read_unlifted = (
            "SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {self.events_table_name} "
        )

    def _connection(self, bulk: bool = False) -> sqlite3.Connection:
        """One read connection per thread, autocommit (each read sees the latest).

        Bulk work (an import checking thousands of ids) gets its own connection
        with a large page cache; the many request threads of a server keep small
        ones.
        """
        local = self._readers
        name = "bulk" if bulk else "conn"
        conn: sqlite3.Connection | None = getattr(local, name, None)
        if conn is None:
            conn = sqlite3.connect(
                self.datastore.pool.db_name,
                isolation_level=None,
                check_same_thread=False,
                timeout=30,
            )
            conn.execute(f"PRAGMA cache_size=-{131_072 if bulk else 16_384}")
            setattr(local, name, conn)
        return conn

    def read_log(self, after: int, limit: int) -> list[LoggedEvent]:
        cur = self._connection().execute(
            self._read + "WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, limit)
        )
        return _sqlite_events(cur.fetchall())

    def positions(self, after: int, limit: int) -> list[int]:
        cur = self._connection().execute(
            f"SELECT rowid FROM {self.events_table_name} "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, limit),
        )
        return [int(r[0]) for r in cur.fetchall()]

    def read_at(self, positions: Sequence[int], lift: bool = True) -> list[LoggedEvent]:
        events: list[LoggedEvent] = []
        conn = self._connection()
        read = self._read if lift else self._read_unlifted
        for start in range(0, len(positions), 500):
            chunk = list(positions[start : start + 500])
            marks = ",".join("?" * len(chunk))
            cur = conn.execute(read + f"WHERE rowid IN ({marks}) ORDER BY rowid", chunk)
            rows = cur.fetchall()
            events += (
                _sqlite_events(rows) if lift else [LoggedEvent(*row) for row in rows]
            )
        return events

    def last_position(self) -> int:
        row = (
            self._connection()
            .execute(f"SELECT MAX(rowid) FROM {self.events_table_name}")
            .fetchone()
        )
        return int(row[0] or 0)

    def _select_created(self, ids: Sequence[str]) -> list[tuple[Any, str, bytes]]:
        rows: list[tuple[Any, str, bytes]] = []
        conn = self._connection(bulk=len(ids) > 100)
        for chunk in _chunks(ids, 5000):
            marks = ",".join("?" * len(chunk))
            statement = (
                f"SELECT originator_id, topic, state FROM {self.events_table_name} "
                f"WHERE originator_version = 1 AND originator_id IN ({marks})"
            )
            rows += conn.execute(statement, list(chunk)).fetchall()
        return rows

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if len(stored_events) < self.BULK:
            return super().insert_events(stored_events, **kwargs)
        with self.datastore.get_connection(commit=True) as conn:
            raw = conn._sqlite_conn  # the pragma must be set outside a transaction
            raw.execute("PRAGMA synchronous=NORMAL")
            raw.execute("PRAGMA cache_size=-65536")
            raw.execute("PRAGMA wal_autocheckpoint=20000")
            try:
                with conn.transaction(commit=True) as c:
                    return self._insert_events(c, stored_events, **kwargs)
            finally:
                raw.execute("PRAGMA synchronous=FULL")
                raw.execute("PRAGMA wal_autocheckpoint=1000")

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        if len(stored_events) < 2:
            return super()._insert_events(c, stored_events)
        c.executemany(
            self.insert_events_statement,
            [
                (
                    s.originator_id.hex
                    if isinstance(s.originator_id, UUID)
                    else s.originator_id,
                    s.originator_version,
                    s.topic,
                    s.state,
                )
                for s in stored_events
            ],
        )
        c.execute("SELECT last_insert_rowid()")
        last = int(c.fetchone()[0])
        return list(range(last - len(stored_events) + 1, last + 1))


class PostgresLogRecorder(LogRecorder, PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, reading the log from its pool."""

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._table = f'"{self.datastore.schema}"."{self.events_table_name}"'

    def read_log(self, after: int, limit: int) -> list[LoggedEvent]:
        return self._select(
            "notification_id > %s ORDER BY notification_id LIMIT %s", (after, limit)
        )

    def positions(self, after: int, limit: int) -> list[int]:
        sql = (
            f"SELECT notification_id FROM {self._table} WHERE notification_id > %s "
            "ORDER BY notification_id LIMIT %s"
        )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(sql, (after, limit), prepare=True)
            return [int(r["notification_id"]) for r in curs.fetchall()]

    def read_at(self, positions: Sequence[int], lift: bool = True) -> list[LoggedEvent]:
        if not positions:
            return []
        return self._select(
            "notification_id = ANY(%s) ORDER BY notification_id", (list(positions),)
        )

    def last_position(self) -> int:
        # Not the recorder's max_notification_id(): it retries for half a minute
        # when the database is away, and callers would rather hear it at once.
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(f"SELECT MAX(notification_id) FROM {self._table}")
            row = curs.fetchone()
        return int(row["max"] or 0) if row else 0

    def _select(self, where: str, params: tuple[Any, ...]) -> list[LoggedEvent]:
        sql = (
            "SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {self._table} WHERE {where}"
        )
        with (
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            curs.execute(sql, params, prepare=True)
            rows = curs.fetchall()
        return [_pg_event(*row) for row in rows]

    def _select_created(self, ids: Sequence[str]) -> list[tuple[Any, str, bytes]]:
        rows: list[tuple[Any, str, bytes]] = []
        statement = (
            f"SELECT originator_id, topic, state FROM {self._table} "
            "WHERE originator_version = 1 AND originator_id = ANY(%s)"
        )
        for chunk in _chunks(ids, 2000):
            with self.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(statement, ([UUID(hex=key) for key in chunk],))
                rows += [
                    (r["originator_id"], r["topic"], r["state"])
                    for r in curs.fetchall()
                ]
        return rows


def _pg_event(
    position: int, oid: UUID, version: int, topic: str, data: bytes
) -> LoggedEvent:
    # Parsing here is faster than asking PostgreSQL for the fields: it would
    # parse the JSON once per field, on the same two cores.
    state = orjson.loads(data)
    effective = state.get("effective")
    subject = LIFTED_SUBJECT.get(topic)
    event = LoggedEvent(
        position,
        oid.hex,
        version,
        topic,
        data,
        state.get(LIFTED_AUTHORITY.get(topic, "authority")),
        state.get("source"),
        effective["_data_"] if type(effective) is dict else None,
        state[subject] if subject else None,
    )
    event.parsed(state)
    return event
