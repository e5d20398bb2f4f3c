"""Sources: the documents facts come from, and the facts each reported, as JSON
or as a source's page; registering one (authenticated)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from projections import registry
from projections.db import Cursor
from projections.evidence import evidence_class, evidence_label
from projections.fact_wording import date_text, value_text
from projections.facts import hydrate, visible_facts
from projections.source_facts import first_facts
from service.http import csv_export
from service.http.csv_export import csv_response, fact_chunks
from service.http.negotiation import wants_csv
from service.http.paging import FACT_KEY, PAGE_PARAMS, SOURCE_KEY, window_of
from service.http.params import (
    CSV_FORMAT,
    MIN_POSITION,
    PAGE_FORMAT,
    SOURCE_ID,
    path,
    query,
)
from service.http.responses import HTML, json_response, render
from service.http.views import cached_view, json_view, not_found, runtime
from service.http.writes import authorize, json_body
from service.registration import register_source, source_document
from service.related_feeds import related_feeds

LIST_PARAMS = [MIN_POSITION, *PAGE_PARAMS]
SOURCES_PARAMS = [*LIST_PARAMS, CSV_FORMAT]
SOURCE_PARAMS = [*LIST_PARAMS, PAGE_FORMAT]
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
    source_id: str = path(request, SOURCE_ID)
    params = query(request, SOURCE_PARAMS)
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


async def source_page(request: Request) -> Response:
    """What a source is, who published it and when, its licence, a link to the
    document, and the facts it reported, a page at a time in the order and with
    the cursors of the JSON listing (the next page's URL in a ``Link`` header
    and a link at the foot), each linked to its page."""
    source_id: str = path(request, SOURCE_ID)
    params = query(request, SOURCE_PARAMS)
    rt = runtime(request)
    base = rt.settings.base_url
    window = window_of(request, params, FACT_KEY)

    def build(cur: Cursor) -> tuple[bytes, str | None]:
        source = registry.get_source(cur, source_id)
        if source is None:
            raise not_found(f"no source has id {source_id} (see /sources)")
        _, total = first_facts(cur, source_id, 0)
        page = window.read(
            lambda after, at_most: visible_facts(
                cur, source=source_id, after=after, limit=at_most
            ),
            lambda row: row.sort_key,
        )
        rows = page.items
        following = window.next(page)
        names: dict[str, str] = {}
        facts = []
        for doc in hydrate(cur, rt.ledger, rows):
            code = doc["authority"]
            if code not in names:
                found = registry.get_authority(cur, code)
                names[code] = found["name"] if found else code
            facts.append(
                {
                    "id": doc["fact_id"],
                    "authority": names[code],
                    "value": value_text(doc["kind"], doc["fields"]),
                    "date": date_text(doc["effective"]),
                    "evidence": evidence_label(
                        evidence_class(source["kind"], doc["kind"])
                    ),
                }
            )
        body = render(
            request,
            "source.html",
            source=source,
            facts=facts,
            total=total,
            first=window.after is None,
            next=following,
            feeds=related_feeds(base),
            base=base,
        )
        return body, following

    return await cached_view(request, params, build, variant="h", media=HTML)


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
