"""The global log as JSON, liveness, and the pages describing each problem type."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from projections.facts import dashed
from projections.log import LoggedEvent
from projections.plain import plain
from service.http.params import AFTER, LIMIT, query
from service.http.problems import PROBLEM_TYPES
from service.http.responses import json_response
from service.http.views import not_found, runtime

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


async def list_events(request: Request) -> Response:
    rt = runtime(request)
    params = query(request, [AFTER, LIMIT])
    after = params.get("after", 0)
    limit = params.get("limit", 100)
    rt.require_database()
    events = await run_in_threadpool(rt.ledger.read, after, limit)
    last = rt.log_position()
    return json_response(
        {
            "events": [event_json(e) for e in events],
            "after": after,
            "next_after": events[-1].position if events else after,
            "log_position": last,
        }
    )


async def healthz(request: Request) -> Response:
    rt = runtime(request)
    query(request, [])
    worker = rt.core.worker
    error = worker.last_error
    log_position = await run_in_threadpool(rt.log_position)
    return json_response(
        {
            "status": "ok" if error is None else "degraded",
            "log_position": log_position,
            "views": worker.positions(),
            "views_position": worker.position,
            "lag": max(log_position - worker.position, 0),
            "worker_error": str(error) if error else None,
            "waiting": rt.watch.waiting,
        }
    )


async def problem_type(request: Request) -> Response:
    slug = request.path_params["slug"]
    if slug not in PROBLEM_TYPES:
        raise not_found(f"no problem type {slug!r}")
    status, title, description = PROBLEM_TYPES[slug]
    return json_response(
        {"type": slug, "status": status, "title": title, "description": description}
    )
