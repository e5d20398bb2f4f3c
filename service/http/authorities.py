"""Authorities: the list, current state, facts, timelines and neighbours, as
JSON and CSV (their pages are :mod:`service.http.authority_pages`)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from projections import ranking, registry, state
from projections.db import Cursor
from projections.facts import hydrate, visible_facts
from projections.keyset import Page
from projections.logged_events import EventLog
from service import comparison
from service.http import csv_export
from service.http.csv_export import csv_response, fact_chunks
from service.http.negotiation import wants_csv
from service.http.paging import (
    AUTHORITY_KEY,
    AUTHORITY_REGION_KEY,
    FACT_KEY,
    PAGE_PARAMS,
    window_of,
)
from service.http.params import (
    AS_OF,
    CODE,
    CSV_FORMAT,
    FORMAT,
    INCLUDE,
    KIND,
    KNOWN_AT,
    LEVEL,
    MEASURE,
    MIN_POSITION,
    PAGE_FORMAT,
    PATH_MEASURE,
    PUBLISHED_BY,
    REGION,
    SEARCH,
    SORT,
    SOURCE,
    TIMES,
    path,
    query,
)
from service.http.views import json_view, not_found, runtime

LIST_PARAMS = [
    LEVEL,
    MIN_POSITION,
    PAGE_FORMAT,
    SEARCH,
    REGION,
    SORT,
    *PAGE_PARAMS,
]
STATE_PARAMS = [*TIMES, FORMAT]
FACTS_PARAMS = [
    KIND,
    MEASURE,
    SOURCE,
    AS_OF,
    PUBLISHED_BY,
    KNOWN_AT,
    INCLUDE,
    MIN_POSITION,
    CSV_FORMAT,
    *PAGE_PARAMS,
]
TIMELINE_PARAMS = [*TIMES]
NEIGHBOURS_PARAMS = [*TIMELINE_PARAMS, PAGE_FORMAT]
POINTS_PARAMS = [*TIMELINE_PARAMS, CSV_FORMAT, *PAGE_PARAMS]
# A timeline's targets are few (a council sets one every year or two); at most
# this many are given beside any page of its points.
MAX_TARGETS = 1000
AUTHORITY_COLUMNS = (
    "code",
    "name",
    "level",
    "dfe_number",
    "ofsted_urn",
    "region",
    "status",
    "replaced_by",  # the successors' codes, separated by spaces
    "replaced_on",
)


def _authority_row(authority: dict[str, Any]) -> list[object]:
    successors = " ".join(s["code"] for s in authority["replaced_by"])
    listed = [authority[c] for c in AUTHORITY_COLUMNS[:-2]]
    return [*listed, successors or None, authority["replaced_on"]]


def links(code: str) -> dict[str, str]:
    base = f"/authorities/{code}"
    return {
        "self": base,
        "facts": f"{base}/facts",
        "children_in_care": f"{base}/timeline/children_in_care",
        "feed": f"{base}/feed",
    }


def _authority(cur: Cursor, code: str) -> dict[str, Any]:
    linked = links(code)
    found = registry.get_authority(cur, code)
    if found is None:
        raise not_found(f"no authority has code {code} (see /authorities)")
    return {**found, "links": linked}


async def list_authorities(request: Request) -> Response:
    params = query(request, LIST_PARAMS)
    level = params.get("level", "authority")
    # The JSON list sorts by name or by region; judgement and children sort pages.
    sort = "region" if params.get("sort") == "region" else "name"
    window = window_of(
        request, params, AUTHORITY_REGION_KEY if sort == "region" else AUTHORITY_KEY
    )

    def read(cur: Cursor, after: Any, limit: int) -> Page[dict[str, Any]]:
        return registry.authority_page(
            cur,
            None if level == "all" else level,
            name_contains=params.get("q") or "",
            region=params.get("region") or "",
            sort=sort,
            after=after,
            limit=limit,
        )

    if wants_csv(request, params):

        def chunk(cur: Cursor, after: Any, at_most: int) -> csv_export.Chunk:
            page = read(cur, after, at_most)
            rows = [_authority_row(a) for a in page.items]
            return rows, page.last_key

        return await csv_response(
            request, params, AUTHORITY_COLUMNS, chunk, window.after, "authorities"
        )

    def build(cur: Cursor) -> Any:
        page = read(cur, window.after, window.limit)
        return {
            "authorities": [{**row, "links": links(row["code"])} for row in page.items],
            "count": len(page.items),
            "next": window.next(page),
        }

    return await json_view(request, params, build)


async def get_authority(request: Request) -> Response:
    code: str = path(request, CODE)
    params = query(request, STATE_PARAMS)
    log = runtime(request).ledger
    return await json_view(request, params, lambda cur: _state(cur, log, code, params))


def _state(
    cur: Cursor, log: EventLog, code: str, params: dict[str, Any]
) -> dict[str, Any]:
    """An authority's current state as of the times asked for, and those times."""
    authority = _authority(cur, code)
    as_of, known_at = params.get("as_of"), params.get("known_at")
    published_by = params.get("published_by")
    return {
        "authority": authority,
        "as_of": as_of.isoformat() if as_of else None,
        "published_by": published_by.isoformat() if published_by else None,
        "known_at": known_at,
        "state": state.current_state(
            cur,
            log,
            code,
            as_of=as_of,
            known_at=known_at,
            published_by=published_by,
        ),
    }


