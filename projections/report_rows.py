"""The fact reports' rows of the facts view, extracted inside SQLite from the
attached event file, and on a second core for the later half of a long log.

A report's row depends on nothing but its event, so any range of the log can be
extracted on its own: another process (:mod:`projections.other_core`) writes the
later half into a file beside the new generation while this one writes the
earlier half, then the rows are copied across in position order (an append),
before any index exists.
"""

from __future__ import annotations

import sqlite3

from domain.kinds import KIND_BY_EVENT
from projections.db import SQLiteViews
from projections.facts import fact_key
from projections.facts_view import COLUMNS, FactsView

# A fresh file, no journal, no syncs: a crash leaves a file nobody points at.
BULK_PRAGMAS = (
    "PRAGMA main.page_size=16384",
    "PRAGMA main.journal_mode=OFF",
    "PRAGMA main.synchronous=OFF",
    "PRAGMA main.locking_mode=EXCLUSIVE",
    "PRAGMA cache_size=-262144",
    "PRAGMA temp_store=MEMORY",
)
# Below this many events a second process costs more than it saves.
SPLIT_FROM = 100_000


def report_rows(table: str) -> str:
    """One INSERT ... SELECT writing every report's row, as FactsView.apply would, for
    the log positions after the first parameter up to the second."""
    kinds = KIND_BY_EVENT
    kind = " ".join(f"WHEN '{t}' THEN '{spec.kind}'" for t, spec in kinds.items())
    subject = " ".join(
        f"WHEN '{t}' THEN '{spec.subject}'"
        if spec.subject
        else f"WHEN '{t}' THEN json_extract(j, '$.{spec.subject_field}')"
        for t, spec in kinds.items()
    )
    topics = ",".join(f"'{t}'" for t in kinds)
    # Each row's EDTF date and its period's first day (projections.plain.edtf_start).
    start = (
        "CASE length(rtrim(e, '~')) WHEN 4 THEN rtrim(e, '~') || '-01-01' "
        "WHEN 7 THEN rtrim(e, '~') || '-01' ELSE rtrim(e, '~') END"
    )
    return (
        f"INSERT INTO fact_versions ({COLUMNS}) "
        f"SELECT p, fact_key(o), o, v, k, a, s, src, e, {start}, NULL, 'current', 0 "
        "FROM (SELECT rowid AS p, originator_id AS o, originator_version AS v, "
        f"CASE topic {kind} END AS k, json_extract(j, '$.authority') AS a, "
        f"CASE topic {subject} END AS s, json_extract(j, '$.source') AS src, "
        "json_extract(j, '$.effective._data_') AS e "
        f"FROM (SELECT rowid, *, CAST(state AS TEXT) AS j FROM log.{table} "
        f"WHERE topic IN ({topics}) AND rowid > ? AND rowid <= ?)) ORDER BY p"
    )


def extract_reports(part: str, log: str, table: str, after: int, end: int) -> None:
    """In the other process: the reports' rows of (after, end] into ``part``."""
    conn = sqlite3.connect(part, isolation_level=None)
    try:
        for pragma in BULK_PRAGMAS:
            conn.execute(pragma)
        conn.create_function("fact_key", 1, fact_key, deterministic=True)
        conn.execute("ATTACH DATABASE ? AS log", (log,))
        conn.execute(FactsView.tables["fact_versions"].format(**SQLiteViews.types))
        conn.execute("BEGIN")
        conn.execute(report_rows(table), (after, end))
        conn.execute("COMMIT")
    finally:
        conn.close()
