"""``GET /changes``: what the ledger recorded since a log position or a date,
each change with its fact and a link, and counts by authority and kind; as JSON,
CSV, or the "recent changes" page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from projections.changes import (
    CHANGE_COLUMNS,
    change_counts,
    changes_page,
    position_before,
)
from projections.db import Cursor
from projections.fact_query import authority_names
from projections.keyset import Key
from projections.logged_events import LoggedEvent
from service.http import csv_export
from service.http.negotiation import wants_csv
from service.http.paging import PAGE_PARAMS, POSITION_KEY, Window, window_of
from service.http.params import (
    AFTER,
    MAX_POSITION,
    MIN_POSITION,
    PAGE_FORMAT,
    Param,
    query,
)
from service.http.responses import HTML, render
from service.http.schemas import NEXT, PAGE_COUNT
from service.http.views import (
    cached_view,
    ensure_position,
    json_view,
    require_database,
    runtime,
)

SINCE = Param(
    "since",
    "Changes recorded after this log position (0, the default: every change).",
    {"type": "integer", "minimum": 0, "maximum": MAX_POSITION},
    AFTER.parse,
)
SINCE_DATE = Param(
    "since_date",
    "Changes recorded on or after this day (UTC). With since too, the later of "
    "the two starting points counts.",
    {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    lambda text: _day(text),
)
PARAMS = [SINCE, SINCE_DATE, MIN_POSITION, PAGE_FORMAT, *PAGE_PARAMS]
RECENT_DAYS = 7  # what the page shows without since or since_date
_CHANGE = {
    "type": "object",
    "properties": {
        "position": {"type": "integer"},
        "change": {"type": "string", "enum": ["reported", "corrected", "retracted"]},
        "fact_id": {"type": "string", "format": "uuid"},
        "version": {"type": "integer"},
        "kind": {"type": "string"},
        "authority": {"type": "string"},
        "subject": {"type": "string"},
        "recorded_at": {"type": "string"},
        "link": {"type": "string"},
    },
    "required": list(CHANGE_COLUMNS),
}
SCHEMA = {
    "type": "object",
    "properties": {
        "since": {"type": "integer"},
        "until": {"type": "integer"},
        "changes": {"type": "array", "items": _CHANGE},
        "count": PAGE_COUNT,
        "counts": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "authority": {"type": "string"},
                    "kind": {"type": "string"},
                    "count": {"type": "integer"},
                },
                "required": ["authority", "kind", "count"],
            },
        },
        "next": NEXT,
    },
    "required": ["since", "until", "changes", "count", "counts", "next"],
}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text) if len(text) == 10 else _bad_day(text)
    except ValueError:
        return _bad_day(text)


def _bad_day(text: str) -> date:
    raise DomainError(f"since_date {text[:40]!r} is not a date (YYYY-MM-DD)")


@dataclass(frozen=True)
class Span:
    """The changes asked for: those after ``since`` up to ``until`` (the views'
    position when asked), a page of them at a time."""

    params: dict[str, Any]
    window: Window
    since: int
    until: int
    day: date | None


async def _span(request: Request, recent: bool) -> Span:
    """The span a request asks for; without ``since`` or ``since_date``, every
    change, or with ``recent`` the last week's."""
    params = query(request, PARAMS)
    window = window_of(request, params, POSITION_KEY)
    rt = runtime(request)
    log = rt.ledger
    await ensure_position(rt, params.pop("min_position", None))
    until = rt.view_position()
    since: int = params.get("since", 0)
    day: date | None = params.get("since_date")
    if recent and "since" not in params and day is None:
        day = date.today() - timedelta(days=RECENT_DAYS)
    if day is not None:

        def first_after(position: int) -> LoggedEvent | None:
            found = log.read(position, 1)
            return found[0] if found else None

        require_database(rt)
        found = await run_in_threadpool(
            position_before, first_after, until, day.isoformat()
        )
        since = max(since, found)
    return Span(params, window, since, until, day)


async def list_changes(request: Request) -> Response:
    span = await _span(request, recent=False)
    params, window, since, until = span.params, span.window, span.since, span.until
    log = runtime(request).ledger
    if wants_csv(request, params):

        def chunk(cur: Cursor, after: Key | None, at_most: int) -> csv_export.Chunk:
            page = changes_page(cur, log, since, until, after, at_most)
            rows = [[c[name] for name in CHANGE_COLUMNS] for c in page.items]
            return rows, page.last_key

        return await csv_export.csv_response(
            request, params, CHANGE_COLUMNS, chunk, window.after, "changes"
        )

    def build(cur: Cursor) -> Any:
        page = changes_page(cur, log, since, until, window.after, window.limit)
        return {
            "since": since,
            "until": until,
            "changes": page.items,
            "count": len(page.items),
            "counts": change_counts(cur, since, until),
            "next": window.next(page),
        }

    return await json_view(request, params, build)


async def recent_changes_page(request: Request) -> Response:
    """The "recent changes" page: the same changes, newest last, each with its
    authority and a link to its fact, and how many changes each authority had of
    each kind; without ``since`` or ``since_date``, the last week's."""
    span = await _span(request, recent=True)
    params, window, since, until = span.params, span.window, span.since, span.until
    rt = runtime(request)
    log = rt.ledger

    def build(cur: Cursor) -> tuple[bytes, str | None]:
        page = changes_page(cur, log, since, until, window.after, window.limit)
        counts = change_counts(cur, since, until)
        codes = {c["authority"] for c in page.items} | {c["authority"] for c in counts}
        names = authority_names(cur, codes)
        by_authority: dict[str, dict[str, int]] = defaultdict(dict)
        for c in counts:
            by_authority[c["authority"]][c["kind"]] = c["count"]
        following = window.next(page)
        body = render(
            request,
            "changes.html",
            changes=page.items,
            counts=sorted(
                by_authority.items(),
                key=lambda item: (-sum(item[1].values()), item[0]),
            ),
            total=sum(c["count"] for c in counts),
            names=names,
            since=since,
            until=until,
            day=span.day,
            asked=params.get("since"),
            recent_days=RECENT_DAYS,
            first=window.after is None,
            next=following,
            base=rt.settings.base_url,
        )
        return body, following

    return await cached_view(request, params, build, variant="h", media=HTML)
