"""JSON responses: the one encoder, ETags from the log position, and a small cache.

A JSON GET is a function of its path, its query and the views' position, so its
ETag is the position, a repeated request with ``If-None-Match`` is a 304 without
touching the database, and a rendered body is reused until the position moves.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Any, Generic, TypeVar

import orjson
from starlette.requests import Request
from starlette.responses import Response

JSON = "application/json"


def dumps(data: Any) -> bytes:
    """The project's one JSON encoder."""
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(dumps(data), status_code=status, media_type=JSON, headers=headers)


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


class ResponseCache:
    """Bodies by request key, valid while the views stay at the same position."""

    def __init__(self, size: int = 4096) -> None:
        self._items: LRU[Cached] = LRU(size)

    def get(self, key: str, position: int) -> Cached | None:
        item = self._items.get(key)
        return item if item is not None and item.position == position else None

    def put(self, key: str, item: Cached) -> None:
        self._items.put(key, item)


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
