"""The bounded caches a running process keeps: rendered answers by request key,
valid while the views stay at one position, and small maps that forget the least
recently used."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Generic, TypeVar


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

    def discard(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def put(self, key: str, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
