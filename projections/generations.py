"""Generations of the SQLite view file: a rebuild writes a new file, then a pointer
names it, so readers never see a half-built view.

The views live in ``views.sqlite3`` until the first rebuild; each rebuild writes
``views-<n>.sqlite3`` and then replaces ``views.current`` (a one-line file naming
the generation) in one rename. A file is never renamed over one that a process
may have open in WAL mode: that would corrupt it. Each process holds a shared
``flock`` on the generation it reads, so an old generation is removed only once no
process holds it; a generation left half-built by a crash has no holder and no
pointer, and the next rebuild removes it.
"""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path


def pointer(base: Path) -> Path:
    """The file naming the current generation (``views.current``)."""
    return base.with_suffix(".current")


def current(base: Path) -> Path:
    """The generation in use: the one the pointer names, else the base file."""
    try:
        name = pointer(base).read_text().strip()
    except FileNotFoundError:
        return base
    return base.with_name(name) if name else base


def _numbered(base: Path) -> dict[int, Path]:
    shape = re.compile(re.escape(base.stem) + r"-(\d+)" + re.escape(base.suffix) + "$")
    found: dict[int, Path] = {}
    for path in base.parent.glob(f"{base.stem}-*{base.suffix}"):
        match = shape.match(path.name)
        if match:
            found[int(match.group(1))] = path
    return found


def fresh(base: Path) -> tuple[Path, int]:
    """A new, empty generation file, already held (see :func:`hold`)."""
    number = max(_numbered(base), default=0) + 1
    while True:
        path = base.with_name(f"{base.stem}-{number}{base.suffix}")
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
        except FileExistsError:  # another rebuild took this number
            number += 1
            continue
        fcntl.flock(descriptor, fcntl.LOCK_SH)
        return path, descriptor


def hold(path: Path) -> int:
    """Mark a generation as in use by this process (until :func:`release`)."""
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_SH)
    return descriptor


def release(descriptor: int) -> None:
    os.close(descriptor)  # closing the descriptor drops its lock


def switch(base: Path, path: Path) -> None:
    """Make ``path`` the current generation, atomically (write, sync, rename)."""
    target = pointer(base)
    staged = target.with_name(target.name + ".new")
    with open(staged, "w") as out:
        out.write(path.name + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(staged, target)
    directory = os.open(base.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def remove_unused(base: Path) -> list[Path]:
    """Delete every generation but the current one that no process holds."""
    keep = current(base)
    removed: list[Path] = []
    for path in [base, *_numbered(base).values()]:
        if path == keep or not path.exists():
            continue
        descriptor = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue  # a process still reads it; a later rebuild removes it
        try:
            for leftover in (
                path.with_name(path.name + s)
                for s in ("-wal", "-shm", "-reports", "-words")
            ):
                leftover.unlink(missing_ok=True)
            path.unlink()
            removed.append(path)
        finally:
            os.close(descriptor)
    return removed
