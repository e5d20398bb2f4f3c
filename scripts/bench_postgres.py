#!/usr/bin/env python3
"""Benchmark: the service on PostgreSQL with one and two worker processes.

In one run, on a fresh schema with the seeds loaded: state-query requests/s with
``--workers 1`` and ``--workers 2`` (wrk from another process) and their ratio;
write throughput with 8 concurrent client processes posting facts over HTTP; and
the wake-up latency of a long poll on the feed after a write (NOTIFY), as p50/p90.

    .venv/bin/python scripts/bench_postgres.py [--url postgresql://...] [--seconds 10]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import orjson
import psycopg
from benchkit import ROOT, seeded_folder, serve, stop, wrk

TOKEN = "bench-token"


def body(n: int, i: int) -> dict[str, object]:
    return {
        "kind": "count_reported",
        "authority": "E06000009",
        "source": "gazette-2023-07-care-reduction",
        "effective": f"{1900 + i % 100}",
        "measure": f"bench:writer_{n}_{i // 100}",
        "value": i,
    }


def write_throughput(base: str, clients: int, per_client: int, folder: Path) -> float:
    processes = []
    for n in range(clients):
        path = folder / f"writer{n}-{uuid.uuid4().hex[:6]}.json"
        path.write_bytes(orjson.dumps([body(n, i) for i in range(per_client)]))
        processes.append(path)
    started = time.monotonic()
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.clients", base, TOKEN, str(p)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for p in processes
    ]
    for process in running:
        _, err = process.communicate(timeout=900)
        if process.returncode:
            raise SystemExit(err.decode())
    return clients * per_client / (time.monotonic() - started)


def long_poll_latency(base: str, trials: int) -> list[float]:
    latencies = []
    with httpx.Client(
        base_url=base, timeout=30, headers={"Authorization": f"Bearer {TOKEN}"}
    ) as writer:
        for i in range(trials):
            etag = httpx.get(base + "/feed").headers["etag"]
            returned: list[float] = []

            def poll(tag: str = etag, returned: list[float] = returned) -> None:
                httpx.get(
                    base + "/feed",
                    params={"wait": 20},
                    headers={"If-None-Match": tag},
                    timeout=30,
                )
                returned.append(time.monotonic())

            thread = threading.Thread(target=poll)
            thread.start()
            while httpx.get(base + "/healthz").json().get("waiting", 0) < 1:
                time.sleep(0.002)
            response = writer.post("/facts", json=body(99, i))
            written = time.monotonic()
            assert response.status_code == 201, response.text
            thread.join()
            latencies.append((returned[0] - written) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    schema = "bench_" + uuid.uuid4().hex[:8]
    folder, env = seeded_folder(
        "carefacts-pg-",
        CAREFACTS_DATABASE_URL=args.url,
        CAREFACTS_DATABASE_SCHEMA=schema,
        CAREFACTS_WRITE_TOKENS=TOKEN,
    )
    try:
        rates: dict[int, list[float]] = {1: [], 2: []}
        for workers in (1, 2):
            process, base = serve(env, "--workers", str(workers))
            try:
                url = base + "/authorities/E06000009"
                httpx.get(url)
                for _ in range(args.runs):
                    rate, p99 = wrk(url, args.seconds, 32)
                    rates[workers].append(rate)
                    print(
                        f"{workers} worker(s): {rate:,.0f} requests/s, p99 {p99:.1f} ms"
                    )
                if workers == 2:
                    facts = write_throughput(base, 8, 200, folder)
                    print(f"writes, 8 concurrent clients: {facts:,.0f} facts/s")
                    latencies = long_poll_latency(base, 30)
            finally:
                stop(process)
        one, two = statistics.median(rates[1]), statistics.median(rates[2])
        latencies.sort()
        print(
            f"\nstate query (medians of {args.runs}): 1 worker {one:,.0f}/s, "
            f"2 workers {two:,.0f}/s, ratio {two / one:.2f}"
        )
        print(f"write throughput, 8 concurrent clients: {facts:,.0f} facts/s")
        p50 = statistics.median(latencies)
        p90 = latencies[int(len(latencies) * 0.9)]
        print(f"long-poll wake-up after a write: p50 {p50:.1f} ms, p90 {p90:.1f} ms")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with psycopg.connect(args.url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
