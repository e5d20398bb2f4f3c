"""Import worker processes die with the importer: killed with SIGKILL, it leaves
no worker behind holding the store's files.

Processes are found by their parent in /proc and watched through pidfds, so the
test waits on their exit, with a bound, rather than sleeping.
"""

from __future__ import annotations

import os
import select
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

OFFICIAL = Path(__file__).parents[2] / "seeds" / "official"
BOUND = 10.0  # seconds the workers may take to go once the importer is killed

FALLBACK_ONLY = """
import sys
from seeds.importers.pool import worker_pool

pool = worker_pool(2, death_signal=False)
pool.submit(sum, [1, 2]).result()
print("ready", flush=True)
sys.stdin.read()
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended while we looked
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _wait_for_line(stream: object, text: str, seconds: float) -> str:
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)  # type: ignore[arg-type]
    deadline = time.monotonic() + seconds
    seen = ""
    try:
        while text not in seen:
            remaining = deadline - time.monotonic()
            assert remaining > 0 and selector.select(remaining), (
                f"never saw {text!r}; output so far: {seen[-500:]!r}"
            )
            line = stream.readline().decode()  # type: ignore[attr-defined]
            assert line, f"the process ended before {text!r}: {seen[-500:]!r}"
            seen += line
    finally:
        selector.close()
    return seen


def _kill_and_count_survivors(process: subprocess.Popen[bytes]) -> int:
    """SIGKILL the process; how many of its children are still alive after BOUND."""
    workers = _children(process.pid)
    assert workers, "the importer had started no worker processes"
    fds = [os.pidfd_open(pid) for pid in workers]
    try:
        process.kill()
        process.wait()
        pending = list(fds)
        deadline = time.monotonic() + BOUND
        while pending and (remaining := deadline - time.monotonic()) > 0:
            ended, _, _ = select.select(pending, [], [], remaining)
            pending = [fd for fd in pending if fd not in ended]
        for fd in pending:  # do not leave them running if the test fails
            signal.pidfd_send_signal(fd, signal.SIGKILL)
        return len(pending)
    finally:
        for fd in fds:
            os.close(fd)


def test_killing_a_lait_import_ends_its_worker_processes(
    seeded_template: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(seeded_template, data_dir)
    environment = {**os.environ, "CAREFACTS_DATA_DIR": str(data_dir)}
    environment.pop("CAREFACTS_DATABASE_URL", None)
    command = [sys.executable, "-m", "service.cli", "import", "lait"]
    with subprocess.Popen(
        [*command, str(OFFICIAL / "lait_measures_long.csv.gz")],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as process:
        try:
            # The first progress line comes once the workers have prepared a chunk.
            _wait_for_line(process.stderr, "LAIT measures: ", 120)
            assert _kill_and_count_survivors(process) == 0
        finally:
            process.kill()


def test_without_the_death_signal_the_watcher_ends_the_workers() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", FALLBACK_ONLY],
        cwd=Path(__file__).parents[2],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    ) as process:
        try:
            _wait_for_line(process.stdout, "ready", 60)
            assert _kill_and_count_survivors(process) == 0
        finally:
            process.kill()
