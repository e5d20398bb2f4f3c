"""Keyset paging: how every listing reads one page of its rows.

A listing has a fixed order whose last column is unique, so the sort key of the
last row shown says exactly where the next page starts: after it, as the row
value ``(a, b) > (?, ?)`` (the same in SQLite and PostgreSQL). Read through an
index on the same columns, a page costs the same however deep it is: no OFFSET to
skip, no sort of every row before it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")
Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Some rows of a listing, and the sort key of the last one when more follow."""

    items: list[T]
    last_key: Key | None = None

    def with_items(self, items: list[U]) -> Page[U]:
        """The same page, its rows turned into something else (documents)."""
        return Page(items, self.last_key)


class Keyset:
    """A listing's order (columns or expressions, the last one unique)."""

    def __init__(self, *columns: str) -> None:
        self.columns = columns

    def after(self, key: Key) -> tuple[str, list[Any]]:
        """The condition for rows after ``key``, and its parameters."""
        if len(key) != len(self.columns):
            raise ValueError(f"a key of {self.columns} has {len(self.columns)} parts")
        marks = ", ".join("?" * len(key))
        return f"({', '.join(self.columns)}) > ({marks})", list(key)

    def order(self, limit: int | None) -> tuple[str, list[Any]]:
        """ORDER BY the key, and LIMIT when ``limit`` is given."""
        sql = " ORDER BY " + ", ".join(self.columns)
        return (sql + " LIMIT ?", [limit]) if limit is not None else (sql, [])


def read_page(
    query: Callable[[Key | None, int | None], Sequence[T]],
    after: Key | None,
    limit: int | None,
    key: Callable[[T], Key],
) -> Page[T]:
    """Up to ``limit`` rows (None: all) after ``after`` from ``query(after,
    at_most)``, which reads in key order. It is asked for one row more than the
    page holds, to know whether another page follows."""
    if limit is None:
        return Page(list(query(after, None)))
    rows = query(after, limit + 1)
    if len(rows) <= limit:
        return Page(list(rows))
    return Page(list(rows[:limit]), key(rows[limit - 1]))
