"""Proposals over HTTP: post an article for the extractor, list and read proposals,
accept or reject each candidate (all with the bearer token); and the review page,
``/review/{id}``, which holds no proposal and needs no token.

Proposals are not in the views, so their answers are read from their store each
time (no ETag, no response cache) and marked ``Cache-Control: no-store``: they
hold article text that is not public.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from domain.values import is_digits
from service.http.paging import PAGE_PARAMS, window_of
from service.http.params import Param, query
from service.http.problems import ProblemError
from service.http.responses import HTML, json_response
from service.http.views import not_found, runtime
from service.http.writes import authorize, json_body
from service.proposals import Candidate, Proposal, ProposalSummary
from service.review import EXTRACTIONS_AT_ONCE, Review

PROPOSAL_KEY = (str, str)  # created, proposal id
PRIVATE = {"Cache-Control": "no-store"}

PROPOSAL_ID = Param(
    "proposal_id",
    "A proposal id (a UUID).",
    {"type": "string", "format": "uuid"},
    location="path",
    required=True,
)
CANDIDATE = Param(
    "n",
    "A candidate's number in its proposal (from 1).",
    {"type": "integer", "minimum": 1, "maximum": 1000},
    location="path",
    required=True,
)


def review(request: Request) -> Review:
    found: Review = request.app.state.review
    return found


def _proposal_id(request: Request) -> str:
    raw = request.path_params["proposal_id"]
    try:
        return str(UUID(raw))
    except ValueError:
        raise not_found(f"{raw!r} is not a proposal id (a UUID)") from None


def _n(request: Request) -> int:
    raw = request.path_params["n"]
    if not is_digits(raw) or len(raw) > 4 or not 1 <= int(raw) <= 1000:
        raise not_found(f"{raw!r} is not a candidate number (1 to 1000)")
    return int(raw)


def links(proposal_id: str) -> dict[str, str]:
    return {
        "self": f"/proposals/{proposal_id}",
        "review": f"/review/{proposal_id}",
    }


def candidate_json(proposal_id: str, candidate: Candidate) -> dict[str, Any]:
    base = f"/proposals/{proposal_id}/candidates/{candidate.n}"
    data = candidate.as_json()
    data["links"] = {"accept": base + "/accept", "reject": base + "/reject"}
    if candidate.fact_id is not None:
        data["links"]["fact"] = f"/facts/{candidate.fact_id}"
    return data


def proposal_json(proposal: Proposal, with_text: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": proposal.proposal_id,
        "authority": proposal.authority,
        "source": proposal.source,
        "created": proposal.created,
        "recorded_by": proposal.recorded_by,
        "candidates": [
            candidate_json(proposal.proposal_id, c) for c in proposal.candidates
        ],
        "links": links(proposal.proposal_id),
    }
    if with_text:
        data["text"] = proposal.text
    return data


def _summary_json(summary: ProposalSummary) -> dict[str, Any]:
    return {
        "id": summary.proposal_id,
        "authority": summary.authority,
        "source": summary.source,
        "created": summary.created,
        "recorded_by": summary.recorded_by,
        "counts": {
            status: summary.counts.get(status, 0)
            for status in ("proposed", "accepted", "rejected")
        },
        "links": links(summary.proposal_id),
    }


async def post_proposal(request: Request) -> Response:
    rt = runtime(request)
    query(request, [])
    writer = authorize(request, rt)
    body = await json_body(request)
    reviewing = review(request)
    if not reviewing.extracting.acquire(blocking=False):
        raise ProblemError(
            "extractor-busy",
            f"{EXTRACTIONS_AT_ONCE} articles are being read already; retry shortly",
            headers={"Retry-After": "5"},
        )
    try:
        proposal = await run_in_threadpool(reviewing.propose, body, writer)
    finally:
        reviewing.extracting.release()
    answer = proposal_json(proposal, with_text=False)
    return json_response(
        answer,
        status=201,
        headers={"Location": answer["links"]["self"], **PRIVATE},
    )


async def list_proposals(request: Request) -> Response:
    rt = runtime(request)
    params = query(request, PAGE_PARAMS)
    authorize(request, rt)
    window = window_of(request, params, PROPOSAL_KEY)
    store = review(request).store
    page = await run_in_threadpool(store.list, window.after, window.limit)
    next_url = window.next(page)
    body = {
        "proposals": [_summary_json(s) for s in page.items],
        "count": len(page.items),
        "next": next_url,
    }
    headers = dict(PRIVATE)
    if next_url:
        headers["Link"] = f'<{next_url}>; rel="next"'
    return json_response(body, headers=headers)


async def get_proposal(request: Request) -> Response:
    rt = runtime(request)
    query(request, [])
    proposal_id = _proposal_id(request)
    authorize(request, rt)
    proposal = await run_in_threadpool(review(request).store.get, proposal_id)
    if proposal is None:
        raise not_found(f"no proposal has id {proposal_id}")
    return json_response(proposal_json(proposal), headers=PRIVATE)


async def _edits(request: Request) -> dict[str, Any]:
    """An acceptance's body: a JSON object of edits, or no body at all."""
    if request.headers.get("content-length") == "0" and (
        "content-type" not in request.headers
    ):
        return {}
    return await json_body(request)


async def accept_candidate(request: Request) -> Response:
    rt = runtime(request)
    query(request, [])
    writer = authorize(request, rt)
    proposal_id, n = _proposal_id(request), _n(request)
    edits = await _edits(request)
    done = await run_in_threadpool(
        review(request).accept, proposal_id, n, edits, writer
    )
    recorded = done.recorded
    position = recorded.position if recorded.position is not None else rt.log_position()
    fact = f"/facts/{recorded.id}"
    answer = {
        "fact_id": recorded.id,
        "position": position,
        "created": recorded.created,
        "candidate": candidate_json(proposal_id, done.candidate),
        "links": {"fact": fact, "proposal": f"/proposals/{proposal_id}"},
    }
    return json_response(
        answer,
        status=201 if recorded.created else 200,
        headers={"Location": fact, "Carefacts-Position": str(position), **PRIVATE},
    )


async def reject_candidate(request: Request) -> Response:
    rt = runtime(request)
    query(request, [])
    writer = authorize(request, rt)
    proposal_id, n = _proposal_id(request), _n(request)
    body = await json_body(request)
    unexpected = [name for name in body if name != "reason"]
    if unexpected or "reason" not in body:
        raise ProblemError(
            "invalid-value",
            'a rejection is {"reason": "..."} and nothing else',
            errors=[{"field": name, "message": "unexpected"} for name in unexpected]
            or [{"field": "reason", "message": "required"}],
        )
    candidate = await run_in_threadpool(
        review(request).reject, proposal_id, n, body["reason"], writer
    )
    return json_response(
        {"candidate": candidate_json(proposal_id, candidate)}, headers=PRIVATE
    )


REVIEW_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
    "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


async def review_page(request: Request) -> Response:
    """The review page: a frame with no proposal in it, so it needs no token. Its
    script asks for the token, then reads the proposal and sends decisions with
    it in an Authorization header, which no page elsewhere can make a browser
    send."""
    query(request, [])
    proposal_id = _proposal_id(request)
    html = (
        request.app.state.templates.get_template("review.html")
        .render(proposal_id=proposal_id)
        .encode()
    )
    return Response(
        html,
        media_type=HTML,
        headers={"Content-Security-Policy": REVIEW_POLICY, **PRIVATE},
    )
