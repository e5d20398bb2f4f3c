"""ASGI middleware around the whole application.

``SecurityHeaders`` marks every response ``X-Content-Type-Options: nosniff`` (so
a browser never reads JSON or a feed as a page) and gives HTML pages a Content
Security Policy that allows only the site's own stylesheet: the pages run no
script. Reads are open to pages and notebooks elsewhere: a GET or HEAD answer
carries ``Access-Control-Allow-Origin: *`` (they need no credentials), and
exposes the paging and caching headers; a write's answer does not, so a page
elsewhere cannot read what its writes returned.

``BodyDeadline`` gives a request's body a deadline: a client sending it
slowly gets a 408 instead of holding the request for as long as it likes.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.http.problems import ProblemError

NOSNIFF = (b"x-content-type-options", b"nosniff")
OPEN_READS = (
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"Link, ETag, Carefacts-Position"),
)
PAGE_POLICY = (
    b"content-security-policy",
    b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    b"base-uri 'none'; frame-ancestors 'none'",
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if NOSNIFF[0] not in names:
                    headers.append(NOSNIFF)
                if _is_html(headers) and PAGE_POLICY[0] not in names:
                    headers.append(PAGE_POLICY)
                if scope["method"] in ("GET", "HEAD"):
                    headers += OPEN_READS
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_marked)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(
        name.lower() == b"content-type" and value.lower().startswith(b"text/html")
        for name, value in headers
    )


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
