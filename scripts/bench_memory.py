#!/usr/bin/env python3
"""Probe: the server's memory and responsiveness while clients read large listings.

Serves a data folder that already holds the LAIT measures (``carefacts import lait``)
with ``carefacts serve``, then runs each scenario while one thread samples the
server's resident memory (VmRSS, every 20 ms) and another times a small request
(``/healthz``, every 100 ms) to see whether other clients are kept waiting:

- one ``GET /sources/dfe-lait`` (the source of every LAIT fact);
- following ``next`` through pages of that listing (``--pages``, ``limit=1000``),
  one client and then ``--clients`` at once, each from its own start;
- the same large answer asked for under many equivalent query strings
  (``known_at`` padded with zeros), and under many different ones.

    .venv/bin/python scripts/bench_memory.py --data DIR [--pages 20] [--variants 300]
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from benchkit import serve, stop


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Watch:
    """Peak memory of a process and the slowest probe request, while it runs."""

    def __init__(self, pid: int, base: str) -> None:
        self.pid, self.base = pid, base
        self.peak = rss_mb(pid)
        self.slowest = 0.0
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._sample, daemon=True),
            threading.Thread(target=self._probe, daemon=True),
        ]

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb(self.pid))

    def _probe(self) -> None:
        with httpx.Client(timeout=60) as client:
            while not self._stop.wait(0.1):
                started = time.monotonic()
                client.get(self.base + "/healthz")
                self.slowest = max(self.slowest, time.monotonic() - started)

    def __enter__(self) -> Watch:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()


def scenario(pid: int, base: str, name: str, run: Callable[[], str]) -> None:
    before = rss_mb(pid)
    started = time.monotonic()
    with Watch(pid, base) as watch:
        outcome = run()
    print(
        f"{name}: {outcome}; {time.monotonic() - started:.1f} s; RSS before "
        f"{before:.0f} MB, peak {watch.peak:.0f} MB, after {rss_mb(pid):.0f} MB; "
        f"slowest /healthz {watch.slowest * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--variants", type=int, default=300)
    parser.add_argument("--clients", type=int, default=40)
    args = parser.parse_args()
    env = {**os.environ, "CAREFACTS_DATA_DIR": str(args.data)}
    server, base = serve(env)
    client = httpx.Client(base_url=base, timeout=600)
    try:
        position = client.get("/healthz").json()["log_position"]
        print(f"serving {args.data} at log position {position:,}")

        def whole() -> str:
            answer = client.get("/sources/dfe-lait")
            return f"{answer.status_code}, {len(answer.content):,} bytes"

        def walk(reader: httpx.Client = client, skip: int = 0) -> str:
            url: str | None = "/sources/dfe-lait?limit=1000"
            pages = rows = 0
            started = time.monotonic()
            slowest = 0.0
            while url and pages < args.pages + skip:
                asked = time.monotonic()
                answer = reader.get(url)
                slowest = max(slowest, time.monotonic() - asked)
                if answer.status_code != 200:
                    return f"page {pages + 1} answered {answer.status_code}"
                body = answer.json()
                pages += 1
                rows += len(body["facts"]) if pages > skip else 0
                url = body.get("next")
            average = (time.monotonic() - started) / pages * 1000
            return (
                f"{pages - skip} pages, {rows:,} facts, {average:.0f} ms a page on "
                f"average, slowest {slowest * 1000:.0f} ms"
            )

        def crowd() -> str:
            results: list[str] = []

            def one(index: int) -> None:
                with httpx.Client(base_url=base, timeout=600) as reader:
                    results.append(walk(reader, skip=index * 3))

            threads = [
                threading.Thread(target=one, args=(i,)) for i in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return f"{args.clients} clients at once; the first: {results[0]}"

        big = "/authorities/E06000009/facts"
        # The largest page, where the listing is paged (before paging: everything).
        paged = client.get(big, params={"limit": "1"}).status_code == 200
        largest = [("limit", "1000")] if paged else []

        def padded() -> str:
            sizes = {
                len(client.get(big, params=query).content)
                for query in equivalent(position, args.variants)
            }
            return f"{args.variants} equivalent queries, bodies of {sorted(sizes)} B"

        def equivalent(at: int, count: int) -> list[list[tuple[str, str]]]:
            """Query strings that all mean the same: zeros before the positions,
            a year written three ways, the parameters in either order."""
            found = []
            for zeros in range(18 - len(str(at)) + 1):
                for year in ("2099", "2099-12", "2099-12-31"):
                    for wait in range(18 - len(str(at)) + 1):
                        query = [
                            ("known_at", "0" * zeros + str(at)),
                            ("as_of", year),
                            ("min_position", "0" * wait + str(at)),
                        ]
                        found += [query + largest, largest + query[::-1]]
            return found[:count]

        def distinct() -> str:
            total = 0
            for back in range(args.variants):
                query = [("known_at", str(position - back)), *largest]
                total += len(client.get(big, params=query).content)
            return f"{args.variants} different queries, {total:,} bytes in all"

        scenario(server.pid, base, "GET /sources/dfe-lait", whole)
        scenario(server.pid, base, "walking /sources/dfe-lait", walk)
        scenario(server.pid, base, "walking it together", crowd)
        scenario(server.pid, base, "equivalent known_at", padded)
        scenario(server.pid, base, "different known_at", distinct)
    finally:
        client.close()
        stop(server)


if __name__ == "__main__":
    main()
