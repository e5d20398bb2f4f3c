"""The view database: where projections keep their rows and their positions.

One small interface over SQLite (a file beside the event store) and PostgreSQL
(the same database as the event store). Statements are written once, with ``?``
placeholders and portable SQL (``ON CONFLICT``); DDL uses ``{int_pk}``,
``{bigint}`` and ``{blob}`` for the few types that differ.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar, overload

from projections import generations

T = TypeVar("T")


class ViewsUnavailableError(RuntimeError):
    """The view database cannot be reached."""


class ReadTooLongError(Exception):
    """A read given a time budget ran past it and was stopped: nothing it read is
    kept, and the caller runs it again where it may take its time."""


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...

    @property
    def rowcount(self) -> int: ...


def insert_rows(
    cur: Cursor, table: str, columns: str, rows: Sequence[Sequence[Any]]
) -> None:
    """Insert many rows at once: in PostgreSQL by COPY, several times faster than
    row-by-row inserts; in SQLite by ``executemany``, which is already fast."""
    copy = getattr(cur, "copy_rows", None)
    if copy is not None:
        copy(table, columns, rows)
        return
    marks = ",".join("?" * len(columns.split(",")))
    cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


class ViewDatabase(ABC):
    dialect: str
    types: dict[str, str]

    @abstractmethod
    @contextmanager
    def write(self) -> Iterator[Cursor]:
        """A transaction that commits on success and rolls back on error."""

    @abstractmethod
    @contextmanager
    def read(self) -> Iterator[Cursor]:
        """A consistent read (one snapshot) of the views."""

    def read_within(self, fn: Callable[[Cursor], T], seconds: float) -> T:
        """``fn`` on one consistent read, stopped with :class:`ReadTooLongError` once
        it has run ``seconds`` (or at once when no connection is free or the
        engine cannot be stopped part way, as here)."""
        raise ReadTooLongError

    @abstractmethod
    def close(self) -> None: ...

    def follow(self) -> bool:
        """Move to views rebuilt elsewhere, if any; True if this moved."""
        return False

    def ddl(self, statement: str) -> str:
        return statement.format(**self.types)


class SQLiteViews(ViewDatabase):
    """Views in a SQLite file: one writer connection, a pool of readers (WAL)."""

    dialect = "sqlite"
    types = {"int_pk": "INTEGER PRIMARY KEY", "bigint": "INTEGER", "blob": "BLOB"}

    def __init__(self, path: Path, readers: int = 8) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.base = path  # the generation in use is named beside it (generations)
        self.path, self._hold = self._hold_current()
        self._files: dict[int, Path] = {}  # connection -> the file it opened
        self._writer = self._connect(cache_kib=65_536)  # replays write a lot
        self._write_lock = threading.Lock()
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._all: list[sqlite3.Connection] = [self._writer]
        self._max_readers = readers
        self._reader_count = 0
        self._count_lock = threading.Lock()

    def _hold_current(self) -> tuple[Path, int]:
        # Held before it is opened, and checked again once held: a rebuild may
        # have moved on and removed the one first named.
        while True:
            path = generations.current(self.base)
            descriptor = generations.hold(path)
            if generations.current(self.base) == path:
                return path, descriptor
            generations.release(descriptor)

    def follow(self) -> bool:
        """Move to the current generation if a rebuild has switched to a new one:
        later transactions use it; those under way finish on the old file."""
        if generations.current(self.base) == self.path:
            return False
        with self._write_lock, self._count_lock:
            path, descriptor = self._hold_current()
            if path == self.path:
                generations.release(descriptor)
                return False
            old, self.path = self._hold, path
            self._hold = descriptor
            self._writer.close()
            self._all.remove(self._writer)
            self._writer = self._connect(cache_kib=65_536)
            self._all.append(self._writer)
            while True:  # idle readers go; busy ones close when handed back
                try:
                    idle = self._readers.get_nowait()
                except queue.Empty:
                    break
                idle.close()
                self._all.remove(idle)
            self._reader_count = 0
            generations.release(old)
        generations.remove_unused(self.base)  # the last process to leave clears up
        return True

    def _connect(self, cache_kib: int = 16_384) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA cache_size=-{cache_kib}")
        conn.execute("PRAGMA temp_store=MEMORY")
        self._files[id(conn)] = self.path
        return conn

    @contextmanager
    def write(self) -> Iterator[Cursor]:
        with self._write_lock:
            cur = self._writer.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                self._writer.rollback()
                raise
            else:
                self._writer.commit()
            finally:
                cur.close()

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        conn = self._take_reader()
        with self._snapshot(conn) as cur:
            yield cur

    def read_within(self, fn: Callable[[Cursor], T], seconds: float) -> T:
        # SQLite calls the progress handler every few hundred steps of a
        # statement; once the budget is spent it says stop, and the statement
        # raises "interrupted". Python between statements is not stopped, but
        # it only handles what one statement returned (a page at most). The
        # budget is this thread's CPU time: a pause of the machine is not the
        # read's doing.
        conn = self._take_reader(wait=False)
        if conn is None:
            raise ReadTooLongError
        deadline = time.thread_time() + seconds
        clock = time.thread_time
        try:
            with self._snapshot(conn) as cur:
                # Set and cleared while the connection is this read's alone.
                conn.set_progress_handler(lambda: clock() > deadline, 400)
                try:
                    return fn(cur)
                finally:
                    conn.set_progress_handler(None, 0)
        except sqlite3.OperationalError as error:
            if str(error) == "interrupted":
                raise ReadTooLongError from None
            raise

    @contextmanager
    def _snapshot(self, conn: sqlite3.Connection) -> Iterator[Cursor]:
        """One read transaction on a reader, which goes back to the pool after."""
        cur = conn.cursor()
        try:
            cur.execute("BEGIN")
            yield cur
        finally:
            cur.close()
            conn.rollback()
            self._hand_back(conn)

    def _hand_back(self, conn: sqlite3.Connection) -> None:
        if self._file_of(conn) == self.path:
            self._readers.put(conn)
            return
        conn.close()  # opened on a generation this process has left
        with self._count_lock:
            if conn in self._all:
                self._all.remove(conn)
            self._files.pop(id(conn), None)

    def _file_of(self, conn: sqlite3.Connection) -> Path | None:
        return self._files.get(id(conn))

    @overload
    def _take_reader(self) -> sqlite3.Connection: ...

    @overload
    def _take_reader(self, wait: bool) -> sqlite3.Connection | None: ...

    def _take_reader(self, wait: bool = True) -> sqlite3.Connection | None:
        """An idle reader, a new one while there are fewer than the most allowed,
        or (``wait``) the next one handed back; without ``wait``, None then."""
        try:
            return self._readers.get_nowait()
        except queue.Empty:
            pass
        with self._count_lock:
            if self._reader_count < self._max_readers:
                self._reader_count += 1
                conn = self._connect()
                self._all.append(conn)
                return conn
        return self._readers.get(timeout=30) if wait else None

    def close(self) -> None:
        for conn in self._all:
            conn.close()
        self._all.clear()
        if self._hold >= 0:
            generations.release(self._hold)
            self._hold = -1


class _PostgresCursor:
    """Translates ``?`` placeholders to psycopg's ``%s``."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cursor.execute(sql.replace("?", "%s"), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any:
        return self._cursor.executemany(sql.replace("?", "%s"), rows)

    def copy_rows(
        self, table: str, columns: str, rows: Sequence[Sequence[Any]]
    ) -> None:
        with self._cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    @property
    def rowcount(self) -> int:
        count: int = self._cursor.rowcount
        return count


