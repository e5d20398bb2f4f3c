"""Keyset paging: how every listing reads one page of its rows.

A listing has a fixed order whose last column is unique, so the sort key of the
last row shown says exactly where the next page starts: after it, as the row
value ``(a, b) > (?, ?)`` (the same in SQLite and PostgreSQL). Read through an
index on the same columns, a page costs the same however deep it is: no OFFSET to
skip, no sort of every row before it.

SQLite seeks an index by a row value's first column only when the last one is
the rowid (as ``position`` is): the rows sharing the first column's value before
the key are walked again on every page, and the LAIT measures give tens of
thousands of facts one effective date. :meth:`Keyset.read_after` reads such a
page as the rest of the key's group (``a = ? AND b > ?``, a range of the index),
then the groups after it (``a > ?``), which is the same rows in the same order.
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

    def read_after(
        self, run: Callable[[str | None, list[Any], str, list[Any]], list[T]],
        after: Key | None, limit: int | None,
    ) -> list[T]:  # fmt: skip
        """At most ``limit`` rows (None: all) after ``after``, in this order.

        ``run(condition, values, tail, tail_values)`` runs the listing's query
        with one more condition (None: none) and ``tail`` (its ORDER BY and
        LIMIT) after its own. A key of several ascending columns is read a
        level at a time, each a range of the index: the rest of the last
        column's group, then the groups after it, and so on up.
        """
        if after is None:
            return run(None, [], *self.order(limit))
        if len(self.columns) == 1 or any(" " in c for c in self.columns):
            return run(*self.after(after), *self.order(limit))
        rows: list[T] = []
        for level in range(len(self.columns) - 1, -1, -1):
            same = [f"{column} = ?" for column in self.columns[:level]]
            condition = " AND ".join([*same, f"{self.columns[level]} > ?"])
            left = None if limit is None else limit - len(rows)
            tail = Keyset(*self.columns[level:]).order(left)
            rows += run(condition, list(after[: level + 1]), *tail)
            if limit is not None and len(rows) >= limit:
                break
        return rows


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
