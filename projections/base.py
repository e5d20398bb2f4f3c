"""What a projection is: tables, handlers for a batch of events, and a name.

The worker applies a batch to each projection in one transaction together with
the projection's position, so a view never holds an event twice or misses one.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from projections.db import Cursor, ViewDatabase
from projections.logged_events import LoggedEvent


class Projection(ABC):
    name: ClassVar[str]
    tables: ClassVar[dict[str, str]]
    indexes: ClassVar[tuple[str, ...]] = ()

    def create(self, cur: Cursor, db: ViewDatabase, with_indexes: bool = True) -> None:
        for ddl in self.tables.values():
            cur.execute(db.ddl(ddl))
        if with_indexes:
            self.create_indexes(cur, db)

    def create_indexes(self, cur: Cursor, db: ViewDatabase) -> None:
        for ddl in self.indexes:
            cur.execute(db.ddl(ddl))

    def drop(self, cur: Cursor) -> None:
        for table in self.tables:
            cur.execute(f"DROP TABLE IF EXISTS {table}")

    def fingerprint(self) -> str:
        """Changes whenever the view's shape does: a stored view with another
        fingerprint is dropped and rebuilt from the log."""
        text = "|".join([*self.tables.values(), *self.indexes])
        return hashlib.sha1(text.encode()).hexdigest()[:16]

    @abstractmethod
    def apply(self, cur: Cursor, events: Sequence[LoggedEvent]) -> None:
        """Apply events (in log order, all newer than this view's position)."""

    def checksum_queries(self) -> list[str]:
        """Queries whose rows, in order, are this view's whole content."""
        return [f"SELECT * FROM {table} ORDER BY 1, 2" for table in self.tables]
