"""The web application: ``create_app(settings)`` wires everything in the lifespan.

Nothing is built at import time. On start the lifespan opens the ledger and its
views, starts the projection worker and the position watch; on stop it closes
them. ``app_from_env`` is the factory uvicorn calls (``carefacts serve``).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Lifespan

from service.composition import Carefacts
from service.http import problems
from service.http.middleware import BodyDeadline, SecurityHeaders
from service.http.openapi import openapi_document, openapi_json
from service.http.routing import SegmentRouter, routes
from service.postgres import Election
from service.review import Review, extract_with_intake
from service.runtime import PositionWatch, Runtime
from service.settings import Settings
from service.templating import templates
from service.websub.delivery import Deliverer
from service.websub.hub import Hub

STATIC = Path(__file__).parent / "static"


class Service(Starlette):
    """Starlette with the security headers outside even its error handling, so
    that an unexpected error's 500 carries them too, and a router that tries
    only the routes a path's first segment may match."""

    def __init__(
        self,
        routes: list[BaseRoute],
        lifespan: Lifespan[Starlette],
        middleware: list[Middleware],
    ) -> None:
        super().__init__(routes=routes, lifespan=lifespan, middleware=middleware)
        self.router = SegmentRouter(routes, lifespan=lifespan)

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(settings: Settings, *, freeze: bool = False) -> Starlette:
    """The application. ``freeze``: once started, keep what start-up built out
    of the cyclic garbage collector's full passes (for a serving process, where
    it lives as long as the process; tests build many apps in one and leave it
    off)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        core = await run_in_threadpool(Carefacts.open, settings)
        watch = PositionWatch(asyncio.get_running_loop(), core.worker.position)
        core.worker.listeners.append(watch.advance_threadsafe)
        core.start_background()
        rt = app.state.runtime = Runtime(core, watch)
        app.state.websub = Hub(rt, core.subscriptions)
        app.state.review = Review(core.ledger, core.proposals, extract_with_intake)
        election = Election(settings, "websub") if settings.uses_postgres else None
        deliverer = Deliverer(
            rt,
            core.subscriptions,
            election.held if election else lambda: settings.run_worker,
        )
        app.state.deliverer = deliverer
        core.worker.listeners.append(deliverer.wake)
        deliverer.start()
        if freeze:
            # A request allocates thousands of short-lived objects (a listing's
            # documents), so collections are frequent; with the modules,
            # templates and schemas frozen, each walks only what requests made.
            gc.freeze()
        try:
            yield
        finally:
            await run_in_threadpool(deliverer.stop)
            rt.close()
            app.state.websub.close()
            if election is not None:
                election.close()
            await run_in_threadpool(core.close)

    app = Service(
        routes=[
            *routes(),
            Route("/openapi.json", openapi_json, methods=["GET", "HEAD"]),
            Route("/problems/{slug}", problems.problem_type, methods=["GET", "HEAD"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
        middleware=[Middleware(BodyDeadline, seconds=settings.body_timeout)],
    )
    app.state.settings = settings
    app.state.templates = templates()
    app.state.openapi = openapi_document(settings.base_url)
    problems.install(app)
    return app


def app_from_env() -> Starlette:
    """The uvicorn factory: settings from the environment."""
    return create_app(Settings.from_env(), freeze=True)
