#!/usr/bin/env python3
"""Benchmark: WebSub fan-out to local subscribers, and state queries while the hub
delivers, in one run.

Loads the seeds into a temporary SQLite folder and starts ``carefacts serve`` (one
uvicorn worker, private callbacks allowed) and the minimal endpoint of
``bench_http.py``. 100 subscribers (callback paths of one server on 127.0.0.1, in
this process) subscribe to Blackburn with Darwen's feed through the hub. Then:

1. fan-out: one fact about Blackburn with Darwen is posted and the time until the
   last subscriber holds its push is measured, from the POST (so it includes the
   views catching up), --runs times (at least 5), median printed;
2. the state query of ``bench_http.py`` (Blackpool) and its ratio to the minimal
   endpoint, with no writes; then --runs rounds, each loading both targets with a
   fact posted every --interval seconds (default 0.5: 200 pushes a second) to an
   authority nobody subscribed to (Wigan: no delivery) and the same writes to
   Blackburn with Darwen (pushed to the 100 subscribers), the two in turns and in
   alternating order. The two conditions differ by the delivery alone: the same
   writes, and Blackpool's state, the one measured, stays the same size all along
   (writes about Blackpool would make every later run query a larger state). The
   change of the ratio is the cost of delivery.

    .venv/bin/python scripts/bench_websub.py [--seconds 10] [--interval 0.5]
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from benchkit import (
    print_medians,
    seeded_folder,
    serve,
    start_minimal,
    stop,
    wrk,
    wrk_arguments,
    wrk_rounds,
)

SUBSCRIBERS = 100
TOKEN = "bench-token"
PUSHED = "E06000008"  # Blackburn with Darwen: its feed has the subscribers
QUIET = "E08000010"  # Wigan: nobody subscribes to its feed
TOPIC_PATH = f"/authorities/{PUSHED}/feed"
STATE = "GET /authorities/E06000009"  # the state query of bench_http.py


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the hub calls many at once: no SYN left waiting
    daemon_threads = True


def _serve_callbacks(
    port: multiprocessing.Queue[int],
    heard: multiprocessing.Queue[tuple[str, str, float]],
) -> None:
    """The subscribers' process: callback paths on one local server, each
    verification and push told to the benchmark as (what, path, when)."""
    os.nice(19)  # they stand in for other machines: the measured ones come first

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            challenge = self.path.split("hub.challenge=", 1)[1].split("&")[0]
            body = challenge.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            heard.put(("verified", self.path, time.monotonic()))

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(204)
            self.end_headers()
            heard.put(("pushed", self.path, time.monotonic()))

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    port.put(server.server_address[1])
    server.serve_forever()


class Subscribers:
    """Callback paths /cb/0 ... /cb/99 on one local server in a process of its own
    (niced: on a real deployment subscribers are other machines, and their CPU
    is not the service's); counts pushes per path, with when each arrived
    (CLOCK_MONOTONIC, the same in every process)."""

    def __init__(self) -> None:
        self.pushes: dict[str, list[float]] = {}
        self.verified = 0
        self.changed = threading.Condition()
        context = multiprocessing.get_context("spawn")
        port: multiprocessing.Queue[int] = context.Queue()
        self._heard: multiprocessing.Queue[tuple[str, str, float]] = context.Queue()
        self.process = context.Process(
            target=_serve_callbacks, args=(port, self._heard), daemon=True
        )
        self.process.start()
        self.port = port.get(timeout=60)
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        while True:
            what, path, when = self._heard.get()
            with self.changed:
                if what == "verified":
                    self.verified += 1
                else:
                    self.pushes.setdefault(path, []).append(when)
                self.changed.notify_all()

    def stop(self) -> None:
        self.process.terminate()
        self.process.join()

    def url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.port}/cb/{n}"

    def wait(self, condition: object, timeout: float = 60) -> None:
        with self.changed:
            if not self.changed.wait_for(condition, timeout):  # type: ignore[arg-type]
                raise SystemExit("the subscribers did not get what they waited for")

    def each_has(self, count: int) -> bool:
        paths = self.pushes.values()
        return len(self.pushes) == SUBSCRIBERS and all(len(p) >= count for p in paths)


class Writer:
    """Posts a new fact about its authority each time it is asked (a new effective
    date each)."""

    def __init__(self, base: str, authority: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=30)
        self.authority = authority
        self.day = date(1990, 1, 1)

    def post(self) -> None:
        self.day += timedelta(days=1)
        answer = self.client.post(
            "/facts",
            headers={"Authorization": f"Bearer {TOKEN}"},
            json={
                "kind": "count_reported",
                "authority": self.authority,
                "source": "gazette-2023-07-care-reduction",
                "effective": self.day.isoformat(),
                "measure": "children_in_care",
                "value": 500,
                "unit": "children",
            },
        )
        if answer.status_code != 201:
            raise SystemExit(f"the write failed: {answer.status_code} {answer.text}")


def subscribe_all(base: str, subscribers: Subscribers) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        for n in range(SUBSCRIBERS):
            answer = client.post(
                "/websub",
                data={
                    "hub.mode": "subscribe",
                    "hub.topic": base + TOPIC_PATH,
                    "hub.callback": subscribers.url(n),
                    "hub.secret": f"secret-{n}",
                },
            )
            if answer.status_code != 202:
                raise SystemExit(f"subscribing failed: {answer.text}")
    subscribers.wait(lambda: subscribers.verified >= SUBSCRIBERS)
    time.sleep(1)  # the last verification is stored just after its answer


def fan_out(writer: Writer, subscribers: Subscribers, runs: int) -> list[float]:
    seconds = []
    for run in range(runs + 1):  # the first warms up
        target = run + 1
        began = time.monotonic()
        writer.post()
        subscribers.wait(lambda t=target: subscribers.each_has(t))  # type: ignore[misc]
        last = max(p[target - 1] for p in subscribers.pushes.values())
        if run:
            seconds.append(last - began)
            print(f"run {run}: fan-out to {SUBSCRIBERS}: {last - began:.3f} s")
    return seconds


@contextmanager
def writing(writer: Writer, interval: float) -> Iterator[None]:
    """A fact posted every ``interval`` seconds meanwhile."""
    stopping = threading.Event()

    def keep_writing() -> None:
        while not stopping.wait(interval):
            writer.post()

    thread = threading.Thread(target=keep_writing, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join()


def main() -> None:
    args = wrk_arguments(
        __doc__.splitlines()[0],
        lambda parser: parser.add_argument(
            "--interval", type=float, default=0.5, help="seconds between writes"
        ),
    )
    folder, env = seeded_folder(
        "carefacts-websub-",
        CAREFACTS_WRITE_TOKENS=TOKEN,
        CAREFACTS_WEBSUB_ALLOW_PRIVATE="true",
    )
    server, base = serve(env)
    minimal, minimal_port = start_minimal(
        folder, env, folder / "data" / "views.sqlite3"
    )
    targets = {
        "minimal endpoint (one SQLite row)": (
            f"http://127.0.0.1:{minimal_port}/one-row",
            None,
        ),
        STATE: (f"{base}/authorities/E06000009", None),
    }
    subscribers = Subscribers()
    pushed, unheard = Writer(base, PUSHED), Writer(base, QUIET)
    every = f"a fact posted every {args.interval:g} s"
    conditions = {
        f"{every}, no subscribers (delivery off)": unheard,
        f"{every}, pushed to {SUBSCRIBERS} subscribers": pushed,
    }
    rounds: dict[str, dict[str, list[tuple[float, float]]]] = {
        name: {target: [] for target in targets} for name in conditions
    }
    # CPU microseconds per request of the process serving each target, by condition.
    costs: dict[str, dict[str, list[float]]] = {
        name: {target: [] for target in targets} for name in conditions
    }
    measured = dict(zip(targets, (minimal.pid, server.pid), strict=True))
    elsewhere: dict[str, list[float]] = {name: [] for name in conditions}
    try:
        quiet = wrk_rounds(targets, args)
        subscribe_all(base, subscribers)
        seconds = fan_out(pushed, subscribers, max(args.runs, 5))
        for run in range(1, args.runs + 1):
            order = list(conditions) if run % 2 else list(conditions)[::-1]
            for name in order:
                print(f"\nround {run}, {name}:")
                others = [subscribers.process.pid, *_children(server.pid)]
                began, spent = time.monotonic(), _cpu(*others)
                with writing(conditions[name], args.interval):
                    for target, (url, header) in targets.items():
                        before = _cpu(measured[target])
                        rate, p99 = wrk(url, args.seconds, args.connections, header)
                        used = _cpu(measured[target]) - before
                        rounds[name][target].append((rate, p99))
                        costs[name][target].append(1e6 * used / (rate * args.seconds))
                        print(
                            f"run {run}: {target}: {rate:,.0f} requests/s, p99 "
                            f"{p99:.1f} ms, {costs[name][target][-1]:.0f} us CPU "
                            "per request"
                        )
                elsewhere[name].append(
                    100 * (_cpu(*others) - spent) / (time.monotonic() - began)
                )
    finally:
        subscribers.stop()
        stop(server, minimal)
    print(
        f"\nfan-out of one event to {SUBSCRIBERS} subscribers, from the POST to the "
        f"last push: median {statistics.median(seconds):.3f} s of {len(seconds)} "
        f"(min {min(seconds):.3f}, max {max(seconds):.3f})"
    )
    print_medians(quiet, args, ", no writes")
    ratios = []
    for name, results in rounds.items():
        print_medians(results, args, f", {name}")
        ratios.append(_ratio(results))
    print(
        f"\nstate query's ratio to the minimal endpoint, median of the rounds' own: "
        f"{ratios[0]:.3f} without delivery, {ratios[1]:.3f} with it: delivery "
        f"changes it by {100 * (ratios[1] / ratios[0] - 1):+.1f}%"
    )
    print(
        "\nCPU per request of the process that serves it (the server's main process, "
        "without its children), median of the rounds:"
    )
    cost_ratios = []
    for name, by_target in costs.items():
        floor, state = (statistics.median(v) for v in by_target.values())
        cost_ratios.append(floor / state)
        print(
            f"  {name}: minimal {floor:.0f} us, state {state:.0f} us, ratio "
            f"{floor / state:.3f}; the push sender and the subscribers' process "
            f"used {statistics.median(elsewhere[name]):.1f}% of a core"
        )
    print(
        f"delivery changes the state query's CPU ratio by "
        f"{100 * (cost_ratios[1] / cost_ratios[0] - 1):+.1f}%"
    )
    pushes = sum(len(p) for p in subscribers.pushes.values())
    print(f"pushes received in all: {pushes:,}")


def _cpu(*pids: int) -> float:
    """CPU seconds (user and system, every thread) used so far by these processes."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (the push sender, once it has started)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _ratio(results: dict[str, list[tuple[float, float]]]) -> float:
    """The median over rounds of the state query's rate over the minimal
    endpoint's in the same round (the load of the machine changes less within a
    round than across them)."""
    minimal, state = results.values()
    return statistics.median(s[0] / m[0] for m, s in zip(minimal, state, strict=True))


if __name__ == "__main__":
    main()
