"""DfE children looked after: at 31 March, starting and ceasing, with rates.

Authorities are matched by DfE number (GSS codes change when areas are renamed),
regions and England by their codes. Suppressed values (``c`` confidential, ``z``
not applicable) are counted and skipped, never recorded as numbers.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from domain.drafts import FactDraft, draft_fact
from domain.errors import DomainError
from seeds.importers.codes import dfe_numbers
from seeds.importers.csvfile import rows
from seeds.ports import Ledger
from seeds.report import ImportReport, Progress

SOURCE = "dfe-cla-2025"
MEASURES = {
    "Children looked after on 31 March each year": (
        "children_in_care",
        "children looked after at 31 March",
    ),
    "Children starting to be looked after each year": (
        "children_starting_care",
        "children started to be looked after in the year to 31 March",
    ),
    "Children ceasing to be looked after each year": (
        "children_ceasing_care",
        "children ceased to be looked after in the year to 31 March",
    ),
}
SUPPRESSED = {
    "c": "suppressed value c (confidential)",
    "z": "suppressed value z (not applicable)",
    "x": "suppressed value x (not available)",
    "": "empty value",
}
COLUMNS = [
    "time_period",
    "geographic_level",
    "country_code",
    "region_code",
    "old_la_code",
    "new_la_code",
    "population_type",
    "children_count",
    "rate_per_10000",
]


def import_cla(
    ledger: Ledger,
    path: Path,
    stream: TextIO | None = None,
    dfe_to_code: Mapping[str, str] | None = None,
) -> ImportReport:
    numbers = dfe_to_code if dfe_to_code is not None else dfe_numbers()
    report = ImportReport("children looked after")
    started = time.monotonic()
    table = list(rows(path, COLUMNS))
    progress = Progress("children looked after", len(table), stream)
    drafts: list[FactDraft] = []
    for line, row in table:
        progress.advance()
        measure = MEASURES.get(row["population_type"])
        if measure is None:
            report.skipped[
                f"population type {row['population_type']!r} not imported"
            ] += 1
            continue
        level = row["geographic_level"]
        if level == "National":
            code: str | None = row["country_code"]
        elif level == "Regional":
            code = row["region_code"]
        else:
            code = numbers.get(row["old_la_code"].strip()) or row["new_la_code"].strip()
        value = row["children_count"].strip()
        if value.lower() in SUPPRESSED:
            report.skipped[SUPPRESSED[value.lower()]] += 1
            continue
        rate = row["rate_per_10000"].strip()
        year = row["time_period"].strip()
        body: dict[str, object] = {
            "kind": "count_reported",
            "authority": code,
            "source": SOURCE,
            "effective": f"{year}-03-31",
            "measure": measure[0],
            "value": value,
            "unit": "children",
            "summary": f"{value} {measure[1]} {year}"
            + (
                f" ({rate} per 10,000 children)."
                if rate.lower() not in SUPPRESSED
                else "."
            ),
        }
        if rate and rate.lower() not in SUPPRESSED:
            body["rate_per_10000"] = rate
        try:
            draft = draft_fact(body)
            ledger.require_authority(draft.authority)
        except DomainError as error:
            if error.field == "authority" and level != "Local authority":
                report.skipped[f"{level.lower()} area not in the register"] += 1
                continue
            report.problems.append(f"{path.name} line {line}: {error.message}")
            report.skipped["malformed row (see problems)"] += 1
            continue
        drafts.append(draft)
    progress.finish()
    report.count(ledger.record_facts(drafts))
    report.seconds = time.monotonic() - started
    return report
