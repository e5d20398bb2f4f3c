"""Drafting a fact: validating what a person or a file says against the kinds of
fact, and deriving its id.

A fact's id is derived from what identifies it (kind, authority, source, effective
date, and the kind's identifying fields), so the same report always gets the same
id, and a different value for the same thing is a conflict rather than a new fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol
from uuid import UUID, uuid5

from domain.errors import (
    DomainError,
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

FACT_NAMESPACE = UUID("5d0c3f5e-8d0b-4a8e-9a51-3c1f5a0b7e21")

COMMON_FIELDS = ("kind", "authority", "source", "effective", "approximate", "summary")


def raise_all(errors: list[DomainError]) -> None:
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


class _Content(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def authority(self) -> str: ...

    @property
    def source(self) -> str: ...

    @property
    def effective(self) -> EffectiveDate: ...

    @property
    def summary(self) -> str: ...

    @property
    def fields(self) -> Mapping[str, object]: ...


def content_of(fact: _Content) -> dict[str, object]:
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
    raise_all(errors)
    assert effective is not None
    if not summary:
        summary = spec.summary_of(fields)
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
        "qualifier": None,
    }
    return FactDraft(
        "count_reported",
        parse_gss_code(authority, "authority"),
        parse_slug(source, "source"),
        EffectiveDate.parse(effective),
        _COUNT.summary_of(fields),
        fields,
    )
