"""Responses: the one JSON encoder, pages rendered, media types, ETags.

A JSON GET is a function of its path, its parsed query and the views' position,
so its ETag is the position, a repeated request with ``If-None-Match`` is a 304
without touching the database, and a rendered body is reused until the position
moves (the bodies are kept in :mod:`service.caches`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import Response

from projections.plain import json_default

JSON = "application/json"
HTML = "text/html; charset=utf-8"


def dumps(data: Any) -> bytes:
    """The project's one JSON encoder."""
    return orjson.dumps(data, default=json_default, option=orjson.OPT_NON_STR_KEYS)


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(dumps(data), status_code=status, media_type=JSON, headers=headers)


def render(request: Request, template: str, **context: Any) -> bytes:
    """A page's body: ``template`` rendered with the application's templates."""
    environment: Environment = request.app.state.templates
    return environment.get_template(template).render(**context).encode()


def cache_key(variant: str, path: str, params: Mapping[str, Any]) -> str:
    """An answer's key: its variant, path and parsed query, so that query strings
    meaning the same (``known_at=0543508`` and ``known_at=543508``, parameters in
    another order) share one entry."""
    return f"{variant} {path} {sorted(params.items())!r}"


def etag_matches(request: Request, etag: str) -> bool:
    raw = next((v for k, v in request.scope["headers"] if k == b"if-none-match"), None)
    if not raw:
        return False
    header = raw.decode("latin-1")
    if header.strip() == "*":
        return True
    return etag in [tag.strip().removeprefix("W/") for tag in header.split(",")]


def not_modified(etag: str, extra: dict[str, str] | None = None) -> Response:
    return Response(status_code=304, headers={"ETag": etag, **(extra or {})})
