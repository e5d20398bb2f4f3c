"""Reads tried on the event loop for at most a budget of CPU time: one that runs
over is stopped part way, leaves its connection as it found it, and is answered
on a read thread instead; what it answers goes straight to a thread for a while."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from projections.db import Cursor, ReadTooLongError, SQLiteViews
from service.composition import Carefacts
from service.runtime import (
    INLINE_SECONDS,
    LONG_AFTER_OVERRUNS,
    PositionWatch,
    Runtime,
)
from service.settings import Settings

# A statement that steps SQLite's machine for several seconds.
LONG = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
    "WHERE i < 100000000) SELECT count(*) FROM n"
)


def _count(cur: Cursor) -> int:
    cur.execute("SELECT count(*) FROM sqlite_master")
    return int(cur.fetchone()[0])


@pytest.fixture
def views(tmp_path: Path) -> Iterator[SQLiteViews]:
    db = SQLiteViews(tmp_path / "views.sqlite3", readers=2)
    yield db
    db.close()


def test_a_brief_read_is_answered_within_its_budget(views: SQLiteViews) -> None:
    assert views.read_within(_count, 1.0) == 0


def test_a_long_read_is_stopped_soon_after_its_budget(views: SQLiteViews) -> None:
    started = time.monotonic()
    with pytest.raises(ReadTooLongError):
        views.read_within(lambda cur: cur.execute(LONG).fetchone(), 0.005)
    assert time.monotonic() - started < 2.0  # the statement alone takes far longer
    # The connection went back as it was: no transaction left open, no handler
    # left to stop the next read, which runs as long as it needs.
    assert views.read_within(_count, 1.0) == 0
    with views.read() as cur:
        cur.execute("SELECT count(*) FROM (SELECT 1 UNION ALL SELECT 2)")
        assert cur.fetchone()[0] == 2


def test_other_errors_are_not_taken_for_a_long_read(views: SQLiteViews) -> None:
    with pytest.raises(Exception, match="no such table"):
        views.read_within(lambda cur: cur.execute("SELECT * FROM nowhere"), 1.0)


def test_no_free_connection_means_no_inline_read(views: SQLiteViews) -> None:
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with views.read():
            held.set()
            release.wait(5)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for thread in threads:
        thread.start()
        held.wait(5)
        held.clear()
    try:
        with pytest.raises(ReadTooLongError):  # both readers busy: never waits
            views.read_within(_count, 1.0)
    finally:
        release.set()
        for thread in threads:
            thread.join()


class _Views:
    """The views as the runtime sees them, recording where each read ran."""

    def __init__(self, inner: SQLiteViews) -> None:
        self.inner = inner
        self.inline: list[str] = []
        self.threaded: list[str] = []

    def read_within(self, fn: Any, seconds: float) -> Any:
        self.inline.append(threading.current_thread().name)
        return self.inner.read_within(fn, seconds)

    def read(self) -> Any:
        self.threaded.append(threading.current_thread().name)
        return self.inner.read()


def _runtime(views: SQLiteViews) -> tuple[Runtime, _Views]:
    recorded = _Views(views)
    core = SimpleNamespace(settings=Settings(), views=recorded)
    loop = asyncio.new_event_loop()
    rt = Runtime(cast(Carefacts, core), PositionWatch(loop, 0))
    loop.close()
    return rt, recorded


def test_the_runtime_answers_a_long_read_on_a_thread_and_remembers_it(
    views: SQLiteViews,
) -> None:
    rt, recorded = _runtime(views)

    def slow(cur: Cursor) -> int:
        # Far over the budget, and well under the second for which a long
        # read is remembered (the second read must come within it).
        cur.execute(LONG.replace("100000000", "200000"))
        return int(cur.fetchone()[0])

    async def scenario() -> list[int]:
        return [await rt.read(slow, key="slow") for _ in range(3)]

    try:
        assert asyncio.run(scenario()) == [200000] * 3
    finally:
        rt.close()
    # Tried on the loop twice, stopped each time, then answered on a thread all
    # three times: after two overruns in a row the third never tries the loop.
    assert len(recorded.inline) == LONG_AFTER_OVERRUNS == 2
    assert len(recorded.threaded) == 3
    assert all(name.startswith("reads") for name in recorded.threaded)


def test_one_overrun_between_brief_reads_is_not_remembered(
    views: SQLiteViews,
) -> None:
    # A read that usually takes a fraction of its budget and once runs over
    # (a cold page) keeps being tried on the loop.
    rt, recorded = _runtime(views)
    # Whether each call of the read is slow, in turn: an overrun is called
    # again on a thread, so it takes two turns.
    slow = [True, True, False, True, True, True, True]

    def sometimes_slow(cur: Cursor) -> int:
        if slow.pop(0):
            cur.execute(LONG.replace("100000000", "200000"))
        else:
            cur.execute("SELECT 7")
        return int(cur.fetchone()[0])

    async def scenario() -> list[int]:
        return [await rt.read(sometimes_slow, key="k") for _ in range(4)]

    try:
        # Over, in budget (counting starts anew), over, over.
        assert asyncio.run(scenario()) == [200000, 7, 200000, 200000]
    finally:
        rt.close()
    assert slow == []
    # All four tried the loop: the third overrun is the first in a row.
    assert len(recorded.inline) == 4
    assert len(recorded.threaded) == 3


def test_brief_reads_stay_on_the_loop_and_exports_never_try(
    views: SQLiteViews,
) -> None:
    rt, recorded = _runtime(views)

    async def scenario() -> tuple[int, int]:
        quick = await rt.read(_count, key="quick")
        export = await rt.read(_count, brief=False)
        return quick, export

    try:
        assert asyncio.run(scenario()) == (0, 0)
    finally:
        rt.close()
    assert recorded.inline == ["MainThread"]
    assert len(recorded.threaded) == 1
    assert INLINE_SECONDS <= 0.005  # a request holds up the others that little
