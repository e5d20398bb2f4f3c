"""The projection worker: keeps every view up to date with the log, in batches.

Each step reads a batch of events after the lowest view position and applies it to
every view that has not yet seen them, in one transaction with the new positions.
The position is advanced by compare-and-set, so a second worker applying the same
batch fails instead of applying it twice, and a worker killed mid-batch leaves the
previous batch as the last one applied.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence

from projections.base import Projection
from projections.db import Cursor, ViewDatabase
from projections.logged_events import EventLog
from projections.rebuild import EventFile, bulk_target, rebuild_generation

Progress = Callable[[int, int], None]

_POSITIONS = """CREATE TABLE IF NOT EXISTS projection_positions (
    name TEXT PRIMARY KEY, position {bigint} NOT NULL, indexed INTEGER NOT NULL,
    fingerprint TEXT NOT NULL)"""


class ConcurrentWorkerError(RuntimeError):
    """Another worker advanced a view while this one was applying the same events."""


class ProjectionWorker:
    def __init__(
        self,
        db: ViewDatabase,
        log: EventLog,
        projections: Sequence[Projection],
        batch_size: int = 2000,
        poll_interval: float = 0.1,
        announce: Callable[[Cursor, int], None] | None = None,
        log_file: EventFile | None = None,
    ) -> None:
        self.db = db
        self.log = log
        self.log_file = log_file  # the SQLite log, which a rebuild reads in bulk
        self.projections = list(projections)
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        # Called in each batch's transaction with its last position (to notify).
        self.announce = announce
        self._positions: dict[str, int] = {}
        self._changed = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.listeners: list[Callable[[int], None]] = []
        self.last_error: BaseException | None = None
        self._unindexed: set[str] = set()
        self._follow_only = False
        # PostgreSQL plans the listings from table statistics, which a server
        # without autovacuum never gathers: without them it sorts every row of a
        # large source for one page. So the views are analysed after this many
        # events applied, or a fifth of the log if more.
        self.analyze_after = 10_000
        self._unanalyzed = 0

    # -- set-up and state --------------------------------------------------------

    def setup(self) -> None:
        """Create missing views, rebuild those whose shape changed (at each start):
        on SQLite, with events to replay, by a rebuild into a new generation."""
        with self.db.write() as cur:
            cur.execute(self.db.ddl(_POSITIONS))
            cur.execute("SELECT name, fingerprint FROM projection_positions")
            known = dict(cur.fetchall())
            stale = [
                p for p in self.projections if known.get(p.name) != p.fingerprint()
            ]
            bulk = bool(stale) and bulk_target(self) and self.log.last_position() > 0
            for p in [] if bulk else stale:
                p.drop(cur)
                p.create(cur, self.db)
                cur.execute(
                    "INSERT INTO projection_positions "
                    "(name, position, indexed, fingerprint) VALUES (?, 0, 1, ?) "
                    "ON CONFLICT (name) DO UPDATE SET position = 0, indexed = 1, "
                    "fingerprint = excluded.fingerprint",
                    (p.name, p.fingerprint()),
                )
            self._positions = self._read_positions(cur)
        if bulk:
            self.rebuild()

    def _read_positions(self, cur: Cursor, lock: bool = False) -> dict[str, int]:
        # In PostgreSQL a second worker waits here for the first one's batch.
        sql = "SELECT name, position, indexed FROM projection_positions"
        if lock and self.db.dialect == "postgres":
            sql += " FOR UPDATE"
        cur.execute(sql)
        rows = cur.fetchall()
        self._unindexed = {name for name, _, indexed in rows if not indexed}
        return {name: int(position) for name, position, _ in rows}

    @property
    def position(self) -> int:
        """The position every view has reached."""
        return min(self._positions.values(), default=0)

    def positions(self) -> dict[str, int]:
        return dict(self._positions)

    def names(self) -> list[str]:
        return [p.name for p in self.projections]

    def reset(self, names: Sequence[str] | None = None) -> None:
        """Drop views and rebuild their empty tables (indexes come after catch-up)."""
        chosen = [p for p in self.projections if names is None or p.name in names]
        with self.db.write() as cur:
            for p in chosen:
                p.drop(cur)
                p.create(cur, self.db, with_indexes=False)
                cur.execute(
                    "UPDATE projection_positions SET position = 0, indexed = 0 "
                    "WHERE name = ?",
                    (p.name,),
                )
            self._positions = self._read_positions(cur)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Rebuild every view from the log; return how many events it took.

        On SQLite into a new generation (:mod:`projections.rebuild`) while these
        views serve on, then move to it; elsewhere in place, in batches."""
        if bulk_target(self) is not None:
            return rebuild_generation(self, progress)
        self.reset()
        return self.catch_up(progress)

    # -- applying events ---------------------------------------------------------

    def step(self) -> int:
        """Apply one batch; return how many events were read (0 when caught up)."""
        with self.db.write() as cur:
            positions = self._read_positions(cur, lock=True)
            start = min(positions[p.name] for p in self.projections)
            events = self.log.read(start, self.batch_size)
            if not events:
                self._positions = positions
                return 0
            end = events[-1].position
            together = len({positions[p.name] for p in self.projections}) == 1
            for p in self.projections:
                seen = positions[p.name]
                if seen >= end:
                    continue
                fresh = (
                    events
                    if seen <= start
                    else [e for e in events if e.position > seen]
                )
                if fresh:
                    p.apply(cur, fresh)
                if together:
                    continue  # all views advance in one statement below
                self._advance(cur, [p.name], seen, end)
                positions[p.name] = end
            if together:
                self._advance(cur, [p.name for p in self.projections], start, end)
                positions = {p.name: end for p in self.projections}
            if self.announce is not None:
                self.announce(cur, end)
        self._publish(positions)
        return len(events)

    @staticmethod
    def _advance(cur: Cursor, names: list[str], seen: int, end: int) -> None:
        """Move views from ``seen`` to ``end``, compare-and-set: if another worker
        moved any of them meanwhile, this transaction fails instead."""
        marks = ",".join("?" * len(names))
        cur.execute(
            f"UPDATE projection_positions SET position = ? "
            f"WHERE name IN ({marks}) AND position = ?",
            (end, *names, seen),
        )
        if cur.rowcount != len(names):
            raise ConcurrentWorkerError(
                f"views {', '.join(names)} were advanced by another worker"
            )

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply batches until the views reach the end of the log."""
        target = self.log.last_position()
        applied = 0
        while True:
            n = self.step()
            applied += n
            if progress is not None:
                progress(self.position, target)
            if n == 0:
                break
        self._finish_indexes()
        self._unanalyzed += applied
        if self._unanalyzed >= max(self.analyze_after, self.position // 5):
            self._analyze()
        return applied

    def _analyze(self) -> None:
        self._unanalyzed = 0
        if self.db.dialect != "postgres":
            return  # SQLite's planner takes the listing indexes without statistics
        with self.db.write() as cur:
            for p in self.projections:
                for table in p.tables:
                    cur.execute(f"ANALYZE {table}")

    def _finish_indexes(self) -> None:
        if not self._unindexed:
            return
        with self.db.write() as cur:
            cur.execute("SELECT name FROM projection_positions WHERE indexed = 0")
            pending = {row[0] for row in cur.fetchall()}
            for p in self.projections:
                if p.name in pending:
                    p.create_indexes(cur, self.db)
                    cur.execute(
                        "UPDATE projection_positions SET indexed = 1 WHERE name = ?",
                        (p.name,),
                    )
            self._unindexed = set()

    def _publish(self, positions: dict[str, int]) -> None:
        with self._changed:
            self._positions = positions
            self._changed.notify_all()
        position = self.position
        for listener in self.listeners:
            listener(position)

    def refresh(self) -> int:
        """Re-read the positions (another process may run the worker, or have
        rebuilt the views into a new file, which this process then moves to)."""
        self.db.follow()
        with self.db.read() as cur:
            positions = self._read_positions(cur)
        if positions != self._positions:
            self._publish(positions)
        return self.position

    def observe(self, position: int) -> None:
        """Another process's worker announced that every view reached ``position``."""
        if position > self.position:
            self._publish(
                {name: max(p, position) for name, p in self._positions.items()}
            )

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until every view has reached ``position``; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.position < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
        return True

    def checksum(self, names: Sequence[str] | None = None) -> str:
        """A digest of every row of the views (or of the named ones), for comparing
        an incrementally maintained view with a rebuilt one."""
        digest = hashlib.sha256()
        with self.db.read() as cur:
            for p in self.projections:
                if names is not None and p.name not in names:
                    continue
                for sql in p.checksum_queries():
                    cur.execute(sql)
                    for row in cur.fetchall():
                        digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()

    # -- running in the background -----------------------------------------------

    def wake(self) -> None:
        """New events were written: look now rather than at the next poll."""
        self._wake.set()

    def start(self, follow_only: bool = False) -> None:
        """Run in the background; ``follow_only``: only follow another process's
        worker (re-read the positions), never apply events here."""
        self._follow_only = follow_only
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, name="projection-worker", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                behind = self.log.last_position() > self.refresh() or self._unindexed
                if behind and not self._follow_only:
                    self.catch_up()
                self.last_error = None
            except Exception as error:  # keep serving reads; report via healthz
                self.last_error = error
                self._stop.wait(1.0)
            self._wake.wait(self.poll_interval)
            self._wake.clear()
