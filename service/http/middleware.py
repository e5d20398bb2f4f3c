"""ASGI middleware around the whole application.

``BodyDeadline`` gives a request's body a deadline: a client sending it slowly
gets a 408 instead of holding the request for as long as it likes.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.http.problems import ProblemError


class BodyDeadline:
    """The whole body must arrive within ``seconds`` of the request reaching the
    application; once it has, reads pass through untimed (a streamed answer
    listens for the client's disconnect for as long as it runs)."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        body_done = False

        async def receive_in_time() -> Message:
            nonlocal body_done
            if body_done:
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise ProblemError(
                    "request-timeout",
                    f"the request's body did not arrive within {self.seconds:g} "
                    "seconds",
                    headers={"Connection": "close"},
                ) from None
            if message["type"] != "http.request" or not message.get("more_body"):
                body_done = True
            return message

        await self.app(scope, receive_in_time, send)
