"""Loads the seeds through the ledger: official sources and the authority register,
the curated Blackpool facts, and the official Ofsted and children-looked-after data.

Everything goes through the application's use cases, never into tables, so a seed
is validated like any other fact and loading twice records nothing new.
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from domain.drafts import draft_fact
from domain.errors import DomainError
from seeds.importers import cla, codes, ofsted
from seeds.paths import NEWS, OFFICIAL
from seeds.ports import Ledger
from seeds.report import ImportReport, Progress


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_sources(
    ledger: Ledger, path: Path, stream: TextIO | None = None
) -> ImportReport:
    report = ImportReport(f"sources ({path.name})")
    started = time.monotonic()
    sources = read_toml(path)["sources"]
    progress = Progress(f"sources {path.name}", len(sources), stream)
    for body in sources:
        recorded = ledger.register_source(body)
        _count(report, recorded.created, recorded.position)
        progress.advance()
    progress.finish()
    report.seconds = time.monotonic() - started
    return report


def load_facts(
    ledger: Ledger, path: Path, stream: TextIO | None = None
) -> ImportReport:
    """Record the facts of a TOML file; a bad fact stops the load and names itself."""
    report = ImportReport(f"facts ({path.name})")
    started = time.monotonic()
    document = read_toml(path)
    facts: list[Mapping[str, object]] = document["facts"]
    default_authority = document.get("authority")
    drafts = []
    for number, body in enumerate(facts, 1):
        body = {"authority": default_authority, **body}
        try:
            drafts.append(draft_fact(body))
        except DomainError as error:
            raise type(error)(
                f"{path.name}: fact {number} "
                f"({body.get('kind')}, {body.get('source')}): "
                f"{error.message}",
                error.field,
            ) from error
    progress = Progress(f"facts {path.name}", len(drafts), stream)
    for draft in drafts:
        recorded = ledger.record_fact(draft)
        _count(report, recorded.created, recorded.position)
        progress.advance()
    progress.finish()
    report.seconds = time.monotonic() - started
    return report


def _count(report: ImportReport, created: bool, position: int | None) -> None:
    if created:
        report.recorded += 1
        report.last_position = position
    else:
        report.present += 1


def load_default(ledger: Ledger, stream: TextIO | None = None) -> list[ImportReport]:
    """The default load: the register, the Blackpool facts, Ofsted outcomes and
    report history, and the children-looked-after figures. (LAIT is on demand.)"""
    reports = [
        load_sources(ledger, OFFICIAL / "sources.toml", stream),
        codes.import_register(ledger, OFFICIAL, stream),
        load_sources(ledger, NEWS / "sources.toml", stream),
        load_facts(ledger, NEWS / "facts.toml", stream),
    ]
    reports += ofsted.all_ofsted(ledger, OFFICIAL, codes.ofsted_urns(), stream)
    reports.append(
        cla.import_cla(
            ledger, OFFICIAL / "dfe_children_looked_after_2021_2025.csv", stream
        )
    )
    return reports
