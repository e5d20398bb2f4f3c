#!/usr/bin/env python3
"""Benchmark: search with the LAIT measures loaded, and what its view adds to a replay.

Loads the seeds and the full LAIT file (about 540,000 facts) into a temporary
SQLite folder, then:

- replays every view but search, and every view, --runs times each in turn,
  both in batches as the worker keeps them and as a rebuild (`carefacts
  replay`: a new generation built in bulk); timed, the ratios are what the search
  view adds to a full replay of either kind (with --replay-only, nothing else);
- serves it with ``carefacts serve`` (one uvicorn worker, the response cache off,
  so every request runs its query) beside the minimal one-row endpoint of
  ``bench_http.py``, and loads one-word searches with wrk: a rare word, a word in
  nearly every LAIT fact (its source's publisher), and one of a measure's name;
  then the rare word from a second server with the response cache on (as served
  by default, where a repeated query is answered from memory until the views
  move on).

    .venv/bin/python scripts/bench_search.py [--seconds 10] [--connections 32]
        [--runs 3] [--replay-only]

With ``--data DIR`` (a data folder that already holds the LAIT measures:
``carefacts load`` then ``carefacts import lait``) it serves that folder and
measures the searches only, without loading or replaying.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchkit import (
    ROOT,
    print_medians,
    serve,
    start_minimal,
    stop,
    wrk_arguments,
    wrk_rounds,
)

sys.path.insert(0, str(ROOT))

from projections.worker import ProjectionWorker
from seeds.importers.lait import import_lait
from seeds.loader import load_default
from seeds.paths import OFFICIAL
from service.composition import Carefacts
from service.settings import Settings

BATCH = 20_000
WORDS = {
    "rare word": "Lincoln",
    "word of every LAIT fact": "Education",
    "word of some measures": "pupils",
}


def timed_replay(worker: ProjectionWorker) -> float:
    worker.reset()
    started = time.monotonic()
    worker.catch_up()
    return time.monotonic() - started


def timed_rebuild(worker: ProjectionWorker) -> float:
    started = time.monotonic()
    worker.rebuild()
    return time.monotonic() - started


def load_and_replay(data: Path, replays: int) -> None:
    app = Carefacts.open(Settings(data_dir=data), batch_size=BATCH)
    try:
        load_default(app.ledger)
        report = import_lait(app.ledger, OFFICIAL / "lait_measures_long.csv.gz")
        print(f"LAIT: {report.recorded:,} events recorded")
        others = [p for p in app.worker.projections if p.name != "search"]
        without = ProjectionWorker(
            app.views,
            app.ledger,
            others,
            batch_size=BATCH,
            log_file=app.worker.log_file,
        )
        without.setup()
        times: dict[str, list[float]] = {
            "batched, without search": [],
            "batched, every view": [],
            "rebuild, without search": [],
            "rebuild, every view": [],
        }
        for run in range(1, replays + 1):
            times["batched, without search"].append(timed_replay(without))
            times["batched, every view"].append(timed_replay(app.worker))
            times["rebuild, without search"].append(timed_rebuild(without))
            times["rebuild, every view"].append(timed_rebuild(app.worker))
            print(
                f"run {run}: "
                + ", ".join(
                    f"{name} {values[-1]:.1f} s" for name, values in times.items()
                ),
                flush=True,
            )
        events = app.ledger.last_position()
        print(f"\nmedians of {replays} runs over {events:,} events (min-max):")
        for name, values in times.items():
            print(
                f"  {name:24} {statistics.median(values):6.1f} s "
                f"({min(values):.1f}-{max(values):.1f}; "
                f"{events / statistics.median(values):,.0f} events/s)"
            )
        for kind in ("batched", "rebuild"):
            base = statistics.median(times[f"{kind}, without search"])
            full = statistics.median(times[f"{kind}, every view"])
            print(
                f"  {kind}: every view / without search {full / base:.2f} "
                f"(the search view adds {100 * (full / base - 1):.0f}%)"
            )
    finally:
        app.close()


def main() -> None:
    args = wrk_arguments(__doc__.splitlines()[0], _more_arguments)
    folder = Path(tempfile.mkdtemp(prefix="carefacts-search-"))
    data = args.data or folder / "data"
    try:
        if args.data is None:
            load_and_replay(data, replays=args.runs)
        if args.replay_only:
            return
        env = {
            **os.environ,
            "CAREFACTS_DATA_DIR": str(data),
            "CAREFACTS_RESPONSE_CACHE_MIB": "0",
        }
        server, base = serve(env)
        cached, cached_base = serve({**env, "CAREFACTS_RESPONSE_CACHE_MIB": "64"})
        minimal, minimal_port = start_minimal(folder, env, data / "views.sqlite3")
        targets: dict[str, tuple[str, str | None]] = {
            "minimal endpoint (one SQLite row)": (
                f"http://127.0.0.1:{minimal_port}/one-row",
                None,
            ),
        }
        for label, word in WORDS.items():
            targets[f"GET /search?q={word} ({label})"] = (
                f"{base}/search?q={word}",
                None,
            )
        targets["the rare word, response cache on"] = (
            f"{cached_base}/search?q={WORDS['rare word']}",
            None,
        )
        try:
            results = wrk_rounds(targets, args)
        finally:
            stop(server, cached, minimal)
        print_medians(results, args, ", one uvicorn worker, no response cache")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _more_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--replay-only", action="store_true", help="time the replays, serve nothing"
    )
    parser.add_argument(
        "--data", type=Path, help="serve this folder: no load, no replays"
    )


if __name__ == "__main__":
    main()
