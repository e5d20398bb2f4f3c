from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from uuid import UUID

import pytest
from starlette.testclient import TestClient

from service.asgi import create_app
from service.settings import Settings
from tests.builders import (
    authority_body,
    count_body,
    grant_body,
    rating_body,
    source_body,
    statistics_source_body,
)

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


@pytest.fixture
def reader_client(sqlite_settings: Settings) -> Iterator[TestClient]:
    """A client over a small ledger with a press report, an official judgement, a
    corrected fact and a retracted one (pages of 4 entries)."""
    settings = replace(sqlite_settings, feed_page_size=4)
    with TestClient(create_app(settings)) as test_client:
        ledger = test_client.app.state.runtime.ledger  # type: ignore[attr-defined]
        ledger.register_authority(authority_body())
        ledger.register_source(source_body())
        ledger.register_source(statistics_source_body())
        ledger.record_fact(count_body())
        ledger.record_fact(rating_body(source="test-ofsted-outcomes"))
        corrected = ledger.record_fact(count_body(effective="2022-01", value=5)).id
        ledger.correct_fact(UUID(corrected), {"value": 6}, "a typing error", None)
        retracted = ledger.record_fact(grant_body()).id
        ledger.retract_fact(UUID(retracted), "the article was withdrawn")
        sync(test_client)
        yield test_client


def sync(client: TestClient) -> None:
    """Wait until the views hold everything recorded so far."""
    position = client.get("/healthz").json()["log_position"]
    client.get("/authorities", params={"min_position": position})


def log_position(client: TestClient) -> int:
    position: int = client.get("/healthz").json()["log_position"]
    return position


def registered(client: TestClient) -> TestClient:
    """Blackpool and a source registered, and the views caught up."""
    ledger = client.app.state.runtime.ledger  # type: ignore[attr-defined]
    ledger.register_authority(authority_body())
    ledger.register_source(source_body())
    sync(client)
    return client


@pytest.fixture
def hub_settings(sqlite_settings: Settings) -> Settings:
    return replace(sqlite_settings, websub_allow_private=True)


@pytest.fixture
def hub_client(hub_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(hub_settings)) as client:
        yield registered(client)
