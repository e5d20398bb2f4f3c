"""A page for one fact: what was reported, every version (corrections with the old
and new values and the reason, a retraction), its source and authority, and the
feeds that carry it. ``GET /facts/{id}`` answers it to a browser, or to anyone
with ``?format=html``; feed entries link here first.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import Response

from domain.kinds import KINDS
from domain.wording import label
from projections import registry
from projections.db import Cursor
from projections.evidence import evidence_class, evidence_label
from projections.fact_wording import changed_fields, date_text, value_text
from projections.facts import fact_versions, hydrate
from service.http.views import cached_view, not_found, runtime
from service.pages import HTML
from service.subscriptions import related_feeds


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


async def fact_page(request: Request, fact_id: str, params: dict[str, Any]) -> Response:
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
        environment: Environment = request.app.state.templates
        return (
            environment.get_template("fact.html")
            .render(
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
            .encode()
        )

    return await cached_view(request, params, build, variant="h", media=HTML)
