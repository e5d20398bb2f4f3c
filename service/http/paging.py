"""Paging, the same for every listing: ``limit`` and an opaque ``cursor`` in; the
next page's URL out, as ``next`` in the body and as ``Link: <URL>; rel="next"``.

A cursor holds the sort key of the last row of the page before (see
:mod:`projections.keyset`) and a digest that binds the key to its listing: the
path and the filters, which are every query parameter but ``limit``, ``cursor``,
``min_position`` and ``format`` (JSON or CSV, the same rows), as parsed
(``known_at=0543508`` and ``known_at=543508`` are the same filter). An altered
cursor, or one used on another path or with other filters, fails the digest and
is answered 404: no page has that address. A cursor that is not even the right
shape is a 422, like any malformed value.

The digest is not a secret: whoever forges a cursor gets nothing they could not
ask for anyway, a page of the same listing after some key. So a key's parts are
checked for type and size, and trusted no further.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import orjson
from starlette.requests import Request

from projections.keyset import Key, Page, read_page
from service.http.params import CURSOR, LIMIT
from service.http.problems import ProblemError

T = TypeVar("T")

PAGE_PARAMS = (LIMIT, CURSOR)
DEFAULT_LIMIT = 100
# The shapes of the listings' sort keys (see their Keyset orders).
FACT_KEY = (str, int)  # effective_start, position
POSITION_KEY = (int,)  # the log's
SOURCE_KEY = (str, str)  # published, source id
AUTHORITY_KEY = (str, str)  # name, code
AUTHORITY_REGION_KEY = (str, str, str)  # region, name, code

_UNBOUND = frozenset({"limit", "cursor", "min_position", "format"})
_VERSION = b"\x01"
_DIGEST_KEY = b"carefacts page cursor"
_LARGEST_INT = 2**63 - 1
_LONGEST_TEXT = 300


@dataclass(frozen=True, slots=True)
class Window:
    """Which page a request asks for, and how to link to the one after it."""

    limit: int
    after: Key | None
    context: bytes
    base: str  # the request's URL without its cursor, ready for one

    def read(
        self,
        query: Callable[[Key | None, int | None], Sequence[T]],
        key: Callable[[T], Key],
    ) -> Page[T]:
        """This window's page of ``query(after, at_most)``, which reads in key order."""
        return read_page(query, self.after, self.limit, key)

    def next(self, page: Page[Any]) -> str | None:
        """The URL of the page after ``page``, or None when it is the last."""
        if page.last_key is None:
            return None
        return self.base + "cursor=" + encode(self.context, page.last_key)


def window_of(
    request: Request,
    params: Mapping[str, Any],
    shape: Sequence[type],
    starts: Collection[str] = (),
) -> Window:
    """The window ``params`` ask for. ``starts`` names parameters that say where
    a listing begins (``after``): a cursor replaces them on later pages."""
    unbound = _UNBOUND | set(starts)
    filters = sorted((k, v) for k, v in params.items() if k not in unbound)
    path = request.scope["path"]
    context = f"{path}\n{filters!r}".encode()
    cursor = params.get("cursor")
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in unbound]
    if "limit" in params:
        kept.append(("limit", str(params["limit"])))
    base = quote(path) + "?" + (urlencode(kept) + "&" if kept else "")
    return Window(
        limit=params.get("limit", DEFAULT_LIMIT),
        after=None if cursor is None else decode(cursor, context, shape),
        context=context,
        base=base,
    )


def link_headers(next_url: str | None) -> dict[str, str]:
    """The ``Link`` header that goes with a body's ``next``."""
    return {"Link": f'<{next_url}>; rel="next"'} if next_url else {}


def encode(context: bytes, key: Key) -> str:
    payload = orjson.dumps(list(key))
    raw = _VERSION + _digest(context, payload) + payload
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(text: str, context: bytes, shape: Sequence[type]) -> Key:
    """The sort key in a cursor issued for this listing, or a 404."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise _no_page("it is not one this service issued") from None
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != text:
        raise _no_page("it is not one this service issued")
    version, digest, payload = raw[:1], raw[1:9], raw[9:]
    if version != _VERSION or not hmac.compare_digest(
        digest, _digest(context, payload)
    ):
        raise _no_page(
            "it was issued for another listing or other filters, or it was altered"
        )
    try:
        values = orjson.loads(payload)
    except orjson.JSONDecodeError:
        raise _no_page("it holds no sort key") from None
    if not _fits(values, shape):
        raise _no_page("its sort key is not one this listing has")
    return tuple(values)


def _fits(values: object, shape: Sequence[type]) -> bool:
    if not isinstance(values, list) or len(values) != len(shape):
        return False
    for value, kind in zip(values, shape, strict=True):
        if type(value) is not kind:  # exact: True is not a position
            return False
        if isinstance(value, int) and not 0 <= value <= _LARGEST_INT:
            return False
        if isinstance(value, str) and len(value) > _LONGEST_TEXT:
            return False
    return True


def _digest(context: bytes, payload: bytes) -> bytes:
    return hashlib.blake2b(
        context + b"\0" + payload, key=_DIGEST_KEY, digest_size=8
    ).digest()


def _no_page(why: str) -> ProblemError:
    return ProblemError(
        "not-found",
        f"no page has this cursor: {why}. Follow the 'next' link of a page, or "
        "start again without a cursor.",
        errors=[{"field": "cursor", "message": why}],
    )
