"""A page for one source: what it is, who published it and when, its licence, a
link to the document, and the facts it reported, a page at a time in the order
and with the cursors of the JSON listing (the next page's URL in a ``Link``
header and a link at the foot), each linked to its page. ``GET /sources/{id}``
answers it to a browser, or to anyone with ``?format=html``; the feed's entry for
a source's registration links here first.
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
from projections.facts import hydrate, visible_facts
from projections.source_facts import first_facts
from service.http.paging import FACT_KEY, window_of
from service.http.views import cached_view, not_found, runtime
from service.pages import HTML
from service.subscriptions import related_feeds


async def source_page(
    request: Request, source_id: str, params: dict[str, Any]
) -> Response:
    rt = runtime(request)
    base = rt.settings.base_url
    window = window_of(request, params, FACT_KEY)

    def build(cur: Cursor) -> tuple[bytes, str | None]:
        source = registry.get_source(cur, source_id)
        if source is None:
            raise not_found(f"no source has id {source_id} (see /sources)")
        _, total = first_facts(cur, source_id, 0)
        page = window.read(
            lambda after, at_most: visible_facts(
                cur, source=source_id, after=after, limit=at_most
            ),
            lambda row: row.sort_key,
        )
        rows = page.items
        following = window.next(page)
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
        body = (
            environment.get_template("source.html")
            .render(
                source=source,
                facts=facts,
                total=total,
                first=window.after is None,
                next=following,
                feeds=related_feeds(base),
                base=base,
            )
            .encode()
        )
        return body, following

    return await cached_view(request, params, build, variant="h", media=HTML)
