"""Starlette routes from the operations table (:mod:`service.http.routes`): one
route per path, whatever its methods, so that a 405 lists every method the path
takes in its ``Allow`` header; where an operation has a page, a browser asking
for HTML is sent to it, anyone else to the operation's own handler.

:class:`SegmentRouter` finds a request's route among those that can match its
first path segment, rather than trying every route in turn."""

from __future__ import annotations

from collections.abc import Sequence

from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import Receive, Scope, Send

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


class SegmentRouter(Router):
    """Starlette's router, trying for each request only the routes whose first
    path segment is the request's (or is a parameter, or cannot be told), in
    their order. Each segment has a Starlette router of its own over those
    routes, so the same rules answer as with every route (a full match, else
    the first partial one, a 405; else a redirect to the path with its trailing
    slash toggled, which keeps its first segment; else a 404), without matching
    every route's pattern to answer a request (twice, for a 404)."""

    _indexed: tuple[int, dict[str, Router], Router] | None = None

    def candidates(self, path: str) -> Sequence[BaseRoute]:
        """The routes that may match ``path``, in the order they are tried."""
        return self._router_for(path).routes

    def _router_for(self, path: str) -> Router:
        index = self._indexed
        if index is None or index[0] != len(self.routes):
            segments, elsewhere = _index(self.routes)
            index = self._indexed = (
                len(self.routes),
                {name: self._over(routes) for name, routes in segments.items()},
                self._over(elsewhere),
            )
        _, routers, anywhere = index
        return routers.get(_first_segment(path), anywhere)

    def _over(self, routes: list[BaseRoute]) -> Router:
        return Router(
            routes, redirect_slashes=self.redirect_slashes, default=self.default
        )

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().app(scope, receive, send)
            return
        scope.setdefault("router", self)  # url_for sees every route
        await self._router_for(get_route_path(scope)).app(scope, receive, send)


def _first_segment(path: str) -> str:
    return path[1:].split("/", 1)[0]


def _index(
    routes: Sequence[BaseRoute],
) -> tuple[dict[str, list[BaseRoute]], list[BaseRoute]]:
    # A route's first segment, when it is plain text; None when any may match
    # (a parameter there, or a route that is not matched by path).
    def segment(route: BaseRoute) -> str | None:
        if isinstance(route, Route | Mount):
            first = _first_segment(route.path)
            return None if "{" in first else first
        return None

    named = [(route, segment(route)) for route in routes]
    anywhere = [route for route, name in named if name is None]
    by_segment = {
        name: [route for route, its in named if its in (name, None)]
        for name in {name for _, name in named if name is not None}
    }
    return by_segment, anywhere
