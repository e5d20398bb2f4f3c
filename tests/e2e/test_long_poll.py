"""Long polling on the working page of the feed, against the real server."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.builders import count_body
from tests.e2e.conftest import TOKEN

pytestmark = pytest.mark.e2e


def _wait_for_a_parked_poll(server: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while httpx.get(server + "/healthz").json()["waiting"] < 1:
        assert time.monotonic() < deadline, "the long poll never started waiting"


def test_a_long_poll_returns_within_100_ms_of_a_write(server: str) -> None:
    current = httpx.get(server + "/feed")
    result: dict[str, object] = {}

    def poll() -> None:
        response = httpx.get(
            server + "/feed",
            params={"wait": 20},
            headers={"If-None-Match": current.headers["etag"]},
            timeout=30,
        )
        result["at"] = time.monotonic()
        result["response"] = response

    poller = threading.Thread(target=poll)
    poller.start()
    _wait_for_a_parked_poll(server)
    body = count_body(
        source="gazette-2023-07-care-reduction", effective="2024-11", value=512
    )
    written = httpx.post(
        server + "/facts", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    written_at = time.monotonic()
    assert written.status_code == 201
    poller.join(timeout=30)
    response = result["response"]
    assert isinstance(response, httpx.Response) and response.status_code == 200
    assert response.headers["etag"] != current.headers["etag"]
    assert b"512 children in care" in response.content
    lag = float(result["at"]) - written_at  # type: ignore[arg-type]
    assert lag < 0.1, f"the long poll answered {lag * 1000:.0f} ms after the write"


def test_a_long_poll_with_nothing_new_ends_with_304_when_its_wait_is_over(
    server: str,
) -> None:
    etag = httpx.get(server + "/feed").headers["etag"]
    started = time.monotonic()
    response = httpx.get(
        server + "/feed",
        params={"wait": 0.5},
        headers={"If-None-Match": etag},
        timeout=10,
    )
    assert response.status_code == 304
    assert 0.4 < time.monotonic() - started < 5
