from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from service.asgi import create_app
from service.settings import Settings

TOKEN = {"Authorization": "Bearer test-token"}


@pytest.fixture
def client(seeded_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_settings)) as test_client:
        yield test_client


@pytest.fixture
def empty_client(settings: Settings) -> Iterator[TestClient]:
    """A client over an empty ledger (SQLite and PostgreSQL)."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client
