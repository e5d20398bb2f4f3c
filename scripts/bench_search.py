#!/usr/bin/env python3
"""Benchmark: search with the LAIT measures loaded, and what its view adds to a replay.

Loads the seeds and the full LAIT file (about 540,000 facts) into a temporary
SQLite folder, then:

- replays every view but search, and every view, --replays times each in turn
  (timed; the ratio is what the search view adds to a full replay);
- serves it with ``carefacts serve`` (one uvicorn worker, the response cache off,
  so every request runs its query) beside the minimal one-row endpoint of
  ``bench_http.py``, and loads one-word searches with wrk: a rare word, a word in
  nearly every LAIT fact (its source's publisher), and one of a measure's name;
  then the rare word from a second server with the response cache on (as served
  by default, where a repeated query is answered from memory until the views
  move on).

    .venv/bin/python scripts/bench_search.py [--seconds 10] [--connections 32]

With ``--data DIR`` (a data folder that already holds the LAIT measures:
``carefacts load`` then ``carefacts import lait``) it serves that folder and
measures the searches only, without loading or replaying.
"""

from __future__ import annotations

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


def load_and_replay(data: Path, replays: int) -> None:
    app = Carefacts.open(Settings(data_dir=data), batch_size=BATCH)
    try:
        load_default(app.ledger)
        report = import_lait(app.ledger, OFFICIAL / "lait_measures_long.csv.gz")
        print(f"LAIT: {report.recorded:,} events recorded")
        others = [p for p in app.worker.projections if p.name != "search"]
        without = ProjectionWorker(app.views, app.ledger, others, batch_size=BATCH)
        without.setup()
        times: dict[str, list[float]] = {"without search": [], "every view": []}
        for run in range(1, replays + 1):
            times["without search"].append(timed_replay(without))
            times["every view"].append(timed_replay(app.worker))
            print(
                f"replay {run}: every view but search "
                f"{times['without search'][-1]:.1f} s, every view "
                f"{times['every view'][-1]:.1f} s"
            )
        events = app.ledger.last_position()
        base = statistics.median(times["without search"])
        full = statistics.median(times["every view"])
        print(
            f"\nmedians of {replays} replays of {events:,} events: every view but "
            f"search {base:.1f} s, every view {full:.1f} s; ratio {full / base:.2f} "
            f"(the search view adds {100 * (full / base - 1):.0f}%)"
        )
    finally:
        app.close()


def main() -> None:
    args = wrk_arguments(
        __doc__.splitlines()[0],
        lambda parser: parser.add_argument(
            "--data", type=Path, help="serve this folder: no load, no replays"
        ),
    )
    folder = Path(tempfile.mkdtemp(prefix="carefacts-search-"))
    data = args.data or folder / "data"
    try:
        if args.data is None:
            load_and_replay(data, replays=args.runs)
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


if __name__ == "__main__":
    main()
