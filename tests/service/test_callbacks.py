"""Requests to callbacks: private addresses refused, one deadline, bounded answers."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest

from service.websub import callbacks


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.9",
        "169.254.169.254",
        "::1",
        "::ffff:127.0.0.1",
        "fe80::1",
        "0.0.0.0",
    ],
)
def test_a_callback_on_a_loopback_private_or_link_local_address_is_refused(
    host: str,
) -> None:
    with pytest.raises(
        callbacks.CallbackError, match="loopback, private or link-local"
    ):
        callbacks.resolve(host, 80, allow_private=False)


def test_a_public_address_is_allowed_and_a_private_one_when_the_setting_says_so() -> (
    None
):
    assert (
        callbacks.resolve("93.184.215.14", 80, allow_private=False) == "93.184.215.14"
    )
    assert callbacks.resolve("127.0.0.1", 80, allow_private=True) == "127.0.0.1"


def test_a_name_that_resolves_to_loopback_is_refused() -> None:
    with pytest.raises(callbacks.CallbackError, match="resolves to"):
        callbacks.resolve("localhost", 80, allow_private=False)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    yield int(listener.getsockname()[1])
    listener.close()


def test_a_callback_that_never_answers_fails_at_the_deadline(silent_port: int) -> None:
    with pytest.raises(callbacks.CallbackError, match="failed"):
        callbacks.send(
            "GET", f"http://127.0.0.1:{silent_port}/", allow_private=True, timeout=0.3
        )


@pytest.fixture
def chatty_port() -> Iterator[int]:
    """A server that answers every request with a megabyte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            body = b"x" * 1_000_000
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
            with contextlib.suppress(OSError):  # the hub stops reading, as it should
                conn.sendall(body)

    threading.Thread(target=serve, daemon=True).start()
    yield int(listener.getsockname()[1])
    listener.close()


def test_no_more_of_an_answer_is_read_than_the_limit(chatty_port: int) -> None:
    answer = callbacks.send(
        "GET",
        f"http://127.0.0.1:{chatty_port}/",
        allow_private=True,
        timeout=5,
        limit=1024,
    )
    assert (answer.status, len(answer.body)) == (200, 1024)
