"""What a client may hold on the real server: header and body deadlines, a
header size limit and a connection limit, over raw sockets.

Each wait is bounded by ``BOUND`` seconds, well over the server's timeouts: the
tests show that an answer comes, not how fast.
"""

from __future__ import annotations

import re
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from tests.e2e.conftest import TOKEN, running_server

pytestmark = pytest.mark.e2e
BOUND = 10.0
LIMIT = 3


@pytest.fixture(scope="module")
def strict(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    """A server with one-second header and body timeouts; its port."""
    with running_server(
        seeded_template,
        tmp_path_factory.mktemp("strict"),
        CAREFACTS_HEADER_TIMEOUT="1",
        CAREFACTS_BODY_TIMEOUT="1",
    ) as port:
        yield port


@pytest.fixture(scope="module")
def limited(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    """A server that serves at most LIMIT connections at once; its port."""
    with running_server(
        seeded_template,
        tmp_path_factory.mktemp("limited"),
        "--max-connections",
        str(LIMIT),
    ) as port:
        yield port


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=BOUND)


def _answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes (BOUND at most)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def _problem(answer: bytes) -> tuple[int, dict[str, object], str]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, orjson.loads(body), head.decode().lower()


def _position(port: int) -> int:
    health = httpx.get(f"http://127.0.0.1:{port}/healthz").json()
    return int(health["log_position"])


def test_half_a_request_line_is_answered_408_once_the_header_timeout_passes(
    strict: int,
) -> None:
    with _connect(strict) as sock:
        sock.sendall(b"GET /authorities HT")
        status, problem, head = _problem(_answer(sock))
    assert status == 408
    assert "headers did not arrive within 1 seconds" in str(problem["detail"])
    assert "application/problem+json" in head and "connection: close" in head


def test_headers_trickling_in_byte_by_byte_are_cut_off_at_the_header_timeout(
    strict: int,
) -> None:
    request = b"GET /authorities HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 200
    with _connect(strict) as sock:
        for byte in request:
            sock.sendall(bytes([byte]))
            # Wait for an answer a little before each byte, instead of sleeping.
            if select.select([sock], [], [], 0.1)[0]:
                break
        status, _, _ = _problem(_answer(sock))
    assert status == 408


def test_a_later_request_on_a_kept_connection_has_its_own_header_deadline(
    strict: int,
) -> None:
    with _connect(strict) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _one_response(sock).startswith(b"HTTP/1.1 200")
        # Blank lines before a request line are allowed, and each one used to
        # put off the idle timeout: sent slowly, they must not hold the connection.
        assert _trickle_until_closed(sock, b"\r\n") == b""


def _one_response(sock: socket.socket) -> bytes:
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += sock.recv(65536)
    return received


def test_a_connection_that_sends_nothing_is_closed(strict: int) -> None:
    with _connect(strict) as sock:
        assert _answer(sock) == b""


def test_a_write_whose_body_stops_half_way_gets_408_and_records_nothing(
    strict: int,
) -> None:
    before = _position(strict)
    with _connect(strict) as sock:
        sock.sendall(
            b"POST /facts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
            b"Content-Length: 200\r\n\r\n"
            b'{"kind": "count_reported", "authority": "E06000009",'
        )
        status, problem, head = _problem(_answer(sock))
    assert status == 408
    assert "body did not arrive within 1 seconds" in str(problem["detail"])
    assert "connection: close" in head
    assert _position(strict) == before


def test_an_unread_body_sent_slowly_does_not_keep_the_connection(
    strict: int,
) -> None:
    with _connect(strict) as sock:
        sock.sendall(
            b"POST /facts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 200\r\n\r\n{"
        )
        answer = _trickle_until_closed(sock)  # no token: refused unread
    assert _problem(answer)[0] == 401


def _trickle_until_closed(sock: socket.socket, byte: bytes = b" ") -> bytes:
    """Send a byte whenever the server is quiet for a moment, until it closes the
    connection; what it sent (fails after BOUND seconds)."""
    received = b""
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        try:
            if not select.select([sock], [], [], 0.1)[0]:
                sock.sendall(byte)
                continue
            chunk = sock.recv(65536)
        except (BrokenPipeError, ConnectionResetError):
            return received
        if not chunk:
            return received
        received += chunk
    raise AssertionError(f"still open after {BOUND} s; received {received[:80]!r}")


def test_headers_over_64_kib_are_refused_with_431(strict: int) -> None:
    with _connect(strict) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000)
        status, problem, head = _problem(_answer(sock))
    assert status == 431
    assert "65,536 bytes" in str(problem["detail"])
    assert "x-content-type-options: nosniff" in head


def test_past_the_connection_limit_a_request_gets_503_with_retry_after(
    limited: int,
) -> None:
    idle = [_connect(limited) for _ in range(LIMIT)]
    try:
        with _connect(limited) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            status, problem, head = _problem(_answer(sock))
    finally:
        for extra in idle:
            extra.close()
    assert status == 503
    assert problem["type"] == f"http://127.0.0.1:{limited}/problems/overloaded"
    assert "retry-after: 5" in head
    assert _served_again(limited), "the server never served again"


def _served_again(port: int, attempts: int = 100) -> bool:
    """Once the idle connections are closed (the server may see that a moment
    after the client), a request is served."""
    for _ in range(attempts):
        with _connect(port) as sock:
            sock.sendall(
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            if _answer(sock).startswith(b"HTTP/1.1 200"):
                return True
    return False


def test_a_long_poll_held_past_the_header_deadline_is_answered(strict: int) -> None:
    base = f"http://127.0.0.1:{strict}"
    etag = httpx.get(base + "/feed").headers["etag"]
    answer = httpx.get(
        base + "/feed?wait=2.5", headers={"If-None-Match": etag}, timeout=BOUND
    )
    assert answer.status_code == 304  # held 2.5 s, more than the 1 s header deadline
