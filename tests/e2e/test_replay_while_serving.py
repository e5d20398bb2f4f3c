"""`carefacts replay` beside a running server: the server answers throughout, from
the old views and then from the rebuilt ones, which it moves to by itself."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from projections import generations
from tests.builders import BLACKPOOL
from tests.e2e.conftest import running_server


def test_a_replay_beside_a_running_server_swaps_the_views_under_it(
    seeded_template: Path, tmp_path: Path
) -> None:
    with running_server(seeded_template, tmp_path) as port:
        url = f"http://127.0.0.1:{port}/authorities/{BLACKPOOL}/facts?limit=1000"
        before = httpx.get(url, timeout=30).json()
        data_dir = tmp_path / "data"
        statuses: list[int] = []
        replayed = threading.Event()

        def read_meanwhile() -> None:
            with httpx.Client(timeout=30) as client:
                while not replayed.is_set():
                    statuses.append(client.get(url).status_code)

        reader = threading.Thread(target=read_meanwhile)
        reader.start()
        try:
            done = subprocess.run(
                [sys.executable, "-m", "service.cli", "replay"],
                env={**os.environ, "CAREFACTS_DATA_DIR": str(data_dir)},
                capture_output=True,
                text=True,
            )
        finally:
            replayed.set()
            reader.join()

        assert done.returncode == 0, done.stderr
        assert "replayed" in done.stdout
        rebuilt = generations.current(data_dir / "views.sqlite3")
        assert rebuilt.name == "views-1.sqlite3"
        deadline = time.monotonic() + 30
        while (data_dir / "views.sqlite3").exists():  # until the server has left it
            assert time.monotonic() < deadline, "the server kept the old views"
            time.sleep(0.05)
        assert statuses and set(statuses) == {200}
        assert httpx.get(url, timeout=30).json() == before
