"""The facts one source reported, as its page lists them: the first few, and how
many there are in all (a statistics release may report hundreds of thousands)."""

from __future__ import annotations

from projections.db import Cursor

# The facts view's own select (versions joined with their source), so the rows are
# the same FactRow every query of that view gives.
from projections.facts import FACT_SELECT, FactRow


def first_facts(cur: Cursor, source_id: str, limit: int) -> tuple[list[FactRow], int]:
    """Up to ``limit`` facts the source reported, as they stand now (earliest
    effective first), and the number it reported in all."""
    current = "v.source = ? AND v.superseded_at IS NULL AND v.retraction = 0"
    cur.execute(f"SELECT COUNT(*) FROM fact_versions v WHERE {current}", (source_id,))
    total = int(cur.fetchone()[0])
    cur.execute(
        FACT_SELECT + f"WHERE {current} ORDER BY v.effective_start, v.position LIMIT ?",
        (source_id, limit),
    )
    return list(map(FactRow._make, cur.fetchall())), total
