"""What a running web process holds: the ledger, its views, caches and a position
watch that lets requests wait for the views to reach a log position."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from projections.db import Cursor, ReadTooLongError, ViewDatabase
from projections.feed import Names
from projections.worker import ProjectionWorker
from service.application import Ledger
from service.caches import LRU, ResponseCache
from service.composition import Carefacts
from service.settings import Settings

T = TypeVar("T")


class PositionWatch:
    """Lets coroutines wait until the views reach a position; fed from any thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, position: int) -> None:
        self.loop = loop
        self.position = position
        # Each parked wait's future and the position it waits for. A wait removes
        # its own entry however it ends, so a quiet ledger holds only live waits.
        self._waiters: dict[asyncio.Future[None], int] = {}

    def advance_threadsafe(self, position: int) -> None:
        self.loop.call_soon_threadsafe(self._advance, position)

    def _advance(self, position: int) -> None:
        self.position = position  # may go down: a replay restarts the views
        reached = [f for f, target in self._waiters.items() if target <= position]
        for future in reached:
            del self._waiters[future]
            if not future.done():
                future.set_result(None)

    @property
    def waiting(self) -> int:
        """How many requests are waiting for a position (long polls, reads)."""
        return len(self._waiters)

    async def wait(self, target: int, timeout: float) -> bool:
        """True once the views have reached ``target``; False if ``timeout`` passes."""
        if self.position >= target:
            return True
        future: asyncio.Future[None] = self.loop.create_future()
        self._waiters[future] = target
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return False
        finally:
            self._waiters.pop(future, None)  # timed out or cancelled: forget it
        return True


BODIES_AT_ONCE = 4
# Threads that run queries on the views. Starlette's shared pool has 40: with
# every connection's read on a thread of its own they fight for the interpreter
# lock, and an uncached search or listing cost two to three times the CPU it
# does on a few threads. As many as there are cores (at least two) keeps the
# event loop free while a long query runs and the database busy meanwhile.
READ_THREADS = max(2, os.cpu_count() or 2)
# A read is first tried on the event loop itself, for at most this long of CPU:
# most take a fraction of a millisecond, and handing one to a thread and back
# costs more than it does. One that runs over is stopped and run again on a
# thread, so no request holds up the others for longer than this. The budget
# covers the whole read, its statements and the Python between them (a search
# page's documents), so it is set well above what a common read takes: a
# search for a rare word takes 0.3-1 ms under load, and at a budget of 1 ms one
# in fifty ran over. What it answers (its cache key) is remembered: once it
# has run over twice in a row, for a while its reads go to a thread at once.
# Not after once, for the same reason: a thread answers a read several times
# slower while the loop is busy, since it must take the interpreter lock back
# from the loop after every step.
INLINE_SECONDS = 0.003
LONG_READS_KEPT = 4096
LONG_READ_SECONDS = 1.0
LONG_AFTER_OVERRUNS = 2
LONG_AFTER_SQL_SECONDS = 0.010


class Runtime:
    """The process's :class:`Carefacts`, and what serving adds to it."""

    def __init__(self, core: Carefacts, watch: PositionWatch) -> None:
        self.settings: Settings = core.settings
        self.core = core
        self.watch = watch
        self.bodies = asyncio.Semaphore(BODIES_AT_ONCE)  # write bodies read at once
        # One budget for rendered answers: three quarters for JSON and pages, the
        # rest for feed pages; no one body over a 32nd of it (2 MiB by default).
        budget = self.settings.response_cache_mib * 1024 * 1024
        self.cache = ResponseCache(budget - budget // 4, largest=budget // 32)
        self.feed_cache = ResponseCache(budget // 4, largest=budget // 32)
        # Rendered feed entries (they never change), by format, feed and log
        # position: the bytes, the time recorded, and a retraction's tombstone.
        self.entry_fragments: LRU[tuple[bytes, str, Any]] = LRU(10_000)
        # Feed page shapes (counts, first positions) by the view position they hold at.
        self.feed_shapes: LRU[tuple[int, Any]] = LRU(4096)
        self.names = Names()  # of authorities, publishers, measures: they never change
        self._readers = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="reads")
        # key -> (overruns in a row, until when they count)
        self._long_reads: LRU[tuple[int, float]] = LRU(LONG_READS_KEPT)

    @property
    def ledger(self) -> Ledger:
        return self.core.ledger

    @property
    def views(self) -> ViewDatabase:
        return self.core.views

    @property
    def worker(self) -> ProjectionWorker:
        return self.core.worker

    def view_position(self) -> int:
        return self.worker.position

    def log_position(self) -> int:
        return self.ledger.last_position()

    async def read(
        self, fn: Callable[[Cursor], T], key: str | None = None, brief: bool = True
    ) -> T:
        """Run a query on one consistent snapshot of the views: on the event loop
        if it is done within :data:`INLINE_SECONDS`, else on a read thread.
        ``key`` names what it answers (see above); a read known to be long (an
        export's chunk) says ``brief=False`` and goes to a thread at once."""
        noted = None if key is None else self._long_reads.get(key)
        if brief and not _known_long(noted):
            started = time.thread_time()
            try:
                answer = self.views.read_within(fn, INLINE_SECONDS)
            except ReadTooLongError:
                self._note_long(key, noted)
            else:
                # The budget stops SQL, not the Python after it (a page
                # rendered): one that ran far over anyway goes to a thread too.
                # Not one a little over: a collection of the garbage collector
                # can take a few milliseconds of any request.
                if time.thread_time() - started > LONG_AFTER_SQL_SECONDS:
                    self._note_long(key, noted)
                elif key is not None and noted is not None:
                    self._long_reads.discard(key)  # in budget: count overruns anew
                return answer

        def run() -> T:
            with self.views.read() as cur:
                return fn(cur)

        return await asyncio.get_running_loop().run_in_executor(self._readers, run)

    def _note_long(self, key: str | None, noted: tuple[int, float] | None) -> None:
        # Remembered for a while, not for good: a read that ran long (a pause of
        # the whole process, a cold cache) is tried here again later.
        if key is None:
            return
        now = time.monotonic()
        overruns = noted[0] + 1 if noted is not None and noted[1] > now else 1
        self._long_reads.put(key, (overruns, now + LONG_READ_SECONDS))

    def close(self) -> None:
        """Stop the read threads (after the last request)."""
        self._readers.shutdown(wait=True, cancel_futures=True)


def _known_long(noted: tuple[int, float] | None) -> bool:
    """Whether a read's overruns (in a row, and until when they count) send it
    to a thread at once."""
    return (
        noted is not None
        and noted[0] >= LONG_AFTER_OVERRUNS
        and noted[1] > time.monotonic()
    )
