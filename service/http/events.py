"""The global log, in order (``GET /events``): JSON pages, or the whole as CSV."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from projections.db import Cursor
from projections.facts import dashed
from projections.keyset import Key, read_page
from projections.logged_events import LoggedEvent
from projections.plain import plain
from service.http import csv_export
from service.http.negotiation import wants_csv
from service.http.paging import PAGE_PARAMS, POSITION_KEY, link_headers, window_of
from service.http.params import AFTER, CSV_FORMAT, query
from service.http.problems import ProblemError
from service.http.responses import json_response
from service.http.schemas import NEXT, ref
from service.http.views import require_database, runtime

_HIDDEN = ("timestamp", "originator_topic")


def event_json(e: LoggedEvent) -> dict[str, Any]:
    return {
        "position": e.position,
        "event_id": str(e.event_id),
        "type": e.topic,
        "aggregate_id": dashed(e.originator_id),
        "version": e.version,
        "recorded_at": e.recorded_at,
        "data": plain({k: v for k, v in e.state.items() if k not in _HIDDEN}),
    }


EVENTS_PARAMS = [AFTER, CSV_FORMAT, *PAGE_PARAMS]
EVENTS_SCHEMA = {
    "type": "object",
    "properties": {
        "events": {"type": "array", "items": ref("Event")},
        "after": {"type": "integer"},
        "next_after": {"type": "integer"},
        "log_position": {"type": "integer"},
        "next": NEXT,
    },
    "required": ["events", "after", "next_after", "log_position", "next"],
}
EVENT_COLUMNS = (
    "position",
    "event_id",
    "type",
    "aggregate_id",
    "version",
    "recorded_at",
    "data",
)


async def list_events(request: Request) -> Response:
    rt = runtime(request)
    params = query(request, EVENTS_PARAMS)
    window = window_of(request, params, POSITION_KEY, starts=["after"])
    if window.after is not None and "after" in params:
        raise ProblemError(
            "malformed-request",
            "give after or cursor, not both: the cursor says where the page starts",
        )
    after = window.after[0] if window.after else params.get("after", 0)
    if wants_csv(request, params):
        last = rt.log_position()  # the export ends where the log ended as it began
        start = after

        def chunk(cur: Cursor, after: Key | None, at_most: int) -> csv_export.Chunk:
            page = read_page(
                lambda key, n: [
                    e
                    for e in rt.ledger.read(key[0] if key else start, n or at_most)
                    if e.position <= last
                ],
                after,
                at_most,
                lambda event: (event.position,),
            )
            rows = [list(event_json(e).values()) for e in page.items]
            return rows, page.last_key

        return await csv_export.csv_response(
            request, params, EVENT_COLUMNS, chunk, None, "events"
        )
    require_database(rt)
    page = await run_in_threadpool(
        window.read,
        lambda _, at_most: rt.ledger.read(after, at_most),
        lambda event: (event.position,),
    )
    last = rt.log_position()
    next_url = window.next(page)
    return json_response(
        {
            "events": [event_json(e) for e in page.items],
            "after": after,
            "next_after": page.items[-1].position if page.items else after,
            "log_position": last,
            "next": next_url,
        },
        headers=link_headers(next_url),
    )
