"""CSV of every listing: asked for by ``format=csv`` or ``Accept: text/csv``.

A CSV export is the whole listing in one response, streamed: it reads the rows in
chunks by the listing's own keyset (a chunk per read of the views), writes each
chunk and lets it go, so memory stays bounded however many rows there are. Its
rows are those of the listing's JSON pages followed one after another; given a
cursor it starts where that page starts. Fact listings pin ``known_at`` to the
views' position when the export starts, so a fact recorded meanwhile cannot
appear half way through (:func:`pinned_known_at`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable, Sequence
from functools import partial
from typing import Any, Protocol

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from projections.db import Cursor
from projections.fact_query import authority_names
from projections.fact_records import FACT_COLUMNS, fact_record, own_fields
from projections.facts import FactRow, hydrate
from projections.keyset import Key, read_page
from projections.logged_events import EventLog
from projections.plain import json_default
from service.http.views import ensure_position, require_database, runtime

CSV = "text/csv; charset=utf-8"
CHUNK_ROWS = 500

# A chunk of an export: rows ready for the writer, and the key to read on from
# (None when the listing has no more).
Chunk = tuple[Sequence[Sequence[object]], Key | None]


class ReadChunk(Protocol):
    def __call__(self, cur: Cursor, after: Key | None, at_most: int) -> Chunk: ...


async def pinned_known_at(request: Request, params: dict[str, Any]) -> int:
    """The ``known_at`` an export reads at: the one asked for, or the views'
    position once they include ``min_position``, whichever is earlier."""
    rt = runtime(request)
    await ensure_position(rt, params.pop("min_position", None))
    position = rt.view_position()
    asked: int | None = params.get("known_at")
    return position if asked is None else min(asked, position)


# Values the csv module writes as they should be (None as an empty field).
_AS_IS = frozenset({str, int, float, type(None)})


def cell(value: object) -> object:
    """How a value is written: true/false, JSON for structures, else as it is."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return orjson.dumps(value, default=json_default).decode()
    return value


# A text cell starting with one of these is a formula to a spreadsheet (OWASP's
# "CSV injection"): it is written after a single quote, which the spreadsheet
# shows as text. Numbers are never text cells, so a negative figure stays one.
FORMULA_STARTS = frozenset("=+-@\t\r")


def encode(rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    as_is, starts = _AS_IS, FORMULA_STARTS
    writer.writerows(
        [
            ("'" + v if v[:1] in starts else v)
            if type(v) is str
            else v
            if type(v) in as_is
            else cell(v)
            for v in row
        ]
        for row in rows
    )
    return buffer.getvalue().encode()


async def csv_response(
    request: Request,
    params: dict[str, Any],
    columns: Sequence[str],
    read: ReadChunk,
    start: Key | None = None,
    name: str = "listing",
) -> Response:
    """The listing as one streamed CSV. The first chunk is read before anything
    is sent, so an unknown resource is still a problem response, not a CSV."""
    rt = runtime(request)
    await ensure_position(rt, params.pop("min_position", None))
    require_database(rt)
    first, after = await rt.read(partial(read, after=start, at_most=CHUNK_ROWS))

    async def body() -> AsyncIterator[bytes]:
        yield encode([columns, *first])
        key = after
        while key is not None:
            rows, key = await rt.read(partial(read, after=key, at_most=CHUNK_ROWS))
            yield encode(rows)

    return StreamingResponse(
        body(),
        media_type=CSV,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"',
            "Vary": "Accept",
        },
    )


def fact_chunks(
    log: EventLog,
    rows: Callable[[Cursor, Key | None, int], list[FactRow]],
    kind: str | None = None,
) -> tuple[tuple[str, ...], ReadChunk]:
    """The columns of a fact listing's CSV and how to read a chunk of it, from
    ``rows(cur, after, at_most)`` (which reads in the listing's order)."""
    own = own_fields(kind)

    def read(cur: Cursor, after: Key | None, at_most: int) -> Chunk:
        page = read_page(lambda a, n: rows(cur, a, n or at_most), after, at_most, _key)
        names = authority_names(cur, {row.authority for row in page.items})
        docs = hydrate(cur, log, page.items)
        records = [fact_record(d, names.get(d["authority"], ""), own) for d in docs]
        return records, page.last_key

    return (*FACT_COLUMNS, *own), read


def _key(row: FactRow) -> Key:
    return row.sort_key
