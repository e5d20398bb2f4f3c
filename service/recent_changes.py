"""The "recent changes" page: what the ledger recorded since a log position or a
day, newest last as in the JSON, each change with its authority and a link to its
fact, and how many changes each authority had of each kind. ``GET /changes``
answers it to a browser, or to anyone with ``?format=html``; without ``since`` or
``since_date`` the page shows the last week.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import Response

from projections.changes import change_counts, changes_page
from projections.db import Cursor
from projections.fact_query import authority_names
from service.http.paging import Window
from service.http.views import cached_view, runtime
from service.pages import HTML

RECENT_DAYS = 7


async def render(
    request: Request,
    params: dict[str, Any],
    window: Window,
    since: int,
    until: int,
    day: date | None,
) -> Response:
    rt = runtime(request)
    log = rt.ledger

    def build(cur: Cursor) -> tuple[bytes, str | None]:
        page = changes_page(cur, log, since, until, window.after, window.limit)
        counts = change_counts(cur, since, until)
        codes = {c["authority"] for c in page.items} | {c["authority"] for c in counts}
        names = authority_names(cur, codes)
        by_authority: dict[str, dict[str, int]] = defaultdict(dict)
        for c in counts:
            by_authority[c["authority"]][c["kind"]] = c["count"]
        following = window.next(page)
        environment: Environment = request.app.state.templates
        body = (
            environment.get_template("changes.html")
            .render(
                changes=page.items,
                counts=sorted(
                    by_authority.items(),
                    key=lambda item: (-sum(item[1].values()), item[0]),
                ),
                total=sum(c["count"] for c in counts),
                names=names,
                since=since,
                until=until,
                day=day,
                asked=params.get("since"),
                recent_days=RECENT_DAYS,
                first=window.after is None,
                next=following,
                base=rt.settings.base_url,
            )
            .encode()
        )
        return body, following

    return await cached_view(request, params, build, variant="h", media=HTML)
