"""DfE's Local Authority Interactive Tool (LAIT): 434 measures, long format.

Each row (measure, area, years, value) becomes a CountReported fact for measure
``lait:<code>``, effective in the last year of its period (``2022-23`` -> 2023).
The data dictionary registers each measure with its description, owner and unit
label. ``-`` means no value and is skipped and counted, as are areas the register
does not hold (inner and outer London) and rows with no year.
"""

from __future__ import annotations

import csv
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from itertools import repeat
from pathlib import Path
from typing import Any, TextIO

from domain.drafts import FactDraft, draft_count
from domain.errors import DomainError, UnknownAuthorityError
from domain.numbers import plain_number
from domain.registry import MeasureDetails
from seeds.importers.codes import lait_areas
from seeds.importers.csvfile import ImportFormatError, count_lines, open_text, rows
from seeds.importers.pool import worker_pool
from seeds.ports import Ledger
from seeds.report import ImportReport, Progress

SOURCE = "dfe-lait"
COLUMNS = ["Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number"]
DICTIONARY_COLUMNS = [
    "Measure_short",
    "Measure",
    "Description",
    "y_axis_name",
    "Data Owner (DO) /Supplier and Contact Details",
    "Polarity",
    "Topic",
]
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")
_YEARS = re.compile(r"^(\d{4})(?:[-/](\d{2}|\d{4}))?")


def measure_code(short: str) -> str:
    """LAIT's code as a URL-safe measure name: 'LAC%_Adopt' -> 'lait:LACpct_Adopt'."""
    text = short.strip()
    for old, new in (("%", "pct"), ("&", "and"), ("<", "lt"), (">", "gt")):
        text = text.replace(old, new)
    text = _UNSAFE.sub("_", text)
    return "lait:" + text


def effective_year(years: str) -> str | None:
    """The last year of a LAIT period: '2014-16' -> '2016', '2019/20' -> '2020'."""
    match = _YEARS.match(years.strip())
    if match is None:
        return None
    start, end = match.groups()
    if end is None:
        return start
    return start[:2] + end if len(end) == 2 else end


def register_measures(ledger: Ledger, dictionary: Path, report: ImportReport) -> None:
    """Register each dictionary measure, with what its values mean (unit_label).

    The dictionary lists some measures more than once (one row per chart); the
    first row of each is the one registered.
    """
    measures: dict[str, MeasureDetails] = {}
    for line, row in rows(dictionary, DICTIONARY_COLUMNS):
        short = row["Measure_short"].strip()
        if not short:
            report.skipped["dictionary row without a measure code"] += 1
            continue
        if short in measures:
            report.skipped["dictionary row repeating a measure"] += 1
            continue
        label = row["y_axis_name"].strip()
        try:
            measures[short] = MeasureDetails.parse(
                {
                    "code": measure_code(short),
                    "name": row["Measure"].strip() or short,
                    "description": row["Description"].strip() or None,
                    "owner": row[
                        "Data Owner (DO) /Supplier and Contact Details"
                    ].strip()
                    or None,
                    "unit_label": label or None,
                    "polarity": row["Polarity"].strip() or None,
                    "topic": row["Topic"].strip() or None,
                }
            )
        except DomainError as error:
            report.problems.append(f"{dictionary.name} line {line}: {error.message}")
            report.skipped["malformed dictionary row"] += 1
    result = ledger.register_measures(list(measures.values()))
    report.problems += [f"measure {code}: {why}" for code, why in result.conflicts]


