"""`carefacts propose`: the JSON it prints, on a fresh folder, storing nothing;
and every candidate it prints is a fact POST /facts records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from intake import propose
from service.asgi import create_app
from service.cli import main
from service.settings import Settings
from tests.builders import authority_body
from tests.http.conftest import TOKEN
from tests.intake import articles

ROOT = Path(__file__).resolve().parents[2]


def _article(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _propose_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    assert main(["propose", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_json_has_exactly_the_documented_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _article(tmp_path, articles.OVERSPEND)
    document = _propose_json(capsys, str(path), "--published", "2023-11-20")
    assert set(document) == {"authority", "candidates"}
    assert document["authority"] == "E10000016"
    assert document["candidates"]
    text = path.read_text(encoding="utf-8")
    for candidate in document["candidates"]:
        assert set(candidate) == {
            "kind",
            "fields",
            "effective",
            "approximate",
            "evidence",
            "confidence",
        }
        assert set(candidate["evidence"]) == {"start", "end", "text"}
        start, end = candidate["evidence"]["start"], candidate["evidence"]["end"]
        assert text[start:end] == candidate["evidence"]["text"]
        assert isinstance(candidate["approximate"], bool)
        assert isinstance(candidate["confidence"], float)
        assert "summary" not in candidate["fields"]
    money = [c for c in document["candidates"] if c["kind"] == "money_reported"]
    assert all(isinstance(c["fields"]["amount"], str) for c in money)


def test_options_are_taken_as_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _article(tmp_path, articles.MENTIONS)
    document = _propose_json(
        capsys,
        str(path),
        "--published",
        "2019-05",
        "--authority",
        "E08000035",
        "--url",
        "https://news.example/bradford",
        "--title",
        "A headline",
        "--publisher",
        "Example News",
    )
    assert document["authority"] == "E08000035"


def test_without_json_it_prints_summaries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _article(tmp_path, articles.GRANTS)
    assert main(["propose", str(path), "--published", "2023-01-25"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("authority: E08000010")
    assert "Department for Education" in out


def test_a_bad_date_is_refused_and_prints_no_proposal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _article(tmp_path, articles.GRANTS)
    assert main(["propose", str(path), "--published", "2023-02-30", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "published" in captured.err and "February 2023 has 28 days" in captured.err


def test_a_missing_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["propose", str(tmp_path / "none.txt"), "--published", "2023"]) == 1
    assert "cannot read" in capsys.readouterr().err


def _run(path: Path, folder: Path, seed: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CAREFACTS")
    }
    env.update(
        {
            "PYTHONHASHSEED": seed,
            "CAREFACTS_DATA_DIR": str(folder / "data"),
            "PYTHONPATH": str(ROOT),
        }
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli",
            "propose",
            str(path),
            "--published",
            "2024-02-14",
            "--json",
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_on_a_fresh_folder_it_stores_nothing_and_is_deterministic(
    tmp_path: Path,
) -> None:
    path = _article(tmp_path, articles.TRUST)
    folder = tmp_path / "fresh"
    folder.mkdir()
    first = _run(path, folder, "1")
    second = _run(path, folder, "4242")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["authority"] == "E06000030"
    assert list(folder.iterdir()) == []


def test_every_candidate_is_a_fact_post_facts_records(
    sqlite_settings: Settings,
) -> None:
    with TestClient(create_app(sqlite_settings)) as client:
        ledger = client.app.state.runtime.ledger  # type: ignore[attr-defined]
        ledger.register_authority(authority_body(code="E10000016", name="Kent"))
        registered = client.post(
            "/sources",
            json={
                "kind": "news",
                "title": "Children's services overspend grows",
                "publisher": "Example County News",
                "url": "https://news.example/kent-overspend",
                "published": "2023-11-20",
            },
            headers=TOKEN,
        )
        assert registered.status_code == 201
        source = registered.json()["id"]
        proposal = json.loads(
            json.dumps(propose(articles.OVERSPEND, published="2023-11-20").to_json())
        )
        assert len(proposal["candidates"]) >= 5
        for candidate in proposal["candidates"]:
            body = {
                "kind": candidate["kind"],
                "authority": proposal["authority"],
                "source": source,
                "effective": candidate["effective"],
                "approximate": candidate["approximate"],
                **candidate["fields"],
            }
            response = client.post("/facts", json=body, headers=TOKEN)
            assert response.status_code == 201, response.json()
