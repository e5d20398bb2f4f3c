"""What the benchmark scripts share: ports, starting and stopping servers, wrk."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    args: list[str], env: dict[str, str], cwd: Path = ROOT
) -> subprocess.Popen[bytes]:
    """``python -m ARGS...`` in the background, quietly."""
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def serve(env: dict[str, str], *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """``carefacts serve`` on a free port (seeds not loaded); waits until it answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start(
        ["service.cli", "serve", "--port", str(port), "--no-load", *extra],
        {**env, "CAREFACTS_BASE_URL": base},
    )
    wait_up(base + "/healthz", seconds=300)
    return process, base


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        process.terminate()
        process.wait()


def wait_up(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def wrk(
    url: str, seconds: int, connections: int, header: str | None = None
) -> tuple[float, float]:
    """(requests/s, p99 latency in ms) from one wrk run."""
    extra = ["-H", header] if header else []
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", *extra, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return rate, float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
