"""The common path of every JSON read: read-your-writes, ETag, 304, cache, query."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from projections.db import Cursor
from service.caches import Cached
from service.http.paging import link_headers
from service.http.problems import ProblemError
from service.http.responses import (
    JSON,
    cache_key,
    dumps,
    etag_matches,
    not_modified,
)
from service.runtime import Runtime

READ_YOUR_WRITES_SECONDS = 10.0

# Answers being built, by cache, key and position. When the views move on, every
# request in flight misses the cache at once; those asking for the same answer
# wait for the one build of it instead of each building it again.
_BUILDING: dict[tuple[int, str, int], asyncio.Future[Any]] = {}


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def require_database(rt: Runtime) -> None:
    """Fail fast with 503 while PostgreSQL is known to be away, instead of
    waiting on connection timeouts (answers already cached are still served)."""
    runner = rt.core.runner
    # Before its first attempt has failed, the database is not known to be away:
    # a request at start-up goes to it like any other.
    if runner is not None and not runner.connected and runner.last_error:
        reason = str(runner.last_error).strip() or type(runner.last_error).__name__
        raise ProblemError(
            "not-ready",
            f"the database is unavailable: {reason}",
            headers={"Retry-After": "5"},
        )


async def ensure_position(rt: Runtime, position: int | None) -> None:
    """Wait until the views include ``position`` (a write's), or answer 503."""
    if position is None or rt.view_position() >= position:
        return
    if position > rt.log_position():
        # No write was ever answered with this position: there is nothing to wait
        # for, as there is no such resource.
        raise ProblemError(
            "not-found",
            f"min_position {position} is beyond the end of the log "
            f"({rt.log_position()}): no write has that position yet",
            errors=[{"field": "min_position", "message": "beyond the end of the log"}],
        )
    if not await rt.watch.wait(position, READ_YOUR_WRITES_SECONDS):
        raise ProblemError(
            "not-ready",
            f"the views have not reached position {position} yet",
            headers={"Retry-After": "1"},
        )


async def cached_view(
    request: Request,
    params: dict[str, Any],
    build: Callable[[Cursor], Any],
    variant: str = "j",
    media: str = JSON,
) -> Response:
    """Answer a GET from the views with a strong ETag derived from their position.

    ``build`` returns data (encoded as JSON) or, for pages, the bytes themselves
    (or, for a page of a listing, the bytes and the URL of the next page);
    either is kept until the views move on. A listing's ``next`` is also sent
    as its ``Link`` header.
    """
    rt = runtime(request)
    await ensure_position(rt, params.pop("min_position", None))
    position = rt.view_position()
    etag = f'"{variant}{position}"'
    if etag_matches(request, etag):
        return not_modified(etag)
    key = cache_key(variant, request.scope["path"], params)
    cached = rt.cache.get(key, position)
    if cached is None:
        require_database(rt)
        data = await _build_once(rt, key, position, build)
        if isinstance(data, tuple):  # a page of a listing: its bytes and next
            body, link = data
        else:
            body = data if isinstance(data, bytes) else dumps(data)
            link = data.get("next") if isinstance(data, dict) else None
        cached = Cached(position, body, etag, link)
        rt.cache.put(key, cached)
    headers = {"ETag": cached.etag, "Vary": "Accept", **link_headers(cached.link)}
    return Response(cached.body, media_type=media, headers=headers)


async def _build_once(
    rt: Runtime, key: str, position: int, build: Callable[[Cursor], Any]
) -> Any:
    """``build``'s answer for ``key`` at ``position``, built once however many
    requests ask at the same time. Without a response cache every request runs
    its own query."""
    if rt.cache.budget <= 0:
        return await rt.read(build, key)
    flight = (id(rt.cache), key, position)
    task = _BUILDING.get(flight)
    if task is None:
        task = _BUILDING[flight] = asyncio.ensure_future(rt.read(build, key))
        task.add_done_callback(lambda done: _landed(flight, done))
    return await asyncio.shield(task)


def _landed(flight: tuple[int, str, int], done: asyncio.Future[Any]) -> None:
    if _BUILDING.get(flight) is done:
        del _BUILDING[flight]
    if not done.cancelled():
        done.exception()  # retrieved: the requests still waiting have it raised


async def json_view(
    request: Request, params: dict[str, Any], build: Callable[[Cursor], Any]
) -> Response:
    return await cached_view(request, params, build)


def not_found(what: str) -> ProblemError:
    return ProblemError("not-found", what)
