"""What a load or import did, and a progress line while it runs."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from seeds.ports import BulkReceipt


@dataclass
class ImportReport:
    """Counts of what was recorded, what was already there, and what was skipped."""

    name: str
    recorded: int = 0
    present: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    last_position: int | None = None
    seconds: float = 0.0

    def add(self, other: ImportReport) -> None:
        self.recorded += other.recorded
        self.present += other.present
        self.skipped.update(other.skipped)
        self.problems += other.problems
        self.last_position = other.last_position or self.last_position
        self.seconds += other.seconds

    def count(self, result: BulkReceipt) -> None:
        """Add what a bulk recording did."""
        self.recorded += result.recorded
        self.present += result.present
        self.last_position = result.last_position or self.last_position
        self.problems += [f"fact {fact_id}: {why}" for fact_id, why in result.conflicts]

    def lines(self) -> list[str]:
        rate = (
            f", {self.recorded / self.seconds:,.0f} events/s"
            if self.seconds and self.recorded
            else ""
        )
        out = [
            f"{self.name}: recorded {self.recorded:,}, already present {self.present:,}"
            f" ({self.seconds:.1f} s{rate})"
        ]
        for reason, count in sorted(self.skipped.items()):
            out.append(f"  skipped {count:,}: {reason}")
        for problem in self.problems[:20]:
            out.append(f"  problem: {problem}")
        if len(self.problems) > 20:
            out.append(f"  ... and {len(self.problems) - 20:,} more problems")
        return out


class Progress:
    """A one-line progress bar on a terminal, a few plain lines otherwise."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        # Off a terminal, only long runs are worth a few lines of progress.
        self.quiet = not self.tty and total < 5000
        self._last = 0.0
        self._last_quarter = -1
        self.started = time.monotonic()

    def advance(self, n: int = 1) -> None:
        self.update(self.done + n)

    def update(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if self.tty:
            if now - self._last >= 0.1 or done >= self.total:
                self._last = now
                filled = int(30 * min(done, self.total) / self.total)
                bar = "#" * filled + "-" * (30 - filled)
                self.stream.write(f"\r{self.label} [{bar}] {done:,}/{self.total:,}")
                self.stream.flush()
        elif not self.quiet:
            quarter = 4 * min(done, self.total) // self.total
            if quarter > self._last_quarter:
                self._last_quarter = quarter
                self.stream.write(f"{self.label}: {done:,}/{self.total:,}\n")
                self.stream.flush()

    def finish(self) -> float:
        self.update(self.total if self.done < self.total else self.done)
        if self.tty:
            self.stream.write("\n")
        return time.monotonic() - self.started
