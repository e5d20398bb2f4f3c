#!/usr/bin/env python3
"""Benchmark: Atom feed pages served from cache against rendering on each request.

Loads the seeds into a temporary SQLite folder (page size 100), starts
``carefacts serve`` and a baseline app that renders the same closed page with
feedgen on every request, and loads each with wrk from another process: a closed
archive page, the working page, a 304 on a conditional GET, and the baseline.
Also times rendering a working page of 100 entries in-process (cold, and with its
entries already rendered, as in steady state). Medians of --runs.

    .venv/bin/python scripts/bench_feed.py [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

import httpx
from benchkit import (
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
from service.http import feed
from service.settings import Settings

settings = Settings(data_dir=Path(os.environ["CAREFACTS_DATA_DIR"]))
core = Carefacts.open(settings)

class RT:
    pass

rt = RT()
rt.settings, rt.ledger, rt.entry_fragments = settings, core.ledger, None
from projections.feed import Names
rt.names = Names()
with core.views.read() as cur:
    from projections.feed import page_entries
    entries = page_entries(cur, core.ledger, 1, 100)
    sources = feed._Sources(cur)
    page = feeds.Page(
        "tag:carefacts,2026:feed", "carefacts: every recorded event", "baseline",
        feeds.datetime.fromisoformat(entries[-1].recorded_at),
        (feeds.Link(settings.base_url + "/feed/archive/1", "self"),),
        tuple(feed._entry(rt, e, sources) for e in entries), True,
        settings.base_url + "/openapi.json#events",
    )

async def render_each_time(request):
    return Response(feeds.render(page), media_type=feeds.MEDIA_TYPE)

app = Starlette(routes=[Route("/baseline", render_each_time)])
"""


def render_times(data: Path, repeat: int = 30) -> tuple[float, float]:
    """(cold, warm) median milliseconds to render a working page of 100 entries."""
    from projections.feed import Names
    from service.composition import Carefacts
    from service.http import feed
    from service.http.responses import LRU
    from service.settings import Settings

    settings = Settings(data_dir=data)
    core = Carefacts.open(settings)

    class RT:
        pass

    rt = RT()
    rt.settings, rt.ledger = settings, core.ledger  # type: ignore[attr-defined]
    rt.names = Names()  # type: ignore[attr-defined]
    scope = feed.Scope(None, "every recorded event")
    count = 1000  # page 10 seen as the working page, full with 100 entries
    shape = feed.Shape(count, 10, None, 10)
    cold, warm = [], []
    with core.views.read() as cur:
        from projections.feed import page_start

        shape = feed.Shape(count - 1, 10, page_start(cur, 10), 10)
        for _ in range(repeat):
            rt.entry_fragments = LRU(1000)  # type: ignore[attr-defined]
            started = time.perf_counter()
            feed._render(rt, cur, scope, shape, 100, None)  # type: ignore[arg-type]
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            feed._render(rt, cur, scope, shape, 100, None)  # type: ignore[arg-type]
            warm.append(time.perf_counter() - started)
    core.close()
    return statistics.median(cold) * 1000, statistics.median(warm) * 1000


def main() -> None:
    args = wrk_arguments(__doc__.splitlines()[0])
    folder, env = seeded_folder("carefacts-feed-", CAREFACTS_FEED_PAGE_SIZE="100")
    data = folder / "data"
    cold, warm = render_times(data)
    (folder / "baseline_app.py").write_text(BASELINE_APP)
    server, base = serve(env)
    baseline_port = free_port()
    baseline = start(
        [
            "uvicorn",
            "baseline_app:app",
            "--port",
            str(baseline_port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        {**env, "PYTHONPATH": str(ROOT)},
        cwd=folder,
    )
    try:
        wait_up(f"http://127.0.0.1:{baseline_port}/baseline")
        etag = httpx.get(base + "/feed").headers["etag"]
        targets = {
            "baseline: feedgen render per request": (
                f"http://127.0.0.1:{baseline_port}/baseline",
                None,
            ),
            "closed page /feed/archive/1": (base + "/feed/archive/1", None),
            "working page /feed": (base + "/feed", None),
            "304 on /feed": (base + "/feed", f"If-None-Match: {etag}"),
        }
        results = wrk_rounds(targets, args)
    finally:
        stop(server, baseline)
        shutil.rmtree(folder, ignore_errors=True)
    print_medians(results, args)
    print(
        f"  render a working page of 100 entries: {cold:.1f} ms cold, "
        f"{warm:.1f} ms with its entries already rendered"
    )


if __name__ == "__main__":
    main()
