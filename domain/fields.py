"""Fields of facts: how each shape of value (text, date, count, money, ...) is
parsed from what a person or a file supplies, refusing what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.errors import InvalidJudgementError, InvalidValueError
from domain.numbers import UNIT_RANGES, parse_number, unit_range
from domain.values import (
    EffectiveDate,
    Money,
    parse_gss_code,
    parse_measure,
    parse_text,
    parse_url,
)
from domain.vocabulary import (
    InspectionType,
    Judgement,
    SubJudgementArea,
    Unit,
    parse_vocabulary,
)


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


def _text(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return parse_text(value, spec.name, max_length=spec.max_length)


def _url(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return parse_url(value, spec.name)


def _date(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return EffectiveDate.parse(value, field=spec.name)


def _vocabulary(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    assert spec.vocabulary is not None
    return parse_vocabulary(spec.vocabulary, value, spec.name).value


def _measure(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return parse_measure(value, spec.name)


def _number(spec: FieldSpec, value: object, body: Mapping[str, object]) -> object:
    """A whole number for counting units, a decimal otherwise, in the unit's range."""
    unit = body.get("unit", Unit.CHILDREN.value)
    return parse_number(value, unit_range(unit), spec.name, str(unit)[:40])


def _decimal(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    # The one decimal field is a rate per 10,000 children.
    rate = UNIT_RANGES[Unit.RATE_PER_10000]
    number = parse_number(value, rate, spec.name, Unit.RATE_PER_10000.value)
    return Decimal(number) if isinstance(number, int) else number


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


def default(spec_field: FieldSpec) -> object:
    if spec_field.name == "unit":
        return Unit.CHILDREN.value
    if spec_field.name == "inspection_type":
        return InspectionType.STANDARD.value
    if spec_field.shape == "judgements":
        return {}
    return None
