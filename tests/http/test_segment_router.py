"""The service's router tries only the routes a path's first segment may match,
and answers every request as Starlette's own router does with every route."""

from __future__ import annotations

import asyncio
import re
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import Message, Receive, Scope, Send

from service.asgi import create_app
from service.http.routing import SegmentRouter
from service.settings import Settings


def _answering(name: str) -> Any:
    async def endpoint(request: Request) -> Response:
        return PlainTextResponse(f"{name} {sorted(request.path_params.items())}")

    return endpoint


def _mounted(name: str) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse(f"{name} {scope['path']}")(scope, receive, send)

    return app


def _service_routes() -> list[BaseRoute]:
    """The service's own paths and methods, each answering with its name."""
    app = create_app(Settings())
    copied: list[BaseRoute] = []
    for route in app.router.routes:
        if isinstance(route, Route):
            methods = sorted(route.methods or ())
            copied.append(Route(route.path, _answering(route.path), methods=methods))
        elif isinstance(route, Mount):
            copied.append(Mount(route.path, app=_mounted(route.path)))
    assert len(copied) == len(app.router.routes) >= 30
    return copied


def _paths(routes: list[BaseRoute]) -> list[str]:
    paths = {"/", "", "/nowhere", "/nowhere/", "//", "/static", "/static/x.css"}
    for route in routes:
        path = route.path if isinstance(route, Route | Mount) else "/"
        for value in ("E06000009", "1", "x.json"):
            filled = re.sub(r"\{[^}]+\}", value, path)
            paths |= {filled, filled + "/", filled + "/more", filled.rstrip("/")}
        paths.add(path.split("/{")[0] + "/")
    return sorted(paths)


def _answer(router: Router, method: str, path: str) -> tuple[Any, ...]:
    scope: dict[str, Any] = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "scheme": "http",
        "server": ("testserver", 80),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(router.app(scope, receive, send))
    start = sent[0]
    headers = sorted(
        (name, value) for name, value in start["headers"] if name != b"content-length"
    )
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], headers, body, getattr(scope.get("route"), "path", None)


def test_every_path_and_method_is_answered_as_by_starlettes_router() -> None:
    routes = _service_routes()
    ours, theirs = SegmentRouter(routes), Router(routes)
    paths = _paths(routes)
    assert len(paths) > 150
    statuses = set()
    for path in paths:
        for method in ("GET", "HEAD", "POST", "DELETE"):
            answer = _answer(ours, method, path)
            assert answer == _answer(theirs, method, path), (method, path)
            statuses.add(answer[0])
    # Full matches, 405s, redirects and 404s were all compared.
    assert {200, 405, 307, 404} <= statuses


def test_only_the_routes_a_first_segment_may_match_are_tried() -> None:
    routes: list[BaseRoute] = [
        Route("/", _answering("home")),
        Route("/search", _answering("search")),
        Route("/{anything}/here", _answering("param first")),
        Route("/search/{q}", _answering("search q")),
        Mount("/static", app=_mounted("static")),
    ]
    router = SegmentRouter(routes)

    def tried(path: str) -> list[str]:
        return [cast(Route, route).path for route in router.candidates(path)]

    assert tried("/search/more") == ["/search", "/{anything}/here", "/search/{q}"]
    assert tried("/") == ["/", "/{anything}/here"]
    assert tried("/elsewhere") == ["/{anything}/here"]
    assert tried("/static/a.css") == ["/{anything}/here", "/static"]
    # A route added later is indexed too.
    router.routes.append(Route("/late", _answering("late")))
    assert tried("/late") == ["/{anything}/here", "/late"]


def test_the_application_uses_it() -> None:
    assert isinstance(create_app(Settings()).router, SegmentRouter)
