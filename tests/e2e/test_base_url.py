"""Without CAREFACTS_BASE_URL, absolute links follow the address served: a
server started with ``--port`` links to that port, not to 8000."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import running_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def port(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    # An empty CAREFACTS_BASE_URL is no base URL: the server picks its own.
    with running_server(
        seeded_template, tmp_path_factory.mktemp("own-port"), CAREFACTS_BASE_URL=""
    ) as served:
        yield served


def test_the_feed_links_to_itself_at_the_port_served(port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    feed = httpx.get(base + "/feed").text
    self_link = re.search(r'<link[^>]*rel="self"[^>]*>', feed)
    assert self_link is not None and f'href="{base}/feed"' in self_link.group()
    assert ":8000" not in feed


def test_a_page_advertises_its_feed_at_the_port_served(port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    page = httpx.get(base + "/authorities/E06000009", headers={"Accept": "text/html"})
    assert f'href="{base}/authorities/E06000009/feed"' in page.text


def test_problem_types_are_at_the_port_served(port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    problem = httpx.get(base + "/authorities/E99999999").json()
    assert problem["type"] == f"{base}/problems/not-found"
