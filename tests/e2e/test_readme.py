"""Every curl example in the README runs, as written, against a real server on a
freshly seeded data folder, and answers with success and JSON, or, when it asks
for CSV, a CSV table with a header and rows.

The only change to a command is the port: the README says 8000, which another
server on the machine may hold, so ``http://127.0.0.1:8000`` becomes the test
server's address. The server has the write token the README names (``secret``).
A ``.curlrc`` read through ``CURL_HOME`` adds ``--fail-with-body``, so an HTTP
error fails the command without changing its text. Commands that start servers
(``./scripts/serve`` and the like) are not curl examples and are not run here.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.e2e.conftest import running_server

pytestmark = pytest.mark.e2e
README = Path(__file__).parents[2] / "README.md"
WRITTEN_BASE = "http://127.0.0.1:8000"


def sh_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```$", markdown, flags=re.M | re.S)


def commands(block: str) -> list[str]:
    """The block's commands: a line ending in a backslash, or inside an open
    quotation, goes on to the next."""
    found: list[str] = []
    pending = ""
    for line in block.splitlines():
        pending = f"{pending}\n{line}" if pending else line
        if pending.endswith("\\"):
            continue
        try:
            shlex.split(pending, comments=True)
        except ValueError:  # an unclosed quotation: the command goes on
            continue
        if pending.strip():
            found.append(pending)
        pending = ""
    assert not pending, f"an unfinished command in the README: {pending!r}"
    return found


def curl_examples() -> list[str]:
    return [
        command
        for block in sh_blocks(README.read_text())
        for command in commands(block)
        if command.lstrip().startswith("curl ")
    ]


def test_the_readme_has_curl_examples_to_run() -> None:
    examples = curl_examples()
    assert len(examples) >= 6
    assert any("-X POST" in example for example in examples)


@pytest.fixture(scope="module")
def port(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    with running_server(
        seeded_template,
        tmp_path_factory.mktemp("readme"),
        CAREFACTS_WRITE_TOKENS="secret",
    ) as served:
        yield served


@pytest.fixture(scope="module")
def curl_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("curl")
    (home / ".curlrc").write_text("fail-with-body\n")
    return home


def _name(example: str) -> str:
    method = "POST" if "-X POST" in example else "GET"
    path = re.search(r"127\.0\.0\.1:8000(/[^\s'\"]*)", example)
    return f"{method} {path.group(1) if path else example[:40]}"


@pytest.mark.parametrize("example", curl_examples(), ids=_name)
def test_a_readme_example_runs_as_written(
    example: str, port: int, curl_home: Path
) -> None:
    command = example.replace(WRITTEN_BASE, f"http://127.0.0.1:{port}")
    ran = subprocess.run(
        ["sh", "-c", command],
        env={**os.environ, "CURL_HOME": str(curl_home)},
        capture_output=True,
        timeout=60,
    )
    assert ran.returncode == 0, (ran.returncode, ran.stdout[-2000:], ran.stderr)
    if "format=csv" in example or "text/csv" in example:
        header, *rows = csv.reader(io.StringIO(ran.stdout.decode()))
        assert header[:3] == ["fact_id", "version", "status"] and rows, header
        assert all(len(row) == len(header) for row in rows)
    else:
        assert isinstance(orjson.loads(ran.stdout), dict)


def _section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _run(example: str, port: int, curl_home: Path) -> bytes:
    command = example.replace(WRITTEN_BASE, f"http://127.0.0.1:{port}")
    ran = subprocess.run(
        ["sh", "-c", command],
        env={**os.environ, "CURL_HOME": str(curl_home)},
        capture_output=True,
        timeout=60,
        check=True,
    )
    return ran.stdout


def test_the_analysts_worked_requests_answer_what_the_readme_says(
    port: int, curl_home: Path
) -> None:
    worked = [
        command
        for block in sh_blocks(_section("For analysts"))
        for command in commands(block)
        if command.lstrip().startswith("curl ")
    ]
    assert len(worked) >= 3
    across, changes, as_csv = worked[:3]
    facts = orjson.loads(_run(across, port, curl_home))["facts"]
    assert len({f["authority"] for f in facts}) >= 150
    assert all(f["source"]["id"] and f["source"]["title"] for f in facts)
    assert orjson.loads(_run(changes, port, curl_home))["changes"]
    assert "format=csv" in as_csv
    rows = list(csv.DictReader(io.StringIO(_run(as_csv, port, curl_home).decode())))
    assert [r["fact_id"] for r in rows] == [f["fact_id"] for f in facts]
