"""Facts as flat records, one per version, for tables (CSV): the columns in a
fixed order, then the kind's own fields.

``value`` and ``unit`` are the fact's main value whatever its kind (a count and its
unit, an amount and its currency, a judgement, a person), so one column can be
compared across kinds. ``qualifier`` is how the source bounded a figure
(``more_than``, ``around``, ...), empty when it gave the figure plainly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.kinds import KINDS

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


def fact_record(
    doc: Mapping[str, Any], authority_name: str, own: Sequence[str]
) -> list[object]:
    """One fact document (see :func:`projections.facts.hydrate`) as a record of
    :data:`FACT_COLUMNS` and then ``own``."""
    fields: Mapping[str, Any] = doc["fields"]
    spec = KINDS[doc["kind"]]
    value = fields.get(spec.value_field)
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    source, effective = doc["source"], doc["effective"]
    published = source["published"]
    return [
        doc["fact_id"],
        doc["version"],
        doc["status"],
        doc["kind"],
        doc["authority"],
        authority_name,
        doc["subject"],
        value,
        fields.get(spec.unit_field) if spec.unit_field else None,
        fields.get("qualifier"),
        effective["date"],
        effective["precision"],
        effective["approximate"],
        doc["evidence_class"],
        source["id"],
        source["title"],
        source["publisher"],
        source["url"],
        published["date"] if published else None,
        doc["recorded"]["position"],
        doc["recorded"]["at"],
        *(fields.get(name) for name in own),
    ]
