"""Sources: the documents facts come from, and the facts each reported."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from domain.values import parse_slug
from projections import registry
from projections.db import Cursor
from projections.facts import hydrate, visible_facts
from service import pages, source_page
from service.http import csv_export
from service.http.csv_export import csv_response, fact_chunks, wants_csv
from service.http.paging import FACT_KEY, PAGE_PARAMS, SOURCE_KEY, window_of
from service.http.params import MIN_POSITION, query
from service.http.responses import json_response
from service.http.views import json_view, not_found, runtime
from service.http.writes import authorize, json_body
from service.registration import register_source, source_document

LIST_PARAMS = [MIN_POSITION, *PAGE_PARAMS]
SOURCES_PARAMS = [*LIST_PARAMS, csv_export.FORMAT]
SOURCE_PARAMS = [*LIST_PARAMS, csv_export.PAGE_FORMAT]
SOURCE_COLUMNS = ("id", "kind", "title", "publisher", "url", "published", "licence")


async def list_sources(request: Request) -> Response:
    params = query(request, SOURCES_PARAMS)
    window = window_of(request, params, SOURCE_KEY)
    if wants_csv(request, params):

        def chunk(cur: Cursor, after: Any, at_most: int) -> csv_export.Chunk:
            page = registry.list_sources(cur, after=after, limit=at_most)
            rows = [[_cell(s, c) for c in SOURCE_COLUMNS] for s in page.items]
            return rows, page.last_key

        return await csv_response(
            request, params, SOURCE_COLUMNS, chunk, window.after, "sources"
        )

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
    params = query(request, SOURCE_PARAMS)
    if pages.wants_html(request):
        return await source_page.source_page(request, source_id, params)
    window = window_of(request, params, FACT_KEY)
    log = runtime(request).ledger
    if wants_csv(request, params):
        known_at = await csv_export.pinned_known_at(request, params)

        def rows(cur: Cursor, after: Any, at_most: int) -> list[Any]:
            if after is None and registry.get_source(cur, source_id) is None:
                raise not_found(f"no source has id {source_id} (see /sources)")
            return visible_facts(
                cur, source=source_id, known_at=known_at, after=after, limit=at_most
            )

        columns, chunk = fact_chunks(log, rows)
        return await csv_response(
            request, params, columns, chunk, window.after, f"{source_id}-facts"
        )

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


async def post_source(request: Request) -> Response:
    """Register a source (bearer token): 201 when new, 200 when the same source
    is registered already, 409 when another source holds its id."""
    rt = runtime(request)
    query(request, [])
    writer = authorize(request, rt)
    body = await json_body(request)
    registration = await run_in_threadpool(register_source, rt.ledger, body, writer)
    source_id = registration.details.source_id
    position = (
        registration.position
        if registration.position is not None
        else rt.log_position()
    )
    link = f"/sources/{source_id}"
    answer = {
        "id": source_id,
        "created": registration.created,
        "position": position,
        "source": source_document(registration.details),
        "links": {"self": link},
    }
    return json_response(
        answer,
        status=201 if registration.created else 200,
        headers={"Location": link, "Carefacts-Position": str(position)},
    )


def _cell(source: dict[str, Any], column: str) -> object:
    value = source.get(column)
    if column == "published" and isinstance(value, dict):
        return value.get("date")
    return value
