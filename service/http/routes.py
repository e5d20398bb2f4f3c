"""Every operation of the API in one table: the routes and the OpenAPI document
are both built from it, so neither can list a path the other lacks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from service.http import (
    authorities,
    authority_pages,
    changes,
    events,
    fact_search,
    facts,
    feed,
    health,
    index,
    proposals,
    search,
    sources,
    websub,
)
from service.http.paging import PAGE_PARAMS
from service.http.params import (
    CODE,
    FACT_ID,
    PATH_MEASURE,
    SOURCE_ID,
    Param,
)
from service.http.schemas import FACT_BODY, NEXT, PAGE_COUNT, ref

Handler = Callable[[Request], Awaitable[Response]]

JSON_ERRORS = (400, 404, 405, 422, 503)
WRITE_ERRORS = (400, 401, 404, 405, 409, 413, 415, 422, 503)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    handler: Handler
    summary: str
    params: tuple[Param, ...] = ()
    body: dict[str, Any] | None = None
    ok: tuple[int, ...] = (200,)
    schema: dict[str, Any] | None = None
    media: str = "application/json"
    errors: tuple[int, ...] = JSON_ERRORS
    conditional: bool = True
    tags: tuple[str, ...] = field(default=())
    page: Handler | None = None  # what a browser gets instead (text/html)
    form: dict[str, Any] | None = None  # a form-encoded body's schema
    secured: bool = True  # a POST needs the bearer token (writes to the ledger)
    token_read: bool = False  # a GET that needs the bearer token too


def _list(name: str, item: str, **more: dict[str, Any]) -> dict[str, Any]:
    """A page of a listing: its items, how many, the next page, and ``more``."""
    return {
        "type": "object",
        "properties": {
            **more,
            name: {"type": "array", "items": ref(item)},
            "count": PAGE_COUNT,
            "next": NEXT,
        },
        "required": [*more, name, "count", "next"],
    }


SEARCH_RESULT = {
    "type": "object",
    "properties": {
        "fact": ref("Fact"),
        "authority": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            "required": ["code", "name"],
        },
        "source": {"type": "object"},
        "matched": {
            "enum": ["fact", "source"],
            "description": "fact: the fact's own words match (ranked first); "
            "source: only with its source's title or publisher",
        },
        "links": {"type": "object"},
    },
    "required": ["fact", "authority", "source", "matched", "links"],
}

READ_ERRORS = (400, 401, 404, 405, 422, 503)


def proposals_operations() -> list[Operation]:
    """Proposals and the decisions on their candidates: each needs the token."""
    at = (proposals.PROPOSAL_ID, proposals.CANDIDATE)
    return [
        Operation(
            "POST",
            "/proposals",
            proposals.post_proposal,
            "Propose facts (bearer token): the extractor reads the article's text "
            "and the candidates it finds are kept for review, not recorded",
            body=ref("ProposalBody"),
            ok=(201,),
            schema=ref("Proposal"),
            errors=WRITE_ERRORS,
            conditional=False,
        ),
        Operation(
            "GET",
            "/proposals",
            proposals.list_proposals,
            "Every proposal, oldest first, with its candidates counted by status "
            "(bearer token)",
            tuple(PAGE_PARAMS),
            schema=_list("proposals", "ProposalSummary"),
            errors=READ_ERRORS,
            conditional=False,
            token_read=True,
        ),
        Operation(
            "GET",
            "/proposals/{proposal_id}",
            proposals.get_proposal,
            "One proposal: the article's text and each candidate with its evidence "
            "and decision (bearer token)",
            (proposals.PROPOSAL_ID,),
            schema=ref("Proposal"),
            errors=READ_ERRORS,
            conditional=False,
            token_read=True,
        ),
        Operation(
            "GET",
            "/review/{proposal_id}",
            proposals.review_page,
            "The review page of a proposal, for a browser: it holds no proposal; its "
            "script reads it, and sends each decision, with the curator's token",
            (proposals.PROPOSAL_ID,),
            media="text/html",
            errors=(400, 404, 405),
            conditional=False,
        ),
        Operation(
            "POST",
            "/proposals/{proposal_id}/candidates/{n}/accept",
            proposals.accept_candidate,
            "Accept a candidate, perhaps edited (bearer token): registers the "
            "source if new and records the fact as POST /facts does, with its "
            "evidence span and proposal; a decided candidate is a 409",
            at,
            body=ref("Acceptance"),
            ok=(200, 201),
            schema=ref("AcceptanceReceipt"),
            errors=WRITE_ERRORS,
            conditional=False,
        ),
        Operation(
            "POST",
            "/proposals/{proposal_id}/candidates/{n}/reject",
            proposals.reject_candidate,
            "Reject a candidate, with a reason (bearer token); nothing is recorded; "
            "a decided candidate is a 409",
            at,
            body=ref("Rejection"),
            schema=ref("RejectionReceipt"),
            errors=WRITE_ERRORS,
            conditional=False,
        ),
    ]


OPERATIONS: list[Operation] = [
    Operation(
        "GET",
        "/",
        index.index,
        "For a browser, the list of authorities; for a program, links to the API",
        tuple(index.INDEX_PARAMS),
        schema={"type": "object", "properties": {"links": {"type": "object"}}},
        conditional=False,
        page=authority_pages.authority_list,
    ),
    Operation(
        "GET",
        "/authorities",
        authorities.list_authorities,
        "Every authority (or region, or England) with its codes and links; a page "
        "for a browser",
        tuple(authorities.LIST_PARAMS),
        schema=_list("authorities", "Authority"),
        page=authority_pages.authority_list,
    ),
    Operation(
        "GET",
        "/authorities/{code}",
        authorities.get_authority,
        "Current state: latest rating, office holders, latest count per measure, "
        "money, intervention; each with its fact, date and source",
        (CODE, *authorities.STATE_PARAMS),
        schema={
            "type": "object",
            "properties": {
                "authority": ref("Authority"),
                "as_of": {"type": ["string", "null"]},
                "known_at": {"type": ["integer", "null"]},
                "state": ref("State"),
            },
            "required": ["authority", "as_of", "known_at", "state"],
        },
        page=authority_pages.authority_page,
    ),
    Operation(
        "GET",
        "/authorities/{code}/facts",
        authorities.list_facts,
        "The authority's facts with their provenance",
        (CODE, *authorities.FACTS_PARAMS),
        schema=_list("facts", "Fact", authority=ref("Authority")),
    ),
    Operation(
        "GET",
        "/authorities/{code}/timeline/{measure}",
        authorities.get_timeline,
        "The measure's reports in effective-date order (points, paged), and apart "
        "from them its targets; the current one of each marked",
        (CODE, PATH_MEASURE, *authorities.POINTS_PARAMS),
        schema={
            "type": "object",
            "properties": {
                "authority": ref("Authority"),
                "measure": {"type": "string"},
                "points": {"type": "array", "items": ref("Fact")},
                "targets": {
                    "type": "array",
                    "items": ref("Fact"),
                    "maxItems": authorities.MAX_TARGETS,
                    "description": "The targets set for the measure, in "
                    "effective-date order (the same on every page)",
                },
                "rule": {"type": "string"},
                "next": NEXT,
            },
            "required": ["authority", "measure", "points", "targets", "rule", "next"],
        },
    ),
    Operation(
        "GET",
        "/authorities/{code}/neighbours/{measure}",
        authorities.get_neighbours,
        "A measure for the authority beside its statistical neighbours and England, "
        "for the same date, with each one's rank in England; as CSV with "
        "format=csv, a page for a browser or with format=html",
        (CODE, PATH_MEASURE, *authorities.NEIGHBOURS_PARAMS),
        page=authority_pages.neighbours_page,
        schema={
            "type": "object",
            "properties": {
                "authority": ref("Authority"),
                "measure": {"type": "string"},
                "date": {"type": "string"},
                "value": ref("Fact"),
                "neighbours": {"type": "array", "items": ref("Comparison")},
                "england": ref("Comparison"),
                "neighbours_listed_by": {"anyOf": [ref("Fact"), {"type": "null"}]},
                "rank": ref("Rank"),
                "rate_rank": ref("Rank"),
            },
            "required": [
                "authority",
                "measure",
                "date",
                "value",
                "neighbours",
                "england",
                "rank",
            ],
        },
    ),
    Operation(
        "GET",
        "/facts/{fact_id}",
        facts.get_fact,
        "One fact with all its versions (corrections, retraction); a page for a "
        "browser or with format=html",
        (FACT_ID, *facts.FACT_PARAMS),
        schema={
            "type": "object",
            "properties": {
                "fact": ref("Fact"),
                "versions": {"type": "array", "items": ref("Fact")},
                "links": {"type": "object"},
            },
            "required": ["fact", "versions", "links"],
        },
        page=facts.fact_page,
    ),
    Operation(
        "GET",
        "/facts",
        fact_search.list_all_facts,
        "Facts across authorities, with filters; current=true for the value each "
        "authority's state shows; CSV of the whole result with format=csv",
        tuple(fact_search.PARAMS),
        schema=_list("facts", "Fact"),
    ),
    Operation(
        "GET",
        "/changes",
        changes.list_changes,
        "What was recorded since a log position or a date: each change with its "
        "fact and link, and counts by authority and kind; a recent-changes page "
        "for a browser or with format=html (the last week without since or "
        "since_date)",
        tuple(changes.PARAMS),
        page=changes.recent_changes_page,
        schema=changes.SCHEMA,
    ),
    Operation(
        "POST",
        "/facts",
        facts.post_fact,
        "Record a fact (bearer token). The same fact again is a no-op (200).",
        body=FACT_BODY,
        ok=(200, 201),
        schema=ref("WriteReceipt"),
        errors=WRITE_ERRORS,
        conditional=False,
    ),
    Operation(
        "POST",
        "/facts/{fact_id}/corrections",
        facts.post_correction,
        "Correct some fields of a fact, with a reason (bearer token)",
        (FACT_ID,),
        body=ref("Correction"),
        ok=(200, 201),
        schema=ref("WriteReceipt"),
        errors=WRITE_ERRORS,
        conditional=False,
    ),
    Operation(
        "POST",
        "/facts/{fact_id}/retraction",
        facts.post_retraction,
        "Retract a fact, with a reason (bearer token); it stays in the history",
        (FACT_ID,),
        body=ref("Retraction"),
        ok=(200, 201),
        schema=ref("WriteReceipt"),
        errors=WRITE_ERRORS,
        conditional=False,
    ),
    Operation(
        "GET",
        "/sources",
        sources.list_sources,
        "Every source",
        tuple(sources.SOURCES_PARAMS),
        schema=_list("sources", "Source"),
    ),
    Operation(
        "POST",
        "/sources",
        sources.post_source,
        "Register a source (bearer token). Without an id, one is derived from the "
        "publisher, the publication date and the title's first words. The same "
        "source again is a no-op (200); another under the same id is a 409.",
        body=ref("SourceBody"),
        ok=(200, 201),
        schema=ref("SourceReceipt"),
        errors=WRITE_ERRORS,
        conditional=False,
    ),
    Operation(
        "GET",
        "/sources/{source_id}",
        sources.get_source,
        "One source and the facts it reported; a page for a browser or with "
        "format=html",
        (SOURCE_ID, *sources.SOURCE_PARAMS),
        schema=_list("facts", "Fact", source=ref("Source")),
        page=sources.source_page,
    ),
    Operation(
        "GET",
        "/search",
        search.search,
        "Facts whose summary, people, measure or role, or source's title or publisher "
        "match the words, ranked, each with its authority and source; a page for a "
        "browser or with format=html",
        tuple(search.SEARCH_PARAMS),
        schema={
            "type": "object",
            "properties": {
                "q": {"type": "string"},
                "results": {"type": "array", "items": SEARCH_RESULT},
                "count": PAGE_COUNT,
                "next": NEXT,
            },
            "required": ["q", "results", "count", "next"],
        },
        page=search.results_page,
    ),
    Operation(
        "GET",
        "/events",
        events.list_events,
        "The global log as JSON, in order",
        tuple(events.EVENTS_PARAMS),
        conditional=False,
        schema=events.EVENTS_SCHEMA,
    ),
    *[
        Operation(
            "GET",
            path,
            handler,
            summary,
            params,
            media=media,
            errors=(400, 404, 405, 422),
        )
        for path, handler, summary, params, media in feed.OPERATIONS
    ],
    Operation(
        "POST",
        "/websub",
        websub.subscribe,
        "The WebSub hub: subscribe to a feed (its self URL) or unsubscribe; 202, "
        "then the callback is asked to confirm",
        form=websub.FORM_SCHEMA,
        ok=(202,),
        media="text/plain",
        errors=(400, 404, 405, 413, 415, 422, 429, 503),
        conditional=False,
        secured=False,
    ),
    *proposals_operations(),
    Operation(
        "GET",
        "/healthz",
        health.healthz,
        "Liveness, with the log and view positions",
        conditional=False,
        errors=(400, 405),
        schema={
            "type": "object",
            "properties": {
                "status": {"type": "string"},
                "log_position": {"type": "integer"},
                "views": {"type": "object"},
                "views_position": {"type": "integer"},
                "lag": {"type": "integer"},
                "worker_error": {"type": ["string", "null"]},
                "waiting": {"type": "integer"},
            },
            "required": ["status", "log_position", "views", "lag"],
        },
    ),
]
