"""The composition root: builds the ledger, the view database and the worker.

The command line, the web application and the tests all start here, so storage is
chosen in one place (SQLite files by default, PostgreSQL when configured).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from projections.base import Projection
from projections.db import PostgresViews, SQLiteViews, ViewDatabase
from projections.facts_view import FactsView
from projections.feed import FeedView
from projections.rebuild import EventFile
from projections.registry import RegistryView
from projections.search_view import search_view
from projections.worker import ProjectionWorker
from service.application import Ledger
from service.postgres import PostgresRunner, announcer, conninfo, setup_lock
from service.proposals import ProposalStore
from service.settings import Settings
from service.subscription_store import SubscriptionStore


def all_projections(settings: Settings) -> list[Projection]:
    """Every view, in the order a batch is applied to them."""
    dialect = "postgres" if settings.uses_postgres else "sqlite"
    return [
        RegistryView(),
        FactsView(),
        FeedView(settings.feed_page_size),
        search_view(dialect),  # after the facts view: a correction reads its rows
    ]


def event_file(settings: Settings, ledger: Ledger) -> EventFile:
    """The SQLite log, for a rebuild to read in bulk."""
    return EventFile(settings.events_path, ledger.recorder.events_table_name)


def open_views(settings: Settings) -> ViewDatabase:
    if settings.database_url is None:
        return SQLiteViews(settings.views_path)
    return PostgresViews(conninfo(settings), settings.database_schema)


@dataclass
class Carefacts:
    """Everything one process needs: the ledger, its views and their worker."""

    settings: Settings
    ledger: Ledger
    views: ViewDatabase
    worker: ProjectionWorker
    subscriptions: SubscriptionStore  # the WebSub hub's: no view, never replayed
    proposals: ProposalStore  # articles and decisions on them: never in the log
    runner: PostgresRunner | None = field(default=None)

    @classmethod
    def open(cls, settings: Settings, batch_size: int = 2000) -> Carefacts:
        # With PostgreSQL, processes starting together create tables in turn.
        lock = (
            setup_lock(settings) if settings.uses_postgres else contextlib.nullcontext()
        )
        with lock:
            ledger = Ledger(settings)
            views = open_views(settings)
            worker = ProjectionWorker(
                views,
                ledger,
                all_projections(settings),
                batch_size=batch_size,
                announce=announcer(settings) if settings.uses_postgres else None,
                log_file=(
                    None if settings.uses_postgres else event_file(settings, ledger)
                ),
            )
            worker.setup()
            # On SQLite the hub keeps its own file: a rebuild writes a new
            # generation of the views file, and subscriptions are no view.
            subscriptions = SubscriptionStore(
                views
                if settings.uses_postgres
                else SQLiteViews(settings.data_dir / "hub.sqlite3", readers=2)
            )
            proposals = ProposalStore(
                views
                if settings.uses_postgres
                else SQLiteViews(settings.data_dir / "proposals.sqlite3", readers=2)
            )
        ledger.listeners.append(lambda _position: worker.wake())
        return cls(settings, ledger, views, worker, subscriptions, proposals)

    def start_background(self) -> None:
        """Keep the views up to date while serving: in SQLite a worker thread; in
        PostgreSQL a runner that leads or stands by, woken by NOTIFY."""
        if self.settings.uses_postgres:
            channel: str = self.ledger.recorder.channel_name  # type: ignore[attr-defined]
            self.runner = PostgresRunner(self.settings, self.worker, channel)
            self.runner.start()
        elif self.settings.run_worker:
            self.worker.start()
        else:
            self.worker.start(follow_only=True)

    def close(self) -> None:
        if self.runner is not None:
            self.runner.stop()
        self.worker.stop()
        for own in (self.subscriptions.db, self.proposals.db):
            if own is not self.views:
                own.close()
        self.views.close()
        self.ledger.close()
