#!/usr/bin/env python3
"""Benchmark: what a page costs to build, beside the authority's JSON state.

Loads the seeds (and, with --lait N, the first N rows of the LAIT file) into a
temporary SQLite folder and starts ``carefacts serve``. A page is kept until the
views move on, so each request here asks for a date never asked before
(``as_of``; a new page size or filter for the others), which makes every answer
a fresh build: the cost a reader meets after
each new fact. Each target is requested --requests times, one at a time, in
--runs rounds; the medians of the latencies are printed with their ratio to the
baseline, the JSON state of the same authority built the same way.

    .venv/bin/python scripts/bench_pages.py [--requests 30] [--runs 3] [--lait 6000]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

import httpx
from benchkit import ROOT, seeded_folder, serve, stop

HTML = {"Accept": "text/html"}
FRESH = itertools.count(1)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _fresh(path: str) -> dict[str, str]:
    """Parameters never asked before, so the page is built anew: a new date for
    an authority's pages, a new page size (about the default) for a source's, a
    new name filter for the list (which builds the whole list before it
    filters)."""
    n = next(FRESH)
    if path == "/":
        return {"q": LETTERS[n % 26] + LETTERS[n // 26 % 26]}
    if path.startswith("/sources/"):
        return {"limit": str(max(101 - n, 10))}  # about the default 100
    return {"as_of": (date(2026, 1, 1) - timedelta(days=n)).isoformat()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lait", type=int, default=6000, help="LAIT rows to load")
    args = parser.parse_args()
    folder, env = seeded_folder("carefacts-pages-")
    if args.lait:
        official = ROOT / "seeds" / "official"
        sample = folder / "lait.csv"
        with gzip.open(official / "lait_measures_long.csv.gz", "rt") as f:
            sample.write_text("".join(itertools.islice(f, args.lait + 1)))
        dictionary = str(official / "lait_data_dictionary.csv.gz")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "service.cli",
                "import",
                "lait",
                str(sample),
                "--dictionary",
                dictionary,
            ],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
    server, base = serve(env)
    code = "E06000009"
    targets = {
        "JSON state (baseline)": (f"/authorities/{code}", {}),
        "authority page": (f"/authorities/{code}", HTML),
        "neighbours JSON": (f"/authorities/{code}/neighbours/children_in_care", {}),
        "neighbours page": (f"/authorities/{code}/neighbours/children_in_care", HTML),
        "source page": ("/sources/dfe-cla-2025", HTML),
        "list page": ("/", HTML),
    }
    results: dict[str, list[float]] = {name: [] for name in targets}
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for run in range(1, args.runs + 1):
                for name, (path, headers) in targets.items():
                    times = []
                    for _ in range(args.requests):
                        params = _fresh(path)
                        start = time.perf_counter()
                        response = client.get(path, params=params, headers=headers)
                        times.append((time.perf_counter() - start) * 1000)
                        response.raise_for_status()
                    median = statistics.median(times)
                    results[name].append(median)
                    print(f"run {run}: {name}: median {median:.1f} ms")
    finally:
        stop(server)
        shutil.rmtree(folder, ignore_errors=True)
    baseline = statistics.median(results["JSON state (baseline)"])
    print(f"\nmedians of {args.runs} runs of {args.requests} requests each:")
    for name, values in results.items():
        value = statistics.median(values)
        print(f"  {name:46} {value:7.1f} ms  ratio {value / baseline:.2f}")


if __name__ == "__main__":
    main()
