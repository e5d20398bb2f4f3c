"""What every write request passes before the ledger sees it: a bearer token, a
JSON content type, a size limit and a body that parses to one JSON object."""

from __future__ import annotations

import hmac
import json
from typing import Any

from starlette.requests import Request

from domain.values import is_digits
from service.http.problems import ProblemError
from service.http.views import require_database
from service.runtime import Runtime

MAX_BODY = 1024 * 1024


# The longest number token a body may hold: the longest plain number a fact can
# hold (15 digits, a point, 20 decimals and a sign) fits well inside it.
MAX_NUMBER_LENGTH = 40


class BodyError(ValueError):
    """A body that is JSON but not one the service reads: see :func:`parse_json`."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise BodyError(f"the key {key!r} appears twice in one object")
        data[key] = value
    return data


def _number_text(text: str) -> str:
    if len(text) > MAX_NUMBER_LENGTH:
        raise BodyError(
            f"a number is written with {len(text)} characters; at most "
            f"{MAX_NUMBER_LENGTH} (send a very precise value as a string)"
        )
    return text


def _float(text: str) -> float:
    number = float(_number_text(text))
    if number in (float("inf"), float("-inf")):
        raise BodyError(f"the number {text} is too large")
    return number


def _constant(name: str) -> None:
    raise BodyError(f"{name} is not a JSON number")


def parse_json(body: bytes) -> Any:
    """JSON as RFC 8259 reads it, refusing what would make a value ambiguous or
    costly: a key repeated in an object (which one did the writer mean?), numbers
    written with more than MAX_NUMBER_LENGTH characters, NaN and Infinity."""
    return json.loads(
        body,
        object_pairs_hook=_object,
        parse_int=lambda text: int(_number_text(text)),
        parse_float=_float,
        parse_constant=_constant,
    )


def authorize(request: Request, rt: Runtime) -> str:
    """Check the bearer token (and that the database is there to write to); the
    name of the writer it belongs to."""
    writers = rt.settings.writers
    if not writers:
        raise ProblemError(
            "unauthorized",
            "writes are disabled: no CAREFACTS_WRITE_TOKENS are configured here",
            headers={"WWW-Authenticate": 'Bearer realm="carefacts"'},
        )
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    given = token.strip().encode()
    # Compare against every token, in constant time, so timing reveals nothing.
    writer: str | None = None
    for name, allowed in writers:
        if hmac.compare_digest(given, allowed.encode()) and writer is None:
            writer = name
    if scheme.lower() != "bearer" or not given or writer is None:
        raise ProblemError(
            "unauthorized",
            "send 'Authorization: Bearer <token>' with a valid write token",
            headers={
                "WWW-Authenticate": 'Bearer realm="carefacts", error="invalid_token"'
            },
        )
    require_database(rt)
    return writer


async def json_body(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise ProblemError(
            "unsupported-media-type",
            f"send the body as application/json, not "
            f"{content_type or 'no content type'}",
        )
    declared = request.headers.get("content-length")
    if declared is not None and is_digits(declared) and int(declared) > MAX_BODY:
        raise ProblemError(
            "payload-too-large", f"the body is {declared} bytes; the limit is 1 MiB"
        )
    # Bodies are read and parsed a few at a time: a parsed megabyte of JSON takes
    # tens of megabytes, and nothing else bounds how many writers send at once.
    async with request.app.state.runtime.bodies:
        data = await _read_json(request)
    if not isinstance(data, dict):
        raise ProblemError(
            "invalid-value",
            f"the body must be a JSON object, not {type(data).__name__}",
            errors=[{"field": None, "message": "expected a JSON object"}],
        )
    return data


async def _read_json(request: Request) -> Any:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise ProblemError("payload-too-large", "the body is over the 1 MiB limit")
    try:
        return parse_json(bytes(body))
    except BodyError as error:
        raise ProblemError(
            "malformed-request", f"the body is refused: {error}"
        ) from None
    except RecursionError:
        raise ProblemError(
            "malformed-request", "the body is not valid JSON: it is nested too deeply"
        ) from None
    except ValueError as error:
        raise ProblemError(
            "malformed-request", f"the body is not valid JSON: {error}"
        ) from None
