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

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Callable, Sequence
from functools import partial
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from projections.db import Cursor
from projections.fact_query import authority_names
from projections.fact_records import (
    FACT_COLUMNS,
    OwnColumns,
    VersionRecords,
    cell,
    own_columns,
)
from projections.facts import FactRow, versions_said
from projections.keyset import Key, read_page
from projections.logged_events import EventLog
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


def encode(rows: Sequence[Sequence[object]], cells_ready: bool = False) -> bytes:
    """Rows as CSV text. Each value goes through :func:`cell` unless the rows
    say they were built from cells already (fact records are)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if cells_ready:
        writer.writerows(rows)
    else:
        as_is = _AS_IS
        writer.writerows(
            [v if type(v) in as_is else cell(v) for v in row] for row in rows
        )
    return buffer.getvalue().encode()


# Values written as they are: numbers and None (an empty field). Text, true and
# false and structures go through cell.
_AS_IS = frozenset({int, float, type(None)})


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
    first, after = await rt.read(
        partial(read, after=start, at_most=CHUNK_ROWS), brief=False
    )

    def encoded(key: Key, cur: Cursor) -> tuple[bytes, Key | None]:
        rows, following = read(cur, after=key, at_most=CHUNK_ROWS)
        return _encode(rows), following

    def chunk_after(key: Key | None) -> asyncio.Future[tuple[bytes, Key | None]] | None:
        if key is None:
            return None
        return asyncio.ensure_future(rt.read(partial(encoded, key), brief=False))

    async def body() -> AsyncIterator[bytes]:
        # The next chunk is read and written on a read thread while this one is
        # sent; two chunks at most are held at once.
        ahead = chunk_after(after)
        yield encode([columns]) + _encode(first)
        try:
            while ahead is not None:
                text, key = await ahead
                ahead = chunk_after(key)
                yield text
        finally:
            if ahead is not None:  # the client went away part way
                ahead.cancel()

    return StreamingResponse(
        body(),
        media_type=CSV,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"',
            "Vary": "Accept",
        },
    )


def _encode(rows: Sequence[Sequence[object]]) -> bytes:
    return encode(rows, cells_ready=isinstance(rows, Records))


def fact_chunks(
    log: EventLog,
    rows: Callable[[Cursor, Key | None, int], list[FactRow]],
    kind: str | None = None,
) -> tuple[tuple[str, ...], ReadChunk]:
    """The columns of a fact listing's CSV and how to read a chunk of it, from
    ``rows(cur, after, at_most)`` (which reads in the listing's order)."""
    own = own_columns(kind)

    def read(cur: Cursor, after: Key | None, at_most: int) -> Chunk:
        page = read_page(lambda a, n: rows(cur, a, n or at_most), after, at_most, _key)
        return records(cur, log, page.items, own), page.last_key

    return (*FACT_COLUMNS, *own.names), read


class Records(list[list[object]]):
    """Rows of a chunk whose cells are ready for the writer (see encode)."""


def records(
    cur: Cursor, log: EventLog, rows: Sequence[FactRow], own: OwnColumns
) -> Records:
    """The fact records of these rows (see projections.fact_records)."""
    names = authority_names(cur, {row.authority for row in rows})
    said = versions_said(cur, log, rows)
    record = VersionRecords(own).record
    return Records(
        record(row, one.fields, one.current.recorded_at, names.get(row.authority, ""))
        for row, one in zip(rows, said, strict=True)
    )


def _key(row: FactRow) -> Key:
    return row.sort_key
