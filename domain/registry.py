"""Authorities and sources: registered once, each an aggregate keyed by its code.

A fact may only cite a registered source about a registered authority. Registering
the same details again changes nothing; different details under the same code are a
conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import (
    DomainError,
    InvalidCodeError,
    InvalidValueError,
    UnexpectedFieldError,
)
from domain.values import (
    EffectiveDate,
    Precision,
    is_digits,
    parse_gss_code,
    parse_measure,
    parse_slug,
    parse_text,
    parse_url,
)
from domain.vocabulary import SourceKind, parse_vocabulary

REGISTRY_NAMESPACE = UUID("0b7f6c1a-2f4e-4c55-9d7e-8a41c2e9b3d0")


class AuthorityStatus(StrEnum):
    CURRENT = "current"
    ABOLISHED = "abolished"


class AreaLevel(StrEnum):
    """Upper-tier authorities, and the regions and country they add up to."""

    AUTHORITY = "authority"
    REGION = "region"
    COUNTRY = "country"


def _raise_first(errors: list[DomainError]) -> None:
    if errors:
        errors[0].errors = errors  # type: ignore[attr-defined]
        raise errors[0]


def _optional(
    parse: Callable[[object, str], object],
    body: Mapping[str, object],
    name: str,
    errors: list[DomainError],
) -> object:
    value = body.get(name)
    if value is None:
        return None
    try:
        return parse(value, name)
    except DomainError as error:
        errors.append(error)
        return None


def _digits(value: object, field: str) -> str:
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if not is_digits(text) or len(text) > 8:
        raise InvalidCodeError(f"{field} must be digits, not {value!r}", field)
    return text


MAX_SUCCESSORS = 10


def _successors(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not 1 <= len(value) <= MAX_SUCCESSORS:
        raise InvalidValueError(
            f"{field} must be a list of 1 to {MAX_SUCCESSORS} GSS codes", field
        )
    return tuple(dict.fromkeys(parse_gss_code(code, field) for code in value))


def _day(value: object, field: str) -> str:
    found = EffectiveDate.parse(value, field=field)
    if found.precision is not Precision.DAY or found.approximate:
        raise InvalidValueError(f"{field} must be a day such as 2023-04-01", field)
    return found.first_day.isoformat()


@dataclass(frozen=True)
class AuthorityDetails:
    """An authority as registered. One abolished in a reorganisation names the
    authorities that took over its area (``replaced_by``) and the day they did."""

    code: str
    name: str
    level: str = AreaLevel.AUTHORITY.value
    dfe_number: str | None = None
    ofsted_urn: str | None = None
    region: str | None = None
    status: str = AuthorityStatus.CURRENT.value
    replaced_by: tuple[str, ...] = ()
    replaced_on: str | None = None

    @classmethod
    def parse(cls, body: Mapping[str, object]) -> AuthorityDetails:
        errors: list[DomainError] = []
        code = name = ""
        for key in body:
            if key not in cls.__dataclass_fields__:
                errors.append(
                    UnexpectedFieldError(f"{key} is not an authority field", key)
                )
        try:
            code = parse_gss_code(body.get("code"), "code")
        except DomainError as error:
            errors.append(error)
        try:
            name = parse_text(body.get("name"), "name", max_length=200)
        except DomainError as error:
            errors.append(error)
        level = _optional(
            lambda v, f: parse_vocabulary(AreaLevel, v, f).value, body, "level", errors
        )
        status = _optional(
            lambda v, f: parse_vocabulary(AuthorityStatus, v, f).value,
            body,
            "status",
            errors,
        )
        details = cls(
            code=code,
            name=name,
            level=str(level or AreaLevel.AUTHORITY.value),
            dfe_number=_optional(_digits, body, "dfe_number", errors),  # type: ignore[arg-type]
            ofsted_urn=_optional(_digits, body, "ofsted_urn", errors),  # type: ignore[arg-type]
            region=_optional(
                lambda v, f: parse_text(v, f, max_length=200), body, "region", errors
            ),  # type: ignore[arg-type]
            status=str(status or AuthorityStatus.CURRENT.value),
            replaced_by=_optional(_successors, body, "replaced_by", errors) or (),  # type: ignore[arg-type]
            replaced_on=_optional(_day, body, "replaced_on", errors),  # type: ignore[arg-type]
        )
        if details.status != AuthorityStatus.ABOLISHED and (
            details.replaced_by or details.replaced_on
        ):
            errors.append(
                InvalidValueError(
                    "only an abolished authority is replaced by others", "replaced_by"
                )
            )
        if details.code in details.replaced_by:
            errors.append(
                InvalidValueError("an authority cannot replace itself", "replaced_by")
            )
        _raise_first(errors)
        return details


@dataclass(frozen=True)
class SourceDetails:
    source_id: str
    kind: str
    title: str
    publisher: str
    url: str | None = None
    published: EffectiveDate | None = None
    licence: str | None = None
    note: str | None = None

    @classmethod
    def parse(cls, body: Mapping[str, object]) -> SourceDetails:
        errors: list[DomainError] = []
        for key in body:
            if key not in cls.__dataclass_fields__ and key != "approximate":
                errors.append(UnexpectedFieldError(f"{key} is not a source field", key))
        values: dict[str, object] = {}
        parsers: list[tuple[str, Callable[[object, str], object]]] = [
            ("source_id", parse_slug),
            ("kind", lambda v, f: parse_vocabulary(SourceKind, v, f).value),
            ("title", lambda v, f: parse_text(v, f, max_length=300)),
            ("publisher", lambda v, f: parse_text(v, f, max_length=200)),
        ]
        for name, parse in parsers:
            try:
                values[name] = parse(body.get(name), name)
            except DomainError as error:
                errors.append(error)
        url = _optional(parse_url, body, "url", errors)
        approximate = body.get("approximate", False)
        if not isinstance(approximate, bool):
            errors.append(
                InvalidValueError("approximate must be true or false", "approximate")
            )
            approximate = False
        published = _optional(
            lambda v, f: EffectiveDate.parse(v, approximate, f),
            body,
            "published",
            errors,
        )
        licence = _optional(
            lambda v, f: parse_text(v, f, max_length=200), body, "licence", errors
        )
        note = _optional(
            lambda v, f: parse_text(v, f, max_length=1000), body, "note", errors
        )
        _raise_first(errors)
        return cls(
            url=url,  # type: ignore[arg-type]
            published=published,  # type: ignore[arg-type]
            licence=licence,  # type: ignore[arg-type]
            note=note,  # type: ignore[arg-type]
            **values,  # type: ignore[arg-type]
        )


def _text_up_to(limit: int) -> Callable[[object, str], object]:
    def parse(value: object, field: str) -> object:
        return parse_text(value, field, max_length=limit)

    return parse


class Authority(Aggregate):
    """An English upper-tier local authority (or a region or England as a whole)."""

    TOPIC = "Authority"

    class Event(Aggregate.Event):
        TOPIC = "Authority.Event"

    class Created(Aggregate.Created):
        TOPIC = "Authority.Created"

    @staticmethod
    def create_id(code: str) -> UUID:
        return authority_id(code)

    @event("AuthorityRegistered", topic="AuthorityRegistered")
    def __init__(
        self,
        code: str,
        name: str,
        level: str,
        dfe_number: str | None,
        ofsted_urn: str | None,
        region: str | None,
        status: str,
        replaced_by: tuple[str, ...] = (),
        replaced_on: str | None = None,
    ) -> None:
        self.details = AuthorityDetails(
            code,
            name,
            level,
            dfe_number,
            ofsted_urn,
            region,
            status,
            tuple(replaced_by),
            replaced_on,
        )

    @classmethod
    def register(cls, details: AuthorityDetails) -> Authority:
        return cls(
            **{k: getattr(details, k) for k in AuthorityDetails.__dataclass_fields__}
        )


class Source(Aggregate):
    """A document that reports facts: an article, a report, a statistics release."""

    TOPIC = "Source"

    class Event(Aggregate.Event):
        TOPIC = "Source.Event"

    class Created(Aggregate.Created):
        TOPIC = "Source.Created"

    @staticmethod
    def create_id(source_id: str) -> UUID:
        return source_uuid(source_id)

    @event("SourceRegistered", topic="SourceRegistered")
    def __init__(
        self,
        source_id: str,
        kind: str,
        title: str,
        publisher: str,
        url: str | None,
        published: EffectiveDate | None,
        licence: str | None,
        note: str | None,
        recorded_by: str | None = None,  # the writer, when registered over HTTP
    ) -> None:
        self.details = SourceDetails(
            source_id, kind, title, publisher, url, published, licence, note
        )

    @classmethod
    def register(cls, details: SourceDetails, recorded_by: str | None = None) -> Source:
        return cls(
            **{k: getattr(details, k) for k in SourceDetails.__dataclass_fields__},
            recorded_by=recorded_by,
        )


@dataclass(frozen=True)
class MeasureDetails:
    """What a statistics measure means, from its publisher's data dictionary."""

    code: str
    name: str
    description: str | None = None
    owner: str | None = None
    unit_label: str | None = None
    polarity: str | None = None
    topic: str | None = None

    @classmethod
    def parse(cls, body: Mapping[str, object]) -> MeasureDetails:
        errors: list[DomainError] = []
        for key in body:
            if key not in cls.__dataclass_fields__:
                errors.append(
                    UnexpectedFieldError(f"{key} is not a measure field", key)
                )
        code = name = ""
        try:
            code = parse_measure(body.get("code"), "code")
        except DomainError as error:
            errors.append(error)
        try:
            name = parse_text(body.get("name"), "name", max_length=300)
        except DomainError as error:
            errors.append(error)
        texts: dict[str, str | None] = {}
        for key, limit in (
            ("description", 4000),
            ("owner", 300),
            ("unit_label", 200),
            ("polarity", 50),
            ("topic", 200),
        ):
            value = _optional(_text_up_to(limit), body, key, errors)
            texts[key] = value if isinstance(value, str) else None
        _raise_first(errors)
        return cls(code=code, name=name, **texts)


