"""Sources: the documents facts come from, and the facts each reported."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from domain.values import parse_slug
from projections import registry
from projections.db import Cursor
from projections.facts import hydrate, visible_facts
from service.http.paging import FACT_KEY, PAGE_PARAMS, SOURCE_KEY, window_of
from service.http.params import MIN_POSITION, query
from service.http.views import json_view, not_found, runtime

LIST_PARAMS = [MIN_POSITION, *PAGE_PARAMS]


async def list_sources(request: Request) -> Response:
    params = query(request, LIST_PARAMS)
    window = window_of(request, params, SOURCE_KEY)

    def build(cur: Cursor) -> Any:
        page = registry.list_sources(cur, after=window.after, limit=window.limit)
        return {
            "sources": [
                {**row, "links": {"self": f"/sources/{row['id']}"}}
                for row in page.items
            ],
            "count": len(page.items),
            "next": window.next(page),
        }

    return await json_view(request, params, build)


async def get_source(request: Request) -> Response:
    raw = request.path_params["source_id"]
    try:
        source_id = parse_slug(raw, "source_id")
    except DomainError:
        raise not_found(f"{raw!r} is not a source id") from None
    params = query(request, LIST_PARAMS)
    window = window_of(request, params, FACT_KEY)
    log = runtime(request).ledger

    def build(cur: Cursor) -> Any:
        found = registry.get_source(cur, source_id)
        if found is None:
            raise not_found(f"no source has id {source_id} (see /sources)")
        page = window.read(
            lambda after, at_most: visible_facts(
                cur, source=source_id, after=after, limit=at_most
            ),
            lambda row: row.sort_key,
        )
        facts = hydrate(cur, log, page.items)
        return {
            "source": {**found, "links": {"self": f"/sources/{source_id}"}},
            "facts": facts,
            "count": len(facts),
            "next": window.next(page),
        }

    return await json_view(request, params, build)
