"""export-log and import-log: the whole log to a file and back, into SQLite or
PostgreSQL, with views equal to a replay of the original."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from projections.facts import visible_facts
from service.cli import main
from service.composition import Carefacts
from service.log_archive import LogFileError, export_log, import_log
from service.settings import Settings
from tests.builders import BLACKPOOL


def _export(app: Carefacts, path: Path) -> int:
    with path.open("wb") as out:
        return export_log(app.ledger, out)


def test_the_seeds_exported_and_imported_give_the_same_log_and_views(
    seeded: Carefacts, settings: Settings, tmp_path: Path
) -> None:
    exported = _export(seeded, tmp_path / "log.jsonl")
    with seeded.views.read() as cur:
        facts = visible_facts(cur, BLACKPOOL)
    # An empty store, SQLite (beside the seeded one) or PostgreSQL.
    target = Carefacts.open(replace(settings, data_dir=tmp_path / "target"))
    try:
        assert import_log(target.ledger, tmp_path / "log.jsonl") == exported
        target.worker.rebuild()

        assert target.ledger.last_position() == seeded.ledger.last_position()
        again = _export(target, tmp_path / "again.jsonl")
        assert again == exported
        assert (tmp_path / "again.jsonl").read_bytes() == (
            tmp_path / "log.jsonl"
        ).read_bytes()
        with target.views.read() as cur:
            assert visible_facts(cur, BLACKPOOL) == facts
        if not settings.uses_postgres:
            assert target.worker.checksum() == seeded.worker.checksum()
    finally:
        target.close()


def test_importing_into_a_store_that_holds_events_is_refused_and_stores_nothing(
    seeded: Carefacts, tmp_path: Path
) -> None:
    _export(seeded, tmp_path / "log.jsonl")
    before = seeded.ledger.last_position()

    with pytest.raises(LogFileError, match="already holds events"):
        import_log(seeded.ledger, tmp_path / "log.jsonl")

    assert seeded.ledger.last_position() == before


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (b"{not json", "line 3 is not JSON"),
        (b"[1, 2]", "line 3 is not a JSON object"),
        (b'{"position": 3, "topic": "X"}', "line 3: originator_id is missing"),
    ],
)
def test_a_bad_line_anywhere_in_the_file_stores_nothing(
    seeded: Carefacts, sqlite_settings: Settings, tmp_path: Path, line: bytes, says: str
) -> None:
    _export(seeded, tmp_path / "log.jsonl")
    first_two = (tmp_path / "log.jsonl").read_bytes().splitlines()[:2]
    (tmp_path / "bad.jsonl").write_bytes(b"\n".join([*first_two, line]) + b"\n")
    target = Carefacts.open(replace(sqlite_settings, data_dir=tmp_path / "target"))
    try:
        with pytest.raises(LogFileError, match=says):
            import_log(target.ledger, tmp_path / "bad.jsonl")

        assert target.ledger.last_position() == 0
    finally:
        target.close()


def test_the_commands_move_a_deployment_to_a_new_store_and_say_what_they_did(
    seeded_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CAREFACTS_DATABASE_URL", raising=False)
    monkeypatch.setenv("CAREFACTS_DATA_DIR", str(seeded_settings.data_dir))
    assert main(["export-log", "backup.jsonl"]) == 0
    exported = capsys.readouterr().out
    monkeypatch.setenv("CAREFACTS_DATA_DIR", str(tmp_path / "moved"))

    assert main(["import-log", "backup.jsonl"]) == 0

    count = exported.split()[1]
    assert exported.startswith(f"exported {count} events to backup.jsonl")
    assert capsys.readouterr().out.startswith(
        f"imported {count} events from backup.jsonl; views rebuilt to {count}"
    )
    assert main(["import-log", "backup.jsonl"]) == 1  # no longer empty
    assert "already holds events" in capsys.readouterr().err
