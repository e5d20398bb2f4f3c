"""The common path of every JSON read: read-your-writes, ETag, 304, cache, query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from projections.db import Cursor
from service.http.paging import link_headers
from service.http.problems import ProblemError
from service.http.responses import (
    JSON,
    Cached,
    cache_key,
    dumps,
    etag_matches,
    not_modified,
)
from service.runtime import Runtime

READ_YOUR_WRITES_SECONDS = 10.0


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


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
        rt.require_database()
        data = await rt.read(build)
        if isinstance(data, tuple):  # a page of a listing: its bytes and next
            body, link = data
        else:
            body = data if isinstance(data, bytes) else dumps(data)
            link = data.get("next") if isinstance(data, dict) else None
        cached = Cached(position, body, etag, link)
        rt.cache.put(key, cached)
    headers = {"ETag": cached.etag, "Vary": "Accept", **link_headers(cached.link)}
    return Response(cached.body, media_type=media, headers=headers)


async def json_view(
    request: Request, params: dict[str, Any], build: Callable[[Cursor], Any]
) -> Response:
    return await cached_view(request, params, build)


def not_found(what: str) -> ProblemError:
    return ProblemError("not-found", what)