class PostgresViews(ViewDatabase):
    """Views in PostgreSQL, in the event store's schema, through a connection pool."""

    dialect = "postgres"
    types = {"int_pk": "BIGINT PRIMARY KEY", "bigint": "BIGINT", "blob": "BYTEA"}

    def __init__(self, conninfo: str, schema: str, max_size: int = 10) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        self.schema = schema
        self._psycopg = psycopg

        def configure(conn: Any) -> None:
            conn.autocommit = True
            conn.execute(f'SET search_path TO "{schema}"')

        self.pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_size,
            configure=configure,
            open=False,
            timeout=10,
            check=ConnectionPool.check_connection,
        )
        try:
            self.pool.open(wait=True, timeout=10)
        except Exception as error:
            raise ViewsUnavailableError(
                f"cannot connect to PostgreSQL: {error}"
            ) from error
        with self.pool.connection() as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')

    @contextmanager
    def write(self) -> Iterator[Cursor]:
        with self._connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield _PostgresCursor(cur)

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        with self._connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield _PostgresCursor(cur)

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        try:
            with self.pool.connection() as conn:
                yield conn
        except self._psycopg.OperationalError as error:
            raise ViewsUnavailableError(str(error)) from error

    def close(self) -> None:
        self.pool.close()
