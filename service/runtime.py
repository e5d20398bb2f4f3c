"""What a running web process holds: the ledger, its views, caches and a position
watch that lets requests wait for the views to reach a log position."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from projections.db import Cursor
from projections.feed import Names
from service.composition import Carefacts
from service.http.responses import LRU, ResponseCache
from service.settings import Settings

T = TypeVar("T")


class PositionWatch:
    """Lets coroutines wait until the views reach a position; fed from any thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, position: int) -> None:
        self.loop = loop
        self.position = position
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []

    def advance_threadsafe(self, position: int) -> None:
        self.loop.call_soon_threadsafe(self._advance, position)

    def _advance(self, position: int) -> None:
        self.position = position  # may go down: a replay restarts the views
        still: list[tuple[int, asyncio.Future[None]]] = []
        for target, future in self._waiters:
            if target <= position:
                if not future.done():
                    future.set_result(None)
            else:
                still.append((target, future))
        self._waiters = still

    @property
    def waiting(self) -> int:
        """How many requests are waiting for a position (long polls, reads)."""
        return sum(1 for _, future in self._waiters if not future.done())

    async def wait(self, target: int, timeout: float) -> bool:
        """True once the views have reached ``target``; False if ``timeout`` passes."""
        if self.position >= target:
            return True
        future: asyncio.Future[None] = self.loop.create_future()
        self._waiters.append((target, future))
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return False
        return True


class Runtime:
    def __init__(
        self, settings: Settings, core: Carefacts, watch: PositionWatch
    ) -> None:
        self.settings = settings
        self.core = core
        self.watch = watch
        self.cache = ResponseCache(size=512)
        self.feed_cache = ResponseCache(size=256)
        # Rendered feed entries (they never change), by format, feed and log
        # position: the bytes, the time recorded, and a retraction's tombstone.
        self.entry_fragments: LRU[tuple[bytes, str, Any]] = LRU(10_000)
        # Feed page shapes (counts, first positions) by the view position they hold at.
        self.feed_shapes: LRU[tuple[int, Any]] = LRU(4096)
        self.names = Names()  # of authorities, publishers, measures: they never change

    @property
    def ledger(self) -> Any:
        return self.core.ledger

    def require_database(self) -> None:
        """Fail fast with 503 while PostgreSQL is known to be away, instead of
        waiting on connection timeouts (answers already cached are still served)."""
        runner = self.core.runner
        if runner is not None and not runner.connected:
            from service.http.problems import ProblemError

            reason = str(runner.last_error or "not connected yet").strip()
            raise ProblemError(
                "not-ready",
                f"the database is unavailable: {reason}",
                headers={"Retry-After": "5"},
            )

    def view_position(self) -> int:
        return self.core.worker.position

    def log_position(self) -> int:
        return int(self.core.ledger.last_position())

    async def read(self, fn: Callable[[Cursor], T]) -> T:
        """Run a query on one consistent snapshot of the views, off the event loop."""

        def run() -> T:
            with self.core.views.read() as cur:
                return fn(cur)

        return await run_in_threadpool(run)
