"""The package builds quietly, and its wheel carries every data file: the seeds,
the official files, the page templates and stylesheet."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
PACKAGES = ("domain", "intake", "projections", "service", "seeds")
DATA_FOLDERS = ("seeds/news", "seeds/official", "service/static", "service/templates")


def test_a_wheel_builds_without_warnings_and_carries_the_data_files(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("*.pyc")
        )
    pip = [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps"]
    built = subprocess.run(
        [*pip, "--no-build-isolation", "--wheel-dir", str(tmp_path / "dist"), source],
        capture_output=True,
        text=True,
    )
    output = built.stdout + built.stderr
    assert built.returncode == 0, output[-3000:]
    assert "would be ignored" not in output
    assert "deprecated" not in output.lower()
    (wheel,) = (tmp_path / "dist").glob("carefacts-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        str(path.relative_to(ROOT))
        for folder in DATA_FOLDERS
        for path in (ROOT / folder).iterdir()
        if path.is_file()
    }
    assert expected and expected <= names, sorted(expected - names)
