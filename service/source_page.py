"""A page for one source: the document, who published it and when, its licence, and
the facts it reported (the first hundred, each linked to its page). ``GET
/sources/{id}`` answers it to a browser, or to anyone with ``?format=html``; the
feed's entry for a source's registration links here first.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import Response

from projections import registry
from projections.db import Cursor
from projections.evidence import evidence_class, evidence_label
from projections.fact_wording import date_text, value_text
from projections.facts import hydrate
from projections.source_facts import first_facts
from service.http.views import cached_view, not_found, runtime
from service.pages import HTML
from service.subscriptions import related_feeds

SHOWN = 100  # facts listed on the page; the JSON lists them all


async def source_page(
    request: Request, source_id: str, params: dict[str, Any]
) -> Response:
    rt = runtime(request)
    base = rt.settings.base_url

    def build(cur: Cursor) -> bytes:
        source = registry.get_source(cur, source_id)
        if source is None:
            raise not_found(f"no source has id {source_id} (see /sources)")
        rows, total = first_facts(cur, source_id, SHOWN)
        names: dict[str, str] = {}
        facts = []
        for doc in hydrate(cur, rt.ledger, rows):
            code = doc["authority"]
            if code not in names:
                found = registry.get_authority(cur, code)
                names[code] = found["name"] if found else code
            facts.append(
                {
                    "id": doc["fact_id"],
                    "authority": names[code],
                    "value": value_text(doc["kind"], doc["fields"]),
                    "date": date_text(doc["effective"]),
                    "evidence": evidence_label(
                        evidence_class(source["kind"], doc["kind"])
                    ),
                }
            )
        environment: Environment = request.app.state.templates
        return (
            environment.get_template("source.html")
            .render(
                source=source,
                facts=facts,
                total=total,
                feeds=related_feeds(base),
                base=base,
            )
            .encode()
        )

    return await cached_view(request, params, build, variant="h", media=HTML)
