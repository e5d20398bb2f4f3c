"""The authority list's read model: every current authority with its Ofsted
judgement, children in care (and the rate per 10,000 children) and director of
children's services, each by the rule that picks a current fact."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from domain.values import EffectiveDate
from domain.wording import when
from projections import registry
from projections.db import Cursor
from projections.facts import FactRow, hydrate, visible_facts
from projections.logged_events import EventLog
from projections.state import OFFICE_KINDS, pick_current
from projections.tenures import tenures

JUDGEMENT_ORDER = {
    "outstanding": 0,
    "good": 1,
    "requires_improvement": 2,
    "inadequate": 3,
    "none": 4,
}


def judgement_rank(judgement: str | None, areas: dict[str, str]) -> float:
    """Where a judgement sorts: by its grade; a result with no overall grade by
    its lowest area judgement, just after the grade it equals (so never below
    inadequate); no judgement last."""
    if judgement is None:
        return 9
    if judgement != "none":
        return JUDGEMENT_ORDER.get(judgement, 9)
    if not areas:
        return 8  # no grade and no areas: after every graded result, explained
    return max(JUDGEMENT_ORDER.get(g, 3) for g in areas.values()) + 0.5


def overview(cur: Cursor, log: EventLog) -> list[dict[str, Any]]:
    """Every current authority with its judgement, children in care (with the
    rate per 10,000 children) and director of children's services."""
    authorities = [
        a for a in registry.list_authorities(cur) if a["status"] == "current"
    ]
    chosen: dict[tuple[str, str], FactRow] = {}
    for part, rows in (
        ("rating", visible_facts(cur, subject="ofsted_rating")),
        (
            "children",
            visible_facts(cur, subject="children_in_care", kind="count_reported"),
        ),
    ):
        grouped: dict[str, list[FactRow]] = defaultdict(list)
        for row in rows:
            grouped[row.authority].append(row)
        for code, group in grouped.items():
            best = pick_current(group)
            if best is not None:
                chosen[(code, part)] = best
    offices: dict[str, list[FactRow]] = defaultdict(list)
    for row in visible_facts(cur, subject="director_of_childrens_services"):
        if row.kind in OFFICE_KINDS:
            offices[row.authority].append(row)
    picked = list(chosen.values()) + [r for g in offices.values() for r in g]
    docs = dict(
        zip((r.position for r in picked), hydrate(cur, log, picked), strict=True)
    )
    today = date.today()
    result = []
    for authority in authorities:
        code = authority["code"]
        rating = chosen.get((code, "rating"))
        children = chosen.get((code, "children"))
        areas: dict[str, str] = (
            docs[rating.position]["fields"].get("sub_judgements") or {}
            if rating
            else {}
        )
        children_fields = docs[children.position]["fields"] if children else {}
        result.append(
            {
                "code": code,
                "name": authority["name"],
                "region": authority["region"],
                "judgement": docs[rating.position]["fields"]["judgement"]
                if rating
                else None,
                "areas": areas,
                "lowest_area": min(
                    areas.values(),
                    key=lambda g: -JUDGEMENT_ORDER.get(g, 3),
                    default=None,
                ),
                "rated": rating.effective if rating else None,
                "children": children_fields.get("value"),
                "children_rate": children_fields.get("rate_per_10000"),
                "children_when": children.effective if children else None,
                **_director(offices.get(code, []), docs, today),
            }
        )
    return result


def _director(
    rows: list[FactRow], docs: dict[int, dict[str, Any]], on: date
) -> dict[str, Any]:
    """The director as the authority's page shows them: the one in post by the
    tenure rule, else the latest known holder and how they stand."""
    holders, _ = tenures(rows, docs, [], on)
    if not holders:
        return {"director": None, "director_note": None}
    holder = holders[0]  # in post first, then the latest tenure
    note = None
    if holder["status"] in ("left", "succeeded") and holder["until"]:
        note = f"until {when(EffectiveDate.parse(holder['until']))}"
    elif not holder["in_post"]:
        last = holder["last_reported"] or holder["since"]
        note = "not reported in post since " + when(EffectiveDate.parse(last))
    return {"director": holder["person"], "director_note": note}
