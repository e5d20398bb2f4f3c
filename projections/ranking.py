"""Where an authority's figure for a measure stands among every English
authority's figure for the same date: its rank, highest first.

Each authority counts once, with the figure the state rule makes current for that
date (:func:`projections.state.pick_current`); England and the regions are not
authorities and are not ranked. Equal figures share a rank (1, 2, 2, 4). A
neighbours comparison (:func:`compare`) carries the ranks of everyone in it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from projections import registry
from projections.db import Cursor
from projections.facts import FactRow, hydrate, visible_facts
from projections.logged_events import EventLog
from projections.state import neighbours_comparison, pick_current

ORDER = "highest first"
RATE = "rate_per_10000"  # ranked too where the authority's figure has one


def figure(value: object) -> float | None:
    """A fact's value as a number a chart or a rank can use, or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(Decimal(str(value)))
        except (InvalidOperation, ValueError, OverflowError):
            return None
    return number if math.isfinite(number) else None


def ranks(
    cur: Cursor,
    log: EventLog,
    measure: str,
    effective: str,
    *,
    known_at: int | None = None,
    published_by: date | None = None,
    fields: tuple[str, ...] = ("value",),
) -> dict[str, tuple[dict[str, int], int]]:
    """For each of ``fields`` (the value, or a rate beside it): each
    authority's rank for ``measure`` on the date ``effective`` (as the view
    writes it), and how many authorities have a figure then."""
    authorities = {a["code"] for a in registry.list_authorities(cur)}
    grouped: dict[str, list[FactRow]] = defaultdict(list)
    for row in visible_facts(
        cur,
        subject=measure,
        kind="count_reported",
        known_at=known_at,
        published_by=published_by,
    ):
        if row.effective == effective and row.authority in authorities:
            grouped[row.authority].append(row)
    chosen = [r for r in (pick_current(g) for g in grouped.values()) if r is not None]
    docs = hydrate(cur, log, chosen)
    result = {}
    for name in fields:
        values: dict[str, float] = {}
        for row, doc in zip(chosen, docs, strict=True):
            number = figure(doc["fields"].get(name))
            if number is not None:
                values[row.authority] = number
        result[name] = _places(values)
    return result


def _places(values: dict[str, float]) -> tuple[dict[str, int], int]:
    ordered = sorted(values.values(), reverse=True)
    first: dict[float, int] = {}
    for place, number in enumerate(ordered, start=1):
        first.setdefault(number, place)
    return {code: first[number] for code, number in values.items()}, len(ordered)


def measures_with_counts(cur: Cursor, code: str) -> list[dict[str, str]]:
    """The LAIT measures the authority has a count for, by name, each with its
    unit and the year of its latest figure."""
    cur.execute(
        "SELECT v.subject, MAX(v.effective_start) FROM fact_versions v "
        "WHERE v.authority = ? AND v.kind = 'count_reported' "
        "AND v.subject LIKE ? AND v.superseded_at IS NULL "
        "AND v.retraction = 0 GROUP BY v.subject",
        (code, "lait:%"),
    )
    latest = {str(subject): str(start) for subject, start in cur.fetchall()}
    if not latest:
        return []
    marks = ",".join("?" * len(latest))
    cur.execute(
        f"SELECT code, name, unit_label FROM measures WHERE code IN ({marks})",
        list(latest),
    )
    names = {str(c): (str(n), str(u or "")) for c, n, u in cur.fetchall()}
    found = [
        {
            "measure": subject,
            "name": names.get(subject, (subject, ""))[0],
            "unit": names.get(subject, (subject, ""))[1],
            "latest": start[:4],
        }
        for subject, start in latest.items()
    ]
    found.sort(key=lambda m: (m["name"].lower(), m["measure"]))
    return found


def compare(
    cur: Cursor,
    log: EventLog,
    code: str,
    measure: str,
    *,
    as_of: date | None = None,
    known_at: int | None = None,
    published_by: date | None = None,
) -> dict[str, Any] | None:
    """The neighbours comparison (:func:`projections.state.neighbours_comparison`)
    with ranks: ``rank`` for the authority (its place, out of how many), and a
    ``rank`` on each neighbour and on England (None for England, which is not
    ranked, and for anyone with no figure that day). Where the authority's
    figure has a rate per 10,000 children beside it, ``rate_rank`` ranks the
    rates the same way."""
    compared = neighbours_comparison(
        cur,
        log,
        code,
        measure,
        as_of=as_of,
        known_at=known_at,
        published_by=published_by,
    )
    if compared is None:
        return None
    rated = compared["value"]["fields"].get("rate_per_10000") is not None
    found = ranks(
        cur,
        log,
        measure,
        compared["date"],
        known_at=known_at,
        published_by=published_by,
        fields=("value", RATE) if rated else ("value",),
    )
    for key, name in (("rank", "value"), ("rate_rank", RATE)):
        if name not in found:
            continue
        places, out_of = found[name]
        for entry in [*compared["neighbours"], compared["england"]]:
            entry[key] = places.get(entry["code"]) if entry["fact"] else None
        compared[key] = {"rank": places.get(code), "of": out_of, "order": ORDER}
    return compared
