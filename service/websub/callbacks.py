"""Requests to subscribers' callbacks, bounded and kept off private networks.

A hub posts to whatever URL a stranger gives it, so every request here resolves the
callback's host, refuses it if any of its addresses is loopback, private,
link-local or otherwise not global (unless the settings allow private callbacks),
and connects to the very address it checked, so a name that resolves differently a
moment later cannot slip past. Each request has one deadline for all of it
(connecting, sending, the answer's headers and body) and reads at most a bounded
number of bytes of the answer; redirects are not followed.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL = 2000
MAX_ANSWER = 64 * 1024  # bytes of a subscriber's answer that are read at all


class CallbackError(ValueError):
    """A callback URL that is unusable or refused, or a request to it that failed."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def check_url(url: str) -> tuple[str, int]:
    """The host and port of an absolute http(s) URL, or :class:`CallbackError`."""
    if len(url) > MAX_URL:
        raise CallbackError(f"the callback URL is longer than {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise CallbackError(f"the callback is not a URL: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CallbackError("the callback must be an absolute http or https URL")
    if parts.fragment:
        raise CallbackError("the callback must not have a fragment (#...)")
    if parts.username is not None or parts.password is not None:
        raise CallbackError("the callback must not carry a user name or password")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to; refused if any address of the host is private."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise CallbackError(f"the callback host {host!r} does not resolve") from error
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise CallbackError(f"the callback host {host!r} has no address")
    if not allow_private:
        private = [a for a in addresses if not _is_public(a)]
        if private:
            raise CallbackError(
                f"the callback host {host!r} resolves to {private[0]}, a loopback, "
                "private or link-local address: refused (callbacks must be public)"
            )
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(  # type: ignore[attr-defined]
            raw, server_hostname=self.host
        )


def _abort(conn: http.client.HTTPConnection) -> None:
    """At the deadline: end whatever the request is waiting for."""
    sock = conn.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def send(
    method: str,
    url: str,
    *,
    allow_private: bool,
    timeout: float,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    limit: int = MAX_ANSWER,
) -> Answer:
    """One request to a callback; at most ``limit`` bytes of the answer are read."""
    host, port = check_url(url)
    address = resolve(host, port, allow_private)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pinned = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    conn = pinned(host, port, address, timeout)
    timer = threading.Timer(timeout, _abort, (conn,))
    timer.daemon = True
    timer.start()
    try:
        sent = {"User-Agent": "carefacts-websub", "Connection": "close"}
        conn.request(method, target, body=body, headers={**sent, **(headers or {})})
        response = conn.getresponse()
        return Answer(response.status, response.read(limit))
    except (OSError, http.client.HTTPException) as error:
        reason = str(error) or type(error).__name__
        raise CallbackError(f"{method} {url[:200]} failed: {reason}") from error
    finally:
        timer.cancel()
        conn.close()
