"""The position watch: waits for the views to reach a position, and forgets every
wait that ends, whether it was woken, timed out or was cancelled."""

from __future__ import annotations

import asyncio

from service.runtime import PositionWatch

WAITS = 1000


def test_waits_that_time_out_on_a_quiet_ledger_leave_nothing_behind() -> None:
    async def scenario() -> tuple[list[bool], int]:
        watch = PositionWatch(asyncio.get_running_loop(), 5)
        results = await asyncio.gather(*(watch.wait(6, 0.0) for _ in range(WAITS)))
        return results, len(watch._waiters)

    results, left = asyncio.run(scenario())
    assert results == [False] * WAITS
    assert left == 0


def test_cancelled_waits_leave_nothing_behind() -> None:
    async def scenario() -> tuple[int, int]:
        watch = PositionWatch(asyncio.get_running_loop(), 5)
        tasks = [asyncio.create_task(watch.wait(6, 60.0)) for _ in range(WAITS)]
        while len(watch._waiters) < WAITS:
            await asyncio.sleep(0)  # let every task park
        parked = len(watch._waiters)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return parked, len(watch._waiters)

    parked, left = asyncio.run(scenario())
    assert parked == WAITS
    assert left == 0


def test_an_advance_wakes_the_waits_it_reaches_and_keeps_the_others() -> None:
    async def scenario() -> tuple[list[bool], int, int]:
        watch = PositionWatch(asyncio.get_running_loop(), 5)
        near = [asyncio.create_task(watch.wait(6, 60.0)) for _ in range(3)]
        far = asyncio.create_task(watch.wait(9, 60.0))
        while len(watch._waiters) < 4:
            await asyncio.sleep(0)
        watch.advance_threadsafe(7)
        woken = await asyncio.gather(*near)
        still = watch.waiting
        far.cancel()
        await asyncio.gather(far, return_exceptions=True)
        return woken, still, watch.waiting

    woken, still, after = asyncio.run(scenario())
    assert woken == [True, True, True]
    assert still == 1
    assert after == 0
