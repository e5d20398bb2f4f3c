#!/usr/bin/env python3
"""Benchmark: feed pages served from cache against a minimal endpoint, in one run.

Loads the seeds into a temporary SQLite folder (page size 100), starts
``carefacts serve``, the minimal one-row Starlette app of bench_http and a baseline
app that renders the same closed page with feedgen on every request, and loads
each with wrk from another process: closed archive pages (Atom, JSON Feed, a kind
of fact's), the working page, a 304 on a conditional GET. Ratios are to the
minimal endpoint; the closed page should stay at 0.4 of it or more and the 304 at
0.8 or more. Also times rendering a working page of 100 entries in-process (cold,
and with its entries already rendered, as in steady state). Medians of --runs.

    .venv/bin/python scripts/bench_feed.py [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from benchkit import (
    MINIMAL_APP,
    ROOT,
    free_port,
    print_medians,
    seeded_folder,
    serve,
    start,
    stop,
    wait_up,
    wrk_arguments,
    wrk_rounds,
)

sys.path.insert(0, str(ROOT))

BASELINE_APP = """
import os
from pathlib import Path
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from service import feeds
from service.composition import Carefacts
from service import feed_pages
from service.settings import Settings
from projections.feed import Names, page_entries

settings = Settings(data_dir=Path(os.environ["CAREFACTS_DATA_DIR"]))
core = Carefacts.open(settings)

class RT:
    pass

rt = RT()
rt.settings, rt.ledger, rt.names = settings, core.ledger, Names()
with core.views.read() as cur:
    entries = page_entries(cur, core.ledger, 1, 100)
    page = feeds.Page(
        "tag:carefacts,2026:feed", "carefacts: every recorded event", "baseline",
        feeds.datetime.fromisoformat(entries[-1].recorded_at),
        (feeds.Link(settings.base_url + "/feed/archive/1", "self"),),
        tuple(feed_pages.entry_of(rt, e) for e in entries), True,
        settings.base_url + "/openapi.json#events",
    )

async def render_each_time(request):
    return Response(feeds.render(page), media_type=feeds.MEDIA_TYPE)

app = Starlette(routes=[Route("/baseline", render_each_time)])
"""


def render_times(data: Path, repeat: int = 30) -> tuple[float, float]:
    """(cold, warm) median milliseconds to render a working page of 100 entries."""
    from projections.feed import Names, page_start
    from service import feed_pages
    from service.caches import LRU
    from service.composition import Carefacts
    from service.settings import Settings

    settings = Settings(data_dir=data)
    core = Carefacts.open(settings)

    class RT:
        pass

    rt = RT()
    rt.settings, rt.ledger = settings, core.ledger  # type: ignore[attr-defined]
    rt.names = Names()  # type: ignore[attr-defined]
    scope = feed_pages.global_scope()
    cold, warm = [], []
    with core.views.read() as cur:
        assert page_start(cur, 10) is not None, "the seeds fill ten pages"
        for _ in range(repeat):
            rt.entry_fragments = LRU(1000)  # type: ignore[attr-defined]
            for times in (cold, warm):  # page 10 seen as the working page
                started = time.perf_counter()
                feed_pages.render(
                    rt,  # type: ignore[arg-type]
                    cur,
                    scope,
                    feed_pages.ATOM,
                    10,
                    False,
                    False,
                    100,
                )
                times.append(time.perf_counter() - started)
    core.close()
    return statistics.median(cold) * 1000, statistics.median(warm) * 1000


def _uvicorn(app: str, port: int, env: dict[str, str], folder: Path) -> Any:
    args = ["uvicorn", app, "--port", str(port), "--log-level", "warning"]
    return start([*args, "--no-access-log"], env, cwd=folder)


def main() -> None:
    args = wrk_arguments(__doc__.splitlines()[0])
    folder, env = seeded_folder("carefacts-feed-", CAREFACTS_FEED_PAGE_SIZE="100")
    data = folder / "data"
    cold, warm = render_times(data)
    (folder / "baseline_app.py").write_text(BASELINE_APP)
    (folder / "minimal_app.py").write_text(MINIMAL_APP)
    server, base = serve(env)
    baseline_port, minimal_port = free_port(), free_port()
    with_root = {**env, "PYTHONPATH": str(ROOT)}
    baseline = _uvicorn("baseline_app:app", baseline_port, with_root, folder)
    minimal_env = {**env, "MINIMAL_DB": str(data / "views.sqlite3")}
    minimal = _uvicorn("minimal_app:app", minimal_port, minimal_env, folder)
    try:
        wait_up(f"http://127.0.0.1:{baseline_port}/baseline")
        etag = httpx.get(base + "/feed").headers["etag"]
        targets = {
            "minimal endpoint (one SQLite row)": (
                f"http://127.0.0.1:{minimal_port}/one-row",
                None,
            ),
            "feedgen render per request": (
                f"http://127.0.0.1:{baseline_port}/baseline",
                None,
            ),
            "closed page /feed/archive/1": (base + "/feed/archive/1", None),
            "closed page /feed/archive/1.json": (base + "/feed/archive/1.json", None),
            "closed page, by kind (Atom)": (
                base + "/kinds/count_reported/feed/archive/1",
                None,
            ),
            "working page /feed": (base + "/feed", None),
            "304 on /feed": (base + "/feed", f"If-None-Match: {etag}"),
        }
        results = wrk_rounds(targets, args)
    finally:
        stop(server, baseline, minimal)
        shutil.rmtree(folder, ignore_errors=True)
    print_medians(results, args, ", one uvicorn worker; ratio to the minimal endpoint")
    rates = {
        name: statistics.median(r for r, _ in runs) for name, runs in results.items()
    }
    floor = rates["minimal endpoint (one SQLite row)"]
    for name, wanted in (("closed page /feed/archive/1", 0.4), ("304 on /feed", 0.8)):
        ratio = rates[name] / floor
        verdict = "meets" if ratio >= wanted else "BELOW"
        print(f"  {name}: {ratio:.2f} of the minimal endpoint ({verdict} {wanted})")
    print(
        f"  render a working page of 100 entries: {cold:.1f} ms cold, "
        f"{warm:.1f} ms with its entries already rendered"
    )


if __name__ == "__main__":
    main()
