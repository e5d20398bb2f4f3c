"""The HTTP connection as uvicorn reads it, with bounds on what a client may hold.

uvicorn (with httptools) waits for a request's headers for as long as a client
takes to send them, keeps every header byte it is sent, and waits for the rest of
a body the application did not read. Here:

- headers must arrive within ``header_timeout`` seconds of the connection, or of
  the first byte of a later request, however slowly they trickle in (408);
- they may take at most ``MAX_HEADER_BYTES``, give or take one read (431);
- a body not complete within ``body_timeout`` of its headers has its connection
  closed once answered (the application answers 408 if it was reading it);
- at most ``max_connections`` are served at once; past that a request gets 503.

Answers written here, before the application has a request, are problem
documents like the application's own.
"""

from __future__ import annotations

import asyncio
import functools
import http
from collections.abc import Callable
from typing import Any

import orjson
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from service.http.problems import PROBLEM_TYPES
from service.settings import Settings

MAX_HEADER_BYTES = 64 * 1024  # the request line and every header, names and values


@functools.cache
def _settings() -> Settings:
    # Read once per process: `carefacts serve` exports its settings to the workers.
    return Settings.from_env()


class BoundedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header deadline, a header size limit,
    a body deadline and a connection limit."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.settings = settings or _settings()
        self._deadline: asyncio.TimerHandle | None = None
        self._awaiting_headers = True
        self._header_bytes = 0  # received while awaiting headers
        self._boundary = False  # a request's headers or body ended in this read
        self._body_pending = False  # headers complete, body not yet
        self._request_begun = False
        self._refused = False

    # Deadlines: one timer at a time, for the headers and then for the body.
    def _arm(self, seconds: float, expired: Callable[[], None]) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.settings.header_timeout, self._headers_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        self._boundary = False
        super().data_received(data)
        if self._refused:
            return
        if self._deadline is None:
            # Armed after the read, and only for what it left unfinished: a
            # request that arrives whole in one read never arms a timer.
            if self._awaiting_headers and (self._request_begun or self._answered):
                # Not while a request is being answered (a long poll may be held
                # for longer than the header deadline): the next request's first
                # byte arms it.
                self._arm(self.settings.header_timeout, self._headers_too_slow)
            elif self._body_pending:
                self._arm(self.settings.body_timeout, self._body_too_slow)
        if self._awaiting_headers:
            self._count_header_bytes(len(data))

    def _count_header_bytes(self, size: int) -> None:
        # The parser keeps a header until the next one starts, so its size is
        # counted here, by the read. A read in which a request ended is not
        # counted, which lets a header block be at most one read over the limit.
        self._header_bytes = 0 if self._boundary else self._header_bytes + size
        if self._header_bytes > MAX_HEADER_BYTES:
            self._refuse(
                431,
                "headers-too-large",
                f"the request line and headers are over {MAX_HEADER_BYTES:,} bytes",
            )

    def on_message_begin(self) -> None:
        if not self._refused:
            super().on_message_begin()
            self._request_begun = True

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._disarm()
        self._awaiting_headers = self._request_begun = False
        self._boundary = self._body_pending = True
        limit = self.settings.max_connections
        if len(self.connections) > limit or len(self.tasks) >= limit:
            self._refuse(
                503,
                "overloaded",
                f"the server is serving its limit of {limit} connections; retry",
                retry_after=5,
            )
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._refused:
            return
        self._disarm()
        self._awaiting_headers = self._boundary = True
        self._body_pending = False
        self._header_bytes = 0
        super().on_message_complete()

    @property
    def _answered(self) -> bool:
        cycle = self.cycle
        return cycle is None or cycle.response_complete

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, "malformed-request", f"not an HTTP request: {msg}")

    def _headers_too_slow(self) -> None:
        self._deadline = None
        if not self._request_begun:  # an idle connection: nothing to answer
            self.transport.close()
            return
        seconds = self.settings.header_timeout
        self._refuse(
            408,
            "request-timeout",
            f"the request's headers did not arrive within {seconds:g} seconds",
        )

    def _body_too_slow(self) -> None:
        self._deadline = None
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            self.transport.close()  # answered already: stop waiting for the rest
        else:
            cycle.keep_alive = False  # close the connection once it is answered

    def _refuse(
        self, status: int, slug: str, detail: str, retry_after: int | None = None
    ) -> None:
        """Answer with a problem document and close, before any application."""
        self._refused = True
        self._disarm()
        if self.cycle is not None and not self.cycle.response_complete:
            # Still answering an earlier request: close once that is sent.
            self.cycle.keep_alive = False
            return
        if self.transport.is_closing():
            return
        self.transport.write(
            problem_bytes(status, slug, detail, self.settings.base_url, retry_after)
        )
        self.transport.close()


def problem_bytes(
    status: int,
    slug: str,
    detail: str,
    base_url: str,
    retry_after: int | None = None,
) -> bytes:
    """A whole HTTP/1.1 response holding a problem document, closing the
    connection."""
    title = PROBLEM_TYPES[slug][1]
    body = orjson.dumps(
        {
            "type": f"{base_url}/problems/{slug}",
            "title": title,
            "status": status,
            "detail": detail,
        }
    )
    headers = [
        f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}",
        "content-type: application/problem+json",
        f"content-length: {len(body)}",
        "x-content-type-options: nosniff",
        "connection: close",
    ]
    if retry_after is not None:
        headers.append(f"retry-after: {retry_after}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode("ascii") + body
