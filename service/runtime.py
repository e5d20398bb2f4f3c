"""What a running web process holds: the ledger, its views, caches and a position
watch that lets requests wait for the views to reach a log position."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from projections.db import Cursor, ViewDatabase
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

    async def read(self, fn: Callable[[Cursor], T]) -> T:
        """Run a query on one consistent snapshot of the views, off the event loop."""

        def run() -> T:
            with self.views.read() as cur:
                return fn(cur)

        return await asyncio.get_running_loop().run_in_executor(self._readers, run)

    def close(self) -> None:
        """Stop the read threads (after the last request)."""
        self._readers.shutdown(wait=True, cancel_futures=True)
