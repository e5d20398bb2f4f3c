"""Facts: read one with its versions; record, correct and retract (authenticated)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from domain.provenance import Provenance
from projections.db import Cursor
from projections.facts import fact_versions, hydrate
from service import fact_page, pages
from service.application import Recorded
from service.http.params import MIN_POSITION, query
from service.http.problems import ProblemError
from service.http.responses import json_response
from service.http.views import json_view, not_found, runtime
from service.http.writes import authorize, json_body
from service.runtime import Runtime


def _fact_id(request: Request) -> UUID:
    raw = request.path_params["fact_id"]
    try:
        return UUID(raw)
    except ValueError:
        raise not_found(f"{raw!r} is not a fact id (a UUID)") from None


def _fact_document(cur: Cursor, log: Any, fact_id: str) -> dict[str, Any] | None:
    versions = fact_versions(cur, fact_id)
    if not versions:
        return None
    docs = hydrate(cur, log, versions)
    latest = docs[-1]
    return {
        "fact": latest,
        "versions": docs,
        "links": {
            **_links(fact_id),
            "authority": f"/authorities/{latest['authority']}",
            "source": f"/sources/{latest['source']['id']}",
        },
    }


def _links(fact_id: str) -> dict[str, str]:
    return {
        "self": f"/facts/{fact_id}",
        "corrections": f"/facts/{fact_id}/corrections",
        "retraction": f"/facts/{fact_id}/retraction",
    }


FRESH_FACT_SECONDS = 2.0


async def get_fact(request: Request) -> Response:
    fact_id = str(_fact_id(request))
    params = query(request, [MIN_POSITION, pages.FORMAT])
    rt = runtime(request)
    log = rt.ledger
    if "min_position" not in params and rt.view_position() < rt.log_position():
        # A fact just written (its Location was answered at once) is found once
        # the views catch up: wait for them briefly rather than answer 404.
        await rt.watch.wait(rt.log_position(), FRESH_FACT_SECONDS)
    if pages.wants_html(request):
        return await fact_page.fact_page(request, fact_id, params)

    def build(cur: Cursor) -> Any:
        document = _fact_document(cur, log, fact_id)
        if document is None:
            raise not_found(f"no fact has id {fact_id}")
        return document

    return await json_view(request, params, build)


async def _answer(rt: Runtime, recorded: Recorded) -> Response:
    """201 with Location and the log position for a new event; 200 with the
    resource as it stands when nothing new was recorded.

    A new event's answer does not wait for the views: the write is durable once
    recorded, and a client reads it back with ``min_position`` (read your writes).
    """
    headers = {"Location": f"/facts/{recorded.id}"}
    body: dict[str, Any] = {"fact_id": recorded.id, "created": recorded.created}
    if recorded.position is not None:
        body["position"] = recorded.position
        body["links"] = _links(recorded.id)
    else:
        body["position"] = rt.log_position()
        # The fact was recorded earlier, perhaps a moment ago by another client.
        await rt.watch.wait(body["position"], 2.0)
        document = await rt.read(
            lambda cur: _fact_document(cur, rt.ledger, recorded.id)
        )
        body.update(document or {"links": _links(recorded.id)})
    headers["Carefacts-Position"] = str(body["position"])
    return json_response(body, status=201 if recorded.created else 200, headers=headers)


async def post_fact(request: Request) -> Response:
    rt = runtime(request)
    query(request, [])
    writer = authorize(request, rt)
    body = await json_body(request)
    recorded = await run_in_threadpool(
        rt.ledger.record_fact, body, Provenance(recorded_by=writer)
    )
    return await _answer(rt, recorded)


async def post_correction(request: Request) -> Response:
    rt = runtime(request)
    query(request, [])
    writer = authorize(request, rt)
    fact_id = _fact_id(request)
    body = await json_body(request)
    reason = body.pop("reason", None)
    source = body.pop("source", None)
    if reason is None:
        raise ProblemError(
            "invalid-value",
            "a correction needs a reason",
            errors=[{"field": "reason", "message": "required"}],
        )
    recorded = await run_in_threadpool(
        rt.ledger.correct_fact, fact_id, body, reason, source, writer
    )
    return await _answer(rt, recorded)


async def post_retraction(request: Request) -> Response:
    rt = runtime(request)
    query(request, [])
    writer = authorize(request, rt)
    fact_id = _fact_id(request)
    body = await json_body(request)
    unexpected = [name for name in body if name != "reason"]
    if unexpected or "reason" not in body:
        raise ProblemError(
            "invalid-value",
            'a retraction is {"reason": "..."} and nothing else',
            errors=[{"field": name, "message": "unexpected"} for name in unexpected]
            or [{"field": "reason", "message": "required"}],
        )
    recorded = await run_in_threadpool(
        rt.ledger.retract_fact, fact_id, body["reason"], writer
    )
    return await _answer(rt, recorded)
