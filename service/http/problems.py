"""Errors as RFC 9457 problem details, mapped from domain errors in one place.

Handlers raise :class:`Problem` (or let a domain error through); the exception
handlers installed by :func:`install` turn either into ``application/problem+json``
with a status, a title, a helpful detail and, for invalid values, every field at
fault. Nothing is recorded on any error: writes only happen after validation.
Each problem type is described at ``/problems/{slug}`` (:func:`problem_type`).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import orjson
import psycopg
from eventsourcing.persistence import PersistenceError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from domain.errors import (
    DomainError,
    FactConflictError,
    FactRetractedError,
    RegistrationConflictError,
    UnknownAuthorityError,
    UnknownFactError,
    UnknownSourceError,
)
from projections.db import ViewsUnavailableError
from service.http.responses import json_response
from service.postgres import DatabaseUnavailableError
from service.proposals import DecidedError, UnknownProposalError

logger = logging.getLogger("carefacts")

# What a lost or overloaded database raises, from the library, psycopg or sqlite3.
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    PersistenceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
    ViewsUnavailableError,
    DatabaseUnavailableError,
)

PROBLEM_TYPES: dict[str, tuple[int, str, str]] = {
    "malformed-request": (
        400,
        "Malformed request",
        "The body is not valid JSON or a query parameter is not understood.",
    ),
    "unauthorized": (
        401,
        "Missing or wrong bearer token",
        "Writes need 'Authorization: Bearer <token>' with a token from "
        "CAREFACTS_WRITE_TOKENS; with none configured, writes are refused.",
    ),
    "not-found": (
        404,
        "Not found",
        "No resource has this address: an unknown authority code, fact id, "
        "source id or path.",
    ),
    "method-not-allowed": (
        405,
        "Method not allowed",
        "The resource exists but does not accept this method; see the Allow header.",
    ),
    "not-acceptable": (
        406,
        "Not acceptable",
        "The resource has no representation in the requested media type.",
    ),
    "request-timeout": (
        408,
        "Request timeout",
        "The request's headers or body did not arrive in time (the server's header "
        "and body timeouts); send it again, whole.",
    ),
    "conflict": (
        409,
        "Conflict",
        "A different fact is already recorded under this id, or the fact was "
        "retracted; post a correction or a new fact instead. A proposed fact "
        "already accepted or rejected cannot be decided again.",
    ),
    "payload-too-large": (
        413,
        "Request body too large",
        "Request bodies are limited to 1 MiB.",
    ),
    "unsupported-media-type": (
        415,
        "Unsupported media type",
        "Send the body as application/json.",
    ),
    "invalid-value": (
        422,
        "Invalid value",
        "The request is well-formed but a value is not acceptable; each field at "
        "fault is listed in 'errors'.",
    ),
    "too-many-subscriptions": (
        429,
        "Too many subscriptions",
        "The callback's host holds as many WebSub subscriptions as one host may "
        "(CAREFACTS_WEBSUB_MAX_PER_HOST); unsubscribe some first.",
    ),
    "hub-busy": (
        503,
        "Hub busy",
        "Too many verifications of intent are under way; retry after the seconds "
        "in Retry-After.",
    ),
    "extractor-busy": (
        503,
        "Extractor busy",
        "As many articles as the service reads at once are being read for "
        "proposals; retry after the seconds in Retry-After.",
    ),
    "headers-too-large": (
        431,
        "Request headers too large",
        "The request line and headers are limited to 64 KiB.",
    ),
    "internal-error": (
        500,
        "Internal error",
        "Something went wrong that should not have; the server logged it.",
    ),
    "not-ready": (
        503,
        "Not ready",
        "The views have not caught up with the requested position yet, or the "
        "database is unreachable; retry after the seconds in Retry-After.",
    ),
    "overloaded": (
        503,
        "Too many connections",
        "The server is serving as many connections as it is set to "
        "(CAREFACTS_MAX_CONNECTIONS); retry after the seconds in Retry-After.",
    ),
}


class ProblemError(Exception):
    """An HTTP error with a problem type, a detail and optional extra members."""

    def __init__(
        self,
        slug: str,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.slug = slug
        self.status = status or PROBLEM_TYPES[slug][0]
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(
    request: Request, problem: ProblemError, with_position: bool = True
) -> Response:
    base = request.app.state.settings.base_url
    body: dict[str, Any] = {
        "type": f"{base}/problems/{problem.slug}",
        "title": PROBLEM_TYPES.get(problem.slug, (0, "Error", ""))[1],
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.url.path,
    }
    if problem.errors:
        body["errors"] = problem.errors
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is not None and with_position:
        body["log_position"] = runtime.log_position()
    return Response(
        orjson.dumps(body),
        status_code=problem.status,
        media_type="application/problem+json",
        headers=problem.headers,
    )


def from_domain(error: DomainError) -> ProblemError:
    """The one mapping from domain errors to HTTP problems."""
    if isinstance(error, (UnknownFactError, UnknownProposalError)):
        return ProblemError("not-found", error.message)
    if isinstance(error, DecidedError):
        return ProblemError("conflict", error.message)
    if isinstance(
        error, (FactConflictError, FactRetractedError, RegistrationConflictError)
    ):
        return ProblemError("conflict", error.message)
    if isinstance(error, (UnknownAuthorityError, UnknownSourceError)):
        return ProblemError("invalid-value", error.message, errors=_errors(error))
    return ProblemError("invalid-value", error.message, errors=_errors(error))


def _errors(error: DomainError) -> list[dict[str, Any]]:
    errors: list[DomainError] = getattr(error, "errors", None) or [error]
    return [{"field": e.field, "message": e.message} for e in errors]


_HTTP_SLUGS = {
    400: "malformed-request",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "payload-too-large",
    415: "unsupported-media-type",
}


def install(app: Starlette) -> None:
    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return problem_response(request, exc)

    async def on_domain(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DomainError)
        return problem_response(request, from_domain(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        slug = _HTTP_SLUGS.get(exc.status_code, "malformed-request")
        detail = (
            exc.detail
            if exc.detail and exc.detail != _reason(exc.status_code)
            else (
                f"no resource at {request.url.path}"
                if exc.status_code == 404
                else f"{request.method} is not allowed on {request.url.path}"
                if exc.status_code == 405
                else PROBLEM_TYPES[slug][2]
            )
        )
        headers = dict(exc.headers or {})
        return problem_response(
            request, ProblemError(slug, detail, headers=headers, status=exc.status_code)
        )

    async def on_database(request: Request, exc: Exception) -> Response:
        detail = (
            f"the database is unavailable: {str(exc).strip() or type(exc).__name__}"
        )
        problem = ProblemError("not-ready", detail, headers={"Retry-After": "5"})
        return problem_response(request, problem, with_position=False)

    async def on_disconnect(request: Request, exc: Exception) -> Response:
        # The client's choice, not a fault here: one line, and nobody to answer.
        client = request.client
        logger.warning(
            "%s %s: the client%s went away before sending the whole body",
            request.method,
            request.url.path,
            f" {client.host}:{client.port}" if client else "",
        )
        return Response(status_code=400)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # A bug: say so in the problem format, and leave the traceback in the log.
        logger.error(
            "unexpected error answering %s %s",
            request.method,
            request.url.path,
            exc_info=exc,
        )
        problem = ProblemError(
            "internal-error", "an unexpected error; it has been logged"
        )
        return problem_response(request, problem, with_position=False)

    for error in DATABASE_ERRORS:
        app.add_exception_handler(error, on_database)
    app.add_exception_handler(ClientDisconnect, on_disconnect)
    app.add_exception_handler(Exception, on_unexpected)
    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(DomainError, on_domain)
    app.add_exception_handler(HTTPException, on_http)


def _reason(status: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(status).phrase


async def problem_type(request: Request) -> Response:
    slug = request.path_params["slug"]
    if slug not in PROBLEM_TYPES:
        raise ProblemError("not-found", f"no problem type {slug!r}")
    status, title, description = PROBLEM_TYPES[slug]
    return json_response(
        {"type": slug, "status": status, "title": title, "description": description}
    )
