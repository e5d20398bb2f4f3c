"""A real server: ``carefacts serve`` in a subprocess on 127.0.0.1, over a copy of
the seeded SQLite data."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

TOKEN = "e2e-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    data_dir: Path, port: int, *flags: str, **env: str
) -> subprocess.Popen[bytes]:
    """Start ``carefacts serve`` (with extra flags and environment); its output goes
    to ``server.log`` beside the data."""
    environment = {
        **os.environ,
        "CAREFACTS_DATA_DIR": str(data_dir),
        "CAREFACTS_WRITE_TOKENS": TOKEN,
        "CAREFACTS_BASE_URL": f"http://127.0.0.1:{port}",
        **env,
    }
    command = [
        sys.executable,
        "-m",
        "service.cli",
        "serve",
        "--port",
        str(port),
        *flags,
    ]
    with (data_dir.parent / "server.log").open("ab") as log:
        return subprocess.Popen(command, env=environment, stdout=log, stderr=log)


def wait_until_up(
    base_url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(base_url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start in time")


@contextmanager
def running_server(
    seeded: Path, folder: Path, *flags: str, **env: str
) -> Iterator[int]:
    """A server of its own over a copy of the seeded data in ``folder``; its port."""
    data_dir = folder / "data"
    shutil.copytree(seeded, data_dir)
    port = free_port()
    process = start_server(data_dir, port, *flags, **env)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process, folder / "server.log")
        yield port
    finally:
        stop_server(process)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def server(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with running_server(seeded_template, tmp_path_factory.mktemp("server")) as port:
        yield f"http://127.0.0.1:{port}"
