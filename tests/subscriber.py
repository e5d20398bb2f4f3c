"""A WebSub subscriber on 127.0.0.1: a real HTTP server that answers the hub's
verification of intent (or refuses it) and keeps every push it receives."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Subscriber:
    confirm: bool = True  # echo the challenge
    failures: int = 0  # answer this many pushes with 500 first
    status: int = 204  # then answer pushes with this
    received: list[Received] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/callback"

    @property
    def pushes(self) -> list[Received]:
        return [r for r in self.received if r.method == "POST"]

    @property
    def verifications(self) -> list[Received]:
        return [r for r in self.received if r.method == "GET"]

    def wait_for(self, condition: Callable[[Subscriber], bool], timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: condition(self), timeout)

    def __enter__(self) -> Subscriber:
        subscriber = self

        class Handler(BaseHTTPRequestHandler):
            def _note(self, body: bytes) -> None:
                with subscriber._changed:
                    subscriber.received.append(
                        Received(self.command, self.path, dict(self.headers), body)
                    )
                    subscriber._changed.notify_all()

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                challenge = query.get("hub.challenge", [""])[0].encode()
                answer = challenge if subscriber.confirm else b"no"
                self._note(b"")  # before answering: the hub goes on once answered
                self.send_response(200 if subscriber.confirm else 404)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self._note(body)
                failing = subscriber.failures > 0
                subscriber.failures -= 1 if failing else 0
                self.send_response(500 if failing else subscriber.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
