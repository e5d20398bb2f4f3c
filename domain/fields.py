"""Fields of facts: each shape of value (text, date, count, money, ...) declared
once, in :data:`SHAPES`: how it is parsed from what a person or a file supplies
(refusing what is wrong), the type it is stored as, its value when absent, and the
JSON Schema of what it accepts (the API's description of its input).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.errors import InvalidJudgementError, InvalidValueError
from domain.numbers import UNIT_RANGES, NumberRange, parse_number, unit_range
from domain.values import (
    DATE_PATTERN,
    GSS_PATTERN,
    MEASURE_PATTERN,
    MONEY_DIGITS,
    MONEY_PATTERN,
    TEXT_PATTERN,
    URL_PATTERN,
    EffectiveDate,
    Money,
    parse_gss_code,
    parse_measure,
    parse_text,
    parse_url,
)
from domain.vocabulary import (
    Judgement,
    SubJudgementArea,
    Unit,
    parse_vocabulary,
)

Schema = dict[str, object]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind of fact.

    ``shape`` names one of :data:`SHAPES`. ``stored`` is false for input-only
    fields folded into another (currency into amount). ``default`` is the value
    stored when the field is not given (otherwise its shape's empty value).
    """

    name: str
    shape: str
    description: str
    required: bool = True
    vocabulary: type[StrEnum] | None = None
    stored: bool = True
    max_length: int = 500
    default: str | None = None

    def parse(self, value: object, body: Mapping[str, object]) -> object:
        return SHAPES[self.shape].parse(self, value, body)

    @property
    def annotation(self) -> str:
        """The type of the stored value, as the event reporting it declares it."""
        stored = SHAPES[self.shape].stored_as
        return stored if self.required else f"{stored} | None"

    @property
    def schema(self) -> Schema:
        """The JSON Schema of the values this field accepts."""
        schema = SHAPES[self.shape].schema(self)
        return (
            schema
            if "description" in schema
            else {**schema, "description": self.description}
        )


@dataclass(frozen=True)
class Shape:
    """A shape of value: how it is parsed, what it is stored as, its value when
    absent, and the JSON Schema of what it accepts."""

    parse: Callable[[FieldSpec, object, Mapping[str, object]], object]
    stored_as: str  # the type, as an annotation
    schema: Callable[[FieldSpec], Schema]
    empty: Callable[[], object] = lambda: None


def text_schema(max_length: int) -> Schema:
    return {"type": "string", "maxLength": max_length, "pattern": TEXT_PATTERN}


def number_schema(number_range: NumberRange) -> Schema:
    """A number in a unit's range, as JSON or written plainly as text."""
    limit = number_range.limit
    as_json: Schema = {
        "type": "integer" if number_range.whole else "number",
        "exclusiveMaximum": limit,
    }
    if number_range.signed:
        as_json["exclusiveMinimum"] = -limit
    else:
        as_json["minimum"] = 0
    return {"anyOf": [as_json, {"type": "string", "pattern": number_range.pattern}]}


def _text(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return parse_text(value, spec.name, max_length=spec.max_length)


def _url(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return parse_url(value, spec.name)


def _date(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return EffectiveDate.parse(value, field=spec.name)


def _vocabulary(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    assert spec.vocabulary is not None
    return parse_vocabulary(spec.vocabulary, value, spec.name).value


def _vocabulary_schema(spec: FieldSpec) -> Schema:
    assert spec.vocabulary is not None
    return {"type": "string", "enum": [v.value for v in spec.vocabulary]}


def _measure(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    return parse_measure(value, spec.name)


def _number(spec: FieldSpec, value: object, body: Mapping[str, object]) -> object:
    """A whole number for counting units, a decimal otherwise, in the unit's range."""
    unit = body.get("unit", Unit.CHILDREN.value)
    return parse_number(value, unit_range(unit), spec.name, str(unit)[:40])


def _number_schema(_: FieldSpec) -> Schema:
    return {
        "anyOf": [number_schema(r) for r in dict.fromkeys(UNIT_RANGES.values())],
        "description": "a whole number for counted units (children, count, "
        "posts), a decimal otherwise; text is written plainly (digits, an "
        "optional '-' and decimal point, no exponent), and each unit has its "
        "range",
    }


def _decimal(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    # The one decimal field is a rate per 10,000 children.
    rate = UNIT_RANGES[Unit.RATE_PER_10000]
    number = parse_number(value, rate, spec.name, Unit.RATE_PER_10000.value)
    return Decimal(number) if isinstance(number, int) else number


def _money(spec: FieldSpec, value: object, body: Mapping[str, object]) -> object:
    return Money.parse(value, body.get("currency", "GBP"), spec.name)


def _money_schema(_: FieldSpec) -> Schema:
    return {
        "anyOf": [
            {"type": "string", "pattern": MONEY_PATTERN},
            {"type": "integer", "minimum": 0, "exclusiveMaximum": 10**MONEY_DIGITS},
        ]
    }


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


def _judgements_schema(_: FieldSpec) -> Schema:
    grades = [j.value for j in Judgement if j is not Judgement.NONE]
    return {
        "type": "object",
        "properties": {
            a.value: {"type": "string", "enum": grades} for a in SubJudgementArea
        },
        "additionalProperties": False,
    }


def _codes(spec: FieldSpec, value: object, _: Mapping[str, object]) -> object:
    if not isinstance(value, (list, tuple)) or not value:
        raise InvalidValueError(
            f"{spec.name} must be a non-empty list of GSS codes", spec.name
        )
    codes = [parse_gss_code(code, f"{spec.name}[{i}]") for i, code in enumerate(value)]
    if len(set(codes)) != len(codes):
        raise InvalidValueError(f"{spec.name} lists a code twice", spec.name)
    return codes


def _pattern(pattern: str, **more: object) -> Callable[[FieldSpec], Schema]:
    return lambda _: {"type": "string", "pattern": pattern, **more}


SHAPES: dict[str, Shape] = {
    "text": Shape(_text, "str", lambda spec: text_schema(spec.max_length)),
    "url": Shape(_url, "str", _pattern(URL_PATTERN, maxLength=2000)),
    "date": Shape(_date, "EffectiveDate", _pattern(DATE_PATTERN)),
    "vocabulary": Shape(_vocabulary, "str", _vocabulary_schema),
    "measure": Shape(_measure, "str", _pattern(MEASURE_PATTERN)),
    "number": Shape(_number, "int | Decimal", _number_schema),
    "decimal": Shape(
        _decimal,
        "Decimal",
        lambda _: number_schema(UNIT_RANGES[Unit.RATE_PER_10000]),
    ),
    "money": Shape(_money, "Money", _money_schema),
    "currency": Shape(_currency, "str", _pattern(r"^[A-Z]{3}$")),
    "judgements": Shape(_judgements, "dict[str, str]", _judgements_schema, dict),
    "codes": Shape(
        _codes,
        "list[str]",
        lambda _: {
            "type": "array",
            "items": {"type": "string", "pattern": GSS_PATTERN},
            "minItems": 1,
            "uniqueItems": True,
        },
    ),
}


def default(spec_field: FieldSpec) -> object:
    """The value stored for a field that was not given."""
    if spec_field.default is not None:
        return spec_field.default
    return SHAPES[spec_field.shape].empty()
