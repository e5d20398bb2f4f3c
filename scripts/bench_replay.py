#!/usr/bin/env python3
"""Benchmark: full rebuilds of the views against reading the log, in one run.

Builds (once, or reuses with --data) a SQLite log of at least 500,000 fact events,
then measures, each --runs times: reading the whole log through the library's
notification log without decoding, the same read as bare SQL (the baseline), the
bare read with every event's JSON parsed by orjson, the batched replay (every
view dropped and rebuilt in place in batches, as before rebuilds had a file of
their own), the rebuild (`carefacts replay`: a new generation built in bulk), and
the bulk write floor: the facts view's rows, already built, copied into a fresh
file with the rebuild's bulk settings and indexed after, with no log read and no
Python work per event. Prints medians, their spread and the ratios, and the CPU
seconds the batched replay and the rebuild took (both processes of a rebuild).

    .venv/bin/python scripts/bench_replay.py [--events 500000] [--data DIR]
        [--mixed OFFICIAL_DATA_DIR]

With ``--mixed`` the log is the seeds, the LAIT measures and about 19,000
corrections and retractions of them (built once into ``--data`` if given).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson

from domain.drafts import draft_fact
from projections import generations
from projections.db import SQLiteViews
from projections.facts_view import COLUMNS, FactsView
from projections.report_rows import BULK_PRAGMAS
from seeds.importers.lait import import_lait
from seeds.loader import load_default
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


def build_mixed_log(settings: Settings, official: Path) -> None:
    """A log as a deployment's grows: the seeds, the LAIT measures from
    ``official`` (the folder holding ``lait_measures_long.csv.gz`` and its data
    dictionary), then about 19,000 changes to LAIT counts: every 30th corrected,
    every 7th of those corrected again, every 100th retracted instead."""
    app = Carefacts.open(settings)
    try:
        if app.ledger.last_position() > 0:
            return
        started = time.monotonic()
        load_default(app.ledger)
        import_lait(
            app.ledger,
            official / "lait_measures_long.csv.gz",
            official / "lait_data_dictionary.csv.gz",
        )
        app.worker.catch_up()
        with app.views.read() as cur:
            cur.execute(
                "SELECT fact_id FROM fact_versions WHERE kind = 'count_reported' "
                "AND source = 'dfe-lait' ORDER BY position"
            )
            counts = [fact_id for (fact_id,) in cur.fetchall()]
        changes = 0
        for n, fact_id in enumerate(counts[::30]):
            fact = UUID(fact_id)
            if n % 100 == 99:
                app.ledger.retract_fact(fact, "withdrawn by the publisher")
                changes += 1
                continue
            app.ledger.correct_fact(fact, {"value": n % 997}, "revised figures")
            changes += 1
            if n % 7 == 6:
                app.ledger.correct_fact(fact, {"value": n % 991 + 1}, "revised again")
                changes += 1
        print(
            f"built a mixed log of {app.ledger.last_position():,} events "
            f"({changes:,} corrections and retractions) in "
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


def _batches(path: Path, batch: int) -> Iterator[list[tuple[Any, ...]]]:
    """The log's rows, a batch at a time, in log order: one bare SQL query each."""
    conn = sqlite3.connect(path)
    after = 0
    try:
        while True:
            rows = conn.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                "FROM stored_events WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (after, batch),
            ).fetchall()
            if not rows:
                return
            yield rows
            after = rows[-1][0]
    finally:
        conn.close()


def read_sql(path: Path, batch: int = 10_000) -> int:
    return sum(len(rows) for rows in _batches(path, batch))


def read_decoded(path: Path, batch: int = 10_000) -> int:
    """The bare read, with each event's stored JSON parsed."""
    loads, count = orjson.loads, 0
    for rows in _batches(path, batch):
        for row in rows:
            loads(row[4])
        count += len(rows)
    return count


