"""The hub on PostgreSQL with two server processes: one delivers, so each push
arrives once, whichever process took the subscription or the fact."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import feedparser
import httpx
import pytest

from service.composition import Carefacts
from service.settings import Settings
from tests.builders import BLACKPOOL, authority_body, count_body, source_body
from tests.e2e.conftest import TOKEN, free_port, stop_server, wait_until_up
from tests.subscriber import Subscriber

pytestmark = [pytest.mark.postgres, pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def two_servers(pg_settings: Settings, tmp_path: Path) -> Iterator[list[str]]:
    app = Carefacts.open(pg_settings)
    app.ledger.register_authority(authority_body())
    app.ledger.register_source(source_body())
    app.close()
    ports = [free_port(), free_port()]
    assert pg_settings.database_url is not None
    env = {
        **os.environ,
        "CAREFACTS_DATABASE_URL": pg_settings.database_url,
        "CAREFACTS_DATABASE_SCHEMA": pg_settings.database_schema,
        "CAREFACTS_WRITE_TOKENS": TOKEN,
        # One deployment, one address: both processes serve the same base URL.
        "CAREFACTS_BASE_URL": f"http://127.0.0.1:{ports[0]}",
        "CAREFACTS_WEBSUB_ALLOW_PRIVATE": "true",
    }
    processes = []
    log = tmp_path / "server.log"
    try:
        for port in ports:
            command = [
                sys.executable,
                "-m",
                "service.cli",
                "serve",
                "--port",
                str(port),
                "--no-load",
            ]
            with log.open("ab") as out:
                processes.append(
                    subprocess.Popen(command, env=env, stdout=out, stderr=out)
                )
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base, process in zip(bases, processes, strict=True):
            wait_until_up(base, process, log)
        yield bases
    finally:
        for process in processes:
            stop_server(process)


def _pushes(count: int) -> Callable[[Subscriber], bool]:
    return lambda subscriber: len(subscriber.pushes) >= count


def test_with_two_server_processes_each_push_is_delivered_once(
    two_servers: list[str],
) -> None:
    first, second = two_servers
    feed = feedparser.parse(httpx.get(f"{second}/authorities/{BLACKPOOL}/feed").content)
    links = {link["rel"]: link["href"] for link in feed.feed.links}
    with Subscriber() as subscriber:
        answer = httpx.post(
            second + "/websub",
            data={
                "hub.mode": "subscribe",
                "hub.topic": links["self"],
                "hub.callback": subscriber.url,
            },
        )
        assert answer.status_code == 202
        assert subscriber.wait_for(lambda s: len(s.verifications) == 1, 10)
        for n, base in enumerate([first, second, first, second]):
            expected = len(subscriber.pushes) + 1
            written = httpx.post(
                base + "/facts",
                json=count_body(value=700 + n, effective=f"202{n}-01"),
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
            assert written.status_code == 201, written.text
            # The first push waits for the verification to be stored, too.
            assert subscriber.wait_for(_pushes(expected), 10)
    ids = [e.id for p in subscriber.pushes for e in feedparser.parse(p.body).entries]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert len(subscriber.pushes) == 4
