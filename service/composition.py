"""The composition root: builds the ledger, the view database and the worker.

The command line, the web application and the tests all start here, so storage is
chosen in one place (SQLite files by default, PostgreSQL when configured).
"""

from __future__ import annotations

from dataclasses import dataclass

from projections.base import Projection
from projections.db import PostgresViews, SQLiteViews, ViewDatabase
from projections.facts import FactsView
from projections.feed import FeedView
from projections.registry import RegistryView
from projections.worker import ProjectionWorker
from service.application import Ledger
from service.settings import Settings


def all_projections(settings: Settings) -> list[Projection]:
    """Every view, in the order a batch is applied to them."""
    return [RegistryView(), FactsView(), FeedView(settings.feed_page_size)]


def open_views(settings: Settings) -> ViewDatabase:
    if settings.database_url is None:
        return SQLiteViews(settings.views_path)
    return PostgresViews(_conninfo(settings), settings.database_schema)


def _conninfo(settings: Settings) -> str:
    pg = settings.postgres_params()
    parts = [f"{k}={v}" for k, v in pg.items() if v]
    return " ".join([*parts, "connect_timeout=5"])


@dataclass
class Carefacts:
    """Everything one process needs: the ledger, its views and their worker."""

    settings: Settings
    ledger: Ledger
    views: ViewDatabase
    worker: ProjectionWorker

    @classmethod
    def open(cls, settings: Settings, batch_size: int = 2000) -> Carefacts:
        ledger = Ledger(settings)
        views = open_views(settings)
        worker = ProjectionWorker(
            views, ledger, all_projections(settings), batch_size=batch_size
        )
        worker.setup()
        ledger.listeners.append(lambda _position: worker.wake())
        return cls(settings, ledger, views, worker)

    def close(self) -> None:
        self.worker.stop()
        self.views.close()
        self.ledger.close()