def import_lait(
    ledger: Ledger,
    path: Path,
    dictionary: Path | None = None,
    stream: TextIO | None = None,
    chunk_size: int = 10000,
    processes: int | None = None,
) -> ImportReport:
    """Import the long file; rows are validated and encoded in worker processes.

    Reading and storing stay in this process, in file order, so the log order is
    the file's and a re-run (or a run after an interruption) records only what
    is missing.
    """
    report = ImportReport("LAIT measures")
    started = time.monotonic()
    dictionary = dictionary or path.parent / "lait_data_dictionary.csv.gz"
    if dictionary.is_file():
        register_measures(ledger, dictionary, report)
    areas = lait_areas()
    progress = Progress("LAIT measures", count_lines(path), stream)
    prepare = ledger.preparer()
    workers = processes if processes is not None else min(2, os.cpu_count() or 1)
    chunks = _chunks(path, chunk_size)
    done = 0
    if workers <= 1:
        results: Iterator[_Prepared] = (
            _prepare(chunk, areas, prepare, path.name) for chunk in chunks
        )
        done = _store(ledger, results, report, progress)
    else:
        with worker_pool(workers) as pool:
            results = pool.map(
                _prepare,
                chunks,
                repeat(areas),
                repeat(prepare),
                repeat(path.name),
            )
            done = _store(ledger, results, report, progress)
    progress.update(done)
    progress.finish()
    report.seconds = time.monotonic() - started
    return report


_Prepared = tuple[list[Any], Counter[str], list[str], int]
_Chunk = tuple[list[str], int, list[str]]  # header, first line number, raw lines


def _chunks(path: Path, size: int) -> Iterator[_Chunk]:
    """Raw text in chunks of records: workers parse the CSV, not this process."""
    with open_text(path) as handle:
        header_line = handle.readline()
        header = next(csv.reader([header_line]))
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            raise ImportFormatError(
                f"{path.name} is not the LAIT long format: missing column(s) "
                f"{', '.join(missing)}"
            )
        lines: list[str] = []
        line_number = first = 2
        pending = ""
        for text in handle:
            record = pending + text
            if record.count('"') % 2:  # a quoted field runs on to the next line
                pending = record
                continue
            pending = ""
            lines.append(record)
            if len(lines) >= size:
                yield header, first, lines
                first = line_number + 1
                lines = []
            line_number += 1
        if lines:
            yield header, first, lines


def _prepare(
    chunk: _Chunk,
    areas: dict[str, str],
    prepare: Callable[[list[FactDraft]], list[Any]],
    file_name: str,
) -> _Prepared:
    """Parse, validate and encode one chunk (runs in a worker process)."""
    header, first, lines = chunk
    skipped: Counter[str] = Counter()
    problems: list[str] = []
    drafts = []
    for offset, values in enumerate(csv.reader(lines)):
        row = dict(zip(header, values, strict=False))
        draft = _draft(row, first + offset, areas, skipped, problems, file_name)
        if draft is not None:
            drafts.append(draft)
    return prepare(drafts), skipped, problems, len(lines)


def _store(
    ledger: Ledger,
    results: Iterable[_Prepared],
    report: ImportReport,
    progress: Progress,
) -> int:
    done = 0
    for prepared, skipped, problems, count in results:
        report.skipped.update(skipped)
        report.problems += problems
        known = []
        for fact in prepared:
            try:
                ledger.require_authority(fact.authority)
            except UnknownAuthorityError:
                report.skipped["area not in the register"] += 1
                continue
            known.append(fact)
        report.count(ledger.record_prepared(known))
        done += count
        progress.update(done)
    return done


def _draft(
    row: dict[str, str],
    line: int,
    areas: dict[str, str],
    skipped: Counter[str],
    problems: list[str],
    file_name: str,
) -> FactDraft | None:
    value = row["Values"].strip()
    if value in ("-", ""):
        skipped["no value ('-')"] += 1
        return None
    year = effective_year(row["Years"])
    if year is None:
        skipped[f"no year (Years {row['Years']!r})"] += 1
        return None
    code = areas.get(row["LA Number"].strip())
    if code is None:
        skipped["area not in the register"] += 1
        return None
    try:
        Decimal(value)
    except InvalidOperation:
        problems.append(f"{file_name} line {line}: value {value!r} is not a number")
        skipped["malformed row (see problems)"] += 1
        return None
    try:
        return draft_count(
            code,
            SOURCE,
            year,
            measure_code(row["Short Desc"]),
            plain_number(value),  # LAIT writes some values with exponents
            unit="value",
        )
    except DomainError as error:
        problems.append(f"{file_name} line {line}: {error.message}")
        skipped["malformed row (see problems)"] += 1
    return None
