"""The authorities' pages for people, rendered on the server: the list (also at
``/``), an authority's page with its chart, and a measure beside the statistical
neighbours. The routes send a browser here (or anyone with ``?format=html``);
programs get the JSON of :mod:`service.http.authorities`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from projections import ranking, registry
from projections.authority_overview import judgement_rank, overview
from projections.db import Cursor
from projections.evidence import OFFICIAL_STATISTICS
from projections.facts import FactRow, hydrate, visible_facts
from projections.ranking import measures_with_counts
from projections.state import OFFICE_KINDS, pick_current
from projections.tenures import tenures
from service import charts, comparison
from service.http.params import (
    CODE,
    CURSOR,
    FORMAT,
    LEVEL,
    LIMIT,
    MIN_POSITION,
    PAGE_FORMAT,
    PATH_MEASURE,
    REGION,
    SEARCH,
    SORT,
    TIMES,
    path,
    query,
)
from service.http.responses import HTML, render
from service.http.views import cached_view, not_found, runtime

LIST_PARAMS = [FORMAT, SEARCH, REGION, SORT, LEVEL, MIN_POSITION, LIMIT, CURSOR]
PAGE_PARAMS = [*TIMES, FORMAT]
NEIGHBOURS_PARAMS = [*TIMES, PAGE_FORMAT]


async def authority_list(request: Request) -> Response:
    params = query(request, LIST_PARAMS)
    # The page lists every authority: the JSON list's paging means nothing here.
    params.pop("limit", None)
    params.pop("cursor", None)
    rt = runtime(request)

    def build(cur: Cursor) -> bytes:
        rows = overview(cur, rt.ledger)
        regions = sorted({r["region"] for r in rows if r["region"]})
        text = (params.get("q") or "").lower()
        region = params.get("region") or ""
        shown = [
            r
            for r in rows
            if text in r["name"].lower() and (not region or r["region"] == region)
        ]
        shown.sort(key=_sort_key(params.get("sort", "name")))
        return render(
            request,
            "authorities.html",
            rows=shown,
            total=len(rows),
            regions=regions,
            q=params.get("q") or "",
            region=region,
            sort=params.get("sort", "name"),
            base=rt.settings.base_url,
        )

    return await cached_view(request, params, build, variant="h", media=HTML)


def _sort_key(sort: str) -> Callable[[dict[str, Any]], Any]:
    if sort == "region":
        return lambda r: (r["region"] or "", r["name"])
    if sort == "judgement":
        return lambda r: (judgement_rank(r["judgement"], r["areas"]), r["name"])
    if sort == "children":
        return lambda r: (-(r["children"] or -1), r["name"])
    return lambda r: r["name"]


async def authority_page(request: Request) -> Response:
    code: str = path(request, CODE)
    params = query(request, PAGE_PARAMS)
    rt = runtime(request)
    as_of: date | None = params.get("as_of")
    known_at: int | None = params.get("known_at")
    # The page "as it stood on" a date shows what had been reported by then too.
    published_by: date | None = params.get("published_by", as_of)

    def build(cur: Cursor) -> bytes:
        authority = registry.get_authority(cur, code)
        if authority is None:
            raise not_found(f"no authority has code {code} (see /authorities)")
        rows = [
            r
            for r in visible_facts(
                cur, code, as_of=as_of, known_at=known_at, published_by=published_by
            )
            if not r.subject.startswith("lait:") and r.kind != "neighbours_listed"
        ]
        docs = hydrate(cur, rt.ledger, rows)
        current = {
            subject: pick_current(r for r in rows if r.subject == subject and kinds(r))
            for subject, kinds in (
                ("ofsted_rating", lambda r: True),
                ("children_in_care", lambda r: r.kind == "count_reported"),
                ("director_of_childrens_services", lambda r: r.kind in OFFICE_KINDS),
            )
        }
        by_position = {r.position: d for r, d in zip(rows, docs, strict=True)}
        now = {k: by_position[v.position] if v else None for k, v in current.items()}
        holders, also_named = tenures(
            [r for r in rows if r.kind in OFFICE_KINDS],
            by_position,
            [
                (r, by_position[r.position]["fields"]["action"])
                for r in rows
                if r.kind == "intervention_recorded"
            ],
            as_of or date.today(),
        )
        directors = [
            h for h in holders if h["role"] == "director_of_childrens_services"
        ]
        compared = ranking.compare(
            cur,
            rt.ledger,
            code,
            comparison.FIRST_MEASURE,
            as_of=as_of,
            known_at=known_at,
            published_by=published_by,
        )
        return render(
            request,
            "authority.html",
            authority=authority,
            as_of=as_of,
            published_by=published_by,
            base=rt.settings.base_url,
            now=now,
            director=directors[0] if directors else None,
            holders=holders,
            also_named=also_named,
            **_sections(rows, docs, authority["name"]),
            compared=comparison.section(
                cur, authority, compared, comparison.FIRST_MEASURE, "compare-cic"
            )
            if compared
            else None,
            measures=measures_with_counts(cur, code),
            statistics=sum(1 for _ in visible_facts(cur, code, kind="count_reported"))
            - sum(1 for r in rows if r.kind == "count_reported"),
        )

    return await cached_view(request, params, build, variant="h", media=HTML)


def _mark_rivals(money: list[dict[str, Any]]) -> None:
    """Give each amount the different amounts other sources gave for the same
    thing (the same funder's grant in a year, the same overspend and period)."""
    same: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for d in money:
        f = d["fields"]
        year = d["effective"]["date"][:4]
        key = (d["kind"], f.get("funder") or f.get("category") or "", f.get("period")
               or year, f.get("description") or "")  # fmt: skip
        same[key].append(d)
    for group in same.values():
        for d in group:
            d["also"] = [
                o
                for o in group
                if o["source"]["id"] != d["source"]["id"]
                and o["fields"]["amount"] != d["fields"]["amount"]
            ]


def _sections(
    rows: list[FactRow], docs: list[dict[str, Any]], name: str
) -> dict[str, Any]:
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row, doc in zip(rows, docs, strict=True):
        # Only official statistics make the official series; a figure an
        # inspection report quotes (the council's own, a count on the day) does not.
        doc["official"] = doc["evidence_class"] == OFFICIAL_STATISTICS
        by_kind[row.kind].append(doc)
    cic = [d for d in by_kind["count_reported"] if d["subject"] == "children_in_care"]
    targets = [d for d in by_kind["target_set"] if d["subject"] == "children_in_care"]
    ratings = by_kind["rating_given"]
    offices = [d for kind in OFFICE_KINDS for d in by_kind[kind]]
    offices.sort(key=lambda d: (d["subject"], d["effective"]["date"]))
    counts = [
        d for d in by_kind["count_reported"] if d["subject"] != "children_in_care"
    ]
    money = by_kind["money_reported"] + by_kind["grant_received"]
    money.sort(key=lambda d: d["effective"]["date"])
    _mark_rivals(money)
    return {
        "chart": charts.children_in_care_of(cic, targets, ratings, name),
        "children": cic,
        "targets": targets,
        "ratings": ratings,
        "offices": offices,
        "counts": counts,
        "money": money,
        "interventions": by_kind["intervention_recorded"],
        "milestones": by_kind["milestone_recorded"],
    }


async def neighbours_page(request: Request) -> Response:
    """One measure compared: the authority beside its statistical neighbours and
    England, its rank in England, a bar chart and the table behind it."""
    code: str = path(request, CODE)
    measure: str = path(request, PATH_MEASURE)
    params = query(request, NEIGHBOURS_PARAMS)
    rt = runtime(request)
    as_of: date | None = params.get("as_of")

    def build(cur: Cursor) -> bytes:
        authority = registry.get_authority(cur, code)
        if authority is None:
            raise not_found(f"no authority has code {code} (see /authorities)")
        compared = ranking.compare(
            cur,
            rt.ledger,
            code,
            measure,
            as_of=as_of,
            known_at=params.get("known_at"),
            published_by=params.get("published_by", as_of),
        )
        if compared is None:
            raise not_found(f"no count of {measure!r} is recorded for {code}")
        section = comparison.section(cur, authority, compared, measure, "compare")
        return render(
            request,
            "neighbours.html",
            authority=authority,
            compared=section,
            base=rt.settings.base_url,
        )

    return await cached_view(request, params, build, variant="h", media=HTML)
