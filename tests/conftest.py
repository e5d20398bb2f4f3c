"""Shared fixtures: settings for SQLite and PostgreSQL, a ledger with Blackpool and
a source registered, and the seeds loaded once per session and copied per test.

PostgreSQL tests need the server on 127.0.0.1:5432 (or CAREFACTS_TEST_DATABASE_URL).
Without it they are skipped, saying why; with CI set they fail instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from seeds.loader import load_default
from service.application import Ledger
from service.composition import Carefacts
from service.settings import Settings
from tests.builders import authority_body, source_body

PG_URL = os.environ.get(
    "CAREFACTS_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _postgres_error() -> str | None:
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        return str(error).strip() or type(error).__name__
    return None


def require_postgres() -> None:
    error = _postgres_error()
    if error is None:
        return
    message = f"PostgreSQL is not reachable at {PG_URL}: {error}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set, so this is a failure, not a skip)")
    pytest.skip(message + " (set CI=1 to make this a failure)")


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", write_tokens=("test-token",))


@pytest.fixture
def pg_settings() -> Iterator[Settings]:
    require_postgres()
    schema = "test_" + uuid.uuid4().hex[:12]
    yield Settings(
        database_url=PG_URL, database_schema=schema, write_tokens=("test-token",)
    )
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest) -> Settings:
    """Each test using this runs against SQLite and against PostgreSQL."""
    name = "sqlite_settings" if request.param == "sqlite" else "pg_settings"
    value: Settings = request.getfixturevalue(name)
    return value


@pytest.fixture
def ledger(settings: Settings) -> Iterator[Ledger]:
    """A ledger with Blackpool and one news source registered."""
    app = Ledger(settings)
    app.register_authority(authority_body())
    app.register_source(source_body())
    yield app
    app.close()


@pytest.fixture
def core(settings: Settings) -> Iterator[Carefacts]:
    """Ledger, views and worker, with Blackpool and one source registered."""
    app = Carefacts.open(settings)
    app.ledger.register_authority(authority_body())
    app.ledger.register_source(source_body())
    yield app
    app.close()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite data folder with the default seeds loaded and projected, once."""
    folder = tmp_path_factory.mktemp("seeded") / "data"
    app = Carefacts.open(Settings(data_dir=folder))
    load_default(app.ledger)
    app.worker.catch_up()
    app.close()
    return folder


@pytest.fixture
def seeded_settings(seeded_template: Path, tmp_path: Path) -> Settings:
    """Settings over a private copy of the seeded SQLite folder."""
    folder = tmp_path / "data"
    shutil.copytree(seeded_template, folder)
    return Settings(data_dir=folder, write_tokens=("test-token",))


@pytest.fixture
def seeded(seeded_settings: Settings) -> Iterator[Carefacts]:
    app = Carefacts.open(seeded_settings)
    yield app
    app.close()
