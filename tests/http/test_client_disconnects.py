"""A client that goes away in the middle of a body: the application gets the
ASGI messages a server sends then (part of the body, then ``http.disconnect``),
logs one warning line without a traceback, and records nothing."""

from __future__ import annotations

import logging

import pytest
from starlette.testclient import TestClient
from starlette.types import Message

from tests.http.conftest import TOKEN


def test_a_client_gone_mid_body_is_one_warning_line_and_records_nothing(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    before = client.get("/healthz").json()["log_position"]
    arriving: list[Message] = [
        {"type": "http.request", "body": b'{"kind": "count_', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return arriving.pop(0) if arriving else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/facts",
        "raw_path": b"/facts",
        "query_string": b"",
        "root_path": "",
        "server": ("testserver", 80),
        "client": ("192.0.2.7", 50123),
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", b"400"),
            (b"authorization", TOKEN["Authorization"].encode()),
        ],
    }
    assert client.portal is not None
    with caplog.at_level(logging.INFO):
        client.portal.call(client.app, scope, receive, send)
    lines = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert lines == [
        (
            "carefacts",
            "WARNING",
            "POST /facts: the client 192.0.2.7:50123 went away before sending "
            "the whole body",
        )
    ]
    assert all(record.exc_info is None for record in caplog.records)
    assert client.get("/healthz").json()["log_position"] == before
