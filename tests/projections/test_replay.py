"""Rebuilding views from the log gives exactly the incrementally kept views, and a
replay killed part-way resumes to the same rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

import pytest

from domain.drafts import FactDraft, draft_fact
from projections.db import SQLiteViews
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
    core.worker.rebuild()
    assert core.worker.checksum() == incremental
    assert core.worker.position == ledger.last_position()


def _file(app: Carefacts) -> Path:
    assert isinstance(app.views, SQLiteViews)
    return app.views.path


def _building(settings: Settings) -> list[Path]:
    return sorted(settings.data_dir.glob("views-*.sqlite3"))


@pytest.mark.slow
def test_a_rebuild_killed_part_way_leaves_the_old_views_serving_and_a_rerun_agrees(
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
    command = [sys.executable, "-m", "service.cli", "replay"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while not _building(sqlite_settings):  # the new generation is being written
        assert process.poll() is None, "the replay ended before it could be killed"
        assert time.monotonic() < deadline, "the replay made no progress"
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()

    app = Carefacts.open(sqlite_settings)
    try:
        assert _file(app) == sqlite_settings.views_path  # still the old views
        assert app.worker.position == end
        assert app.worker.checksum() == uninterrupted
    finally:
        app.close()
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "replayed" in rerun.stdout
    app = Carefacts.open(sqlite_settings)
    try:
        assert _building(sqlite_settings) == [_file(app)]  # the half-built: gone
        assert app.worker.position == end
        assert app.worker.checksum() == uninterrupted
    finally:
        app.close()


def _other_processes(data_dir: Path) -> list[int]:
    """Processes still building a part of a rebuild of the views in ``data_dir``."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # it ended meanwhile
        if b"projections.other_core" in command and any(
            str(data_dir).encode() in part for part in command
        ):
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_a_rebuild_killed_while_its_other_process_works_leaves_nothing_behind(
    sqlite_settings: Settings,
) -> None:
    data_dir = sqlite_settings.data_dir
    app = Carefacts.open(sqlite_settings)
    app.ledger.register_authority({"code": "E06000009", "name": "Blackpool"})
    app.ledger.register_source(source_body())
    app.ledger.record_facts(synthetic_counts(40_000), batch_size=5000)
    app.worker.catch_up()
    uninterrupted = app.worker.checksum()
    app.close()
    env = {**os.environ, "CAREFACTS_DATA_DIR": str(data_dir)}
    # `carefacts replay` as on a long log: the other core builds the search view.
    split = (
        "import sys; from projections import rebuild; rebuild.SPLIT_FROM = 0; "
        "from service.cli import main; sys.exit(main(['replay']))"
    )
    process = subprocess.Popen([sys.executable, "-c", split], env=env)
    deadline = time.monotonic() + 120
    while not list(data_dir.glob("views-*.sqlite3-words")):
        assert process.poll() is None, "the replay ended before it could be killed"
        assert time.monotonic() < deadline, "the other process never started"
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while _other_processes(data_dir):  # killed with it
        assert time.monotonic() < deadline, "the other process outlived the rebuild"
        time.sleep(0.05)

    app = Carefacts.open(sqlite_settings)
    try:
        assert _file(app) == sqlite_settings.views_path  # still the old views
        assert app.worker.checksum() == uninterrupted
    finally:
        app.close()
    command = [sys.executable, "-m", "service.cli", "replay"]
    subprocess.run(command, env=env, capture_output=True, check=True)
    app = Carefacts.open(sqlite_settings)
    try:
        assert app.worker.checksum() == uninterrupted
        assert _building(sqlite_settings) == [_file(app)]
        assert not [
            p for p in data_dir.iterdir() if p.name.endswith(("-words", "-reports"))
        ]
    finally:
        app.close()


def test_replay_resume_brings_the_views_in_use_up_from_their_own_positions(
    sqlite_settings: Settings,
) -> None:
    app = Carefacts.open(sqlite_settings)
    app.ledger.register_authority({"code": "E06000009", "name": "Blackpool"})
    app.ledger.register_source(source_body())
    app.ledger.record_facts(synthetic_counts(50))
    app.worker.catch_up()
    app.ledger.record_facts(synthetic_counts(80)[50:])  # not yet in the views
    app.close()

    env = {**os.environ, "CAREFACTS_DATA_DIR": str(sqlite_settings.data_dir)}
    command = [sys.executable, "-m", "service.cli", "replay", "--resume"]
    resumed = subprocess.run(command, env=env, capture_output=True, text=True)

    assert resumed.returncode == 0, resumed.stderr
    assert "replayed 30 events" in resumed.stdout
    app = Carefacts.open(sqlite_settings)
    try:
        assert _file(app) == sqlite_settings.views_path  # no new generation
        assert app.worker.position == app.ledger.last_position()
        resumed_rows = app.worker.checksum()
        app.worker.rebuild()
        assert app.worker.checksum() == resumed_rows
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
        last = app.ledger.last_position()
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
        # SQLite rebuilds it at start, into a new file; PostgreSQL in place.
        rebuilt_at_start = 0 if settings.uses_postgres else last
        assert again.worker.positions()["facts"] == rebuilt_at_start
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
