"""Search: ``GET /search?q=`` over facts, people and sources, as JSON, CSV or a page.

Any text is a valid ``q`` (see :mod:`projections.search_words`); one with no
words in it finds nothing. Results are ranked and paged like every listing, each
with its fact, authority and source; ``authority``, ``kind``, ``as_of`` and
``published_by`` narrow them.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.values import GSS_PATTERN, parse_gss_code
from projections.db import Cursor
from projections.fact_query import authority_names
from projections.fact_records import FACT_COLUMNS, own_columns, own_fields
from projections.facts import hydrate
from projections.keyset import Key
from projections.logged_events import EventLog
from projections.search import SearchFilters, search_hits, search_page
from projections.search_words import QUERY_CHARACTERS, parse_query
from service.http import csv_export
from service.http.negotiation import wants_csv
from service.http.paging import PAGE_PARAMS, Window, window_of
from service.http.params import (
    AS_OF,
    KIND,
    MIN_POSITION,
    PAGE_FORMAT,
    PUBLISHED_BY,
    Param,
    query,
)
from service.http.responses import HTML, render
from service.http.views import cached_view, json_view, runtime

SEARCH_KEY = (int, int)  # (tier, position): see projections.search

Q = Param(
    "q",
    "Words to find in facts' summaries, people's names, measures and roles, and "
    'sources\' titles and publishers. Any text: "quoted phrases", -word to '
    f"exclude, 'or' between alternatives; the first {QUERY_CHARACTERS} characters "
    "are read. Without it, or with no words in it, nothing is found.",
    {"type": "string"},
    examples=("Lincoln",),
)
AUTHORITY = Param(
    "authority",
    "Only facts about this authority (its GSS code).",
    {"type": "string", "pattern": GSS_PATTERN},
    lambda text: parse_gss_code(text, "authority"),
    examples=("E06000009",),
)
SEARCH_PARAMS = [
    Q,
    AUTHORITY,
    KIND,
    AS_OF,
    PUBLISHED_BY,
    MIN_POSITION,
    PAGE_FORMAT,
    *PAGE_PARAMS,
]


def _filters(params: dict[str, Any]) -> SearchFilters:
    return SearchFilters(
        authority=params.get("authority"),
        kind=params.get("kind"),
        as_of=params.get("as_of"),
        published_by=params.get("published_by"),
    )


def result_columns(kind: str | None) -> tuple[str, ...]:
    """A search's CSV: how each fact matched, then a fact listing's columns."""
    return ("matched", *FACT_COLUMNS, *own_fields(kind))


def search_results(
    cur: Cursor,
    log: EventLog,
    dialect: str,
    params: dict[str, Any],
    window: Window,
    known_names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One page of results as the JSON body (and the rows of any other format);
    ``known_names``: authorities' names already read (see authority_names)."""
    filters = _filters(params)
    words = parse_query(params.get("q", ""))
    page = window.read(
        lambda after, at_most: search_hits(
            cur, dialect, words, filters, after, at_most
        ),
        lambda hit: hit.key,
    )
    facts = hydrate(cur, log, [hit.row for hit in page.items])
    names = authority_names(cur, {doc["authority"] for doc in facts}, known_names)
    results = [
        {
            "fact": doc,
            "authority": {
                "code": doc["authority"],
                "name": names.get(doc["authority"], doc["authority"]),
                "links": {"self": f"/authorities/{doc['authority']}"},
            },
            "source": {
                **doc["source"],
                "links": {"self": f"/sources/{doc['source']['id']}"},
            },
            "matched": hit.matched,
            "links": {"self": f"/facts/{doc['fact_id']}"},
        }
        for hit, doc in zip(page.items, facts, strict=True)
    ]
    return {
        "q": params.get("q", ""),
        "results": results,
        "count": len(results),
        "next": window.next(page),
    }


async def search(request: Request) -> Response:
    params = query(request, SEARCH_PARAMS)
    rt = runtime(request)
    window = window_of(request, params, SEARCH_KEY)
    dialect = rt.views.dialect
    if wants_csv(request, params):
        own = own_columns(params.get("kind"))
        filters, words = _filters(params), parse_query(params.get("q", ""))

        def chunk(cur: Cursor, after: Key | None, at_most: int) -> csv_export.Chunk:
            page = search_page(cur, dialect, words, filters, after, at_most)
            rows = [hit.row for hit in page.items]
            facts = csv_export.records(cur, rt.ledger, rows, own)
            return csv_export.Records(
                [hit.matched, *record]
                for hit, record in zip(page.items, facts, strict=True)
            ), page.last_key

        return await csv_export.csv_response(
            request,
            params,
            result_columns(params.get("kind")),
            chunk,
            window.after,
            "search",
        )
    params.pop("format", None)

    def build(cur: Cursor) -> Any:
        return search_results(
            cur, rt.ledger, dialect, params, window, rt.names.authorities
        )

    return await json_view(request, params, build)


async def results_page(request: Request) -> Response:
    """The same results as a page, with the search form."""
    params = query(request, SEARCH_PARAMS)
    rt = runtime(request)
    window = window_of(request, params, SEARCH_KEY)
    params.pop("format", None)

    def build(cur: Cursor) -> bytes:
        body = search_results(
            cur, rt.ledger, rt.views.dialect, params, window, rt.names.authorities
        )
        return render(request, "search.html", **body, search_q=body["q"])

    return await cached_view(request, params, build, variant="h", media=HTML)
