"""Facts: read one with its versions, as JSON or as its page; record, correct and
retract (authenticated)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from domain.kinds import KINDS
from domain.provenance import Provenance
from domain.wording import label
from projections import registry
from projections.db import Cursor
from projections.evidence import evidence_class, evidence_label
from projections.fact_wording import changed_fields, date_text, value_text
from projections.facts import fact_versions, hydrate
from service.application import Recorded
from service.http.params import FACT_ID, FORMAT, MIN_POSITION, path, query
from service.http.problems import ProblemError
from service.http.responses import HTML, json_response, render
from service.http.views import cached_view, json_view, not_found, runtime
from service.http.writes import authorize, json_body
from service.related_feeds import related_feeds
from service.runtime import Runtime


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
FACT_PARAMS = [MIN_POSITION, FORMAT]


async def _fact_asked(request: Request) -> tuple[str, dict[str, Any]]:
    """The fact asked for and the query, once the views have caught up with a
    write made a moment ago (its Location was answered at once): it is found
    then, rather than answered 404."""
    fact_id = str(path(request, FACT_ID))
    params = query(request, FACT_PARAMS)
    rt = runtime(request)
    if "min_position" not in params and rt.view_position() < rt.log_position():
        await rt.watch.wait(rt.log_position(), FRESH_FACT_SECONDS)
    return fact_id, params


async def get_fact(request: Request) -> Response:
    fact_id, params = await _fact_asked(request)
    log = runtime(request).ledger

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
    fact_id = path(request, FACT_ID)
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
    fact_id = path(request, FACT_ID)
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


def _versions(docs: list[dict[str, Any]], cur: Cursor) -> list[dict[str, Any]]:
    """Each version as the page lists it: what happened, and what changed."""
    retracted = docs[-1]["status"] == "retracted"
    shown = []
    for i, doc in enumerate(docs):
        item: dict[str, Any] = {
            "version": doc["version"],
            "recorded": doc["recorded"],
            "value": value_text(doc["kind"], doc["fields"]),
            "date": date_text(doc["effective"]),
            "recorded_by": doc.get("recorded_by"),
        }
        if i == 0:
            item["what"] = "Reported"
        elif retracted and i == len(docs) - 1:
            item.update(what="Retracted", reason=doc.get("reason"))
        else:
            before = docs[i - 1]
            changes = [
                (label(name).capitalize(), old, new)
                for name, old, new in changed_fields(before["fields"], doc["fields"])
            ]
            if before["effective"] != doc["effective"]:
                old, new = date_text(before["effective"]), date_text(doc["effective"])
                changes.append(("Date", old, new))
            if before["summary"] != doc["summary"]:
                changes.append(("Summary", before["summary"], doc["summary"]))
            fixer = doc.get("correction_source")
            item.update(
                what="Corrected",
                reason=doc.get("reason"),
                changes=changes,
                correction_source=registry.get_source(cur, fixer) if fixer else None,
            )
        shown.append(item)
    return shown


async def fact_page(request: Request) -> Response:
    """What was reported, every version (corrections with the old and new values
    and the reason, a retraction), its source and authority, and the feeds that
    carry it; feed entries link here first."""
    fact_id, params = await _fact_asked(request)
    rt = runtime(request)
    base = rt.settings.base_url

    def build(cur: Cursor) -> bytes:
        rows = fact_versions(cur, fact_id)
        if not rows:
            raise not_found(f"no fact has id {fact_id}")
        docs = hydrate(cur, rt.ledger, rows)
        latest, first = docs[-1], docs[0]
        authority = registry.get_authority(cur, latest["authority"]) or {
            "code": latest["authority"],
            "name": latest["authority"],
        }
        source = registry.get_source(cur, first["source"]["id"])
        evidence = evidence_class(source["kind"] if source else "", latest["kind"])
        # A retraction changes no field: the latest version shows what was withdrawn.
        retracted = latest["status"] == "retracted"
        return render(
            request,
            "fact.html",
            fact=latest,
            report=first,
            fact_id=fact_id,
            spec=KINDS[latest["kind"]],
            value=value_text(latest["kind"], latest["fields"]),
            date=date_text(latest["effective"]),
            retracted=retracted,
            retraction=docs[-1] if retracted else None,
            versions=_versions(docs, cur),
            authority=authority,
            source=source,
            evidence=evidence_label(evidence),
            feeds=related_feeds(
                base, (authority["code"], authority["name"]), latest["kind"]
            ),
            base=base,
        )

    return await cached_view(request, params, build, variant="h", media=HTML)
