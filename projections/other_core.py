"""What a rebuild of a long log does on the second core, in another process.

While the rebuild writes the earlier half of the fact reports, the facts view's
indexes and the feed's pages, another process extracts the later half of the
reports into ``<generation>-reports``, says so on its output, and then builds the
search view into ``<generation>-words``; the rebuild appends the one
(:mod:`projections.report_rows`) and moves the other in
(:mod:`projections.search_bulk`) when it gets to them.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import TracebackType

from projections import search_bulk
from projections.facts_view import COLUMNS
from projections.report_rows import BULK_PRAGMAS, extract_reports

_READY = b"reports\n"


class OtherCore:
    """The reports of log positions ``after`` to ``end`` and, if ``search``, the
    search view to ``end``, built in another process while the caller works."""

    def __init__(
        self,
        generation: Path,
        log: Path,
        table: str,
        after: int,
        end: int,
        search: bool,
    ) -> None:
        self.reports = generation.with_name(generation.name + "-reports")
        self.words = generation.with_name(generation.name + "-words")
        self.split = after < end
        self.search = search
        self.process: subprocess.Popen[bytes] | None = None
        if self.split or search:
            for part in (self.reports, self.words):
                part.unlink(missing_ok=True)
            # A fresh interpreter: the caller may be a server with threads, whose
            # main module must not run again.
            arguments = [str(generation), str(log), table, str(after), str(end)]
            arguments += ["1" if search else "0", str(os.getpid())]
            self.process = subprocess.Popen(
                [sys.executable, "-m", __name__, *arguments],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_same_code(),
            )

    def __enter__(self) -> OtherCore:
        return self

    def copy_reports(self, conn: sqlite3.Connection) -> None:
        """Wait for the later reports, then append them (outside a transaction)."""
        if not self.split:
            return
        assert self.process is not None and self.process.stdout is not None
        if self.process.stdout.readline() != _READY:
            self._failed()
        conn.execute("ATTACH DATABASE ? AS reports", (str(self.reports),))
        conn.execute("BEGIN")
        conn.execute(
            f"INSERT INTO main.fact_versions ({COLUMNS}) SELECT {COLUMNS} "
            "FROM reports.fact_versions ORDER BY position"
        )
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE reports")

    def move_search(self, conn: sqlite3.Connection) -> None:
        """Wait for the search view, then move it into ``main`` (see
        :func:`projections.search_bulk.move_into`: close ``conn`` after)."""
        assert self.search and self.process is not None
        self.process.wait()
        if self.process.returncode != 0:
            self._failed()
        search_bulk.move_into(conn, self.words)

    def _failed(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        self.process.kill()
        self.process.wait()
        errors = self.process.stderr.read()
        last = errors.decode(errors="replace").strip().splitlines()[-1:]
        raise RuntimeError(
            f"the rebuild's other process failed: {''.join(last) or 'no reason'}"
        )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
        for part in (self.reports, self.words):
            part.unlink(missing_ok=True)


def _same_code() -> dict[str, str]:
    """The environment for the other process, which must import the code this
    one runs (whatever the working directory, or another copy installed)."""
    root = str(Path(__file__).resolve().parent.parent)
    path = [root, *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path)}


def _main(
    generation: Path, log: str, table: str, after: int, end: int, search: bool
) -> None:
    reports = generation.with_name(generation.name + "-reports")
    if after < end:
        extract_reports(str(reports), log, table, after, end)
    sys.stdout.buffer.write(_READY)
    sys.stdout.flush()
    if search:
        words = generation.with_name(generation.name + "-words")
        search_bulk.build_file(words, Path(log), table, end, BULK_PRAGMAS)


def _end_with(parent: int) -> None:
    """Be killed with the rebuild that started this process (Linux), so that a
    rebuild killed part way leaves nothing running."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # elsewhere the process ends on its own, its file unused
    if os.getppid() != parent:  # the rebuild ended before that took hold
        sys.exit(1)


_PR_SET_PDEATHSIG = 1

if __name__ == "__main__":
    generation, log, table, after, end, search, parent = sys.argv[1:]
    _end_with(int(parent))
    _main(Path(generation), log, table, int(after), int(end), search == "1")
