"""Reading an official CSV file: header checked, rows with their line numbers."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator, Sequence
from pathlib import Path


class ImportFormatError(ValueError):
    """The file is not the format the importer expects."""


def open_text(path: Path) -> io.TextIOBase:
    if not path.is_file():
        raise ImportFormatError(f"{path}: no such file")
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) per data row; ImportFormatError if columns are missing."""
    with open_text(path) as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [name for name in required if name not in header]
        if missing:
            raise ImportFormatError(
                f"{path.name} is not the expected format: missing column(s) "
                f"{', '.join(missing)} (found: {', '.join(header[:8]) or 'nothing'})"
            )
        try:
            for row in reader:
                yield reader.line_num, row
        except csv.Error as error:
            raise ImportFormatError(
                f"{path.name} line {reader.line_num}: {error}"
            ) from error


def count_lines(path: Path) -> int:
    with open_text(path) as handle:
        return sum(1 for _ in handle) - 1
