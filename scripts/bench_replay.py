#!/usr/bin/env python3
"""Benchmark: notification-log read rate against full replay rate, in one run.

Builds (once, or reuses with --data) a SQLite log of at least 500,000 fact events,
then measures, each --runs times: reading the whole log through the library's
notification log without decoding (the baseline), the same read as bare SQL, a
full replay of every view (drop, rebuild in batches, build indexes), and the
write floor: the facts view's rows, already built, written to a fresh file in
the same batches and indexed the same way, with no log read and no Python work
per event. No replay can beat the write floor on the same machine. Prints
medians and the ratios.

    .venv/bin/python scripts/bench_replay.py [--events 500000] [--data DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.drafts import draft_fact
from projections.db import SQLiteViews
from projections.facts_view import COLUMNS, FactsView
from service.composition import Carefacts
from service.settings import Settings

BLACKPOOL = "E06000009"


def build_log(settings: Settings, events: int) -> None:
    app = Carefacts.open(settings)
    try:
        if app.ledger.last_position() >= events:
            return
        app.ledger.register_authority({"code": BLACKPOOL, "name": "Blackpool"})
        app.ledger.register_source(
            {
                "source_id": "bench",
                "kind": "statistics",
                "title": "Synthetic figures",
                "publisher": "Benchmark",
            }
        )
        started = time.monotonic()
        batch = []
        for i in range(events):
            batch.append(
                draft_fact(
                    {
                        "kind": "count_reported",
                        "authority": BLACKPOOL,
                        "source": "bench",
                        "effective": f"{1800 + (i % 400)}",
                        "measure": f"bench:m{i // 400}",
                        "value": i % 1000,
                    }
                )
            )
            if len(batch) == 10_000:
                app.ledger.record_facts(batch, batch_size=10_000)
                batch = []
        if batch:
            app.ledger.record_facts(batch, batch_size=10_000)
        print(
            f"built a log of {app.ledger.last_position():,} events in "
            f"{time.monotonic() - started:.1f} s"
        )
    finally:
        app.close()


def read_library(app: Carefacts, batch: int = 10_000) -> int:
    recorder = app.ledger.recorder
    start, count = 0, 0
    while True:
        notifications = recorder.select_notifications(
            start=start, limit=batch, inclusive_of_start=False
        )
        if not notifications:
            return count
        count += len(notifications)
        start = notifications[-1].id


def read_sql(path: Path, batch: int = 10_000) -> int:
    conn = sqlite3.connect(path)
    after, count = 0, 0
    while True:
        rows = conn.execute(
            "SELECT rowid, originator_id, originator_version, topic, state "
            "FROM stored_events WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, batch),
        ).fetchall()
        if not rows:
            conn.close()
            return count
        count += len(rows)
        after = rows[-1][0]


def write_floor(settings: Settings, batch: int) -> int:
    """Copy the facts view's finished rows into a fresh file inside SQLite (no
    Python per row, no log read, no JSON), in the replay's batches and with the
    view database's settings, then build the same indexes: what writing the view
    costs SQLite here, whatever the replay does."""
    path = settings.data_dir / "write-floor.sqlite3"
    view = FactsView()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in FLOOR_PRAGMAS:
            conn.execute(pragma)
        conn.execute("ATTACH DATABASE ? AS built", (str(settings.views_path),))
        (last,) = conn.execute(
            "SELECT MAX(position) FROM built.fact_versions"
        ).fetchone()
        # Unqualified names resolve to main (this file) before the attached one.
        conn.execute(view.tables["fact_versions"].format(**SQLiteViews.types))
        started = time.monotonic()
        copied = 0
        for start in range(0, int(last or 0), batch):
            conn.execute("BEGIN IMMEDIATE")
            copied += conn.execute(
                f"INSERT INTO main.fact_versions ({COLUMNS}) SELECT {COLUMNS} "
                "FROM built.fact_versions WHERE position > ? AND position <= ?",
                (start, start + batch),
            ).rowcount
            conn.execute("COMMIT")
        conn.execute("BEGIN IMMEDIATE")
        for index in view.indexes:
            conn.execute(index)
        conn.execute("COMMIT")
        seconds = time.monotonic() - started
    finally:
        conn.close()
        for leftover in settings.data_dir.glob("write-floor.sqlite3*"):
            leftover.unlink()
    return round(copied / seconds)


# The view database's own settings (projections/db.py).
FLOOR_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA cache_size=-65536",
    "PRAGMA temp_store=MEMORY",
)


def timed(run: object) -> tuple[float, int]:
    started = time.monotonic()
    count = run()  # type: ignore[operator]
    return time.monotonic() - started, int(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--data", type=Path, help="reuse or keep the log here")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=20_000)
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="carefacts-bench-")) / "data"
    settings = Settings(data_dir=folder)
    build_log(settings, args.events)
    app = Carefacts.open(settings, batch_size=args.batch_size)
    results: dict[str, list[float]] = {
        "library read": [],
        "sql read": [],
        "replay": [],
        "write floor": [],
    }
    total = app.ledger.last_position()
    try:
        for run in range(1, args.runs + 1):
            seconds, n = timed(lambda: read_library(app))
            results["library read"].append(n / seconds)
            seconds, n = timed(lambda: read_sql(settings.events_path))
            results["sql read"].append(n / seconds)
            app.worker.reset()
            seconds, n = timed(app.worker.catch_up)
            results["replay"].append(n / seconds)
            results["write floor"].append(write_floor(settings, args.batch_size))
            print(
                f"run {run}: "
                + ", ".join(
                    f"{name} {values[-1]:,.0f}/s" for name, values in results.items()
                )
            )
    finally:
        app.close()
        if args.data is None:
            shutil.rmtree(folder.parent, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in results.items()}
    print(f"\nlog: {total:,} events; medians of {args.runs} runs (events/s)")
    for name, value in medians.items():
        print(f"  {name:13} {value:>10,.0f}")
    print(f"  replay / library read: {medians['replay'] / medians['library read']:.2f}")
    print(f"  replay / sql read:     {medians['replay'] / medians['sql read']:.2f}")
    print(f"  replay / write floor:  {medians['replay'] / medians['write floor']:.2f}")


if __name__ == "__main__":
    main()
