"""A measure compared, as the CSV and the pages show it: the authority beside its
statistical neighbours and England for the same date, each with its rank in
England and its source. One reading (:func:`projections.ranking.compare`) serves
the neighbours JSON, its CSV, its page and the authority page's comparison
section, so they cannot disagree.
"""

from __future__ import annotations

from typing import Any

from projections import ranking, registry
from projections.db import Cursor
from projections.fact_records import FACT_COLUMNS, fact_record, own_columns
from projections.fact_wording import date_text, number_text
from service import charts

FIRST_MEASURE = "children_in_care"  # the one the authority page compares
RATE = ranking.RATE
COUNTED = frozenset({"children", "count", "posts"})
COLUMNS = (
    "role",
    "code",
    "name",
    "rank",
    "ranked",
    "rate_rank",
    "rate_ranked",
    *FACT_COLUMNS,
)


def rows(authority: dict[str, Any], compared: dict[str, Any]) -> list[dict[str, Any]]:
    """The comparison as the page and the CSV list it: the authority, its
    neighbours in the order listed, then England."""
    own = {
        "role": "authority",
        "code": authority["code"],
        "name": authority["name"],
        "fact": compared["value"],
        "rank": compared["rank"]["rank"],
        "rate_rank": (compared.get("rate_rank") or {}).get("rank"),
    }
    listed = [{"role": "neighbour", **n} for n in compared["neighbours"]]
    england = {"role": "england", **compared["england"]}
    return [own, *listed, england]


def csv_columns() -> tuple[str, ...]:
    return (*COLUMNS, *own_columns("count_reported").names)


def csv_records(
    authority: dict[str, Any], compared: dict[str, Any]
) -> tuple[tuple[str, ...], list[list[object]]]:
    """The comparison's CSV: one record per row, the fact's columns after the
    row's role, code, name, rank and the number ranked (empty where it has no
    figure that day)."""
    own = own_columns("count_reported")
    out_of = compared["rank"]["of"]
    records = []
    for row in rows(authority, compared):
        fact = row["fact"]
        facts = (
            fact_record(fact, row["name"] or "", own)
            if fact
            else [None] * (len(FACT_COLUMNS) + len(own.names))
        )
        ranked = out_of if row["rank"] is not None else None
        rate_rank = row.get("rate_rank")
        rate_of = compared["rate_rank"]["of"] if rate_rank is not None else None
        lead = [row["role"], row["code"], row["name"], row["rank"], ranked]
        records.append([*lead, rate_rank, rate_of, *facts])
    return (*COLUMNS, *own.names), records


def section(
    cur: Cursor,
    authority: dict[str, Any],
    compared: dict[str, Any],
    measure: str,
    chart_id: str,
) -> dict[str, Any]:
    """What the page shows of a comparison: its rows with values in words, the
    authority's rank and a bar chart whose every bar links to its fact."""
    found = registry.get_measure(cur, measure)
    name = found["name"] if found else measure.replace("_", " ")
    name = name[:1].upper() + name[1:]
    unit = (found or {}).get("unit_label") or ""
    shown = []
    for row in rows(authority, compared):
        fact = row["fact"]
        value = ranking.figure(fact["fields"].get("value")) if fact else None
        shown.append(
            {
                **row,
                "value": value,
                "text": number_text(fact["fields"]["value"]) if fact else None,
                "rate": number_text(fact["fields"][RATE])
                if fact and fact["fields"].get(RATE) is not None
                else None,
                "date": date_text(fact["effective"]) if fact else None,
            }
        )
    # A count is charted by its rate per 10,000 children where the authority's
    # figure has one, so that places of any size compare; England's count, a
    # sum, is left off a chart of counts.
    rated = compared.get("rate_rank") is not None
    counted = compared["value"]["fields"].get("unit") in COUNTED
    bars = []
    for row in shown:
        fact = row["fact"]
        if fact is None or (row["role"] == "england" and counted and not rated):
            continue
        value = ranking.figure(fact["fields"].get(RATE)) if rated else row["value"]
        if value is None:
            continue
        said = f"{row['rate']} per 10,000 children" if rated else row["text"]
        bars.append(
            charts.Bar(
                row["name"] or row["code"],
                value,
                row["role"],
                f"{row['name'] or row['code']}: {said}, {row['date']} "
                f"({fact['source']['publisher']})",
                f"/facts/{fact['fact_id']}",
            )
        )
    per = ", per 10,000 children" if rated else ""
    title = f"{name}{per}: {authority['name']}, its statistical neighbours and England"
    return {
        "measure": measure,
        "name": name,
        "unit": unit,
        "date": date_text(compared["value"]["effective"]),
        "rows": shown,
        "rank": compared["rank"],
        "rate_rank": compared.get("rate_rank"),
        "listed_by": compared.get("neighbours_listed_by"),
        "chart": charts.comparison_chart(bars, title, chart_id),
        "charted": "rate" if rated else "value",
        "england_charted": not counted or rated,
        "json": f"/authorities/{authority['code']}/neighbours/{measure}",
    }
