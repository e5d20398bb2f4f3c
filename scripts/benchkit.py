"""What the benchmark scripts share: ports, starting and stopping servers, wrk."""

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
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The baseline's app: one SQLite row of the views, answered with orjson.
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


def start_minimal(
    folder: Path, env: dict[str, str], views: Path
) -> tuple[subprocess.Popen[bytes], int]:
    """The baseline every HTTP benchmark compares with: a one-row Starlette
    endpoint over the same views file, in uvicorn; the process and its port.
    ``views`` is the views' base path: after a rebuild the views are the
    generation its pointer names."""
    views = current_views(views)
    (folder / "minimal_app.py").write_text(MINIMAL_APP)
    port = free_port()
    process = start(
        [
            "uvicorn",
            "minimal_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        {**env, "MINIMAL_DB": str(views)},
        cwd=folder,
    )
    return process, port


def current_views(views: Path) -> Path:
    """The file the views are in now: after a rebuild, the generation the base
    path's pointer names (see projections.generations)."""
    sys.path.insert(0, str(ROOT))
    from projections.generations import current

    return current(views)


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


def wrk_arguments(
    description: str, more: Callable[[argparse.ArgumentParser], None] | None = None
) -> argparse.Namespace:
    """--seconds, --connections and --runs for a wrk benchmark (and what ``more``
    adds); checks wrk is there."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    if more is not None:
        more(parser)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    return args


def seeded_folder(prefix: str, **settings: str) -> tuple[Path, dict[str, str]]:
    """A temporary folder with the seeds loaded into ``data/``, and the environment
    (``CAREFACTS_DATA_DIR`` and any other settings) that serves it."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    env = {**os.environ, "CAREFACTS_DATA_DIR": str(folder / "data"), **settings}
    subprocess.run(
        [sys.executable, "-m", "service.cli", "load"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return folder, env


def wrk_rounds(
    targets: Mapping[str, tuple[str, str | None]], args: argparse.Namespace
) -> dict[str, list[tuple[float, float]]]:
    """Each target (url, extra header) warmed once, then loaded with wrk in turn,
    --runs rounds; prints every run and returns (requests/s, p99 ms) per target."""
    for url, _ in targets.values():
        wait_up(url)
        httpx.get(url)  # warm the caches
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
    for run in range(1, args.runs + 1):
        for name, (url, header) in targets.items():
            rate, p99 = wrk(url, args.seconds, args.connections, header)
            results[name].append((rate, p99))
            print(f"run {run}: {name}: {rate:,.0f} requests/s, p99 {p99:.1f} ms")
    return results


def print_medians(
    results: Mapping[str, list[tuple[float, float]]],
    args: argparse.Namespace,
    setting: str = "",
) -> None:
    """The medians of wrk_rounds' results, each with its ratio to the first
    target (the baseline)."""
    baseline = statistics.median(r for r, _ in next(iter(results.values())))
    load = f"wrk -t1 -c{args.connections} -d{args.seconds}s"
    print(f"\nmedians of {args.runs} runs, {load}{setting}:")
    for name, values in results.items():
        rate = statistics.median(r for r, _ in values)
        p99 = statistics.median(p for _, p in values)
        print(
            f"  {name:38} {rate:>8,.0f} requests/s  p99 {p99:6.1f} ms  "
            f"ratio {rate / baseline:.2f}"
        )
