"""Liveness (``GET /healthz``): the log's position, the views', and the lag."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from service.http.params import query
from service.http.responses import json_response
from service.http.views import runtime


async def healthz(request: Request) -> Response:
    rt = runtime(request)
    query(request, [])
    worker = rt.worker
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
