"""The Atom feeds: the global log and each authority's events, as RFC 5005 archives.

Pages are fixed runs of ``page_size`` entries in log order. The last page is the
working page, served at ``/feed`` and at its future permanent address; every
earlier page is closed: its bytes never change, so it is cached for a year and
rendered at most once per process. ETags come from the page's first log position
and, for the working page, the entry count: a repeated conditional GET is answered
304 from two small lookups, and with ``wait`` it is held until a new event arrives.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from domain.values import is_digits, parse_gss_code
from projections import registry
from projections.db import Cursor
from projections.feed import (
    FeedEntry,
    entries_at,
    entry_count,
    page_entries,
    page_positions,
    page_start,
)
from service import feeds
from service.http.params import Param, query
from service.http.responses import Cached, etag_matches, not_modified
from service.http.views import not_found, runtime
from service.runtime import Runtime

CLOSED_CACHE = "public, max-age=31536000, immutable"
WORKING_CACHE = "public, max-age=5, must-revalidate"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


MAX_WAIT_SECONDS = 30
_SECONDS = re.compile(r"-?[0-9]{1,20}(\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?", re.ASCII)


def _wait(text: str) -> float:
    if _SECONDS.fullmatch(text) is None:
        raise DomainError(f"wait {text[:40]!r} is not a number of seconds")
    seconds = float(text)
    if not 0 <= seconds <= MAX_WAIT_SECONDS:
        raise DomainError(f"wait must be from 0 to {MAX_WAIT_SECONDS} seconds")
    return seconds


WAIT = Param(
    "wait",
    "Long poll: when If-None-Match names the current working page, hold the "
    f"request until a new event arrives or this many seconds (at most "
    f"{MAX_WAIT_SECONDS}) pass.",
    {"type": "number", "minimum": 0, "maximum": MAX_WAIT_SECONDS},
    _wait,
)


@dataclass(frozen=True)
class Scope:
    """The global feed (authority None) or one authority's."""

    authority: str | None
    name: str

    @property
    def path(self) -> str:
        return (
            "/feed" if self.authority is None else f"/authorities/{self.authority}/feed"
        )


@dataclass(frozen=True)
class Shape:
    count: int
    working: int  # the working page's number
    first: int | None  # the requested page's first log position
    page: int

    @property
    def closed(self) -> bool:
        return self.page < self.working

    def etag(self, size: int) -> str:
        if self.closed:
            return f'"c{size}.{self.page}.{self.first}"'
        return f'"w{size}.{self.page}.{self.first or 0}.{self.count}"'


async def global_feed(request: Request) -> Response:
    return await _serve(request, Scope(None, "every recorded event"), None)


async def global_archive(request: Request) -> Response:
    return await _serve(request, Scope(None, "every recorded event"), _page(request))


async def authority_feed(request: Request) -> Response:
    return await _serve(request, await _authority_scope(request), None)


async def authority_archive(request: Request) -> Response:
    return await _serve(request, await _authority_scope(request), _page(request))


def _page(request: Request) -> int:
    raw = request.path_params["page"]
    if not is_digits(raw) or len(raw) > 9 or int(raw) < 1:
        raise not_found(f"{raw!r} is not a page number (1, 2, 3, ...)")
    return int(raw)


async def _authority_scope(request: Request) -> Scope:
    raw = request.path_params["code"]
    try:
        code = parse_gss_code(raw, "code")
    except DomainError:
        raise not_found(f"{raw!r} is not a GSS code such as E06000009") from None
    found = await runtime(request).read(lambda cur: registry.get_authority(cur, code))
    if found is None:
        raise not_found(f"no authority has code {code} (see /authorities)")
    return Scope(code, str(found["name"]))


async def _serve(request: Request, scope: Scope, page: int | None) -> Response:
    rt = runtime(request)
    params = query(request, [WAIT])
    size = rt.settings.feed_page_size
    wait = params.get("wait", 0.0)
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        position = rt.view_position()
        shape = await _shape(rt, scope, page, size)
        etag = shape.etag(size)
        if not etag_matches(request, etag):
            break
        remaining = deadline - asyncio.get_running_loop().time()
        if shape.closed or remaining <= 0:
            return not_modified(etag, _cache_headers(shape))
        await rt.watch.wait(position + 1, remaining)
    key = f"{request.url.path} {etag}"
    cached = rt.feed_cache.get(key, 0)
    if cached is None:
        rt.require_database()
        body = await rt.read(lambda cur: _render(rt, cur, scope, shape, size, page))
        cached = Cached(0, body, etag)
        rt.feed_cache.put(key, cached)
    headers = {"ETag": etag, **_cache_headers(shape)}
    modified = _last_modified(cached.body)
    if modified:
        headers["Last-Modified"] = modified
    return Response(cached.body, media_type=feeds.MEDIA_TYPE, headers=headers)


async def _shape(rt: Runtime, scope: Scope, page: int | None, size: int) -> Shape:
    """Where the requested page stands; kept in memory until the views move on."""
    position = rt.view_position()
    key = f"{scope.path} {page} {size}"
    cached = rt.feed_shapes.get(key)
    if cached is not None and cached[0] == position:
        known: Shape = cached[1]
        return known

    def read(cur: Cursor) -> Shape:
        count = entry_count(cur, scope.authority)
        working = count // size + 1
        number = working if page is None else page
        if number > working:
            raise not_found(
                f"page {number} does not exist yet: the feed has {working} page(s); "
                f"the newest is {scope.path}"
            )
        first = page_start(cur, number, scope.authority)
        return Shape(count, working, first, number)

    rt.require_database()
    shape = await rt.read(read)
    rt.feed_shapes.put(key, (position, shape))
    return shape


