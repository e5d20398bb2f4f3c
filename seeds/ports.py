"""What the loaders need from the ledger: the write use cases, as a protocol.

The seeds package records everything through these methods (the service's
``Ledger`` provides them), and imports nothing from the service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from domain.drafts import FactDraft
from domain.registry import AuthorityDetails, MeasureDetails, SourceDetails


class Receipt(Protocol):
    @property
    def created(self) -> bool: ...

    @property
    def position(self) -> int | None: ...


class BulkReceipt(Protocol):
    recorded: int
    present: int
    conflicts: list[tuple[str, str]]
    last_position: int | None


class Ledger(Protocol):
    def register_source(
        self, body: Mapping[str, object] | SourceDetails
    ) -> Receipt: ...

    def register_authority(
        self, body: Mapping[str, object] | AuthorityDetails
    ) -> Receipt: ...

    def record_fact(self, body: Mapping[str, object] | FactDraft) -> Receipt: ...

    def record_facts(
        self, drafts: Iterable[FactDraft], batch_size: int = ...
    ) -> BulkReceipt: ...

    def register_measures(self, measures: Sequence[MeasureDetails]) -> BulkReceipt: ...

    def require_authority(self, code: str) -> None: ...

    def preparer(self) -> Callable[[list[FactDraft]], list[Any]]:
        """A picklable function from drafts to prepared facts (for worker processes)."""
        ...

    def record_prepared(self, batch: Sequence[Any]) -> BulkReceipt: ...
