"""Starlette routes from the operations table (:mod:`service.http.routes`): one
route per path, whatever its methods, so that a 405 lists every method the path
takes in its ``Allow`` header; where an operation has a page, a browser asking
for HTML is sent to it, anyone else to the operation's own handler.

:class:`SegmentRouter` finds a request's route among those that can match its
first path segment, rather than trying every route in turn."""

from __future__ import annotations

from collections.abc import Sequence

from starlette._utils import get_route_path
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router
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
    their order: the same route answers as with Starlette's own loop over every
    route (a full match first, else the first partial one, a 405; else a
    redirect to the path with its trailing slash toggled; else a 404), without
    matching every route's pattern to answer a request (twice, for a 404)."""

    _indexed: tuple[int, dict[str, list[BaseRoute]], list[BaseRoute]] | None = None

    def candidates(self, path: str) -> Sequence[BaseRoute]:
        """The routes that may match ``path``, in the order they are tried."""
        index = self._indexed
        if index is None or index[0] != len(self.routes):
            index = self._indexed = (len(self.routes), *_index(self.routes))
        _, by_segment, anywhere = index
        return by_segment.get(_first_segment(path), anywhere)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().app(scope, receive, send)
            return
        scope.setdefault("router", self)
        route_path = get_route_path(scope)
        routes = self.candidates(route_path)
        partial = partial_scope = None
        for route in routes:
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope["route"] = route
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
            if match is Match.PARTIAL and partial is None:
                partial, partial_scope = route, child_scope
        if partial is not None:
            scope["route"] = partial
            scope.update(partial_scope or {})
            await partial.handle(scope, receive, send)
            return
        if self.redirect_slashes and route_path != "/":
            # Toggling the slash leaves the first segment as it was.
            other = dict(scope)
            if route_path.endswith("/"):
                other["path"] = other["path"].rstrip("/")
            else:
                other["path"] = other["path"] + "/"
            for route in routes:
                if route.matches(other)[0] is not Match.NONE:
                    response = RedirectResponse(url=str(URL(scope=other)))
                    await response(scope, receive, send)
                    return
        await self.default(scope, receive, send)


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