class Measure(Aggregate):
    """A statistics measure (e.g. LAIT's LACnum) and what it means."""

    TOPIC = "Measure"

    class Event(Aggregate.Event):
        TOPIC = "Measure.Event"

    class Created(Aggregate.Created):
        TOPIC = "Measure.Created"

    @staticmethod
    def create_id(code: str) -> UUID:
        return measure_id(code)

    @event("MeasureRegistered", topic="MeasureRegistered")
    def __init__(
        self,
        code: str,
        name: str,
        description: str | None,
        owner: str | None,
        unit_label: str | None,
        polarity: str | None,
        topic: str | None,
    ) -> None:
        self.details = MeasureDetails(
            code, name, description, owner, unit_label, polarity, topic
        )

    @classmethod
    def register(cls, details: MeasureDetails) -> Measure:
        fields = MeasureDetails.__dataclass_fields__
        return cls(**{k: getattr(details, k) for k in fields})


def measure_id(code: str) -> UUID:
    return uuid5(REGISTRY_NAMESPACE, "measure:" + code)


def authority_id(code: str) -> UUID:
    return uuid5(REGISTRY_NAMESPACE, "authority:" + code)


def source_uuid(source_id: str) -> UUID:
    return uuid5(REGISTRY_NAMESPACE, "source:" + source_id)
