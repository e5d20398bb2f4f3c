"""A cache miss is built once however many requests ask for it at the same time."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, cast

import pytest

from projections.db import Cursor
from service.caches import ResponseCache
from service.http import views
from service.runtime import Runtime


class _Runtime:
    """What the build path uses of a runtime: its cache and its reads (a thread
    each, as the real one runs them, held until told to go on)."""

    def __init__(self, budget: int) -> None:
        self.cache = ResponseCache(budget)
        self.go = threading.Event()
        self.reads = 0

    async def read(
        self, fn: Callable[[Cursor], Any], key: str | None = None, brief: bool = True
    ) -> Any:
        self.reads += 1

        def run() -> Any:
            self.go.wait(5)
            return fn(cast(Cursor, None))

        return await asyncio.to_thread(run)


async def _ask(rt: _Runtime, asks: list[tuple[str, int]], build: Any) -> list[Any]:
    tasks = [
        asyncio.ensure_future(views._build_once(cast(Runtime, rt), k, p, build))
        for k, p in asks
    ]
    await asyncio.sleep(0.05)  # every request is waiting before the build ends
    rt.go.set()
    return await asyncio.gather(*tasks, return_exceptions=True)


def test_requests_for_the_same_answer_share_one_build() -> None:
    rt = _Runtime(budget=1 << 20)
    built: list[int] = []

    def build(cur: Cursor) -> dict[str, int]:
        built.append(1)
        return {"answer": 42}

    answers = asyncio.run(_ask(rt, [("state", 7)] * 20, build))
    assert answers == [{"answer": 42}] * 20
    assert rt.reads == 1 and len(built) == 1
    assert not views._BUILDING  # nothing is left behind


def test_other_keys_and_positions_are_built_apart() -> None:
    rt = _Runtime(budget=1 << 20)
    asks = [("state", 7), ("state", 8), ("feed", 7), ("state", 7)]
    answers = asyncio.run(_ask(rt, asks, lambda cur: "body"))
    assert answers == ["body"] * 4
    assert rt.reads == 3


def test_without_a_cache_every_request_runs_its_query() -> None:
    rt = _Runtime(budget=0)
    answers = asyncio.run(_ask(rt, [("search", 3)] * 5, lambda cur: "hits"))
    assert answers == ["hits"] * 5
    assert rt.reads == 5


def test_a_failed_build_fails_every_request_waiting_and_is_not_kept() -> None:
    rt = _Runtime(budget=1 << 20)

    def build(cur: Cursor) -> Any:
        raise LookupError("no such authority")

    answers = asyncio.run(_ask(rt, [("state", 9)] * 3, build))
    assert all(isinstance(a, LookupError) for a in answers)
    assert rt.reads == 1 and not views._BUILDING
    rt.go.clear()
    again = asyncio.run(_ask(rt, [("state", 9)], lambda cur: "found"))
    assert again == ["found"] and rt.reads == 2  # the next request builds afresh


def test_a_request_that_goes_away_leaves_the_build_to_the_others() -> None:
    rt = _Runtime(budget=1 << 20)

    async def scene() -> Any:
        first = asyncio.ensure_future(
            views._build_once(cast(Runtime, rt), "k", 1, lambda cur: "body")
        )
        second = asyncio.ensure_future(
            views._build_once(cast(Runtime, rt), "k", 1, lambda cur: "body")
        )
        await asyncio.sleep(0.05)
        first.cancel()  # its client disconnected
        rt.go.set()
        with pytest.raises(asyncio.CancelledError):
            await first
        return await second

    assert asyncio.run(scene()) == "body"
    assert rt.reads == 1
