#!/usr/bin/env python3
"""Benchmark: importing the full LAIT file (641,070 rows), on SQLite and PostgreSQL.

For each store: load the default seeds, import LAIT (timed: events/s and total),
import it again (nothing new; timed), replay every view in batches (timed), then
rebuild them as `carefacts replay` does (timed; the ratio), --runs times, with
medians and the spread, each set against a bare SQL read of the same log in the
same run (the replay ratio of either store). On SQLite it then
serves the result with ``carefacts serve`` and reports the process's resident
memory after querying every authority's state and a feed page of each.

    .venv/bin/python scripts/bench_lait.py [--postgres URL] [--skip-postgres]
        [--skip-sqlite] [--skip-serve] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg
from benchkit import ROOT, serve, stop

sys.path.insert(0, str(ROOT))

from seeds.importers.lait import import_lait
from seeds.loader import load_default
from seeds.paths import OFFICIAL
from service.composition import Carefacts
from service.settings import Settings


def run(settings: Settings, label: str, runs: int = 3) -> None:
    app = Carefacts.open(settings, batch_size=20_000)
    try:
        load_default(app.ledger)
        started = time.monotonic()
        report = import_lait(app.ledger, OFFICIAL / "lait_measures_long.csv.gz")
        seconds = time.monotonic() - started
        print(
            f"{label}: LAIT import recorded {report.recorded:,} events in "
            f"{seconds:.1f} s ({report.recorded / seconds:,.0f} events/s)"
        )
        started = time.monotonic()
        again = import_lait(app.ledger, OFFICIAL / "lait_measures_long.csv.gz")
        print(
            f"{label}: second import recorded {again.recorded:,}, found "
            f"{again.present:,} present, in {time.monotonic() - started:.1f} s"
        )
        batched: list[float] = []
        rebuilt: list[float] = []
        bare: list[float] = []
        for turn in range(1, runs + 1):
            started = time.monotonic()
            count = bare_read(settings, app.ledger.recorder.events_table_name)
            bare.append(count / (time.monotonic() - started))
            app.worker.reset()
            started = time.monotonic()
            applied = app.worker.catch_up()
            batched.append(applied / (time.monotonic() - started))
            started = time.monotonic()
            applied = app.worker.rebuild()  # PostgreSQL: the batched path again
            rebuilt.append(applied / (time.monotonic() - started))
            print(
                f"{label}: run {turn}: bare SQL read {bare[-1]:,.0f} events/s, "
                f"batched replay of {applied:,} events {batched[-1]:,.0f} events/s, "
                f"rebuild {rebuilt[-1]:,.0f} events/s "
                f"({rebuilt[-1] / batched[-1]:.2f}x the replay, "
                f"{rebuilt[-1] / bare[-1]:.3f} of the bare read)",
                flush=True,
            )
        replay, rebuild = statistics.median(batched), statistics.median(rebuilt)
        read = statistics.median(bare)
        print(
            f"{label}: medians of {runs}: bare SQL read {read:,.0f} events/s, "
            f"batched replay {replay:,.0f} events/s "
            f"({min(batched):,.0f}-{max(batched):,.0f}), rebuild {rebuild:,.0f} "
            f"events/s ({min(rebuilt):,.0f}-{max(rebuilt):,.0f}); "
            f"rebuild / batched replay {rebuild / replay:.2f}; rebuild / bare read "
            f"{rebuild / read:.3f}; batched replay / bare read {replay / read:.3f}"
        )
    finally:
        app.close()


def bare_read(settings: Settings, events: str, batch: int = 10_000) -> int:
    """Every event's position and stored JSON, read by one bare SQL query a batch
    at a time (the baseline a replay is set against), on either store."""
    count, after = 0, 0
    if settings.uses_postgres:
        table = f'"{settings.database_schema}"."{events}"'
        with psycopg.connect(settings.database_url) as conn:
            while True:
                rows = conn.execute(
                    f"SELECT notification_id, originator_id, originator_version, "
                    f"topic, state FROM {table} WHERE notification_id > %s "
                    "ORDER BY notification_id LIMIT %s",
                    (after, batch),
                ).fetchall()
                if not rows:
                    return count
                count, after = count + len(rows), rows[-1][0]
    with sqlite3.connect(settings.events_path) as conn:
        while True:
            rows = conn.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {events} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (after, batch),
            ).fetchall()
            if not rows:
                return count
            count, after = count + len(rows), rows[-1][0]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve_and_measure(data: Path) -> None:
    env = {**os.environ, "CAREFACTS_DATA_DIR": str(data)}
    server, base = serve(env)
    try:
        codes = [
            a["code"] for a in httpx.get(base + "/authorities").json()["authorities"]
        ]
        started = time.monotonic()
        for code in codes:
            httpx.get(f"{base}/authorities/{code}", timeout=60).raise_for_status()
            httpx.get(f"{base}/authorities/{code}/feed", timeout=60).raise_for_status()
        httpx.get(base + "/feed/archive/1", timeout=60).raise_for_status()
        print(
            f"sqlite: served {len(codes)} states and feeds in "
            f"{time.monotonic() - started:.1f} s; "
            f"server RSS {rss_mb(server.pid):.0f} MB"
        )
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="replays and rebuilds")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="carefacts-lait-"))
    try:
        if not args.skip_sqlite:
            run(Settings(data_dir=folder / "data"), "sqlite", args.runs)
            if not args.skip_serve:
                serve_and_measure(folder / "data")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.skip_postgres:
        return
    schema = "bench_" + uuid.uuid4().hex[:8]
    try:
        run(
            Settings(database_url=args.postgres, database_schema=schema),
            "postgres",
            args.runs,
        )
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
