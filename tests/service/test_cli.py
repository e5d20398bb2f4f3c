"""The carefacts command: load, import, replay and status, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.cli import main


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