def _cache_headers(shape: Shape) -> dict[str, str]:
    return {"Cache-Control": CLOSED_CACHE if shape.closed else WORKING_CACHE}


def _last_modified(body: bytes) -> str | None:
    start = body.find(b"<updated>")
    if start < 0:
        return None
    text = body[start + 9 : body.find(b"</updated>", start)].decode()
    return format_datetime(datetime.fromisoformat(text).astimezone(UTC), usegmt=True)


def _render(
    rt: Runtime,
    cur: Cursor,
    scope: Scope,
    shape: Shape,
    size: int,
    requested: int | None,
) -> bytes:
    base = rt.settings.base_url
    scheme = f"{base}/openapi.json#events"
    positions = page_positions(cur, rt.ledger, shape.page, size, scope.authority)
    first = (shape.page - 1) * size + 1
    numbered = [(first + i, p) for i, p in enumerate(positions)]
    fragments = rt.entry_fragments
    rendered: dict[int, tuple[bytes, str]] = {}
    for _, position in numbered:
        found = fragments.get(f"{scope.path} {position}")
        if found is not None:
            rendered[position] = found
    missing = [(n, p) for n, p in numbered if p not in rendered]
    if missing:
        sources = _Sources(cur)
        for e in entries_at(cur, rt.ledger, missing, rt.names):
            fragment = feeds.render_entry(_entry(rt, e, sources), scheme)
            rendered[e.position] = (fragment, e.recorded_at)
            fragments.put(f"{scope.path} {e.position}", rendered[e.position])
    feed_url = base + scope.path
    archive = f"{feed_url}/archive"
    self_url = feed_url if requested is None else f"{archive}/{shape.page}"
    atom = feeds.MEDIA_TYPE
    links = [feeds.Link(self_url, "self", atom), feeds.Link(feed_url, "current", atom)]
    if not shape.closed:
        other = f"{archive}/{shape.page}" if requested is None else feed_url
        links.append(feeds.Link(other, "via", atom))
    if shape.page > 1:
        links.append(feeds.Link(f"{archive}/{shape.page - 1}", "prev-archive", atom))
    if shape.closed:
        links.append(feeds.Link(f"{archive}/{shape.page + 1}", "next-archive", atom))
    alternate = (
        f"{base}/authorities/{scope.authority}" if scope.authority else f"{base}/"
    )
    links.append(feeds.Link(alternate, "alternate", "application/json"))
    updated = (
        datetime.fromisoformat(rendered[positions[-1]][1])
        if positions
        else _last_update(rt, cur, scope, shape, size)
    )
    page = feeds.Page(
        feed_id=_tag(
            rt, "feed" if scope.authority is None else f"authority:{scope.authority}"
        ),
        title=f"carefacts: {scope.name}",
        subtitle=(
            "Every fact recorded about English councils' children's services, with "
            "its source, in the order the ledger recorded it."
            if scope.authority is None
            else f"Every fact recorded about {scope.name}'s children's services, with "
            "its source, in the order the ledger recorded it."
        ),
        updated=updated,
        links=tuple(links),
        entries=(),
        archived=shape.closed,
        scheme=scheme,
    )
    return feeds.assemble(page, [rendered[p][0] for _, p in numbered])


def _last_update(
    rt: Runtime, cur: Cursor, scope: Scope, shape: Shape, size: int
) -> datetime:
    """An empty working page is as fresh as the last entry of the page before it."""
    if shape.page == 1:
        return EPOCH
    previous = page_entries(cur, rt.ledger, shape.page - 1, size, scope.authority)
    return datetime.fromisoformat(previous[-1].recorded_at) if previous else EPOCH


def _tag(rt: Runtime, specific: str) -> str:
    return f"tag:{rt.settings.tag_authority}:{specific}"


class _Sources:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur
        self.known: dict[str, dict[str, Any] | None] = {}

    def get(self, source_id: str) -> dict[str, Any] | None:
        if source_id not in self.known:
            self.known[source_id] = registry.get_source(self.cur, source_id)
        return self.known[source_id]


def _label(topic: str) -> str:
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in topic).strip()
    return words[0].upper() + words[1:]


def _entry(rt: Runtime, e: FeedEntry, sources: _Sources) -> feeds.Entry:
    base = rt.settings.base_url
    json = "application/json"
    links: list[feeds.Link] = []
    if e.fact_id is not None:
        links.append(
            feeds.Link(f"{base}/facts/{e.fact_id}", "alternate", json, "the fact")
        )
    elif e.topic == "AuthorityRegistered" and e.authority:
        links.append(feeds.Link(f"{base}/authorities/{e.authority}", "alternate", json))
    elif e.topic == "SourceRegistered" and e.source_id:
        links.append(feeds.Link(f"{base}/sources/{e.source_id}", "alternate", json))
    if e.source_id is not None:
        source = sources.get(e.source_id)
        title = source["title"] if source else e.source_id
        if e.fact_id is not None:
            links.append(
                feeds.Link(f"{base}/sources/{e.source_id}", "related", json, title)
            )
        if source and source.get("url"):
            links.append(feeds.Link(source["url"], "via", "text/html", title))
    return feeds.Entry(
        id=_tag(rt, f"event:{e.event_id}"),
        title=e.title,
        summary=e.summary,
        recorded=datetime.fromisoformat(e.recorded_at),
        category=e.topic,
        category_label=_label(e.topic),
        content=e.content,
        links=tuple(links),
        sequence=e.seq,
        position=e.position,
    )
