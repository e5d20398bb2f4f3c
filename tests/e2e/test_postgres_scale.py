"""PostgreSQL at scale: several server processes, one projection worker, and no event
lost, duplicated or shown twice; a standby worker that takes over; and 503s, not
crashes, while the database is away."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import psycopg
import pytest
from lxml import etree

from domain.drafts import draft_fact
from service.composition import Carefacts
from service.settings import Settings
from tests.builders import authority_body, count_body, source_body
from tests.e2e.conftest import TOKEN, free_port, stop_server, wait_until_up
from tests.proxy import Proxy

pytestmark = [pytest.mark.postgres, pytest.mark.e2e, pytest.mark.slow]
CF = "tag:carefacts,2026:ns"
ATOM = "http://www.w3.org/2005/Atom"


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    assert settings.database_url is not None
    return {
        **os.environ,
        "CAREFACTS_DATABASE_URL": settings.database_url,
        "CAREFACTS_DATABASE_SCHEMA": settings.database_schema,
        "CAREFACTS_WRITE_TOKENS": TOKEN,
        **extra,
    }


def _serve(
    settings: Settings, log: Path, **extra: str
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = _env(settings, CAREFACTS_BASE_URL=f"http://127.0.0.1:{port}", **extra)
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
        process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base, process, log)
    return process, base


@pytest.fixture
def registered(pg_settings: Settings) -> Settings:
    app = Carefacts.open(pg_settings)
    app.ledger.register_authority(authority_body())
    app.ledger.register_source(source_body())
    app.close()
    return pg_settings


class Tail:
    """Follows GET /events by 'after' cursors, as a consumer of the log would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.seen: list[int] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        after = 0
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while True:
                stopping = self.stop.is_set()
                page = client.get(
                    "/events", params={"after": after, "limit": 1000}
                ).json()
                self.seen += [e["position"] for e in page["events"]]
                after = page["next_after"]
                if stopping and not page["events"]:
                    return


def _feed_positions(base: str) -> list[int]:
    positions: list[int] = []
    number = 1
    while True:
        response = httpx.get(f"{base}/feed/archive/{number}", timeout=30)
        if response.status_code == 404:
            return positions
        root = etree.fromstring(response.content)
        positions += [
            int(e.findtext(f"{{{CF}}}position")) for e in root.iter(f"{{{ATOM}}}entry")
        ]
        number += 1


def test_eight_writers_on_two_servers_record_every_fact_once(
    registered: Settings, tmp_path: Path
) -> None:
    servers = [_serve(registered, tmp_path / f"server{i}.log") for i in range(2)]
    try:
        _write_concurrently(registered, tmp_path, servers)
    finally:
        for process, _ in servers:
            stop_server(process)


def _write_concurrently(
    registered: Settings,
    tmp_path: Path,
    servers: list[tuple[subprocess.Popen[bytes], str]],
) -> None:
    tail = Tail(servers[0][1])
    tail.thread.start()
    per_process = 500
    writers = []
    for n in range(8):
        own = [
            count_body(
                measure=f"test:writer_{n}_{i // 100}",
                effective=f"{2000 + i % 100}",
                value=i,
            )
            for i in range(per_process)
        ]
        neighbour = (n + 1) % 8
        duplicates = [
            count_body(
                measure=f"test:writer_{neighbour}_{i // 100}",
                effective=f"{2000 + i % 100}",
                value=i,
            )
            for i in range(60)
        ]
        path = tmp_path / f"writer{n}.json"
        path.write_bytes(orjson.dumps(own + duplicates))
        base = servers[n % 2][1]
        writers.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.e2e.clients", base, TOKEN, str(path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    results = []
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
        results.append(orjson.loads(out))
    assert sum(r["created"] for r in results) == 8 * per_process
    assert sum(r["present"] for r in results) == 8 * 60
    tail.stop.set()
    tail.thread.join(timeout=60)

    with psycopg.connect(registered.database_url) as conn:  # type: ignore[arg-type]
        rows = conn.execute(
            f'SELECT notification_id, originator_id, topic FROM "{registered.database_schema}"'
            ".carefacts_events ORDER BY notification_id"
        ).fetchall()
    counts = [r for r in rows if r[2] == "CountReported"]
    assert len(counts) == 8 * per_process
    assert len({r[1] for r in counts}) == len(counts)  # each fact once
    positions = [r[0] for r in rows]
    assert tail.seen == positions  # nothing missed, nothing twice, in order
    position = positions[-1]
    httpx.get(
        servers[1][1] + "/authorities", params={"min_position": position}, timeout=30
    )
    assert _feed_positions(servers[1][1]) == positions