def write_floor(settings: Settings) -> int:
    """Copy the facts view's finished rows into a fresh file inside SQLite (no
    Python per row, no log read, no JSON) with the rebuild's bulk settings, then
    build the same indexes: what writing the view costs SQLite here, whatever the
    rebuild does."""
    path = settings.data_dir / "write-floor.sqlite3"
    view = FactsView()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in BULK_PRAGMAS:
            conn.execute(pragma)
        built = generations.current(settings.views_path)
        conn.execute("ATTACH DATABASE ? AS built", (str(built),))
        # Unqualified names resolve to main (this file) before the attached one.
        conn.execute(view.tables["fact_versions"].format(**SQLiteViews.types))
        started = time.monotonic()
        conn.execute("BEGIN")
        copied = conn.execute(
            f"INSERT INTO main.fact_versions ({COLUMNS}) SELECT {COLUMNS} "
            "FROM built.fact_versions ORDER BY position"
        ).rowcount
        for index in view.indexes:
            conn.execute(index)
        conn.execute("COMMIT")
        seconds = time.monotonic() - started
    finally:
        conn.close()
        for leftover in settings.data_dir.glob("write-floor.sqlite3*"):
            leftover.unlink()
    return round(copied / seconds)


def timed(run: object) -> tuple[float, int]:
    started = time.monotonic()
    count = run()  # type: ignore[operator]
    return time.monotonic() - started, int(count)


def cpu_seconds() -> float:
    """CPU time used so far by this process and the processes it waited for."""
    own, children = (resource.getrusage(w) for w in _WHO)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_WHO = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--data", type=Path, help="reuse or keep the log here")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument(
        "--mixed",
        type=Path,
        metavar="OFFICIAL",
        help="instead of synthetic facts, a mixed log: the seeds, the LAIT measures "
        "from this folder and about 19,000 corrections and retractions",
    )
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="carefacts-bench-")) / "data"
    settings = Settings(data_dir=folder)
    if args.mixed is not None:
        build_mixed_log(settings, args.mixed)
    else:
        build_log(settings, args.events)
    app = Carefacts.open(settings, batch_size=args.batch_size)
    results: dict[str, list[float]] = {
        "library read": [],
        "sql read": [],
        "decoded read": [],
        "batched replay": [],
        "rebuild": [],
        "write floor": [],
    }
    # CPU seconds (both processes of a rebuild): what the work costs, whatever
    # else the machine runs meanwhile.
    cpu: dict[str, list[float]] = {"batched replay": [], "rebuild": []}
    total = app.ledger.last_position()
    try:
        for run in range(1, args.runs + 1):
            seconds, n = timed(lambda: read_library(app))
            results["library read"].append(n / seconds)
            seconds, n = timed(lambda: read_sql(settings.events_path))
            results["sql read"].append(n / seconds)
            seconds, n = timed(lambda: read_decoded(settings.events_path))
            results["decoded read"].append(n / seconds)
            app.worker.reset()
            used = cpu_seconds()
            seconds, n = timed(app.worker.catch_up)
            results["batched replay"].append(n / seconds)
            cpu["batched replay"].append(cpu_seconds() - used)
            used = cpu_seconds()
            seconds, n = timed(app.worker.rebuild)
            results["rebuild"].append(n / seconds)
            cpu["rebuild"].append(cpu_seconds() - used)
            results["write floor"].append(write_floor(settings))
            print(
                f"run {run}: "
                + ", ".join(
                    f"{name} {values[-1]:,.0f}/s" for name, values in results.items()
                ),
                flush=True,
            )
    finally:
        app.close()
        if args.data is None:
            shutil.rmtree(folder.parent, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in results.items()}
    print(f"\nlog: {total:,} events; medians of {args.runs} runs (events/s, min-max)")
    for name, value in medians.items():
        values = results[name]
        print(f"  {name:14} {value:>10,.0f}  ({min(values):,.0f}-{max(values):,.0f})")
    for top, bottom in RATIOS:
        print(f"  {top} / {bottom}: {medians[top] / medians[bottom]:.3f}")
    # On a shared machine the load changes from run to run: each run's own
    # ratios, measured minutes apart at most, and their median.
    print("ratios within each run, and their median:")
    for top, bottom in RATIOS[:2]:
        ratios = [t / b for t, b in zip(results[top], results[bottom], strict=True)]
        shown = ", ".join(f"{r:.3f}" for r in ratios)
        print(f"  {top} / {bottom}: {shown}; median {statistics.median(ratios):.3f}")
    print("CPU seconds, medians (min-max):")
    for name, values in cpu.items():
        print(
            f"  {name:14} {statistics.median(values):6.1f}  "
            f"({min(values):.1f}-{max(values):.1f})"
        )


RATIOS = (
    ("rebuild", "batched replay"),
    ("rebuild", "sql read"),
    ("batched replay", "sql read"),
    ("rebuild", "write floor"),
    ("batched replay", "library read"),
)


if __name__ == "__main__":
    main()
