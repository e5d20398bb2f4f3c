"""JSON responses: the one encoder, ETags from the log position, and a small cache.

A JSON GET is a function of its path, its parsed query and the views' position,
so its ETag is the position, a repeated request with ``If-None-Match`` is a 304
without touching the database, and a rendered body is reused until the position
moves.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from threading import Lock
from typing import Any, Generic, TypeVar

import orjson
from starlette.requests import Request
from starlette.responses import Response

from projections.plain import json_default

JSON = "application/json"


def dumps(data: Any) -> bytes:
    """The project's one JSON encoder."""
    return orjson.dumps(data, default=json_default, option=orjson.OPT_NON_STR_KEYS)


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(dumps(data), status_code=status, media_type=JSON, headers=headers)


def cache_key(variant: str, path: str, params: Mapping[str, Any]) -> str:
    """An answer's key: its variant, path and parsed query, so that query strings
    meaning the same (``known_at=0543508`` and ``known_at=543508``, parameters in
    another order) share one entry."""
    return f"{variant} {path} {sorted(params.items())!r}"


def etag_matches(request: Request, etag: str) -> bool:
    raw = next((v for k, v in request.scope["headers"] if k == b"if-none-match"), None)
    if not raw:
        return False
    header = raw.decode("latin-1")
    if header.strip() == "*":
        return True
    return etag in [tag.strip().removeprefix("W/") for tag in header.split(",")]


def not_modified(etag: str, extra: dict[str, str] | None = None) -> Response:
    return Response(status_code=304, headers={"ETag": etag, **(extra or {})})


@dataclass(frozen=True, slots=True)
class Cached:
    position: int
    body: bytes
    etag: str
    link: str | None = None  # the next page's URL, for the Link header


class ResponseCache:
    """Bodies by request key, valid while the views stay at the same position.

    Bounded by bytes, not by entries: what it holds (each body and key, plus a
    fixed allowance for the objects around them) never exceeds ``budget``. The
    least recently used go first, and a body over ``largest`` is not kept at all:
    a few of those would push out everything else.
    """

    ENTRY_OVERHEAD = 256  # the entry's objects beside its body and key, in bytes

    def __init__(self, budget: int, largest: int | None = None) -> None:
        self.budget = budget
        self.largest = budget // 32 if largest is None else largest
        self._items: OrderedDict[str, tuple[Cached, int]] = OrderedDict()
        self._held = 0
        self._lock = Lock()

    @property
    def held(self) -> int:
        """The bytes held, by the cache's own accounting."""
        return self._held

    def __len__(self) -> int:
        return len(self._items)

    def cost(self, key: str, item: Cached) -> int:
        extra = len(item.etag) + len(item.link or "")
        return len(item.body) + len(key) + extra + self.ENTRY_OVERHEAD

    def get(self, key: str, position: int) -> Cached | None:
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0].position != position:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: str, item: Cached) -> None:
        cost = self.cost(key, item)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._held -= old[1]
            if cost > min(self.largest, self.budget):
                return
            self._items[key] = (item, cost)
            self._held += cost
            while self._held > self.budget:
                _, (_, freed) = self._items.popitem(last=False)
                self._held -= freed


V = TypeVar("V")


class LRU(Generic[V]):
    """A bounded map that forgets the least recently used; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, V] = OrderedDict()
        self._lock = Lock()

    def get(self, key: str) -> V | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
