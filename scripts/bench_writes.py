#!/usr/bin/env python3
"""Benchmark: recording one fact at a time, through the aggregate and through the
bulk encoder, in one run.

A fact written over HTTP (``POST /facts``) is recorded by ``Ledger.record_fact``:
``Fact.report``, then saved through the application. An import encodes its facts
itself (``FactPreparer``) and stores them with ``Ledger.record_prepared``. This
records single facts both ways on the same ledger, taking turns fact by fact (new
facts, then the same facts again, which are no-ops), and prints the medians of
the rounds and the ratio of the aggregate's rate to the encoder's.

    .venv/bin/python scripts/bench_writes.py [--facts 300] [--rounds 5]
        [--url postgresql://postgres@127.0.0.1:5432/test] [--under /dev/shm]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from domain.drafts import FactDraft, draft_fact
from domain.provenance import Provenance
from service.application import Ledger
from service.settings import Settings

AUTHORITY = "E06000009"
SOURCE = "bench-writes-source"
PROVENANCE = Provenance(recorded_by="bench-writer")


def drafts(way: str, round_: int, count: int) -> list[FactDraft]:
    return [
        draft_fact(
            {
                "kind": "count_reported",
                "authority": AUTHORITY,
                "source": SOURCE,
                "effective": f"{1900 + i % 100}",
                "measure": f"bench:{way}_{round_}_{i // 100}",
                "value": i,
            }
        )
        for i in range(count)
    ]


def _timed(record: Callable[[FactDraft], object], draft: FactDraft) -> float:
    started = time.perf_counter()
    record(draft)
    return time.perf_counter() - started


def rates(
    ways: dict[str, Callable[[FactDraft], object]], batches: dict[str, list[FactDraft]]
) -> dict[str, float]:
    """Facts/s of each way, the ways taking turns fact by fact (the first one
    alternating) so that a slow moment of the machine falls on both alike."""
    spent = dict.fromkeys(ways, 0.0)
    names = list(ways)
    for i in range(len(batches[names[0]])):
        for name in names if i % 2 == 0 else reversed(names):
            spent[name] += _timed(ways[name], batches[name][i])
    return {name: len(batches[name]) / seconds for name, seconds in spent.items()}


@contextmanager
def ledger_on(url: str | None, under: str | None = None) -> Iterator[Ledger]:
    folder = Path(tempfile.mkdtemp(prefix="carefacts-writes-", dir=under))
    schema = "bench_" + uuid.uuid4().hex[:8]
    settings = (
        Settings(data_dir=folder, database_url=url, database_schema=schema)
        if url
        else Settings(data_dir=folder)
    )
    ledger = Ledger(settings)
    try:
        ledger.register_authority({"code": AUTHORITY, "name": "Blackpool"})
        ledger.register_source(
            {
                "source_id": SOURCE,
                "kind": "news",
                "title": "A source for the write benchmark",
                "publisher": "Bench",
            }
        )
        yield ledger
    finally:
        ledger.close()
        shutil.rmtree(folder, ignore_errors=True)
        if url:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def measure(ledger: Ledger, facts: int, rounds: int) -> dict[str, list[float]]:
    def aggregate(draft: FactDraft) -> object:
        return ledger.record_fact(draft, PROVENANCE)

    def encoder(draft: FactDraft) -> object:
        return ledger.record_prepared(ledger.preparer()([draft], PROVENANCE))

    ways = {"aggregate": aggregate, "bulk encoder": encoder}
    results: dict[str, list[float]] = {}
    for round_ in range(rounds):
        batches = {way: drafts(way.split()[0], round_, facts) for way in ways}
        for what in ("new", "again"):
            for way, value in rates(ways, batches).items():
                results.setdefault(f"{way}, {what}", []).append(value)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--url", help="PostgreSQL too, at this URL")
    parser.add_argument(
        "--under",
        help="the folder for the SQLite files (on /dev/shm a commit waits for no "
        "disk, which leaves the work of the code itself)",
    )
    args = parser.parse_args()
    engines: dict[str, str | None] = {"SQLite": None}
    if args.url:
        engines["PostgreSQL"] = args.url
    for engine, url in engines.items():
        with ledger_on(url, args.under) as ledger:
            results = measure(ledger, args.facts, args.rounds)
        medians = {name: statistics.median(values) for name, values in results.items()}
        print(f"\n{engine}, {args.facts} facts a round, medians of {args.rounds}:")
        for name, value in medians.items():
            print(f"  {name:24} {value:10,.0f} facts/s")
        for what in ("new", "again"):
            ratio = medians[f"aggregate, {what}"] / medians[f"bulk encoder, {what}"]
            print(f"  aggregate / bulk encoder, {what}: {ratio:.3f}")


if __name__ == "__main__":
    main()
