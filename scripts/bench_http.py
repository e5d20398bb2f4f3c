#!/usr/bin/env python3
"""Benchmark: HTTP state queries against a minimal Starlette endpoint, in one run.

Loads the seeds into a temporary SQLite folder, starts ``carefacts serve`` (one
uvicorn worker) and, beside it, a minimal Starlette app that reads one SQLite row
and answers with orjson. wrk (Debian package ``wrk``) loads each URL from another
process; each is run --runs times and the medians are printed, with p99 latency and
the ratio to the minimal endpoint.

    .venv/bin/python scripts/bench_http.py [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import shutil

from benchkit import (
    print_medians,
    seeded_folder,
    serve,
    start_minimal,
    stop,
    wrk_arguments,
    wrk_rounds,
)


def main() -> None:
    args = wrk_arguments(__doc__.splitlines()[0])
    folder, env = seeded_folder("carefacts-http-")
    data = folder / "data"
    server, base = serve(env)
    minimal, minimal_port = start_minimal(folder, env, data / "views.sqlite3")
    targets = {
        "minimal endpoint (one SQLite row)": (
            f"http://127.0.0.1:{minimal_port}/one-row",
            None,
        ),
        "GET /authorities/E06000009": (f"{base}/authorities/E06000009", None),
        "GET /authorities/E06000009/facts": (
            f"{base}/authorities/E06000009/facts",
            None,
        ),
    }
    try:
        results = wrk_rounds(targets, args)
    finally:
        stop(server, minimal)
        shutil.rmtree(folder, ignore_errors=True)
    print_medians(results, args, ", one uvicorn worker")


if __name__ == "__main__":
    main()
