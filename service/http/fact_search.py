"""``GET /facts``: one query of facts across authorities, paged like every
listing, as JSON or CSV. "Children in care at 31 March 2025 in every authority"
is ``?measure=children_in_care&effective_from=2025-03-31&effective_to=2025-03-31``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from domain.values import GSS_PATTERN, EffectiveDate, parse_gss_code
from projections.db import Cursor
from projections.fact_query import FactFilter, query_facts
from projections.facts import hydrate
from service.http import csv_export
from service.http.negotiation import wants_csv
from service.http.paging import FACT_KEY, PAGE_PARAMS, window_of
from service.http.params import (
    AS_OF,
    CSV_FORMAT,
    INCLUDE,
    KIND,
    KNOWN_AT,
    MEASURE,
    MIN_POSITION,
    SOURCE,
    Param,
    query,
)
from service.http.views import json_view, runtime

MAX_AUTHORITIES = 200


def _date(name: str, description: str, last: bool) -> Param:
    def parse(text: str) -> date:
        found = EffectiveDate.parse(text, field=name)
        return found.last_day if last else found.first_day

    schema = {"type": "string", "pattern": AS_OF.schema["pattern"]}
    return Param(name, description, schema, parse)


AUTHORITY = Param(
    "authority",
    f"Only facts about this authority (a GSS code); repeat it for several (at most "
    f"{MAX_AUTHORITIES}).",
    {
        "type": "array",
        "items": {"type": "string", "pattern": GSS_PATTERN},
        "maxItems": MAX_AUTHORITIES,
    },
    lambda text: parse_gss_code(text, "authority"),
    repeatable=MAX_AUTHORITIES,
)
REGION = Param(
    "region",
    "Only facts about authorities in this region (as /authorities names it).",
    {"type": "string", "maxLength": 80},
    lambda text: _region(text),
)
EFFECTIVE_FROM = _date(
    "effective_from",
    "Only facts whose effective date starts on or after this date (a year or month "
    "means its first day).",
    last=False,
)
EFFECTIVE_TO = _date(
    "effective_to",
    "Only facts whose effective date starts on or before this date (a year or month "
    "means its last day).",
    last=True,
)
PUBLISHED_BY = _date(
    "published_by",
    "Only facts whose source was published on or before this date: what had been "
    "reported by then.",
    last=True,
)
CURRENT = Param(
    "current",
    "true: for each authority, kind and subject only the fact the current-value "
    "rule picks (the value the authority's state shows; include=history is then "
    "ignored). false, the default: every fact.",
    {"type": "string", "enum": ["true", "false"]},
    lambda text: _flag(text),
)
PARAMS = [
    AUTHORITY,
    REGION,
    KIND,
    MEASURE,
    SOURCE,
    EFFECTIVE_FROM,
    EFFECTIVE_TO,
    AS_OF,
    KNOWN_AT,
    PUBLISHED_BY,
    CURRENT,
    INCLUDE,
    MIN_POSITION,
    CSV_FORMAT,
    *PAGE_PARAMS,
]


def _region(text: str) -> str:
    if len(text) > 80:
        raise DomainError("region is longer than 80 characters")
    return text


def _flag(text: str) -> bool:
    if text not in ("true", "false"):
        raise DomainError("current must be true or false")
    return text == "true"


def fact_filter(params: dict[str, Any], known_at: int | None) -> FactFilter:
    current = bool(params.get("current"))
    return FactFilter(
        authorities=params.get("authority", ()),
        region=params.get("region"),
        kind=params.get("kind"),
        subject=params.get("measure"),
        source=params.get("source"),
        effective_from=params.get("effective_from"),
        effective_to=params.get("effective_to"),
        as_of=params.get("as_of"),
        known_at=known_at,
        published_by=params.get("published_by"),
        current=current,
        history=params.get("include") == "history" and not current,
    )


async def list_all_facts(request: Request) -> Response:
    params = query(request, PARAMS)
    window = window_of(request, params, FACT_KEY)
    log = runtime(request).ledger
    if wants_csv(request, params):
        wanted = fact_filter(params, await csv_export.pinned_known_at(request, params))
        columns, chunk = csv_export.fact_chunks(
            log,
            lambda cur, after, at_most: query_facts(
                cur, wanted, after=after, limit=at_most
            ),
            params.get("kind"),
        )
        return await csv_export.csv_response(
            request, params, columns, chunk, window.after, "facts"
        )
    wanted = fact_filter(params, params.get("known_at"))

    def build(cur: Cursor) -> Any:
        page = window.read(
            lambda after, at_most: query_facts(cur, wanted, after=after, limit=at_most),
            lambda row: row.sort_key,
        )
        return {
            "facts": hydrate(cur, log, page.items),
            "count": len(page.items),
            "next": window.next(page),
        }

    return await json_view(request, params, build)