async def list_facts(request: Request) -> Response:
    code: str = path(request, CODE)
    params = query(request, FACTS_PARAMS)
    window = window_of(request, params, FACT_KEY)
    log = runtime(request).ledger
    csv = wants_csv(request, params)
    known_at = await csv_export.pinned_known_at(request, params) if csv else None

    def rows(cur: Cursor, after: Any, at_most: int | None) -> list[Any]:
        return visible_facts(
            cur,
            code,
            known_at=known_at if csv else params.get("known_at"),
            as_of=params.get("as_of"),
            published_by=params.get("published_by"),
            kind=params.get("kind"),
            subject=params.get("measure"),
            source=params.get("source"),
            history=params.get("include") == "history",
            after=after,
            limit=at_most,
        )

    if csv:

        def checked(cur: Cursor, after: Any, at_most: int) -> list[Any]:
            if after is None:
                _authority(cur, code)
            return rows(cur, after, at_most)

        columns, chunk = fact_chunks(log, checked, params.get("kind"))
        return await csv_response(
            request, params, columns, chunk, window.after, f"{code}-facts"
        )

    def build(cur: Cursor) -> Any:
        authority = _authority(cur, code)
        page = window.read(lambda a, n: rows(cur, a, n), lambda row: row.sort_key)
        return {
            "authority": authority,
            "facts": hydrate(cur, log, page.items),
            "count": len(page.items),
            "next": window.next(page),
        }

    return await json_view(request, params, build)


async def get_timeline(request: Request) -> Response:
    code: str = path(request, CODE)
    measure: str = path(request, PATH_MEASURE)
    params = query(request, POINTS_PARAMS)
    window = window_of(request, params, FACT_KEY)
    log = runtime(request).ledger

    def check(cur: Cursor) -> dict[str, Any]:
        authority = _authority(cur, code)
        if not visible_facts(cur, code, subject=measure, history=True, limit=1):
            raise not_found(
                f"nothing is recorded about {measure!r} for {code}; "
                f"see /authorities/{code}/facts for the measures there are"
            )
        return authority

    if wants_csv(request, params):
        known_at = await csv_export.pinned_known_at(request, params)

        # The timeline's points are these facts, in the same order.
        def rows(cur: Cursor, after: Any, at_most: int) -> list[Any]:
            if after is None:
                check(cur)
            return visible_facts(
                cur,
                code,
                subject=measure,
                as_of=params.get("as_of"),
                published_by=params.get("published_by"),
                known_at=known_at,
                after=after,
                limit=at_most,
                not_kind=state.TARGET,
            )

        columns, chunk = fact_chunks(log, rows)
        return await csv_response(
            request, params, columns, chunk, window.after, f"{code}-{measure}"
        )

    def build(cur: Cursor) -> Any:
        authority = check(cur)
        times = {
            "as_of": params.get("as_of"),
            "published_by": params.get("published_by"),
            "known_at": params.get("known_at"),
        }
        page = state.timeline(
            cur,
            log,
            code,
            measure,
            **times,
            after=window.after,
            limit=window.limit,
            not_kind=state.TARGET,
        )
        targets = state.timeline(
            cur, log, code, measure, **times, limit=MAX_TARGETS, kind=state.TARGET
        )
        return {
            "authority": authority,
            "measure": measure,
            "points": page.items,
            "targets": targets.items,
            "rule": state.RULE,
            "next": window.next(page),
        }

    return await json_view(request, params, build)


async def get_neighbours(request: Request) -> Response:
    code: str = path(request, CODE)
    measure: str = path(request, PATH_MEASURE)
    params = query(request, NEIGHBOURS_PARAMS)
    log = runtime(request).ledger
    options = {k: params.get(k) for k in ("as_of", "published_by", "known_at")}

    def read(cur: Cursor) -> tuple[dict[str, Any], dict[str, Any]]:
        authority = _authority(cur, code)
        compared = ranking.compare(cur, log, code, measure, **options)
        if compared is None:
            raise not_found(f"no count of {measure!r} is recorded for {code}")
        return authority, compared

    if wants_csv(request, params):

        def chunk(cur: Cursor, after: Any, at_most: int) -> csv_export.Chunk:
            authority, compared = read(cur)
            return comparison.csv_records(authority, compared)[1], None

        columns = comparison.csv_columns()
        return await csv_response(
            request, params, columns, chunk, None, f"{code}-{measure}-neighbours"
        )

    def build(cur: Cursor) -> Any:
        authority, compared = read(cur)
        return {"authority": authority, "measure": measure, **compared}

    return await json_view(request, params, build)
