"""The Fact aggregate: one reported fact, and later corrections or its retraction.

Reading this module tells you every fact event: a report of each kind of fact
(its class made here from the kind's declaration in :data:`domain.kinds.KINDS`:
the kind's stored fields, in the table's order), a correction and a retraction. A
fact is created from a validated draft (:mod:`domain.drafts`) under the draft's
id, so the same report always lands on the same aggregate. Stored topics are the
event names themselves (``CountReported``), so they survive refactoring.

A report written over HTTP also stores its provenance (:mod:`domain.provenance`)
beside its fields; corrections and retractions name their writer
(``recorded_by``). Events recorded before either have none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, InitVar, dataclass, field
from types import new_class
from typing import cast

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic

from domain.drafts import (
    COMMON_FIELDS,
    FactDraft,
    content_of,
    raise_all,
)
from domain.errors import (
    DomainError,
    FactRetractedError,
    InvalidCorrectionError,
    InvalidValueError,
    UnexpectedFieldError,
)
from domain.kinds import KIND_BY_EVENT, KINDS, KindSpec, parse_fields
from domain.provenance import Provenance
from domain.values import (
    EffectiveDate,
    Money,
    parse_slug,
    parse_text,
)

_NO_DATE = EffectiveDate.parse("1800")
UNCHANGEABLE = frozenset({"kind", "authority", "source"})


class Fact(Aggregate):
    """A fact as reported by one source, with its corrections or retraction."""

    TOPIC = "Fact"

    class Event(Aggregate.Event):
        TOPIC = "Fact.Event"

    class Created(Aggregate.Created):
        TOPIC = "Fact.Created"

    @dataclass(frozen=True)  # as the library makes it: this tells the type checker
    class Reported(Aggregate.Created):
        TOPIC = "FactReported"
        authority: str
        source: str
        effective: EffectiveDate
        summary: str
        _: KW_ONLY
        # Who wrote it and from where: its members are stored after the fields,
        # and only those given (see Provenance.as_state).
        provenance: InitVar[Provenance | None] = None

        def __post_init__(self, provenance: Provenance | None) -> None:
            super().__post_init__()
            if provenance is not None:
                for name, value in provenance.as_state().items():
                    object.__setattr__(self, name, value)

        def apply(self, fact: Fact) -> None:
            fact.kind = KIND_BY_EVENT[type(self).__name__].kind
            fact.authority = self.authority
            fact.source = self.source
            fact.effective = self.effective
            fact.summary = self.summary
            fact.fields = {
                f.name: getattr(self, f.name) for f in fact.spec.stored_fields
            }

    def __init__(self) -> None:
        self.kind = ""
        self.authority = ""
        self.source = ""
        self.effective = _NO_DATE
        self.summary = ""
        self.fields: dict[str, object] = {}
        self.retracted = False
        self.retraction_reason: str | None = None

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind]

    @classmethod
    def report(cls, draft: FactDraft, provenance: Provenance | None = None) -> Fact:
        """A new fact from a validated draft, under the draft's id; ``provenance``
        (who wrote it, from which proposal) is stored beside its fields."""
        event_class = REPORT_EVENTS[draft.kind]
        return cls._create(
            event_class,
            id=draft.fact_id,
            authority=draft.authority,
            source=draft.source,
            effective=draft.effective,
            summary=draft.summary,
            provenance=provenance,
            **draft.fields,
        )

    @classmethod
    def reported_event(cls, draft: FactDraft) -> Fact.Reported:
        """The event :meth:`report` would trigger, without building the aggregate
        (an import's rows are encoded without either: see :mod:`service.bulk`)."""
        event_class: Callable[..., Fact.Reported] = REPORT_EVENTS[draft.kind]
        created: Fact.Reported = event_class(
            originator_id=draft.fact_id,
            originator_version=1,
            timestamp=Fact.Reported.create_timestamp(),
            originator_topic="Fact",
            authority=draft.authority,
            source=draft.source,
            effective=draft.effective,
            summary=draft.summary,
            **draft.fields,
        )
        return created

    def content(self) -> dict[str, object]:
        return content_of(self)

    def correct(
        self,
        changes: Mapping[str, object],
        reason: str,
        source: str | None = None,
        recorded_by: str | None = None,
    ) -> bool:
        """Correct some fields; False (and no event) if nothing would change."""
        if self.retracted:
            raise FactRetractedError(
                f"fact {self.id} was retracted and cannot be corrected", "fact_id"
            )
        diff = self._diff(changes)
        reason = parse_text(reason, "reason")
        if source is not None:
            source = parse_slug(source, "source")
        if not diff:
            return False
        self._corrected(
            changes=diff,
            reason=reason,
            source=source,
            authority=self.authority,
            recorded_by=recorded_by,
        )
        return True

    def _diff(self, changes: Mapping[str, object]) -> dict[str, object]:
        errors: list[DomainError] = []
        if not changes:
            raise InvalidCorrectionError("a correction must change at least one field")
        for name in changes:
            if name in UNCHANGEABLE:
                errors.append(
                    InvalidCorrectionError(
                        f"{name} cannot be corrected: retract the fact and record "
                        "a new one",
                        name,
                    )
                )
            elif name not in self.spec.field_names and name not in COMMON_FIELDS:
                errors.append(
                    UnexpectedFieldError(f"{name} is not a field of {self.kind}", name)
                )
        raise_all(errors)
        changes = dict(changes)
        amount = self.fields.get("amount")
        if (
            "currency" in changes
            and "amount" not in changes
            and isinstance(amount, Money)
        ):
            changes["amount"] = str(amount.amount)
        context = {**self.fields, **changes}
        parsed, errors = parse_fields(self.spec, context, partial=True)
        parsed = {k: v for k, v in parsed.items() if k in changes}
        new: dict[str, object] = {}
        if "effective" in changes or "approximate" in changes:
            approximate = changes.get("approximate", self.effective.approximate)
            if not isinstance(approximate, bool):
                errors.append(
                    InvalidValueError(
                        "approximate must be true or false", "approximate"
                    )
                )
                approximate = False
            try:
                new["effective"] = EffectiveDate.parse(
                    changes.get("effective", self.effective.iso), approximate
                )
            except DomainError as error:
                errors.append(error)
        if "summary" in changes:
            try:
                new["summary"] = parse_text(changes["summary"], "summary")
            except DomainError as error:
                errors.append(error)
        raise_all(errors)
        merged = {**self.fields, **parsed}
        if self.spec.check is not None:
            self.spec.check(merged)
        new.update(parsed)
        if "summary" not in new and self.summary == self.spec.summary_of(self.fields):
            # The summary was written from the fields: keep it in step with them.
            new["summary"] = self.spec.summary_of(merged)
        current = self.content()
        return {k: v for k, v in new.items() if current.get(k) != v}

    @event("FactCorrected", topic="FactCorrected")
    def _corrected(
        self,
        changes: dict[str, object],
        reason: str,
        source: str | None,
        authority: str,
        recorded_by: str | None = None,
    ) -> None:
        """``authority`` repeats the fact's, so log readers can route the event;
        ``recorded_by`` names the writer (None before writers were named)."""
        for name, value in changes.items():
            if name == "effective":
                assert isinstance(value, EffectiveDate)
                self.effective = value
            elif name == "summary":
                self.summary = str(value)
            else:
                self.fields[name] = value

    def retract(self, reason: str, recorded_by: str | None = None) -> bool:
        """Withdraw the fact; False if it was already retracted for this reason."""
        reason = parse_text(reason, "reason")
        if self.retracted:
            if reason == self.retraction_reason:
                return False
            raise FactRetractedError(
                f"fact {self.id} was already retracted: {self.retraction_reason}",
                "fact_id",
            )
        self._retracted(
            reason=reason, authority=self.authority, recorded_by=recorded_by
        )
        return True

    @event("FactRetracted", topic="FactRetracted")
    def _retracted(
        self, reason: str, authority: str, recorded_by: str | None = None
    ) -> None:
        self.retracted = True
        self.retraction_reason = reason


def _report_event(spec: KindSpec) -> type[Fact.Reported]:
    """The event reporting a fact of this kind, named and stored as ``spec.event``.

    Its fields are the kind's stored fields, in the table's order, after the
    common ones; all are given by name. An optional field defaults to None, so an
    event recorded before the field was added to its kind reads as without it.
    """
    namespace: dict[str, object] = {
        "TOPIC": spec.event,
        "__module__": __name__,
        "__qualname__": f"Fact.{spec.event}",
        "__annotations__": {f.name: f.annotation for f in spec.stored_fields},
    }
    for f in spec.stored_fields:
        namespace[f.name] = (
            field(kw_only=True) if f.required else field(default=None, kw_only=True)
        )
    event_class = cast(
        "type[Fact.Reported]",
        new_class(
            spec.event, (Fact.Reported,), exec_body=lambda ns: ns.update(namespace)
        ),
    )
    register_topic(spec.event, event_class)
    setattr(Fact, spec.event, event_class)
    return event_class


REPORT_EVENTS: dict[str, type[Fact.Reported]] = {
    spec.kind: _report_event(spec) for spec in KINDS.values()
}
FACT_EVENT_TOPICS = frozenset(
    [spec.event for spec in KINDS.values()] + ["FactCorrected", "FactRetracted"]
)
