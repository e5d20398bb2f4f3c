"""The feeds: the global log, each authority's events and each kind of fact's, as
RFC 5005 archives, in Atom and in JSON Feed 1.1 (the same pages, their own URLs).

Pages are fixed runs of ``page_size`` entries in log order. The last page is the
working page, served at ``/feed`` (``/feed.json``) and at its future permanent
address; every earlier page is closed: its bytes never change, so it is cached for
a year and rendered at most once per process. ETags come from the format, the
entries' format version, the page's first log position and, for the working page,
the entry count: a repeated conditional GET is answered 304 from two small lookups,
and with ``wait`` it is held until a new event arrives.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from domain.kinds import KINDS
from domain.values import is_digits, parse_gss_code
from projections import registry
from projections.db import Cursor
from projections.feed import entry_count, page_start
from service import feed_pages
from service.caches import Cached
from service.feed_pages import ATOM, JSON_FEED, Format, Scope
from service.http.params import CODE, Param, query
from service.http.responses import etag_matches, not_modified
from service.http.views import not_found, require_database, runtime
from service.runtime import Runtime

CLOSED_CACHE = "public, max-age=31536000, immutable"
WORKING_CACHE = "public, max-age=5, must-revalidate"
# Bumped whenever what an entry says changes, so caches holding a closed page in
# an earlier format revalidate instead of keeping it.
ENTRY_FORMAT = 3


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
KIND = Param(
    "kind",
    "A kind of fact: " + ", ".join(KINDS) + ".",
    {"type": "string", "enum": list(KINDS)},
    location="path",
    required=True,
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

    def etag(self, size: int, fmt: Format) -> str:
        mark = f"{fmt.name[0]}{ENTRY_FORMAT}"
        if self.closed:
            return f'"{mark}c{size}.{self.page}.{self.first}"'
        # "h": the working page names its WebSub hub since the hub was added.
        return f'"{mark}wh{size}.{self.page}.{self.first or 0}.{self.count}"'


ScopeOf = Callable[[Request], Awaitable[Scope]]
Handler = Callable[[Request], Awaitable[Response]]


async def _global(request: Request) -> Scope:
    return feed_pages.global_scope()


async def _authority(request: Request) -> Scope:
    raw = request.path_params["code"]
    try:
        code = parse_gss_code(raw, "code")
    except DomainError:
        raise not_found(f"{raw[:40]!r} is not a GSS code such as E06000009") from None
    found = await runtime(request).read(lambda cur: registry.get_authority(cur, code))
    if found is None:
        raise not_found(f"no authority has code {code} (see /authorities)")
    return feed_pages.authority_scope(code, str(found["name"]))


async def _kind(request: Request) -> Scope:
    raw = request.path_params["kind"]
    if raw not in KINDS:
        raise not_found(
            f"no kind of fact is called {raw[:40]!r}: one of {', '.join(KINDS)}"
        )
    return feed_pages.kind_scope(raw)


def _handler(name: str, scope_of: ScopeOf, fmt: Format, archive: bool) -> Handler:
    async def handle(request: Request) -> Response:
        scope = await scope_of(request)
        return await _serve(request, scope, _page(request) if archive else None, fmt)

    handle.__name__ = handle.__qualname__ = name  # the OpenAPI operation id
    return handle


FEED_PAGE = Param(
    "page",
    "A page number, from 1 (the oldest).",
    {"type": "integer", "minimum": 1},
    location="path",
    required=True,
)
_SCOPES: tuple[tuple[str, ScopeOf, tuple[Param, ...], str, str], ...] = (
    ("", _global, (), "every event", "global"),
    ("/authorities/{code}", _authority, (CODE,), "one authority's events", "authority"),
    (
        "/kinds/{kind}",
        _kind,
        (KIND,),
        "one kind of fact (its reports, corrections and retractions), everywhere",
        "kind",
    ),
)
_FORMATS = (
    (JSON_FEED, "JSON Feed 1.1", "application/feed+json", "json_"),
    (ATOM, "Atom", "application/atom+xml", ""),
)


def _operations() -> list[tuple[str, Handler, str, tuple[Param, ...], str]]:
    """(path, handler, summary, parameters, media type) of every feed URL. JSON Feed
    comes first: "/feed/archive/{page}" would also match "/feed/archive/3.json"."""
    rows = []
    for prefix, scope_of, params, what, name in _SCOPES:
        for fmt, words, media, infix in _FORMATS:
            working = _handler(f"{name}_{infix}feed", scope_of, fmt, False)
            archive = _handler(f"{name}_{infix}archive", scope_of, fmt, True)
            rows += [
                (
                    f"{prefix}/feed{fmt.suffix}",
                    working,
                    f"{words}: the working page (the subscription document) of {what}",
                    (*params, WAIT),
                    media,
                ),
                (
                    f"{prefix}/feed/archive/{{page}}{fmt.suffix}",
                    archive,
                    f"{words}: one page of {what}; closed pages never change",
                    (*params, FEED_PAGE, WAIT),
                    media,
                ),
            ]
    return rows


OPERATIONS = _operations()


def _page(request: Request) -> int:
    raw = request.path_params["page"]
    if not is_digits(raw) or len(raw) > 9 or int(raw) < 1:
        raise not_found(f"{raw[:40]!r} is not a page number (1, 2, 3, ...)")
    return int(raw)


async def _serve(
    request: Request, scope: Scope, page: int | None, fmt: Format
) -> Response:
    rt = runtime(request)
    params = query(request, [WAIT])
    size = rt.settings.feed_page_size
    wait = params.get("wait", 0.0)
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        position = rt.view_position()
        shape = await _shape(rt, scope, page, size)
        etag = shape.etag(size, fmt)
        if not etag_matches(request, etag):
            break
        remaining = deadline - asyncio.get_running_loop().time()
        if shape.closed or remaining <= 0:
            return not_modified(etag, _cache_headers(shape))
        await rt.watch.wait(position + 1, remaining)
    key = f"{request.scope['path']} {etag}"
    cached = rt.feed_cache.get(key, 0)
    if cached is None:
        require_database(rt)

        def build(cur: Cursor) -> bytes:
            return feed_pages.render(
                rt, cur, scope, fmt, shape.page, shape.closed, page is not None, size
            )

        cached = Cached(0, await rt.read(build, brief=False), etag)  # 100 entries
        rt.feed_cache.put(key, cached)
    headers = {"ETag": etag, **_cache_headers(shape)}
    modified = _last_modified(cached.body, fmt)
    if modified:
        headers["Last-Modified"] = modified
    return Response(cached.body, media_type=fmt.media, headers=headers)


async def _shape(rt: Runtime, scope: Scope, page: int | None, size: int) -> Shape:
    """Where the requested page stands; kept in memory until the views move on."""
    position = rt.view_position()
    key = f"{scope.path} {page} {size}"
    cached = rt.feed_shapes.get(key)
    if cached is not None and cached[0] == position:
        known: Shape = cached[1]
        return known

    def read(cur: Cursor) -> Shape:
        count = entry_count(cur, scope.key)
        working = count // size + 1
        number = working if page is None else page
        if number > working:
            raise not_found(
                f"page {number} does not exist yet: the feed has {working} page(s); "
                f"the newest is {scope.path}"
            )
        first = page_start(cur, number, scope.key)
        return Shape(count, working, first, number)

    require_database(rt)
    shape = await rt.read(read)
    rt.feed_shapes.put(key, (position, shape))
    return shape


def _cache_headers(shape: Shape) -> dict[str, str]:
    return {"Cache-Control": CLOSED_CACHE if shape.closed else WORKING_CACHE}


_UPDATED = {"atom": (b"<updated>", b"</updated>"), "json": (b'"updated":"', b'"')}


def _last_modified(body: bytes, fmt: Format) -> str | None:
    """From the page's own ``updated`` (the first in the body: the feed's)."""
    opening, closing = _UPDATED[fmt.name]
    start = body.find(opening)
    if start < 0:
        return None
    start += len(opening)
    return _http_date(body[start : body.find(closing, start)])


@lru_cache(maxsize=1024)  # pages share few times; a closed page's never changes
def _http_date(text: bytes) -> str:
    moment = datetime.fromisoformat(text.decode()).astimezone(UTC)
    return format_datetime(moment, usegmt=True)
