#!/usr/bin/env python3
"""Benchmark: the analysts' listings over the LAIT measures, as ratios in one run.

Serves a data folder that already holds the LAIT measures (``carefacts load`` then
``carefacts import lait``) with ``carefacts serve``, beside the minimal Starlette
endpoint of ``bench_http.py`` (one SQLite row, orjson). Then:

- wrk loads the minimal endpoint and the first page of ``GET /facts`` in turn
  (``--runs`` rounds): requests/s, p99, and the ratio to the minimal endpoint;
  the page as served by default (a repeated request is answered from the
  response cache until the views move on) and from a second server with the
  response cache off, where every request runs its query;
- one client reads ``GET /facts?format=csv`` (every fact) to the end while a
  thread samples the server's resident memory; its rows/s is set against Python's
  csv module writing the same rows' view columns, read by one bare SQL query
  over the same views file, in this process.

    .venv/bin/python scripts/bench_analysts.py --data DIR [--seconds 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from bench_memory import Watch
from benchkit import (
    current_views,
    print_medians,
    serve,
    start_minimal,
    stop,
    wait_up,
    wrk_rounds,
)

BARE_QUERY = (
    "SELECT v.fact_id, v.version, v.status, v.kind, v.authority, a.name, v.subject, "
    "v.effective, s.source_id, s.title, s.publisher, s.url, s.published, v.position "
    "FROM fact_versions v JOIN sources s ON s.source_id = v.source "
    "LEFT JOIN authorities a ON a.code = v.authority "
    "WHERE v.superseded_at IS NULL AND v.retraction = 0 "
    "ORDER BY v.effective_start, v.position"
)


def bare_csv(views: Path) -> tuple[int, float]:
    """(rows, seconds) for csv.writer over one bare SQL query, to a discarded buffer."""
    started = time.monotonic()
    rows = 0
    with sqlite3.connect(views) as conn:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in conn.execute(BARE_QUERY):
            writer.writerow(row)
            rows += 1
            if buffer.tell() > 1 << 20:
                buffer.seek(0)
                buffer.truncate()
    return rows, time.monotonic() - started


def export_csv(base: str) -> tuple[int, float]:
    """(rows, seconds) for reading the whole CSV of GET /facts, streamed."""
    started = time.monotonic()
    lines = 0
    with httpx.stream("GET", base + "/facts?format=csv", timeout=3600) as answer:
        answer.raise_for_status()
        for chunk in answer.iter_bytes():
            lines += chunk.count(b"\n")
    return lines - 1, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    env = {**os.environ, "CAREFACTS_DATA_DIR": str(args.data)}
    folder = Path(tempfile.mkdtemp(prefix="carefacts-analysts-"))
    server, base = serve(env)
    uncached, uncached_base = serve({**env, "CAREFACTS_RESPONSE_CACHE_MIB": "0"})
    minimal, minimal_port = start_minimal(folder, env, args.data / "views.sqlite3")
    try:
        wait_up(f"http://127.0.0.1:{minimal_port}/one-row")
        position = httpx.get(base + "/healthz").json()["log_position"]
        print(f"serving {args.data} at log position {position:,}")
        results = wrk_rounds(
            {
                "minimal endpoint (one SQLite row)": (
                    f"http://127.0.0.1:{minimal_port}/one-row",
                    None,
                ),
                "GET /facts (first page, 100)": (f"{base}/facts", None),
                "the same, response cache off": (f"{uncached_base}/facts", None),
            },
            args,
        )
        print_medians(results, args, ", one uvicorn worker")
        exports, bares = [], []
        for run in range(1, args.runs + 1):
            with Watch(server.pid, base) as watch:
                rows, seconds = export_csv(base)
            bare_rows, bare_seconds = bare_csv(
                current_views(args.data / "views.sqlite3")
            )
            exports.append(rows / seconds)
            bares.append(bare_rows / bare_seconds)
            print(
                f"run {run}: GET /facts?format=csv {rows:,} rows in {seconds:.1f} s "
                f"({rows / seconds:,.0f} rows/s), server RSS peak {watch.peak:.0f} MB; "
                f"bare SQL + csv {bare_rows:,} rows in {bare_seconds:.1f} s "
                f"({bare_rows / bare_seconds:,.0f} rows/s)"
            )
        export, bare = statistics.median(exports), statistics.median(bares)
        print(
            f"\nmedians of {args.runs} runs: CSV export {export:,.0f} rows/s, bare SQL "
            f"+ csv {bare:,.0f} rows/s, ratio {export / bare:.2f}"
        )
    finally:
        stop(server, uncached, minimal)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
