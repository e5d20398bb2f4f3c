"""Rebuilding views from the log gives exactly the incrementally kept views, and a
replay killed part-way resumes to the same rows."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

import pytest

from domain.drafts import FactDraft, draft_fact
from projections.facts import visible_facts
from service.composition import Carefacts
from service.settings import Settings
from tests.builders import BLACKPOOL, authority_body, count_body, source_body


def synthetic_counts(n: int, source: str = "test-gazette-2023-07") -> list[FactDraft]:
    return [
        draft_fact(
            count_body(
                measure=f"test:measure_{i // 120}",
                effective=f"{1900 + (i % 120) // 12:04d}-{(i % 12) + 1:02d}",
                value=i,
                source=source,
            )
        )
        for i in range(n)
    ]


def test_a_rebuild_gives_the_same_rows_as_the_incremental_views(
    core: Carefacts,
) -> None:
    ledger = core.ledger
    ledger.register_source(source_body(source_id="stats", kind="statistics"))
    drafts = synthetic_counts(300)
    for draft in drafts[:100]:  # one event at a time, views kept up as we go
        ledger.record_fact(draft)
        core.worker.step()
    ledger.record_facts(drafts[100:])
    core.worker.catch_up()
    ids = [d.fact_id for d in drafts[:5]]
    ledger.correct_fact(ids[0], {"value": 7}, "typing error")
    ledger.correct_fact(ids[0], {"effective": "1950-01"}, "misdated")
    ledger.retract_fact(ids[1], "withdrawn")
    ledger.correct_fact(ids[2], {"value": 8}, "typing error", source="stats")
    ledger.retract_fact(ids[2], "withdrawn after all")
    core.worker.catch_up()
    incremental = core.worker.checksum()
    core.worker.reset()
    core.worker.catch_up()
    assert core.worker.checksum() == incremental
    assert core.worker.position == ledger.last_position()


def _views_position(path: Path) -> int:
    try:
        with sqlite3.connect(path, timeout=1) as conn:
            row = conn.execute(
                "SELECT MIN(position) FROM projection_positions"
            ).fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0] or 0)


@pytest.mark.slow
def test_a_replay_killed_part_way_resumes_to_the_same_rows(
    sqlite_settings: Settings,
) -> None:
    app = Carefacts.open(sqlite_settings)
    app.ledger.register_authority({"code": "E06000009", "name": "Blackpool"})
    app.ledger.register_source(source_body())
    app.ledger.record_facts(synthetic_counts(40_000), batch_size=5000)
    fact_id = UUID(str(synthetic_counts(1)[0].fact_id))
    app.ledger.correct_fact(fact_id, {"value": 9}, "typing error")
    app.worker.catch_up()
    uninterrupted = app.worker.checksum()
    end = app.ledger.last_position()
    app.close()

    env = {**os.environ, "CAREFACTS_DATA_DIR": str(sqlite_settings.data_dir)}
    command = [sys.executable, "-m", "service.cli", "replay", "--batch-size", "500"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while True:
        position = _views_position(sqlite_settings.views_path)
        if 0 < position < end // 2 and position != end:
            break
        assert process.poll() is None, "the replay ended before it could be killed"
        assert time.monotonic() < deadline, "the replay made no progress"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = _views_position(sqlite_settings.views_path)
    assert 0 < killed_at < end

    resumed = subprocess.run(
        [*command, "--resume"], env=env, capture_output=True, text=True, check=True
    )
    assert "replayed" in resumed.stdout
    app = Carefacts.open(sqlite_settings)
    try:
        assert app.worker.position == end
        assert app.worker.checksum() == uninterrupted
    finally:
        app.close()


def test_a_view_kept_in_an_older_shape_is_rebuilt_with_the_listing_indexes(
    settings: Settings,
) -> None:
    app = Carefacts.open(settings)
    try:
        app.ledger.register_authority(authority_body())
        app.ledger.register_source(source_body())
        app.ledger.record_facts(synthetic_counts(30))
        app.worker.catch_up()
        with app.views.write() as cur:  # as a view built before the index came
            cur.execute("DROP INDEX fact_versions_by_authority")
            cur.execute(
                "UPDATE projection_positions SET fingerprint = 'older' "
                "WHERE name = 'facts'"
            )
    finally:
        app.close()
    again = Carefacts.open(settings)
    try:
        assert again.worker.positions()["facts"] == 0
        again.worker.catch_up()
        with again.views.read() as cur:
            if again.views.dialect == "sqlite":
                cur.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?",
                    ("fact_versions_by_authority",),
                )
            else:
                cur.execute(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = "
                    "current_schema() AND indexname = ?",
                    ("fact_versions_by_authority",),
                )
            assert cur.fetchall()
            assert len(visible_facts(cur, BLACKPOOL)) == 30
    finally:
        again.close()


def _estimated_rows(app: Carefacts) -> float:
    with app.views.read() as cur:
        cur.execute(
            "SELECT reltuples FROM pg_class WHERE oid = 'fact_versions'::regclass"
        )
        rows: float = cur.fetchone()[0]
    return rows


@pytest.mark.postgres
def test_postgresql_gathers_view_statistics_after_many_events(
    pg_settings: Settings,
) -> None:
    app = Carefacts.open(pg_settings)
    try:
        app.ledger.register_authority(authority_body())
        app.ledger.register_source(source_body())
        app.ledger.record_facts(synthetic_counts(30))
        app.worker.analyze_after = 1_000
        app.worker.catch_up()
        assert _estimated_rows(app) <= 0  # not analysed: few events yet
        app.ledger.record_facts(synthetic_counts(1_200)[30:])
        app.worker.catch_up()
        assert _estimated_rows(app) == 1_200
    finally:
        app.close()
