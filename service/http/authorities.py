"""Authorities: the list, current state, facts, timelines and neighbours."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from domain.values import parse_gss_code, parse_measure
from projections import registry, state
from projections.db import Cursor
from projections.facts import hydrate, visible_facts
from service import pages
from service.http.paging import (
    AUTHORITY_KEY,
    AUTHORITY_REGION_KEY,
    FACT_KEY,
    PAGE_PARAMS,
    window_of,
)
from service.http.params import (
    AS_OF,
    INCLUDE,
    KIND,
    KNOWN_AT,
    LEVEL,
    MEASURE,
    MIN_POSITION,
    SOURCE,
    query,
)
from service.http.views import json_view, not_found, runtime
from service.pages import FORMAT, REGION, SEARCH, SORT

LIST_PARAMS = [LEVEL, MIN_POSITION, FORMAT, SEARCH, REGION, SORT, *PAGE_PARAMS]
STATE_PARAMS = [AS_OF, KNOWN_AT, MIN_POSITION, FORMAT]
FACTS_PARAMS = [
    KIND,
    MEASURE,
    SOURCE,
    AS_OF,
    KNOWN_AT,
    INCLUDE,
    MIN_POSITION,
    *PAGE_PARAMS,
]
TIMELINE_PARAMS = [AS_OF, KNOWN_AT, MIN_POSITION]
NEIGHBOURS_PARAMS = TIMELINE_PARAMS
POINTS_PARAMS = [*TIMELINE_PARAMS, *PAGE_PARAMS]


def links(code: str) -> dict[str, str]:
    base = f"/authorities/{code}"
    return {
        "self": base,
        "facts": f"{base}/facts",
        "children_in_care": f"{base}/timeline/children_in_care",
        "feed": f"{base}/feed",
    }


def _code(request: Request) -> str:
    raw = request.path_params["code"]
    try:
        return parse_gss_code(raw, "code")
    except DomainError:
        raise not_found(f"{raw!r} is not a GSS code such as E06000009") from None


def _authority(cur: Cursor, code: str) -> dict[str, Any]:
    found = registry.get_authority(cur, code)
    if found is None:
        raise not_found(f"no authority has code {code} (see /authorities)")
    return {**found, "links": links(code)}


async def list_authorities(request: Request) -> Response:
    if pages.wants_html(request):
        return await pages.authority_list(request)
    params = query(request, LIST_PARAMS)
    level = params.get("level", "authority")
    # The JSON list sorts by name or by region; judgement and children sort pages.
    sort = "region" if params.get("sort") == "region" else "name"
    window = window_of(
        request, params, AUTHORITY_REGION_KEY if sort == "region" else AUTHORITY_KEY
    )

    def build(cur: Cursor) -> Any:
        page = registry.authority_page(
            cur,
            None if level == "all" else level,
            name_contains=params.get("q") or "",
            region=params.get("region") or "",
            sort=sort,
            after=window.after,
            limit=window.limit,
        )
        return {
            "authorities": [{**row, "links": links(row["code"])} for row in page.items],
            "count": len(page.items),
            "next": window.next(page),
        }

    return await json_view(request, params, build)


async def get_authority(request: Request) -> Response:
    code = _code(request)
    if pages.wants_html(request):
        return await pages.authority_page(request, code)
    params = query(request, STATE_PARAMS)
    log = runtime(request).ledger

    def build(cur: Cursor) -> Any:
        authority = _authority(cur, code)
        as_of, known_at = params.get("as_of"), params.get("known_at")
        return {
            "authority": authority,
            "as_of": as_of.isoformat() if as_of else None,
            "known_at": known_at,
            "state": state.current_state(
                cur, log, code, as_of=as_of, known_at=known_at
            ),
        }

    return await json_view(request, params, build)


async def list_facts(request: Request) -> Response:
    code = _code(request)
    params = query(request, FACTS_PARAMS)
    window = window_of(request, params, FACT_KEY)
    log = runtime(request).ledger

    def build(cur: Cursor) -> Any:
        authority = _authority(cur, code)
        page = window.read(
            lambda after, at_most: visible_facts(
                cur,
                code,
                known_at=params.get("known_at"),
                as_of=params.get("as_of"),
                kind=params.get("kind"),
                subject=params.get("measure"),
                source=params.get("source"),
                history=params.get("include") == "history",
                after=after,
                limit=at_most,
            ),
            lambda row: row.sort_key,
        )
        return {
            "authority": authority,
            "facts": hydrate(cur, log, page.items),
            "count": len(page.items),
            "next": window.next(page),
        }

    return await json_view(request, params, build)


async def get_timeline(request: Request) -> Response:
    code = _code(request)
    measure = _measure(request)
    params = query(request, POINTS_PARAMS)
    window = window_of(request, params, FACT_KEY)
    log = runtime(request).ledger

    def build(cur: Cursor) -> Any:
        authority = _authority(cur, code)
        if not visible_facts(cur, code, subject=measure, history=True, limit=1):
            raise not_found(
                f"nothing is recorded about {measure!r} for {code}; "
                f"see /authorities/{code}/facts for the measures there are"
            )
        page = state.timeline(
            cur,
            log,
            code,
            measure,
            as_of=params.get("as_of"),
            known_at=params.get("known_at"),
            after=window.after,
            limit=window.limit,
        )
        return {
            "authority": authority,
            "measure": measure,
            "points": page.items,
            "rule": state.RULE,
            "next": window.next(page),
        }

    return await json_view(request, params, build)


async def get_neighbours(request: Request) -> Response:
    code = _code(request)
    measure = _measure(request)
    params = query(request, NEIGHBOURS_PARAMS)
    log = runtime(request).ledger

    def build(cur: Cursor) -> Any:
        authority = _authority(cur, code)
        compared = state.neighbours_comparison(
            cur,
            log,
            code,
            measure,
            as_of=params.get("as_of"),
            known_at=params.get("known_at"),
        )
        if compared is None:
            raise not_found(f"no count of {measure!r} is recorded for {code}")
        return {"authority": authority, "measure": measure, **compared}

    return await json_view(request, params, build)


def _measure(request: Request) -> str:
    raw = request.path_params["measure"]
    try:
        return parse_measure(raw)
    except DomainError as error:
        raise not_found(error.message) from None
