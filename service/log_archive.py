"""The whole log as a file of JSON lines, and back: backups, and moving a
deployment from the embedded SQLite store to PostgreSQL (or back).

Each line is one event in log order: its position, its aggregate's id and
version, its topic and its stored state, as JSON. An import goes into an empty
store only, checks every line before it stores any, and records the events in
their order; the new store numbers them itself, so positions may differ where the
old store's skipped numbers (PostgreSQL). The views are then rebuilt from it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent

from service.application import Ledger
from service.composition import Carefacts
from service.settings import Settings

BATCH = 2000
_FIELDS = {
    "position": int,
    "originator_id": str,
    "originator_version": int,
    "topic": str,
    "state": dict,
}


class LogFileError(ValueError):
    """The file to import is not a log this command wrote, or the store is not empty."""


def export_log(ledger: Ledger, out: IO[bytes]) -> int:
    """Write every event, in log order; return how many."""
    after, count = 0, 0
    while events := ledger.read(after, BATCH):
        for e in events:
            line = {
                "position": e.position,
                "originator_id": str(UUID(e.originator_id)),
                "originator_version": e.version,
                "topic": e.topic,
                "state": orjson.Fragment(bytes(e.data)),  # as stored, not re-encoded
            }
            out.write(orjson.dumps(line) + b"\n")
        count += len(events)
        after = events[-1].position
    return count


def _events(path: Path) -> Iterator[StoredEvent]:
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            yield _event(number, line)


def _event(number: int, line: bytes) -> StoredEvent:
    try:
        record: Any = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise LogFileError(f"line {number} is not JSON ({error})") from None
    if not isinstance(record, dict):
        raise LogFileError(f"line {number} is not a JSON object")
    for name, kind in _FIELDS.items():
        if not isinstance(record.get(name), kind) or isinstance(record[name], bool):
            raise LogFileError(
                f"line {number}: {name} is missing or not {kind.__name__}"
            )
    try:
        originator_id = UUID(record["originator_id"])
    except ValueError:
        raise LogFileError(f"line {number}: originator_id is not a UUID") from None
    return StoredEvent(
        originator_id=originator_id,
        originator_version=record["originator_version"],
        topic=record["topic"],
        state=orjson.dumps(record["state"]),
    )


def import_log(ledger: Ledger, path: Path) -> int:
    """Record every event of an exported log into this empty store; return how many.
    Every line is checked first, so a bad file stores nothing."""
    if ledger.last_position() != 0:
        raise LogFileError("the store already holds events: import into an empty one")
    total = sum(1 for _ in _events(path))
    batch: list[StoredEvent] = []
    for event in _events(path):
        batch.append(event)
        if len(batch) == BATCH:
            ledger.recorder.insert_events(batch)
            batch = []
    if batch:
        ledger.recorder.insert_events(batch)
    return total


def run_export(settings: Settings, args: argparse.Namespace) -> int:
    app = Carefacts.open(settings)
    try:
        with Path(args.file).open("wb") as out:
            count = export_log(app.ledger, out)
    finally:
        app.close()
    print(f"exported {count:,} events to {args.file}")
    return 0


def run_import(settings: Settings, args: argparse.Namespace) -> int:
    app = Carefacts.open(settings)
    try:
        count = import_log(app.ledger, Path(args.file))
        built = app.worker.rebuild()
    finally:
        app.close()
    print(f"imported {count:,} events from {args.file}; views rebuilt to {built:,}")
    return 0
