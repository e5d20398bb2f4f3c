"""Starlette routes from the operations table (:mod:`service.http.routes`): one
route per path, whatever its methods, so that a 405 lists every method the path
takes in its ``Allow`` header; where an operation has a page, a browser asking
for HTML is sent to it, anyone else to the operation's own handler."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.http.negotiation import wants_html
from service.http.routes import OPERATIONS, Handler, Operation


def routes(extra: list[Operation] | None = None) -> list[Route]:
    by_path: dict[str, dict[str, Handler]] = {}
    for op in [*OPERATIONS, *(extra or [])]:
        if op.method in by_path.setdefault(op.path, {}):
            raise ValueError(f"{op.method} {op.path} is in the table twice")
        by_path[op.path][op.method] = (
            op.handler if op.page is None else _negotiated(op.handler, op.page)
        )
    result = []
    for path, handlers in by_path.items():
        methods = [*handlers, "HEAD"] if "GET" in handlers else list(handlers)
        handler = next(iter(handlers.values()))
        result.append(
            Route(
                path,
                handler if len(handlers) == 1 else _by_method(handlers),
                methods=methods,
            )
        )
    return result


def _by_method(handlers: dict[str, Handler]) -> Handler:
    async def endpoint(request: Request) -> Response:
        return await handlers["GET" if request.method == "HEAD" else request.method](
            request
        )

    return endpoint


def _negotiated(handler: Handler, page: Handler) -> Handler:
    async def endpoint(request: Request) -> Response:
        return await (page if wants_html(request) else handler)(request)

    return endpoint
