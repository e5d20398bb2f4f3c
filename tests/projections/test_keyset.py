"""Keyset paging reads a listing's pages as the same rows, in the same order, as
the listing read whole, and seeks the index for each (no walk of what is before)."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from projections.keyset import Key, Keyset, read_page

ORDER = Keyset("day", "position")


@pytest.fixture
def conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (position INTEGER PRIMARY KEY, day TEXT NOT NULL)")
    conn.execute("CREATE INDEX t_order ON t (day, position)")
    # Most rows share a day, as the LAIT measures share their dates; positions
    # are not in day order.
    rows = [(p, f"2020-0{1 + (p * 7) % 3}-01") for p in range(1, 401)]
    rows += [(1000 + p, "2019-12-31") for p in range(3)]
    conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
    return conn


def _reader(conn: sqlite3.Connection, seen: list[str]) -> Any:
    def run(
        condition: str | None, values: list[Any], tail: str, tail_values: list[Any]
    ) -> list[tuple[int, str]]:
        sql = "SELECT position, day FROM t WHERE position > 0"
        sql += f" AND {condition}" if condition else ""
        seen.append(sql + tail)
        return conn.execute(sql + tail, [*values, *tail_values]).fetchall()

    return run


def _key(row: tuple[int, str]) -> Key:
    return (row[1], row[0])


@pytest.mark.parametrize("limit", [1, 7, 50, 133, 500])
def test_pages_read_after_keys_are_the_whole_listing(
    conn: sqlite3.Connection, limit: int
) -> None:
    whole = conn.execute(
        "SELECT position, day FROM t ORDER BY day, position"
    ).fetchall()
    run, key, rows = _reader(conn, []), None, []
    while True:
        page = read_page(lambda a, n: ORDER.read_after(run, a, n), key, limit, _key)
        assert len(page.items) <= limit
        rows += page.items
        key = page.last_key
        if key is None:
            break
    assert rows == whole


def test_rows_after_a_key_without_a_limit_are_the_rest(
    conn: sqlite3.Connection,
) -> None:
    whole = conn.execute(
        "SELECT position, day FROM t ORDER BY day, position"
    ).fetchall()
    middle = whole[200]
    rest = ORDER.read_after(_reader(conn, []), _key(middle), None)
    assert rest == whole[201:]


def test_each_query_after_a_key_is_a_range_of_the_index(
    conn: sqlite3.Connection,
) -> None:
    seen: list[str] = []
    ORDER.read_after(_reader(conn, seen), ("2020-02-01", 5), 300)
    assert len(seen) == 2  # the rest of the day's group, then the later days
    plans = []
    for sql in seen:
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                "EXPLAIN QUERY PLAN " + sql, ["2020-02-01", 5, 300][: sql.count("?")]
            )
        )
        assert "INDEX t_order" in plan and "SCAN" not in plan
        plans.append(plan)
    # The group's rest is sought by both columns, not walked from the day's start
    # (a row value's seek on (day, rowid) would use the day alone).
    assert "(day=? AND position>?)" in plans[0]
