"""Write bodies are read a few at a time, so many writers sending at once hold
at most a few bodies in memory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
from starlette.testclient import TestClient

from service.runtime import BODIES_AT_ONCE
from tests.http.conftest import TOKEN


def test_many_writers_at_once_have_only_a_few_bodies_read(
    empty_client: TestClient,
) -> None:
    app = empty_client.app
    started: list[int] = []

    async def run() -> list[int]:
        release = asyncio.Event()

        def body(n: int) -> AsyncIterator[bytes]:
            async def chunks() -> AsyncIterator[bytes]:
                started.append(n)
                yield b'{"kind": "count_reported", '
                await release.wait()
                yield b'"value": 1}'

            return chunks()

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            posts = [
                asyncio.ensure_future(
                    c.post(
                        "/facts",
                        content=body(n),
                        headers={**TOKEN, "content-type": "application/json"},
                    )
                )
                for n in range(3 * BODIES_AT_ONCE)
            ]
            for _ in range(200):  # let every request reach the body it sends
                await asyncio.sleep(0)
            reading = len(started)
            release.set()
            answers = await asyncio.gather(*posts)
        assert all(a.status_code == 422 for a in answers)  # incomplete facts
        return [reading, len(started)]

    reading, finally_read = empty_client.portal.call(run)  # type: ignore[union-attr]
    assert reading == BODIES_AT_ONCE
    assert finally_read == 3 * BODIES_AT_ONCE
