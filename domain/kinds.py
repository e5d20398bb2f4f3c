"""The kinds of fact the ledger records, their fields, and how a fact is identified.

This table is the one description of a fact's shape: the domain validates input
with it, the HTTP layer derives its JSON schema from it, and the fact id is
computed from each kind's identifying fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from domain.errors import (
    DomainError,
    InvalidCountError,
    InvalidDateError,
    InvalidJudgementError,
    InvalidValueError,
    MissingFieldError,
)
from domain.values import (
    COUNT_UNITS,
    FRAMEWORKS_WITHOUT_OVERALL_GRADE,
    SIGNED_UNITS,
    EffectiveDate,
    Framework,
    InspectionType,
    InterventionAction,
    Judgement,
    MilestoneCategory,
    Money,
    MoneyCategory,
    Role,
    SubJudgementArea,
    Unit,
    parse_decimal,
    parse_gss_code,
    parse_measure,
    parse_text,
    parse_vocabulary,
)

Parser = Callable[[object, Mapping[str, object]], object]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind of fact.

    ``shape`` is one of: text, url, date, vocabulary, measure, number, decimal, money,
    currency, judgements, codes. ``stored`` is false for input-only fields folded into
    another (currency into amount).
    """

    name: str
    shape: str
    description: str
    required: bool = True
    vocabulary: type[StrEnum] | None = None
    stored: bool = True
    max_length: int = 500

    def parse(self, value: object, body: Mapping[str, object]) -> object:
        return _PARSERS[self.shape](self, value, body)


@dataclass(frozen=True)
class KindSpec:
    kind: str
    event: str
    description: str
    effective_means: str
    fields: tuple[FieldSpec, ...]
    identity: tuple[str, ...]
    subject: str | None = None
    subject_field: str | None = None
    check: Callable[[dict[str, object]], None] | None = None
    field_names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_names", frozenset(f.name for f in self.fields))

    def subject_of(self, fields: Mapping[str, object]) -> str:
        if self.subject is not None:
            return self.subject
        assert self.subject_field is not None
        return str(fields[self.subject_field])

    @property
    def stored_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.stored)


