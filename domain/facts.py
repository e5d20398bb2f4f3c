"""The Fact aggregate: one reported fact, and later corrections or its retraction.

Reading this module tells you every fact event. A fact's id is derived from what
identifies it (kind, authority, source, effective date, and the kind's identifying
fields), so the same report always lands on the same aggregate. Stored topics are
the event names themselves (``CountReported``), so they survive refactoring.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import (
    DomainError,
    FactRetractedError,
    InvalidCorrectionError,
    InvalidValueError,
    UnexpectedFieldError,
    UnknownKindError,
)
from domain.kinds import KINDS, KindSpec, parse_fields
from domain.values import (
    EffectiveDate,
    Money,
    parse_gss_code,
    parse_measure,
    parse_slug,
    parse_text,
)
from domain.wording import describe_fact

FACT_NAMESPACE = UUID("5d0c3f5e-8d0b-4a8e-9a51-3c1f5a0b7e21")

_NO_DATE = EffectiveDate.parse("1800")
COMMON_FIELDS = ("kind", "authority", "source", "effective", "approximate", "summary")
UNCHANGEABLE = frozenset({"kind", "authority", "source"})


def _raise_all(errors: list[DomainError]) -> None:
    """Raise the first error, carrying all of them so callers can list each field."""
    if errors:
        first = errors[0]
        first.errors = errors  # type: ignore[attr-defined]
        raise first


@dataclass(frozen=True)
class FactDraft:
    """A validated fact, ready to record."""

    kind: str
    authority: str
    source: str
    effective: EffectiveDate
    summary: str
    fields: Mapping[str, object]

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind]

    @cached_property
    def fact_id(self) -> UUID:
        return fact_id_of(
            self.kind, self.authority, self.source, self.effective, self.fields
        )

    @property
    def subject(self) -> str:
        return self.spec.subject_of(self.fields)

    def content(self) -> dict[str, object]:
        return content_of(self)


def content_of(fact: FactDraft | Fact) -> dict[str, object]:
    """What a fact says: the same shape for a draft and a recorded fact."""
    return {
        "kind": fact.kind,
        "authority": fact.authority,
        "source": fact.source,
        "effective": fact.effective,
        "summary": fact.summary,
        **fact.fields,
    }


def _canonical(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, EffectiveDate):
        return value.iso
    if isinstance(value, Money):
        return value.text
    return str(value)


def fact_id_of(
    kind: str,
    authority: str,
    source: str,
    effective: EffectiveDate,
    fields: Mapping[str, object],
) -> UUID:
    """The deterministic id: what the fact is about, not the value it gives."""
    text = f"{kind}|{authority}|{source}|{effective.iso}"
    for name in KINDS[kind].identity:
        text += f"|{name}={_canonical(fields.get(name))}"
    return uuid5(FACT_NAMESPACE, text)


def draft_fact(body: Mapping[str, object]) -> FactDraft:
    """Validate a fact given as plain data (an HTTP body, a seed row, an import row)."""
    errors: list[DomainError] = []
    kind = body.get("kind")
    spec = KINDS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        raise UnknownKindError(
            f"kind {kind!r} is not one of: {', '.join(KINDS)}", "kind"
        )
    authority = source = summary = ""
    effective: EffectiveDate | None = None
    try:
        authority = parse_gss_code(body.get("authority"), "authority")
    except DomainError as error:
        errors.append(error)
    try:
        source = parse_slug(body.get("source"), "source")
    except DomainError as error:
        errors.append(error)
    approximate = body.get("approximate", False)
    if not isinstance(approximate, bool):
        errors.append(
            InvalidValueError("approximate must be true or false", "approximate")
        )
        approximate = False
    try:
        effective = EffectiveDate.parse(body.get("effective"), approximate)
    except DomainError as error:
        errors.append(error)
    fields, field_errors = parse_fields(spec, body)
    errors += field_errors
    for name in body:
        if name not in COMMON_FIELDS and name not in spec.field_names:
            errors.append(
                UnexpectedFieldError(f"{name} is not a field of {spec.kind}", name)
            )
    if not errors and spec.check is not None:
        try:
            spec.check(fields)
        except DomainError as error:
            errors.append(error)
    raw_summary = body.get("summary")
    if raw_summary is not None:
        try:
            summary = parse_text(raw_summary, "summary")
        except DomainError as error:
            errors.append(error)
    _raise_all(errors)
    assert effective is not None
    if not summary:
        summary = describe_fact(spec.kind, fields)
    return FactDraft(spec.kind, authority, source, effective, summary, fields)


_COUNT = KINDS["count_reported"]
_VALUE, _UNIT, _RATE = (
    next(f for f in _COUNT.fields if f.name == name)
    for name in ("value", "unit", "rate_per_10000")
)


def draft_count(
    authority: str,
    source: str,
    effective: str,
    measure: str,
    value: object,
    unit: str = "children",
    rate_per_10000: object = None,
) -> FactDraft:
    """A count_reported draft with the checks of :func:`draft_fact`, for bulk imports.

    The same invariants, without the generic machinery; it stops at the first
    error instead of collecting all. A test keeps the two in agreement.
    """
    body = {"unit": unit}
    fields: dict[str, object] = {
        "measure": parse_measure(measure),
        "value": _VALUE.parse(value, body),
        "unit": _UNIT.parse(unit, body),
        "rate_per_10000": None
        if rate_per_10000 is None
        else _RATE.parse(rate_per_10000, body),
    }
    return FactDraft(
        "count_reported",
        parse_gss_code(authority, "authority"),
        parse_slug(source, "source"),
        EffectiveDate.parse(effective),
        describe_fact("count_reported", fields),
        fields,
    )


class Fact(Aggregate):
    """A fact as reported by one source, with its corrections or retraction."""

    TOPIC = "Fact"

    class Event(Aggregate.Event):
        TOPIC = "Fact.Event"

    class Created(Aggregate.Created):
        TOPIC = "Fact.Created"

    class Reported(Aggregate.Created):
        TOPIC = "FactReported"
        authority: str
        source: str
        effective: EffectiveDate
        summary: str

        def apply(self, aggregate: Any) -> None:
            fact: Fact = aggregate
            fact.kind = KIND_OF_EVENT[type(self).__name__]
            fact.authority = self.authority
            fact.source = self.source
            fact.effective = self.effective
            fact.summary = self.summary
            fact.fields = {
                f.name: getattr(self, f.name) for f in fact.spec.stored_fields
            }

    class RatingGiven(Reported):
        TOPIC = "RatingGiven"
        judgement: str
        framework: str
        inspection_type: str
        inspection_start: EffectiveDate | None
        inspection_end: EffectiveDate | None
        sub_judgements: dict[str, str]
        report_url: str | None

    class OfficeHolderAppointed(Reported):
        TOPIC = "OfficeHolderAppointed"
        role: str
        person: str

    class OfficeHolderLeft(Reported):
        TOPIC = "OfficeHolderLeft"
        role: str
        person: str

    class OfficeHolderReportedInPost(Reported):
        TOPIC = "OfficeHolderReportedInPost"
        role: str
        person: str

    class CountReported(Reported):
        TOPIC = "CountReported"
        measure: str
        value: Any
        unit: str
        rate_per_10000: Any

    class GrantReceived(Reported):
        TOPIC = "GrantReceived"
        amount: Money
        funder: str
        purpose: str | None

    class MoneyReported(Reported):
        TOPIC = "MoneyReported"
        category: str
        amount: Money
        period: str | None
        description: str | None

    class TargetSet(Reported):
        TOPIC = "TargetSet"
        measure: str
        value: Any
        unit: str
        by: EffectiveDate | None

    class InterventionRecorded(Reported):
        TOPIC = "InterventionRecorded"
        action: str
        by: str | None
        details: str | None

    class StatisticalNeighboursListed(Reported):
        TOPIC = "StatisticalNeighboursListed"
        neighbours: list[str]

    class MilestoneRecorded(Reported):
        TOPIC = "MilestoneRecorded"
        category: str
        title: str
        details: str | None

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
    def report(cls, draft: FactDraft) -> Fact:
        event_class = getattr(cls, draft.spec.event)
        return cls._create(
            event_class,
            id=draft.fact_id,
            authority=draft.authority,
            source=draft.source,
            effective=draft.effective,
            summary=draft.summary,
            **draft.fields,
        )

    @classmethod
    def reported_event(cls, draft: FactDraft) -> Fact.Reported:
        """The event :meth:`report` would trigger, without building the aggregate.

        For bulk imports: the draft is already validated, and building and
        mutating an aggregate per row only to collect its one event costs more
        than the event itself.
        """
        event_class: Any = getattr(cls, draft.spec.event)
        created: Fact.Reported = event_class(
            originator_id=draft.fact_id,
            originator_version=1,
            timestamp=event_class.create_timestamp(),
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
        self, changes: Mapping[str, object], reason: str, source: str | None = None
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
            changes=diff, reason=reason, source=source, authority=self.authority
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
        _raise_all(errors)
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
        _raise_all(errors)
        merged = {**self.fields, **parsed}
        if self.spec.check is not None:
            self.spec.check(merged)
        new.update(parsed)
        if "summary" not in new and self.summary == describe_fact(
            self.kind, self.fields
        ):
            # The summary was written from the fields: keep it in step with them.
            new["summary"] = describe_fact(self.kind, merged)
        current = self.content()
        return {k: v for k, v in new.items() if current.get(k) != v}

    @event("FactCorrected", topic="FactCorrected")
    def _corrected(
        self,
        changes: dict[str, object],
        reason: str,
        source: str | None,
        authority: str,
    ) -> None:
        """``authority`` repeats the fact's, so log readers can route the event."""
        for name, value in changes.items():
            if name == "effective":
                assert isinstance(value, EffectiveDate)
                self.effective = value
            elif name == "summary":
                self.summary = str(value)
            else:
                self.fields[name] = value

    def retract(self, reason: str) -> bool:
        """Withdraw the fact; False if it was already retracted for this reason."""
        reason = parse_text(reason, "reason")
        if self.retracted:
            if reason == self.retraction_reason:
                return False
            raise FactRetractedError(
                f"fact {self.id} was already retracted: {self.retraction_reason}",
                "fact_id",
            )
        self._retracted(reason=reason, authority=self.authority)
        return True

    @event("FactRetracted", topic="FactRetracted")
    def _retracted(self, reason: str, authority: str) -> None:
        self.retracted = True
        self.retraction_reason = reason


KIND_OF_EVENT: dict[str, str] = {spec.event: spec.kind for spec in KINDS.values()}
FACT_EVENT_TOPICS = frozenset(
    [spec.event for spec in KINDS.values()] + ["FactCorrected", "FactRetracted"]
)
