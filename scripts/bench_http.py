#!/usr/bin/env python3
"""Benchmark: HTTP state queries against a minimal Starlette endpoint, in one run.

Loads the seeds into a temporary SQLite folder, starts ``carefacts serve`` (one
uvicorn worker) and, beside it, a minimal Starlette app that reads one SQLite row
and answers with orjson. wrk (Debian package ``wrk``) loads each URL from another
process; each is run --runs times and the medians are printed, with p99 latency and
the ratio to the minimal endpoint.

    .venv/bin/python scripts/bench_http.py [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

MINIMAL_APP = """
import sqlite3, threading, orjson, os
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

local = threading.local()
PATH = os.environ["MINIMAL_DB"]

def conn():
    c = getattr(local, "c", None)
    if c is None:
        c = local.c = sqlite3.connect(PATH, check_same_thread=False)
    return c

async def one_row(request):
    row = conn().execute(
        "SELECT code, name, dfe_number FROM authorities WHERE code = ?", ("E06000009",)
    ).fetchone()
    return Response(orjson.dumps({"code": row[0], "name": row[1], "dfe": row[2]}),
                    media_type="application/json")

app = Starlette(routes=[Route("/one-row", one_row)])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rate, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="carefacts-http-"))
    data = folder / "data"
    env = {**os.environ, "CAREFACTS_DATA_DIR": str(data)}
    subprocess.run(
        [PYTHON, "-m", "service.cli", "load"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    (folder / "minimal_app.py").write_text(MINIMAL_APP)
    port, minimal_port = free_port(), free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "service.cli", "serve", "--port", str(port), "--no-load"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    minimal = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "uvicorn",
            "minimal_app:app",
            "--port",
            str(minimal_port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env={**env, "MINIMAL_DB": str(data / "views.sqlite3")},
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    targets = {
        "minimal endpoint (one SQLite row)": f"http://127.0.0.1:{minimal_port}/one-row",
        "GET /authorities/E06000009": f"{base}/authorities/E06000009",
        "GET /authorities/E06000009/facts": f"{base}/authorities/E06000009/facts",
    }
    try:
        for url in targets.values():
            wait_up(url)
            httpx.get(url)  # warm the caches
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
        for run in range(1, args.runs + 1):
            for name, url in targets.items():
                results[name].append(wrk(url, args.seconds, args.connections))
                rate, p99 = results[name][-1]
                print(f"run {run}: {name}: {rate:,.0f} requests/s, p99 {p99:.1f} ms")
    finally:
        for process in (server, minimal):
            process.terminate()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
    baseline = statistics.median(r for r, _ in results[next(iter(targets))])
    print(
        f"\nmedians of {args.runs} runs, wrk -t1 -c{args.connections} "
        f"-d{args.seconds}s, one uvicorn worker:"
    )
    for name, values in results.items():
        rate = statistics.median(r for r, _ in values)
        p99 = statistics.median(p for _, p in values)
        print(
            f"  {name:36} {rate:>8,.0f} requests/s  p99 {p99:6.1f} ms  "
            f"ratio {rate / baseline:.2f}"
        )


if __name__ == "__main__":
    main()
