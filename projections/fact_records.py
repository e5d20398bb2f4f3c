"""Facts as flat records, one per version, for tables (CSV): the columns in a
fixed order, then the kind's own fields.

``value`` and ``unit`` are the fact's main value whatever its kind (a count and its
unit, an amount and its currency, a judgement, a person), so one column can be
compared across kinds. ``qualifier`` is how the source bounded a figure
(``more_than``, ``around``, ...), empty when it gave the figure plainly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import orjson

from domain.kinds import KINDS
from projections.evidence import evidence_class
from projections.facts import FactRow, dashed
from projections.plain import json_default

FACT_COLUMNS = (
    "fact_id",
    "version",
    "status",
    "kind",
    "authority",
    "authority_name",
    "subject",
    "value",
    "unit",
    "qualifier",
    "effective",
    "effective_precision",
    "approximate",
    "evidence_class",
    "source_id",
    "source_title",
    "source_publisher",
    "source_url",
    "source_published",
    "recorded_position",
    "recorded_at",
)


def own_fields(kind: str | None) -> tuple[str, ...]:
    """The kind's own field names (every kind's, in catalogue order, when None),
    less those the fixed columns already hold."""
    specs = [KINDS[kind]] if kind is not None else list(KINDS.values())
    names: list[str] = []
    for spec in specs:
        for field in spec.stored_fields:
            if field.name not in names and field.name not in FACT_COLUMNS:
                names.append(field.name)
    return tuple(names)


@dataclass(frozen=True)
class OwnColumns:
    """A listing's own-field columns (one kind's, or every kind's) and, for each
    kind, which of them its fields fill: a record sets only those."""

    names: tuple[str, ...]
    slots: Mapping[str, tuple[tuple[int, str], ...]]


@cache
def own_columns(kind: str | None) -> OwnColumns:
    names = own_fields(kind)
    index = {name: i for i, name in enumerate(names)}
    slots = {
        code: tuple(
            (index[f.name], f.name) for f in spec.stored_fields if f.name in index
        )
        for code, spec in KINDS.items()
    }
    return OwnColumns(names, slots)


# A text cell starting with one of these is a formula to a spreadsheet (OWASP's
# "CSV injection"): it is written after a single quote, which the spreadsheet
# shows as text. Numbers are never text cells, so a negative figure stays one.
FORMULA_STARTS = frozenset("=+-@\t\r")


def cell(value: object) -> object:
    """A value as a CSV cell: text a spreadsheet would take for a formula after
    a single quote, true/false, JSON for structures, anything else as it is
    (None as an empty field, a Decimal with its digits)."""
    kind = type(value)
    if kind is str:
        text = cast(str, value)
        return "'" + text if text[:1] in FORMULA_STARTS else text
    if value is True or value is False:
        return "true" if value else "false"
    if kind is dict or kind is list:
        return orjson.dumps(value, default=json_default).decode()
    return value


def version_record(
    row: FactRow,
    fields: Mapping[str, Any],
    recorded_at: str,
    authority_name: str,
    own: OwnColumns,
) -> list[object]:
    """One version of a fact as a record of :data:`FACT_COLUMNS` and then
    ``own``, its cells ready for the writer (see :func:`cell`): from its row of
    the views and what it says (:func:`projections.facts.versions_said`)."""
    return VersionRecords(own).record(row, fields, recorded_at, authority_name)


class VersionRecords:
    """:func:`version_record` for many rows: what rows share (a source's cells,
    a kind's columns, an authority's name) is worked out once."""

    def __init__(self, own: OwnColumns) -> None:
        self.own = own
        self._sources: dict[str, tuple[object, ...]] = {}
        self._kinds: dict[tuple[str, str], tuple[Any, ...]] = {}
        self._names: dict[str, object] = {}

    def record(
        self,
        row: FactRow,
        fields: Mapping[str, Any],
        recorded_at: str,
        authority_name: str,
    ) -> list[object]:
        kind = self._kinds.get((row.kind, row.source_kind)) or self._kind(row)
        value_field, unit_field, evidence, slots = kind
        value = fields.get(value_field)
        if type(value) is list:
            value = " ".join(str(v) for v in value)
        source = self._sources.get(row.source_id) or self._source(row)
        name = self._names.get(authority_name)
        if name is None:
            name = self._names[authority_name] = cell(authority_name)
        edtf = row.effective
        date = edtf.rstrip("~")
        tail: list[object] = [None] * len(self.own.names)
        for i, field in slots:
            tail[i] = cell(fields.get(field))
        return [
            dashed(row.fact_id),
            row.version,
            row.status,
            row.kind,
            row.authority,
            name,
            cell(row.subject),
            cell(value),
            cell(fields.get(unit_field)) if unit_field else None,
            cell(fields.get("qualifier")),
            date,
            PRECISION.get(len(date), "day"),
            "true" if edtf.endswith("~") else "false",
            evidence,
            *source,
            row.position,
            recorded_at,
            *tail,
        ]

    def _kind(self, row: FactRow) -> tuple[Any, ...]:
        spec = KINDS[row.kind]
        found = (
            spec.value_field,
            spec.unit_field,
            evidence_class(row.source_kind, row.kind),
            self.own.slots[row.kind],
        )
        self._kinds[(row.kind, row.source_kind)] = found
        return found

    def _source(self, row: FactRow) -> tuple[object, ...]:
        published = row.source_published
        found = (
            cell(row.source_id),
            cell(row.source_title),
            cell(row.source_publisher),
            cell(row.source_url),
            published.rstrip("~") if published else None,
        )
        self._sources[row.source_id] = found
        return found


PRECISION = {4: "year", 7: "month"}  # of an EDTF date by its length; else a day


def fact_record(
    doc: Mapping[str, Any], authority_name: str, own: OwnColumns
) -> list[object]:
    """One fact document (see :func:`projections.facts.hydrate`) as a record, for
    listings that hold documents rather than rows: the record of the row the
    document was made from (:func:`version_record`)."""
    effective, source = doc["effective"], doc["source"]
    published = source["published"]
    row = FactRow(
        position=doc["recorded"]["position"],
        fact_id=doc["fact_id"].replace("-", ""),
        version=doc["version"],
        kind=doc["kind"],
        authority=doc["authority"],
        subject=doc["subject"],
        effective=effective["date"] + ("~" if effective["approximate"] else ""),
        effective_start="",  # a record has no use for the sort key
        superseded_at=doc.get("superseded_at"),
        status=doc["status"],
        retraction=0,
        source_id=source["id"],
        source_kind=source["kind"],
        source_title=source["title"],
        source_publisher=source["publisher"],
        source_url=source["url"],
        source_published=published["date"] if published else None,
        source_rank=0,
    )
    return version_record(
        row, doc["fields"], doc["recorded"]["at"], authority_name, own
    )
