"""The registry view: authorities and sources, as registered.

Other views and queries join on these rows for names, publishers and how primary a
source is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from domain.vocabulary import SOURCE_RANK
from projections.base import Projection
from projections.db import Cursor
from projections.keyset import Key, Keyset, Page, read_page
from projections.logged_events import LoggedEvent
from projections.plain import edtf_end, effective_json, plain

AUTHORITY_COLUMNS = (
    "code, name, level, dfe_number, ofsted_urn, region, status, position, "
    "recorded_at, replaced_by, replaced_on"
)
MEASURE_COLUMNS = (
    "code, name, description, owner, unit_label, polarity, topic, position, recorded_at"
)
SOURCE_COLUMNS = (
    "source_id, kind, title, publisher, url, published, licence, note, rank, "
    "position, recorded_at"
)


_TOPICS = frozenset({"AuthorityRegistered", "SourceRegistered", "MeasureRegistered"})


class RegistryView(Projection):
    name = "registry"
    tables = {
        "authorities": """CREATE TABLE IF NOT EXISTS authorities (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL,
            dfe_number TEXT, ofsted_urn TEXT, region TEXT, status TEXT NOT NULL,
            position {bigint} NOT NULL, recorded_at TEXT NOT NULL,
            replaced_by TEXT, replaced_on TEXT)""",
        "sources": """CREATE TABLE IF NOT EXISTS sources (
            source_id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL,
            publisher TEXT NOT NULL, url TEXT, published TEXT, licence TEXT,
            note TEXT, rank INTEGER NOT NULL,
            position {bigint} NOT NULL, recorded_at TEXT NOT NULL,
            published_end TEXT)""",
        "measures": """CREATE TABLE IF NOT EXISTS measures (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT, owner TEXT,
            unit_label TEXT, polarity TEXT, topic TEXT,
            position {bigint} NOT NULL, recorded_at TEXT NOT NULL)""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS authorities_dfe ON authorities (dfe_number)",
        # The order of the source list (SOURCE_ORDER), so a page of it is unsorted.
        "CREATE INDEX IF NOT EXISTS sources_order "
        "ON sources (COALESCE(published, ''), source_id)",
    )

    def apply(self, cur: Cursor, events: Sequence[LoggedEvent]) -> None:
        authorities: list[tuple[Any, ...]] = []
        sources: list[tuple[Any, ...]] = []
        measures: list[tuple[Any, ...]] = []
        for e in events:
            if e.topic not in _TOPICS:
                continue  # most events: leave them unparsed
            s = e.state
            if e.topic == "AuthorityRegistered":
                authorities.append(
                    (
                        s["code"],
                        s["name"],
                        s["level"],
                        s["dfe_number"],
                        s["ofsted_urn"],
                        s["region"],
                        s["status"],
                        e.position,
                        e.recorded_at,
                        # The codes of the authorities that replaced it, spaced.
                        " ".join(s.get("replaced_by") or ()) or None,
                        s.get("replaced_on"),
                    )
                )
            elif e.topic == "SourceRegistered":
                sources.append(
                    (
                        s["source_id"],
                        s["kind"],
                        s["title"],
                        s["publisher"],
                        s["url"],
                        plain(s["published"]),
                        s["licence"],
                        s["note"],
                        SOURCE_RANK.get(s["kind"], 9),
                        e.position,
                        e.recorded_at,
                        # The last day it may have been published on: a source
                        # dated to a month or a year counts from the end of it.
                        edtf_end(plain(s["published"])) if s["published"] else None,
                    )
                )
            elif e.topic == "MeasureRegistered":
                measures.append(
                    (
                        s["code"],
                        s["name"],
                        s["description"],
                        s["owner"],
                        s["unit_label"],
                        s["polarity"],
                        s["topic"],
                        e.position,
                        e.recorded_at,
                    )
                )
        if measures:
            cur.executemany(
                f"INSERT INTO measures ({MEASURE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                measures,
            )
        if authorities:
            cur.executemany(
                f"INSERT INTO authorities ({AUTHORITY_COLUMNS}) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                authorities,
            )
        if sources:
            cur.executemany(
                f"INSERT INTO sources ({SOURCE_COLUMNS}, published_end) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                sources,
            )


