"""The ledger application: the use cases that record and read facts.

Its public methods are the use cases. They take plain data, validate it through the
domain, and return plain data or a :class:`Recorded` receipt; they never hand out
aggregates. Storage (SQLite by default, PostgreSQL when configured) comes from
:class:`~service.settings.Settings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    JSONTranscoder,
    RecordConflictError,
    Recording,
    Transcoder,
)

from domain.drafts import FactDraft, draft_fact
from domain.errors import (
    DomainError,
    FactConflictError,
    RegistrationConflictError,
    UnknownAuthorityError,
    UnknownFactError,
    UnknownSourceError,
)
from domain.facts import Fact
from domain.provenance import Provenance
from domain.registry import (
    Authority,
    AuthorityDetails,
    Measure,
    MeasureDetails,
    Source,
    SourceDetails,
    authority_id,
    measure_id,
    source_uuid,
)
from domain.values import parse_slug
from projections.logged_events import LoggedEvent
from service.bulk import FactPreparer, PreparedFact, comparable
from service.eventstore import LogRecorder
from service.postgres import ensure_schema
from service.settings import Settings
from service.transcoding import OrjsonTranscoder, register_value_transcodings


@dataclass(frozen=True)
class Recorded:
    """What a write did: the id, the log position of its last event (None when
    nothing new was recorded), and whether anything was recorded."""

    id: str
    position: int | None
    created: bool


@dataclass
class BulkResult:
    recorded: int = 0
    present: int = 0
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    last_position: int | None = None


class Ledger(Application[UUID]):
    """carefacts' event-sourced application."""

    name = "carefacts"
    recorder: LogRecorder

    def __init__(self, settings: Settings, create_tables: bool = True) -> None:
        self.settings = settings
        self._known: dict[str, set[str]] = {}  # registered keys, by aggregate name
        self.listeners: list[Callable[[int], None]] = []
        if settings.uses_postgres:
            ensure_schema(settings)
        super().__init__(env=settings.event_store_env(create_table=create_tables))

    def construct_recorder(self) -> LogRecorder:
        recorder = super().construct_recorder()
        assert isinstance(recorder, LogRecorder), "settings name a log recorder"
        return recorder

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        recordings = super().save(*objs, **kwargs)
        if recordings:
            self._announce(recordings[-1].notification.id)
        return recordings

    def _announce(self, position: int) -> None:
        for listener in self.listeners:
            listener(position)

    def construct_transcoder(self) -> Transcoder:
        transcoder = OrjsonTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_value_transcodings(transcoder)

    # -- registering authorities and sources -------------------------------------

    def register_authority(
        self, body: Mapping[str, object] | AuthorityDetails
    ) -> Recorded:
        details = (
            body if isinstance(body, AuthorityDetails) else AuthorityDetails.parse(body)
        )
        return self._register(
            Authority, details, details.code, authority_id(details.code), "code"
        )

    def register_source(
        self,
        body: Mapping[str, object] | SourceDetails,
        recorded_by: str | None = None,
    ) -> Recorded:
        """Register a source; ``recorded_by`` names the writer who asked."""
        details = body if isinstance(body, SourceDetails) else SourceDetails.parse(body)
        return self._register(
            Source,
            details,
            details.source_id,
            source_uuid(details.source_id),
            "source_id",
            lambda: Source.register(details, recorded_by),
        )

    def register_measure(self, body: Mapping[str, object] | MeasureDetails) -> Recorded:
        details = (
            body if isinstance(body, MeasureDetails) else MeasureDetails.parse(body)
        )
        return self._register(
            Measure, details, details.code, measure_id(details.code), "code"
        )

    def _register(
        self,
        aggregate: type[Authority | Source | Measure],
        details: Any,
        key: str,
        aggregate_id: UUID,
        field_name: str,
        make: Callable[[], Authority | Source | Measure] | None = None,
    ) -> Recorded:
        """Register once: the same details again are a no-op, others a conflict."""
        known = self._known.setdefault(aggregate.__name__, set())
        existing = self._get(aggregate_id)
        if existing is None:
            registered = make() if make is not None else aggregate.register(details)
            try:
                recordings = self.save(registered)
            except RecordConflictError:
                existing = self._get(aggregate_id)  # registered meanwhile elsewhere
            else:
                known.add(key)
                return Recorded(key, recordings[-1].notification.id, True)
        if existing.details != details:
            raise RegistrationConflictError(
                f"{aggregate.__name__.lower()} {key} is already registered with "
                "different details",
                field_name,
            )
        known.add(key)
        return Recorded(key, None, False)

    def register_measures(self, measures: Sequence[MeasureDetails]) -> BulkResult:
        """Register many measures in one transaction (same rules as one by one)."""
        result = BulkResult()
        new: dict[str, Measure] = {}
        for details in measures:
            if details.code in new:
                if new[details.code].details != details:
                    result.conflicts.append((details.code, "listed twice, differently"))
                continue
            existing = self._get(measure_id(details.code))
            if existing is None:
                new[details.code] = Measure.register(details)
            elif existing.details == details:
                result.present += 1
            else:
                result.conflicts.append((details.code, "registered with other details"))
        if new:
            recordings = self.save(*new.values())
            result.recorded = len(new)
            result.last_position = recordings[-1].notification.id
        return result

    def _get(self, aggregate_id: UUID) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def require_authority(self, code: str) -> None:
        known = self._known.setdefault("Authority", set())
        if code not in known:
            if self._get(authority_id(code)) is None:
                raise UnknownAuthorityError(
                    f"authority {code} is not registered (see GET /authorities)",
                    "authority",
                )
            known.add(code)

    def registered_source(self, source_id: str) -> SourceDetails | None:
        """The details of a registered source, or None."""
        source = self._get(source_uuid(source_id))
        return source.details if isinstance(source, Source) else None

    def require_source(self, source_id: str, field_name: str = "source") -> None:
        known = self._known.setdefault("Source", set())
        if source_id not in known:
            if self._get(source_uuid(source_id)) is None:
                raise UnknownSourceError(
                    f"source {source_id} is not registered (see GET /sources)",
                    field_name,
                )
            known.add(source_id)

    # -- recording facts -------------------------------------------------------

    def record_fact(
        self,
        body: Mapping[str, object] | FactDraft,
        provenance: Provenance | None = None,
    ) -> Recorded:
        """Record one fact, through its aggregate. The same fact again is a no-op;
        a different fact under the same id is a :class:`FactConflictError`.
        ``provenance`` (who wrote it, from which proposal) is stored with a new
        fact."""
        draft = body if isinstance(body, FactDraft) else draft_fact(body)
        self.require_authority(draft.authority)
        self.require_source(draft.source)
        fact = Fact.report(draft, provenance)
        (reported,) = fact.pending_events
        # Looked for first, as an import does: a repeated report is answered
        # without a write (a refused insert costs far more, and burns an id on
        # PostgreSQL).
        if not self._recorded_before(reported):
            try:
                recordings = self.save(fact)
            except RecordConflictError:
                # Recorded meanwhile elsewhere: the same report, or a conflict.
                if not self._recorded_before(reported):
                    raise
            else:
                position = recordings[-1].notification.id
                return Recorded(str(draft.fact_id), position, True)
        return Recorded(str(draft.fact_id), None, False)

    def _recorded_before(self, reported: DomainEventProtocol[UUID]) -> bool:
        """Whether this report of a new fact is already recorded (the same report:
        see :func:`service.bulk.comparable`); a different report under its id is
        a :class:`FactConflictError`."""
        key = reported.originator_id.hex
        existing = self.recorder.select_created([key]).get(key)
        if existing is None:
            return False
        stored = self.mapper.to_stored_event(reported)
        if comparable(*existing) != comparable(stored.topic, stored.state):
            raise FactConflictError(
                f"fact {reported.originator_id} is already recorded with different "
                "values; post a correction to change it",
                "fact_id",
            )
        return True

    def record_facts(
        self, drafts: Iterable[FactDraft], batch_size: int = 1000
    ) -> BulkResult:
        """Record many facts, a batch per transaction, skipping those already there.

        A fact that conflicts with a recorded one is listed in ``conflicts`` and
        not recorded; the rest of its batch is.
        """
        result = BulkResult()
        prepare = self.preparer()
        for batch in _batches(drafts, batch_size):
            self.record_prepared(prepare(batch), result)
        return result

    def preparer(self) -> FactPreparer:
        return FactPreparer()

    def record_prepared(
        self, batch: Sequence[PreparedFact], result: BulkResult | None = None
    ) -> BulkResult:
        """Store prepared facts in one transaction; count what was already there."""
        result = result if result is not None else BulkResult()
        for authority in {fact.authority for fact in batch}:
            self.require_authority(authority)
        for source in {fact.source for fact in batch}:
            self.require_source(source)
        unique: dict[str, PreparedFact] = {}
        for fact in batch:
            earlier = unique.get(fact.key)
            if earlier is None:
                unique[fact.key] = fact
            elif _same(earlier, fact):
                result.present += 1
            else:
                result.conflicts.append(
                    (str(fact.fact_id), "conflicts with an earlier row")
                )
        stored = self.recorder.select_created(list(unique))
        new: list[PreparedFact] = []
        for key, fact in unique.items():
            existing = stored.get(key)
            if existing is None:
                new.append(fact)
            elif comparable(*existing) == comparable(
                fact.stored.topic, fact.stored.state
            ):
                result.present += 1
            else:
                result.conflicts.append(
                    (str(fact.fact_id), "differs from the recorded one")
                )
        if not new:
            return result
        try:
            positions = self.recorder.insert_events([fact.stored for fact in new])
        except RecordConflictError:
            # Recorded by someone else meanwhile: store the batch one by one.
            for fact in new:
                self.record_prepared([fact], result)
            return result
        result.recorded += len(new)
        if positions:
            result.last_position = positions[-1]
            self._announce(positions[-1])
        return result

    def correct_fact(
        self,
        fact_id: UUID,
        changes: Mapping[str, object],
        reason: str,
        source: object = None,
        recorded_by: str | None = None,
    ) -> Recorded:
        fact = self._require_fact(fact_id)
        source_id = None if source is None else parse_slug(source, "source")
        if source_id is not None:
            self.require_source(source_id)
        if not fact.correct(changes, reason, source_id, recorded_by):
            return Recorded(str(fact_id), None, False)
        recordings = self.save(fact)
        return Recorded(str(fact_id), recordings[-1].notification.id, True)

    def retract_fact(
        self, fact_id: UUID, reason: str, recorded_by: str | None = None
    ) -> Recorded:
        fact = self._require_fact(fact_id)
        if not fact.retract(reason, recorded_by):
            return Recorded(str(fact_id), None, False)
        recordings = self.save(fact)
        return Recorded(str(fact_id), recordings[-1].notification.id, True)

    def _require_fact(self, fact_id: UUID) -> Fact:
        fact = self._get(fact_id)
        if not isinstance(fact, Fact):
            raise UnknownFactError(f"no fact has id {fact_id}", "fact_id")
        return fact

    # -- reading ----------------------------------------------------------------

    def get_fact(self, fact_id: UUID) -> dict[str, object]:
        """The fact as it stands now, as plain data (values keep their types)."""
        fact = self._require_fact(fact_id)
        return {
            "fact_id": str(fact.id),
            "version": fact.version,
            "status": "retracted" if fact.retracted else "current",
            **fact.content(),
        }

    def read(self, after: int, limit: int) -> list[LoggedEvent]:
        """Events after a position, in log order (the projections' EventLog)."""
        return self.recorder.read_log(after, limit)

    def positions(self, after: int, limit: int) -> list[int]:
        return self.recorder.positions(after, limit)

    def read_at(self, positions: Sequence[int], lift: bool = True) -> list[LoggedEvent]:
        return self.recorder.read_at(positions, lift)

    def last_position(self) -> int:
        return self.recorder.last_position()

    def decode(self, event: LoggedEvent) -> dict[str, Any]:
        transcoder = self.mapper.transcoder
        assert isinstance(transcoder, OrjsonTranscoder)
        decoded: dict[str, Any] = transcoder.walk(event.state)
        return decoded


def _same(a: PreparedFact, b: PreparedFact) -> bool:
    return comparable(a.stored.topic, a.stored.state) == comparable(
        b.stored.topic, b.stored.state
    )


def _batches(items: Iterable[FactDraft], size: int) -> Iterator[list[FactDraft]]:
    batch: list[FactDraft] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


__all__ = ["BulkResult", "DomainError", "Ledger", "Recorded"]