def _text(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return parse_text(value, spec.name, max_length=spec.max_length)


def _url(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    text = parse_text(value, spec.name, max_length=2000)
    if not text.startswith(("https://", "http://")):
        raise InvalidValueError(f"{spec.name} must be an http(s) URL", spec.name)
    return text


def _date(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return EffectiveDate.parse(value, field=spec.name)


def _vocabulary(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    assert spec.vocabulary is not None
    return parse_vocabulary(spec.vocabulary, value, spec.name).value


def _measure(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return parse_measure(value, spec.name)


_UNITS = frozenset(u.value for u in Unit)


def _number(spec: FieldSpec, value: object, body: Mapping[str, object]) -> object:
    """A whole number for counting units, a decimal otherwise (floats only there)."""
    unit = body.get("unit", Unit.CHILDREN.value)
    if unit in COUNT_UNITS or unit not in _UNITS:
        if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
            raise InvalidCountError(
                f"{spec.name} must be a non-negative whole number for unit {unit}, "
                f"not {value!r}",
                spec.name,
            )
        number = parse_decimal(value, spec.name, signed=True)
        if number != number.to_integral_value():
            raise InvalidCountError(
                f"{spec.name} must be a whole number for unit {unit}, not {value}",
                spec.name,
            )
        if number < 0:
            raise InvalidCountError(f"{spec.name} must not be negative", spec.name)
        return int(number)
    if isinstance(value, float):
        value = repr(value)
    number = parse_decimal(value, spec.name, signed=unit in SIGNED_UNITS)
    if number == number.to_integral_value() and number.as_tuple().exponent == 0:
        return int(number)
    return number


def _decimal(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    if isinstance(value, float):
        value = repr(value)
    return parse_decimal(value, spec.name)


def _money(spec: FieldSpec, value: object, body: Mapping[str, object]) -> object:
    return Money.parse(value, body.get("currency", "GBP"), spec.name)


def _currency(spec: FieldSpec, value: object, body: Mapping[str, object]) -> object:
    return Money.parse("0", value).currency


def _judgements(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    if not isinstance(value, Mapping):
        raise InvalidJudgementError(
            f"{spec.name} must be an object of area: judgement", spec.name
        )
    result: dict[str, str] = {}
    for area, grade in value.items():
        name = f"{spec.name}.{area}"
        area_word = parse_vocabulary(SubJudgementArea, area, name).value
        word = parse_vocabulary(Judgement, grade, name)
        if word is Judgement.NONE:
            raise InvalidJudgementError(f"{name} must be a grade, not none", name)
        result[area_word] = word.value
    return dict(sorted(result.items()))


def _codes(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    if not isinstance(value, (list, tuple)) or not value:
        raise InvalidValueError(
            f"{spec.name} must be a non-empty list of GSS codes", spec.name
        )
    codes = [parse_gss_code(code, f"{spec.name}[{i}]") for i, code in enumerate(value)]
    if len(set(codes)) != len(codes):
        raise InvalidValueError(f"{spec.name} lists a code twice", spec.name)
    return codes


_PARSERS: dict[str, Callable[[FieldSpec, object, Mapping[str, object]], object]] = {
    "codes": _codes,
    "text": _text,
    "url": _url,
    "date": _date,
    "vocabulary": _vocabulary,
    "measure": _measure,
    "number": _number,
    "decimal": _decimal,
    "money": _money,
    "currency": _currency,
    "judgements": _judgements,
}


def _check_rating(fields: dict[str, object]) -> None:
    framework = fields["framework"]
    judgement = fields["judgement"]
    if framework in FRAMEWORKS_WITHOUT_OVERALL_GRADE and judgement != Judgement.NONE:
        raise InvalidJudgementError(
            f"the {framework} framework gives no overall grade: judgement must be none",
            "judgement",
        )
    if (
        framework not in FRAMEWORKS_WITHOUT_OVERALL_GRADE
        and judgement == Judgement.NONE
    ):
        raise InvalidJudgementError(
            f"the {framework} framework gives an overall grade: "
            "judgement cannot be none",
            "judgement",
        )
    start, end = fields.get("inspection_start"), fields.get("inspection_end")
    if (
        isinstance(start, EffectiveDate)
        and isinstance(end, EffectiveDate)
        and end.last_day < start.first_day
    ):
        raise InvalidDateError(
            "inspection_end is before inspection_start", "inspection_end"
        )


def _role() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("role", "vocabulary", "the office", vocabulary=Role),
        FieldSpec("person", "text", "the person's name as reported", max_length=200),
    )


_CURRENCY = FieldSpec(
    "currency", "currency", "ISO 4217 code, GBP if absent", required=False, stored=False
)

KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            "rating_given",
            "RatingGiven",
            "Ofsted gave a judgement of the authority's children's services.",
            "the date the report was published",
            (
                FieldSpec(
                    "judgement",
                    "vocabulary",
                    "overall effectiveness",
                    vocabulary=Judgement,
                ),
                FieldSpec(
                    "framework",
                    "vocabulary",
                    "inspection framework",
                    vocabulary=Framework,
                ),
                FieldSpec(
                    "inspection_type",
                    "vocabulary",
                    "standard, short or unannounced",
                    required=False,
                    vocabulary=InspectionType,
                ),
                FieldSpec(
                    "inspection_start", "date", "first day on site", required=False
                ),
                FieldSpec("inspection_end", "date", "last day on site", required=False),
                FieldSpec(
                    "sub_judgements", "judgements", "judgement per area", required=False
                ),
                FieldSpec("report_url", "url", "the report", required=False),
            ),
            identity=("framework",),
            subject="ofsted_rating",
            check=_check_rating,
        ),
        KindSpec(
            "office_holder_appointed",
            "OfficeHolderAppointed",
            "A person took up an office.",
            "the date they took it up",
            _role(),
            identity=("role", "person"),
            subject_field="role",
        ),
        KindSpec(
            "office_holder_left",
            "OfficeHolderLeft",
            "A person left an office.",
            "the date they left",
            _role(),
            identity=("role", "person"),
            subject_field="role",
        ),
        KindSpec(
            "office_holder_in_post",
            "OfficeHolderReportedInPost",
            "A source names a person as holding an office on a date.",
            "the date the source says they held it",
            _role(),
            identity=("role", "person"),
            subject_field="role",
        ),
        KindSpec(
            "count_reported",
            "CountReported",
            "A number was reported for a measure (children in care, a statistic).",
            "the date the number refers to",
            (
                FieldSpec(
                    "measure", "measure", "what is counted, e.g. children_in_care"
                ),
                FieldSpec("value", "number", "the number"),
                FieldSpec(
                    "unit",
                    "vocabulary",
                    "children if absent",
                    required=False,
                    vocabulary=Unit,
                ),
                FieldSpec(
                    "rate_per_10000",
                    "decimal",
                    "rate per 10,000 children",
                    required=False,
                ),
            ),
            identity=("measure",),
            subject_field="measure",
        ),
        KindSpec(
            "grant_received",
            "GrantReceived",
            "The authority received a grant.",
            "the date the grant was awarded or reported",
            (
                FieldSpec(
                    "amount", "money", 'decimal string in pounds, e.g. "764000.00"'
                ),
                _CURRENCY,
                FieldSpec("funder", "text", "who gave it", max_length=200),
                FieldSpec("purpose", "text", "what it is for", required=False),
            ),
            identity=("funder",),
            subject="grant",
        ),
        KindSpec(
            "money_reported",
            "MoneyReported",
            "An amount was reported: overspend, forecast, investment, spend, budget.",
            "the date the amount was reported, or the end of its period",
            (
                FieldSpec(
                    "category", "vocabulary", "kind of amount", vocabulary=MoneyCategory
                ),
                FieldSpec("amount", "money", "decimal string in pounds"),
                _CURRENCY,
                FieldSpec(
                    "period",
                    "text",
                    "e.g. financial year 2023-24",
                    required=False,
                    max_length=40,
                ),
                FieldSpec("description", "text", "what it was for", required=False),
            ),
            identity=("category", "period", "description"),
            subject_field="category",
        ),
        KindSpec(
            "target_set",
            "TargetSet",
            "A target was set for a measure.",
            "the date the target was set or reported",
            (
                FieldSpec("measure", "measure", "the measure the target is for"),
                FieldSpec("value", "number", "the target value"),
                FieldSpec(
                    "unit",
                    "vocabulary",
                    "children if absent",
                    required=False,
                    vocabulary=Unit,
                ),
                FieldSpec("by", "date", "when it should be reached", required=False),
            ),
            identity=("measure",),
            subject_field="measure",
        ),
        KindSpec(
            "intervention_recorded",
            "InterventionRecorded",
            "Government intervention: notices, directions, commissioners, decisions.",
            "the date of the action",
            (
                FieldSpec(
                    "action",
                    "vocabulary",
                    "what was done",
                    vocabulary=InterventionAction,
                ),
                FieldSpec("by", "text", "who acted", required=False, max_length=200),
                FieldSpec("details", "text", "more detail", required=False),
            ),
            identity=("action",),
            subject="intervention",
        ),
        KindSpec(
            "neighbours_listed",
            "StatisticalNeighboursListed",
            "The authorities a source counts as the statistical neighbours.",
            "the date of the list",
            (FieldSpec("neighbours", "codes", "GSS codes, nearest first"),),
            identity=(),
            subject="statistical_neighbours",
        ),
        KindSpec(
            "milestone_recorded",
            "MilestoneRecorded",
            "A plan, board, panel, meeting, review or inspection visit.",
            "the date it happened or is due",
            (
                FieldSpec(
                    "category", "vocabulary", "what kind", vocabulary=MilestoneCategory
                ),
                FieldSpec("title", "text", "a short name", max_length=200),
                FieldSpec("details", "text", "more detail", required=False),
            ),
            identity=("category", "title"),
            subject_field="category",
        ),
    )
}

KIND_BY_EVENT: dict[str, KindSpec] = {spec.event: spec for spec in KINDS.values()}


def parse_fields(
    spec: KindSpec, body: Mapping[str, object], *, partial: bool = False
) -> tuple[dict[str, object], list[DomainError]]:
    """Parse a kind's fields from ``body``; return the values and every error.

    With ``partial`` (corrections), absent fields are left out rather than
    refused or defaulted.
    """
    values: dict[str, object] = {}
    errors: list[DomainError] = []
    for spec_field in spec.fields:
        raw = body.get(spec_field.name)
        if raw is None:
            if spec_field.required and not partial:
                errors.append(
                    MissingFieldError(
                        f"{spec_field.name} is required for {spec.kind}",
                        spec_field.name,
                    )
                )
            elif spec_field.stored and not partial:
                values[spec_field.name] = _default(spec_field)
            continue
        try:
            parsed = spec_field.parse(raw, body)
        except DomainError as error:
            errors.append(error)
            continue
        if spec_field.stored:
            values[spec_field.name] = parsed
    return values, errors


def _default(spec_field: FieldSpec) -> object:
    if spec_field.name == "unit":
        return Unit.CHILDREN.value
    if spec_field.name == "inspection_type":
        return InspectionType.STANDARD.value
    if spec_field.shape == "judgements":
        return {}
    return None
