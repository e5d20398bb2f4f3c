"""A page for one measure compared: the authority beside its statistical
neighbours and England, its rank in England, a bar chart and the table behind it.
``GET /authorities/{code}/neighbours/{measure}`` answers it to a browser, or to
anyone with ``?format=html``; the authority page lists a link to each.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import Response

from projections import registry
from projections.db import Cursor
from service import comparison
from service.http.views import cached_view, not_found, runtime
from service.pages import HTML


async def neighbours_page(
    request: Request, code: str, measure: str, params: dict[str, Any]
) -> Response:
    rt = runtime(request)
    as_of: date | None = params.get("as_of")

    def build(cur: Cursor) -> bytes:
        authority = registry.get_authority(cur, code)
        if authority is None:
            raise not_found(f"no authority has code {code} (see /authorities)")
        compared = comparison.compare(
            cur,
            rt.ledger,
            code,
            measure,
            as_of=as_of,
            known_at=params.get("known_at"),
            published_by=params.get("published_by", as_of),
        )
        if compared is None:
            raise not_found(f"no count of {measure!r} is recorded for {code}")
        section = comparison.section(cur, authority, compared, measure, "compare")
        environment: Environment = request.app.state.templates
        return (
            environment.get_template("neighbours.html")
            .render(
                authority=authority,
                compared=section,
                base=rt.settings.base_url,
            )
            .encode()
        )

    return await cached_view(request, params, build, variant="h", media=HTML)
