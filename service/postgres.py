"""PostgreSQL specifics: the schema, set-up under a lock, and the projection runner
that elects one worker among many processes and wakes them with LISTEN/NOTIFY.

Every process runs a :class:`PostgresRunner`. The one that holds a session-level
advisory lock is the leader and applies events to the views; the others stand by
and take the lock when the leader's session ends (its process died or lost the
database). The leader is woken by the event store's own NOTIFY on each insert and
announces each applied batch on a channel of its own, which every process
LISTENs to, so long polls and read-your-writes wake at once instead of polling.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg

from domain.values import is_digits
from projections.worker import ProjectionWorker
from service.settings import Settings


class DatabaseUnavailableError(RuntimeError):
    """PostgreSQL cannot be reached with the configured settings."""


def conninfo(settings: Settings) -> str:
    pg = settings.postgres_params()
    parts = [f"{k}={v}" for k, v in pg.items() if v]
    return " ".join([*parts, "connect_timeout=5"])


def _unavailable(settings: Settings, error: Exception) -> DatabaseUnavailableError:
    pg = settings.postgres_params()
    return DatabaseUnavailableError(
        f"cannot reach PostgreSQL at {pg['host']}:{pg['port']} (database "
        f"{pg['dbname']}, user {pg['user']}): {str(error).strip()}"
    )


def lock_key(settings: Settings, purpose: str) -> int:
    """An advisory lock key of this schema and purpose, as a signed 64-bit int."""
    text = f"carefacts:{settings.database_schema}:{purpose}"
    value = int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "big")
    return value - (1 << 64) if value >= 1 << 63 else value


def views_channel(settings: Settings) -> str:
    return f"carefacts_views_{settings.database_schema}"


def ensure_schema(settings: Settings) -> None:
    """Create the configured schema if missing (several processes may race: fine)."""
    try:
        # Several processes may race to create it: one wins, the rest find it.
        with (
            psycopg.connect(conninfo(settings), autocommit=True) as conn,
            contextlib.suppress(psycopg.errors.UniqueViolation),
        ):
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{settings.database_schema}"')
    except psycopg.OperationalError as error:
        raise _unavailable(settings, error) from error


@contextlib.contextmanager
def setup_lock(settings: Settings) -> Iterator[None]:
    """Hold an advisory lock while tables are created, so processes starting
    together create them one after another instead of colliding."""
    try:
        conn = psycopg.connect(conninfo(settings), autocommit=True)
    except psycopg.OperationalError as error:
        raise _unavailable(settings, error) from error
    with conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (lock_key(settings, "setup"),))
        try:
            yield
        finally:
            conn.execute(
                "SELECT pg_advisory_unlock(%s)", (lock_key(settings, "setup"),)
            )


def announcer(settings: Settings) -> Callable[[Any, int], None]:
    """For the worker: NOTIFY the views' new position inside the batch's transaction
    (delivered when it commits)."""
    channel = views_channel(settings)

    def announce(cur: Any, position: int) -> None:
        cur.execute("SELECT pg_notify(?, ?)", (channel, str(position)))

    return announce


class PostgresRunner:
    """One per process: leader election for the worker, and wake-ups by NOTIFY."""

    def __init__(
        self, settings: Settings, worker: ProjectionWorker, events_channel: str
    ) -> None:
        self.settings = settings
        self.worker = worker
        self.events_channel = events_channel  # the library NOTIFYs it on each insert
        self.leader = False
        self.connected = False  # the runner's own session is up: the database is
        self.last_error: BaseException | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._key = lock_key(settings, "worker")
        self._views_channel = views_channel(settings)

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.run, name="postgres-runner", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def run(self) -> None:
        """Until stopped: connect, LISTEN, lead or stand by; reconnect on failure."""
        backoff = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo(self.settings), autocommit=True) as conn:
                    self._session(conn)
                backoff = 0.5
            except (psycopg.Error, OSError) as error:
                self.leader = self.connected = False
                self.last_error = error
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def _session(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute(f'LISTEN "{self.events_channel}"')
        conn.execute(f'LISTEN "{self._views_channel}"')
        self.leader = False
        self.connected = True
        while not self._stop.is_set():
            conn.execute("SELECT 1")  # a dead session raises here, at once
            if not self.leader and self.settings.run_worker:
                row = conn.execute(
                    "SELECT pg_try_advisory_lock(%s)", (self._key,)
                ).fetchone()
                self.leader = bool(row and row[0])
                if self.leader:
                    self._record_leader(conn)
            try:
                if self.leader:
                    self.worker.catch_up()
                else:
                    self.worker.refresh()
                self.last_error = None
            except Exception as error:  # the database may be away: keep trying
                self.last_error = error
                self.worker.last_error = error
                time.sleep(0.5)
            # Sleep until something happens (new events, new views), or a second.
            for notice in conn.notifies(timeout=1.0, stop_after=1):
                if notice.channel == self._views_channel and is_digits(notice.payload):
                    self.worker.observe(int(notice.payload))  # no need to ask
                break

    def _record_leader(self, conn: psycopg.Connection[Any]) -> None:
        """Note which process leads (an operator or a test can see it)."""
        table = f'"{self.settings.database_schema}".projection_leader'
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY, pid INTEGER, "
            "host TEXT, since TIMESTAMPTZ)"
        )
        conn.execute(
            f"INSERT INTO {table} VALUES (1, %s, %s, now()) ON CONFLICT (id) DO UPDATE "
            "SET pid = excluded.pid, host = excluded.host, since = excluded.since",
            (os.getpid(), os.uname().nodename),
        )


class Election:
    """Leadership by a session-level advisory lock on a connection of its own: the
    process whose session holds the lock leads; when it ends, another takes over.
    Used from one thread."""

    def __init__(self, settings: Settings, purpose: str) -> None:
        self.settings = settings
        self._key = lock_key(settings, purpose)
        self._conn: psycopg.Connection[Any] | None = None
        self._held = False

    def held(self) -> bool:
        """Whether this process leads now (trying to take the lead if not)."""
        try:
            if self._conn is None or self._conn.closed:
                self._held = False
                self._conn = psycopg.connect(conninfo(self.settings), autocommit=True)
            if self._held:
                self._conn.execute("SELECT 1")  # a dead session raises here
            else:
                row = self._conn.execute(
                    "SELECT pg_try_advisory_lock(%s)", (self._key,)
                ).fetchone()
                self._held = bool(row and row[0])
        except psycopg.Error:
            self.close()
        return self._held

    def close(self) -> None:
        self._held = False
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None
