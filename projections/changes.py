"""What changed: the fact events recorded after a log position, and how many of
each kind for each authority, read from the fact view (one row per event that
reported, corrected or retracted a fact)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projections.db import Cursor
from projections.facts import dashed
from projections.keyset import Key, Keyset, Page, read_page
from projections.logged_events import EventLog, LoggedEvent

CHANGE_ORDER = Keyset("position")
CHANGE_COLUMNS = (
    "position",
    "change",
    "fact_id",
    "version",
    "kind",
    "authority",
    "subject",
    "recorded_at",
    "link",
)


def changes_page(
    cur: Cursor,
    log: EventLog,
    since: int,
    until: int,
    after: Key | None = None,
    limit: int | None = None,
) -> Page[dict[str, Any]]:
    """The changes recorded after ``since`` and up to ``until``, in log order."""

    def rows(start: Key | None, at_most: int | None) -> list[Any]:
        first = max(since, start[0]) if start else since
        tail, more = CHANGE_ORDER.order(at_most)
        cur.execute(
            "SELECT position, fact_id, version, kind, authority, subject, retraction "
            "FROM fact_versions WHERE position > ? AND position <= ?" + tail,
            [first, until, *more],
        )
        return list(cur.fetchall())

    page = read_page(rows, after, limit, lambda row: (row[0],))
    events = {e.position: e for e in log.read_at([row[0] for row in page.items])}
    return page.with_items([_change(row, events[row[0]]) for row in page.items])


def _change(row: Any, event: LoggedEvent) -> dict[str, Any]:
    position, hex_id, version, kind, authority, subject, retraction = row
    fact_id = dashed(hex_id)
    change = "retracted" if retraction else "reported" if version == 1 else "corrected"
    return {
        "position": position,
        "change": change,
        "fact_id": fact_id,
        "version": version,
        "kind": kind,
        "authority": authority,
        "subject": subject,
        "recorded_at": event.recorded_at,
        "link": f"/facts/{fact_id}",
    }


def change_counts(cur: Cursor, since: int, until: int) -> list[dict[str, Any]]:
    """How many changes of each kind each authority had after ``since``."""
    cur.execute(
        "SELECT authority, kind, COUNT(*) FROM fact_versions "
        "WHERE position > ? AND position <= ? GROUP BY authority, kind "
        "ORDER BY authority, kind",
        (since, until),
    )
    return [
        {"authority": authority, "kind": kind, "count": count}
        for authority, kind, count in cur.fetchall()
    ]


def position_before(
    first_after: Callable[[int], LoggedEvent | None], last: int, day: str
) -> int:
    """The log position after which every event was recorded on ``day`` (an ISO
    date) or later: a binary search over the log, whose timestamps rise with its
    positions. ``first_after(p)`` is the first event after position ``p``."""
    low, high = 0, last
    while low < high:
        middle = (low + high) // 2
        event = first_after(middle)
        if event is None or event.recorded_at >= day:
            high = middle
        else:
            low = middle + 1
    return low
