"""Query and path parameters: each declared once, used to parse requests and to
describe them.

A handler names the parameters it accepts; anything else in the query string is
a 400, a value that does not parse a 422 naming the parameter. A path parameter
that does not parse names no resource: a 404. The OpenAPI description is
generated from the same declarations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from starlette.requests import Request

from domain.errors import DomainError
from domain.kinds import KINDS
from domain.values import (
    DATE_PATTERN,
    GSS_PATTERN,
    MEASURE_PATTERN,
    SLUG_PATTERN,
    EffectiveDate,
    is_digits,
    parse_gss_code,
    parse_measure,
    parse_slug,
)
from service.http.problems import ProblemError


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    schema: dict[str, Any]
    parse: Callable[[str], object] = str
    location: str = "query"
    required: bool = False
    examples: tuple[str, ...] = field(default=())
    repeatable: int = 0  # how many times it may be given; 0: once


def _as_of(text: str) -> date:
    """A date, or a year or month meaning its last day."""
    return EffectiveDate.parse(text, field="as_of").last_day


def _published_by(text: str) -> date:
    return EffectiveDate.parse(text, field="published_by").last_day


MAX_POSITION = 10**18 - 1


def _position(text: str) -> int:
    # Leading zeros are allowed, but not so many that reading them costs.
    if not is_digits(text) or len(text) > 40 or int(text) > MAX_POSITION:
        raise DomainError(
            f"{text[:40]!r} is not a log position (a whole number up to {MAX_POSITION})"
        )
    return int(text)


def _limit(text: str) -> int:
    if not is_digits(text) or len(text) > 18 or not 1 <= int(text) <= 1000:
        raise DomainError("limit must be a whole number from 1 to 1000")
    return int(text)


CURSOR_PATTERN = r"^[A-Za-z0-9_-]{16,512}$"
_CURSOR = re.compile(CURSOR_PATTERN, re.ASCII)


def _cursor(text: str) -> str:
    # Only the shape here: what it holds is checked against the listing (paging).
    if not _CURSOR.match(text):
        raise DomainError(
            "cursor must be the one in a page's 'next' link (16 to 512 letters, "
            "digits, '-' and '_')"
        )
    return text


def _choice(*allowed: str) -> Callable[[str], object]:
    def parse(text: str) -> object:
        if text not in allowed:
            raise DomainError(f"{text!r} is not one of: {', '.join(allowed)}")
        return text

    return parse


AS_OF = Param(
    "as_of",
    "State of the world on this date: only facts effective on or before it. A year "
    "or month means its last day.",
    {"type": "string", "pattern": DATE_PATTERN},
    _as_of,
    examples=("2019-02-01",),
)
PUBLISHED_BY = Param(
    "published_by",
    "What had been reported by this date: only facts whose source was published "
    "on or before it (a source dated to a month or a year counts from its end; "
    "one of unknown date is left out). A year or month means its last day.",
    {"type": "string", "pattern": DATE_PATTERN},
    _published_by,
    examples=("2019-02-01",),
)
KNOWN_AT = Param(
    "known_at",
    "What the ledger knew at this log position (inclusive): later facts, corrections "
    "and retractions are ignored.",
    {"type": "integer", "minimum": 0, "maximum": MAX_POSITION},
    _position,
)
MIN_POSITION = Param(
    "min_position",
    "Read your writes: wait (up to 10 s) until the views include this log position, "
    "as returned by a write.",
    {"type": "integer", "minimum": 0, "maximum": MAX_POSITION},
    _position,
)
KIND = Param(
    "kind",
    "Only facts of this kind.",
    {"type": "string", "enum": sorted(KINDS)},
    _choice(*sorted(KINDS)),
)
MEASURE = Param(
    "measure",
    "Only facts about this measure, role or subject (e.g. children_in_care).",
    {"type": "string", "pattern": MEASURE_PATTERN},
    lambda text: parse_measure(text, "measure"),
)
SOURCE = Param(
    "source",
    "Only facts from this source id.",
    {"type": "string", "pattern": SLUG_PATTERN},
    lambda text: parse_slug(text, "source"),
)
INCLUDE = Param(
    "include",
    "history: every recorded version, corrected and retracted ones included.",
    {"type": "string", "enum": ["history"]},
    _choice("history"),
)
AFTER = Param(
    "after",
    "Events after this log position (0 for the beginning).",
    {"type": "integer", "minimum": 0, "maximum": MAX_POSITION},
    _position,
)
# When a read of the views stands: what was in force, what had been published and
# what the ledger knew; and the write it must include.
TIMES = (AS_OF, PUBLISHED_BY, KNOWN_AT, MIN_POSITION)
LIMIT = Param(
    "limit",
    "At most this many on a page (1 to 1000, default 100).",
    {"type": "integer", "minimum": 1, "maximum": 1000},
    _limit,
)
CURSOR = Param(
    "cursor",
    "Where a page starts: opaque, taken from the 'next' link of the page before "
    "(which keeps the same filters). Without it, the first page.",
    {"type": "string", "pattern": CURSOR_PATTERN},
    _cursor,
)
LEVEL = Param(
    "level",
    "authority (default), region, country or all.",
    {"type": "string", "enum": ["authority", "region", "country", "all"]},
    _choice("authority", "region", "country", "all"),
)


def _path(parse: Callable[[str], object], refusal: str) -> Callable[[str], object]:
    """A path parameter's parser, refusing what does not parse with ``refusal``
    (``{raw!r}`` in it is the text given)."""

    def parse_path(raw: str) -> object:
        try:
            return parse(raw)
        except (DomainError, ValueError):
            raise DomainError(refusal.format(raw=raw)) from None

    return parse_path


CODE = Param(
    "code",
    "The authority's GSS code, e.g. E06000009 (Blackpool).",
    {"type": "string", "pattern": GSS_PATTERN},
    _path(
        lambda raw: parse_gss_code(raw, "code"),
        "{raw!r} is not a GSS code such as E06000009",
    ),
    location="path",
    required=True,
    examples=("E06000009",),
)
FACT_ID = Param(
    "fact_id",
    "A fact id (a UUID).",
    {"type": "string", "format": "uuid"},
    _path(UUID, "{raw!r} is not a fact id (a UUID)"),
    location="path",
    required=True,
)
SOURCE_ID = Param(
    "source_id",
    "A source id.",
    {"type": "string", "pattern": SLUG_PATTERN},
    _path(lambda raw: parse_slug(raw, "source_id"), "{raw!r} is not a source id"),
    location="path",
    required=True,
)
PATH_MEASURE = Param(
    "measure",
    "A measure, role or subject, e.g. children_in_care or ofsted_rating.",
    {"type": "string", "pattern": MEASURE_PATTERN},
    parse_measure,  # its own message names what a measure is
    location="path",
    required=True,
)


def path(request: Request, param: Param) -> Any:
    """A path parameter, parsed; one that does not parse is a 404 (no resource
    has that name), never a 422."""
    try:
        return param.parse(request.path_params[param.name])
    except DomainError as error:
        raise ProblemError("not-found", error.message) from None


def _format(*allowed: str) -> Param:
    def parse(text: str) -> object:
        if text not in allowed:
            raise DomainError(f"format must be one of: {', '.join(allowed)}")
        return text

    return Param(
        "format",
        f"{' or '.join(allowed)}; without it, the Accept header decides. csv is the "
        "whole listing in one response, every page's rows in order.",
        {"type": "string", "enum": list(allowed)},
        parse,
    )


# A listing's format; a listing that has a page too; a resource with a page.
CSV_FORMAT = _format("json", "csv")
PAGE_FORMAT = _format("json", "csv", "html")


def _html_format(value: str) -> str:
    if value not in ("json", "html"):
        raise DomainError(f"format {value!r} is not json or html")
    return value


FORMAT = Param(
    "format",
    "json or html; without it, the Accept header decides.",
    {"type": "string", "enum": ["json", "html"]},
    _html_format,
)


def answers_csv(param: Param) -> bool:
    """Whether an operation taking ``param`` can answer CSV (for its description)."""
    return param.name == "format" and "csv" in param.schema.get("enum", ())


def _text(name: str, description: str, limit: int = 80) -> Param:
    def parse(value: str) -> str:
        if len(value) > limit:
            raise DomainError(f"{name} is longer than {limit} characters")
        return value.strip()

    return Param(name, description, {"type": "string", "maxLength": limit}, parse)


# The authority list's own: its JSON takes them too, and sorts by name or region.
SEARCH = _text("q", "Only authorities whose name contains this (HTML list).")
REGION = _text("region", "Only authorities in this region (HTML list).")
SORTS = ("name", "region", "judgement", "children")


def _sort(value: str) -> str:
    if value not in SORTS:
        raise DomainError(f"sort {value!r} is not one of: {', '.join(SORTS)}")
    return value


SORT = Param(
    "sort",
    "name, region, judgement or children (HTML list).",
    {"type": "string", "enum": list(SORTS)},
    _sort,
)


def query(request: Request, allowed: Sequence[Param]) -> dict[str, Any]:
    """Parse the query string against the allowed parameters."""
    if not request.scope["query_string"]:
        return {}  # the common case, without building QueryParams
    by_name = {p.name: p for p in allowed if p.location == "query"}
    values: dict[str, Any] = {}
    items = request.query_params.multi_items()
    for name, _ in items:
        if name not in by_name:
            names = ", ".join(sorted(by_name)) or "none"
            raise ProblemError(
                "malformed-request",
                f"unknown query parameter {name!r}; this resource accepts: {names}",
            )
    errors = []
    for name, raw in items:
        param = by_name[name]
        if name in values and not param.repeatable:
            raise ProblemError(
                "malformed-request", f"query parameter {name!r} is given twice"
            )
        try:
            value = param.parse(raw)
        except DomainError as error:
            errors.append({"field": name, "message": error.message})
            continue
        if param.repeatable:
            given = values.setdefault(name, ())
            if len(given) >= param.repeatable:
                raise ProblemError(
                    "malformed-request",
                    f"query parameter {name!r} is given more than "
                    f"{param.repeatable} times",
                )
            values[name] = (*given, value)
        else:
            values[name] = value
    if errors:
        raise ProblemError("invalid-value", errors[0]["message"], errors=errors)
    return values
