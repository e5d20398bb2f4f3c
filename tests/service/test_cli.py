"""The carefacts command: load, import, replay and status, as a user runs them,
and what it says when the store fails."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import psycopg
import pytest
from eventsourcing.persistence import PersistenceError

from domain.drafts import draft_fact
from projections import rebuild, report_rows
from projections.db import SQLiteViews
from service import composition
from service.cli import main
from service.composition import Carefacts
from service.settings import Settings
from service.storage_failures import disk_is_full, storage_failure
from tests.builders import count_body, source_body


@pytest.fixture
def data_dir(
    seeded_settings: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    folder: Path = seeded_settings.data_dir  # type: ignore[attr-defined]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CAREFACTS_DATA_DIR", str(folder))
    monkeypatch.delenv("CAREFACTS_DATABASE_URL", raising=False)
    return folder


def test_loading_the_seeds_again_says_nothing_new_was_recorded(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load"]) == 0
    out = capsys.readouterr().out
    assert "total: recorded 0 new events" in out
    assert "facts (facts.toml): recorded 0, already present 92" in out


def test_replay_rebuilds_the_views_and_reports_its_rate(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay"]) == 0
    out = capsys.readouterr().out
    assert "replayed" in out and "events/s" in out
    assert main(["replay", "facts"]) == 0
    assert main(["replay", "no-such-view"]) == 2
    assert "no view named" in capsys.readouterr().err


def test_status_shows_the_log_and_view_positions(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "log position:" in out and "view facts:" in out


def test_importing_a_missing_file_is_a_clear_error(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "cla", "no-such-file.csv"]) == 1
    assert "no such file" in capsys.readouterr().err


def test_a_bad_setting_is_refused_before_anything_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CAREFACTS_FEED_PAGE_SIZE", "many")
    assert main(["status"]) == 2
    assert "CAREFACTS_FEED_PAGE_SIZE" in capsys.readouterr().err


class NearlyFullViews(SQLiteViews):
    """Views whose file may grow by only a few pages: past them SQLite answers
    SQLITE_FULL ("database or disk is full"), exactly as on a full disk."""

    def _connect(self, cache_kib: int = 16_384) -> sqlite3.Connection:
        conn = super()._connect(cache_kib)
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages + 60}")
        return conn


def test_replay_on_a_full_disk_says_so_in_one_line_and_fails(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    live = sorted(data_dir.glob("views*"))
    # The new generation may grow by only a few pages: past them SQLite answers
    # SQLITE_FULL ("database or disk is full"), exactly as on a full disk.
    pragmas = (*report_rows.BULK_PRAGMAS, "PRAGMA main.max_page_count = 4")
    monkeypatch.setattr(rebuild, "BULK_PRAGMAS", pragmas)
    assert main(["replay"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "carefacts replay: the disk is full (database or disk is full); the views "
        "in use are unchanged: free some space, then run `carefacts replay` again"
    ]
    assert sorted(data_dir.glob("views*")) == live  # no half-built file left


def test_replay_resume_on_a_full_disk_says_that_it_continues(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app = Carefacts.open(Settings(data_dir=data_dir))
    try:  # events the views have yet to take, more than the disk has room for
        app.ledger.register_source(source_body())
        app.ledger.record_facts(
            draft_fact(
                count_body(measure=f"test:m{i // 100}", effective=f"{1900 + i % 100}")
            )
            for i in range(3000)
        )
    finally:
        app.close()
    monkeypatch.setattr(
        composition, "open_views", lambda s: NearlyFullViews(s.views_path)
    )
    assert main(["replay", "--resume"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "carefacts replay: the disk is full (database or disk is full); free some "
        "space, then `carefacts replay --resume` continues"
    ]


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.OperationalError("database or disk is full"),
        psycopg.errors.DiskFull("could not extend file: No space left on device"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
)
def test_a_full_disk_is_recognised_from_sqlite_postgresql_and_the_system(
    error: Exception,
) -> None:
    wrapped = PersistenceError("could not write")
    wrapped.__cause__ = error
    assert disk_is_full(error) and disk_is_full(wrapped)
    assert storage_failure(error).startswith("the disk is full (")


def test_another_store_failure_is_one_line_too() -> None:
    error = sqlite3.OperationalError("database is locked\nmore detail")
    assert not disk_is_full(error)
    assert storage_failure(error) == "the store failed (database is locked)"