def authority_json(
    row: Sequence[Any], names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """An authority's row as JSON; ``names`` (by code) names its successors."""
    code, name, level, dfe, urn, region, status, position, recorded_at = row[:9]
    replaced_by, replaced_on = row[9:11]
    doc: dict[str, Any] = {
        "code": code,
        "name": name,
        "level": level,
        "dfe_number": dfe,
        "ofsted_urn": urn,
        "region": region,
        "status": status,
        # Empty and null but for an authority abolished in a reorganisation.
        "replaced_by": [
            {"code": c, "name": (names or {}).get(c)}
            for c in (replaced_by or "").split()
        ],
        "replaced_on": replaced_on,
        "recorded": {"position": position, "at": recorded_at},
    }
    return doc


def _successor_names(cur: Cursor, rows: Sequence[Sequence[Any]]) -> dict[str, str]:
    codes = sorted({c for row in rows for c in (row[9] or "").split()})
    if not codes:
        return {}
    marks = ",".join("?" * len(codes))
    cur.execute(f"SELECT code, name FROM authorities WHERE code IN ({marks})", codes)
    return {code: name for code, name in cur.fetchall()}


def source_json(row: Sequence[Any]) -> dict[str, Any]:
    (
        source_id,
        kind,
        title,
        publisher,
        url,
        published,
        licence,
        note,
        _rank,
        position,
        recorded_at,
    ) = row
    return {
        "id": source_id,
        "kind": kind,
        "title": title,
        "publisher": publisher,
        "url": url,
        "published": effective_json(published) if published else None,
        "licence": licence,
        "note": note,
        "recorded": {"position": position, "at": recorded_at},
    }


# The authority list's orders, by the ``sort`` a client asks for.
AUTHORITY_ORDERS = {
    "name": Keyset("name", "code"),
    "region": Keyset("COALESCE(region, '')", "name", "code"),
}


def list_authorities(
    cur: Cursor, level: str | None = "authority"
) -> list[dict[str, Any]]:
    return authority_page(cur, level).items


def authority_page(
    cur: Cursor,
    level: str | None = "authority",
    *,
    name_contains: str = "",
    region: str = "",
    sort: str = "name",
    after: Key | None = None,
    limit: int | None = None,
) -> Page[dict[str, Any]]:
    """Authorities at ``level`` (None: every level) whose name contains a text
    (in any case), or whose code it is, and in a region, ordered by name or by
    region then name."""
    where: list[str] = []
    params: list[Any] = []
    if level is not None:
        where.append("level = ?")
        params.append(level)
    if name_contains:
        escaped = re.sub(r"([\\%_])", r"\\\1", name_contains.lower())
        # A code is matched whole (in any case), a name by any part of it.
        where.append("(lower(name) LIKE ? ESCAPE '\\' OR lower(code) = ?)")
        params += [f"%{escaped}%", name_contains.strip().lower()]
    if region:
        where.append("region = ?")
        params.append(region)
    order = AUTHORITY_ORDERS[sort]

    def rows(start: Key | None, at_most: int | None) -> list[Any]:
        conditions, values = list(where), list(params)
        if start is not None:
            clause, more = order.after(start)
            conditions.append(clause)
            values += more
        sql = f"SELECT {AUTHORITY_COLUMNS} FROM authorities"
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        tail, more = order.order(at_most)
        cur.execute(sql + tail, values + more)
        return list(cur.fetchall())

    def key(row: Sequence[Any]) -> Key:
        code, name, region = row[0], row[1], row[5]
        return (region or "", name, code) if sort == "region" else (name, code)

    page = read_page(rows, after, limit, key)
    names = _successor_names(cur, page.items)
    return page.with_items([authority_json(r, names) for r in page.items])


def get_authority(cur: Cursor, code: str) -> dict[str, Any] | None:
    cur.execute(f"SELECT {AUTHORITY_COLUMNS} FROM authorities WHERE code = ?", (code,))
    row = cur.fetchone()
    return authority_json(row, _successor_names(cur, [row])) if row else None


# Sources by publication date (those without one first), then id.
SOURCE_ORDER = Keyset("COALESCE(published, '')", "source_id")


def list_sources(
    cur: Cursor, after: Key | None = None, limit: int | None = None
) -> Page[dict[str, Any]]:
    def rows(start: Key | None, at_most: int | None) -> list[Any]:
        sql = f"SELECT {SOURCE_COLUMNS} FROM sources"
        params: list[Any] = []
        if start is not None:
            clause, params = SOURCE_ORDER.after(start)
            sql += " WHERE " + clause
        tail, more = SOURCE_ORDER.order(at_most)
        cur.execute(sql + tail, params + more)
        return list(cur.fetchall())

    page = read_page(rows, after, limit, lambda row: (row[5] or "", row[0]))
    return page.with_items([source_json(r) for r in page.items])


def get_source(cur: Cursor, source_id: str) -> dict[str, Any] | None:
    cur.execute(
        f"SELECT {SOURCE_COLUMNS} FROM sources WHERE source_id = ?", (source_id,)
    )
    row = cur.fetchone()
    return source_json(row) if row else None


def get_measure(cur: Cursor, code: str) -> dict[str, Any] | None:
    cur.execute(f"SELECT {MEASURE_COLUMNS} FROM measures WHERE code = ?", (code,))
    row = cur.fetchone()
    if row is None:
        return None
    names = [c.strip() for c in MEASURE_COLUMNS.split(",")]
    doc = dict(zip(names, row, strict=True))
    position, recorded_at = doc.pop("position"), doc.pop("recorded_at")
    return {**doc, "recorded": {"position": position, "at": recorded_at}}