def _leader_pid(settings: Settings) -> int | None:
    with psycopg.connect(settings.database_url, autocommit=True) as conn:  # type: ignore[arg-type]
        try:
            row = conn.execute(
                f'SELECT pid FROM "{settings.database_schema}".projection_leader'
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            return None
    return int(row[0]) if row else None


def _views_position(settings: Settings) -> int:
    with psycopg.connect(settings.database_url, autocommit=True) as conn:  # type: ignore[arg-type]
        row = conn.execute(
            f'SELECT MIN(position) FROM "{settings.database_schema}".projection_positions'
        ).fetchone()
    return int(row[0] or 0) if row else 0


def test_a_standby_worker_takes_over_when_the_leader_is_killed(
    registered: Settings, tmp_path: Path
) -> None:
    app = Carefacts.open(registered)
    drafts = [
        draft_fact(
            count_body(
                measure=f"test:m{i // 100}", effective=f"{1900 + i % 100}", value=i
            )
        )
        for i in range(20_000)
    ]
    app.ledger.record_facts(drafts, batch_size=2000)
    end = app.ledger.last_position()
    app.worker.reset()
    app.close()

    command = [sys.executable, "-m", "service.cli", "worker", "--batch-size", "200"]
    workers = {}
    for name in ("first", "second"):
        with (tmp_path / f"{name}.log").open("ab") as out:
            process = subprocess.Popen(
                command, env=_env(registered), stdout=out, stderr=out
            )
        workers[process.pid] = process
    deadline = time.monotonic() + 120
    while True:
        leader = _leader_pid(registered)
        position = _views_position(registered)
        if leader in workers and 0 < position < end // 2:
            break
        assert time.monotonic() < deadline, "no worker started applying events"
    workers[leader].send_signal(signal.SIGKILL)
    workers[leader].wait()
    killed_at = _views_position(registered)
    assert killed_at < end
    while _views_position(registered) < end:
        assert time.monotonic() < deadline + 120, "the standby did not take over"
    standby = next(pid for pid in workers if pid != leader)
    assert _leader_pid(registered) == standby
    workers[standby].terminate()
    workers[standby].wait(timeout=30)

    app = Carefacts.open(registered)
    try:
        handed_over = app.worker.checksum()
        app.worker.reset()
        app.worker.catch_up()
        assert app.worker.checksum() == handed_over
    finally:
        app.close()


@pytest.fixture
def proxied(registered: Settings) -> Iterator[tuple[Settings, Proxy]]:
    assert registered.database_url is not None
    proxy = Proxy(5432)
    proxy.start()
    url = registered.database_url.replace(":5432/", f":{proxy.port}/")
    from dataclasses import replace

    yield replace(registered, database_url=url), proxy
    proxy.stop()


def _answer(base: str, path: str) -> httpx.Response:
    return httpx.get(base + path, timeout=30)


def test_the_service_answers_503_while_the_database_is_away_and_recovers(
    proxied: tuple[Settings, Proxy], tmp_path: Path
) -> None:
    settings, proxy = proxied
    process, base = _serve(settings, tmp_path / "server.log")
    try:
        assert _answer(base, "/events").status_code == 200
        proxy.stop()
        away = _answer(base, "/events")
        assert away.status_code == 503
        assert away.headers["retry-after"] == "5"
        assert "database is unavailable" in away.json()["detail"]
        write = httpx.post(
            base + "/facts",
            json=count_body(),
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=30,
        )
        assert write.status_code == 503
        assert process.poll() is None  # still running
        proxy.start()
        deadline = time.monotonic() + 60
        while _answer(base, "/events").status_code != 200:
            assert time.monotonic() < deadline, "the service did not recover"
        write = httpx.post(
            base + "/facts",
            json=count_body(),
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=30,
        )
        assert write.status_code == 201
    finally:
        stop_server(process)


def test_a_server_that_cannot_reach_the_database_exits_with_a_message(
    registered: Settings,
) -> None:
    from dataclasses import replace

    assert registered.database_url is not None
    unreachable = replace(
        registered,
        database_url=registered.database_url.replace(":5432/", f":{free_port()}/"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "service.cli", "serve", "--no-load"],
        env=_env(unreachable),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "cannot reach PostgreSQL" in result.stderr


def test_web_processes_without_a_worker_follow_a_separate_one(
    registered: Settings, tmp_path: Path
) -> None:
    with (tmp_path / "worker.log").open("ab") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "worker"],
            env=_env(registered),
            stdout=out,
            stderr=out,
        )
    server, base = _serve(registered, tmp_path / "server.log", CAREFACTS_RUN_WORKER="0")
    try:
        written = httpx.post(
            base + "/facts",
            json=count_body(),
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=30,
        )
        assert written.status_code == 201
        read = httpx.get(
            base + written.headers["location"],
            params={"min_position": written.json()["position"]},
            timeout=30,
        )
        assert read.status_code == 200
        assert _leader_pid(registered) == worker.pid
    finally:
        stop_server(server)
        worker.terminate()
        worker.wait(timeout=30)
