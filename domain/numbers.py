"""Numbers of facts: one written form, and a range for each unit.

A number arrives as a JSON integer or float, or as text. Text is refused unless
written plainly (ASCII digits, an optional ``-`` and decimal point, no exponent,
no spaces or separators): it is then never converted at a cost its length or an
exponent could make unbounded, and the API description states the same rule as
a pattern. Importers whose files write exponents (LAIT) rewrite them plainly
first, with :func:`plain_number`. Every value must then lie in its unit's range.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from domain.errors import InvalidCountError, InvalidValueError
from domain.vocabulary import Unit

MAX_FRACTION_DIGITS = 20


@dataclass(frozen=True)
class NumberRange:
    """Values below 10^digits in magnitude; negative ones only if signed."""

    digits: int
    signed: bool = False
    whole: bool = False

    @property
    def limit(self) -> int:
        return int(10**self.digits)

    @property
    def pattern(self) -> str:
        """The written form, as a regular expression (the API describes it too)."""
        sign = "-?" if self.signed else ""
        fraction = "" if self.whole else rf"(\.[0-9]{{1,{MAX_FRACTION_DIGITS}}})?"
        return rf"^{sign}[0-9]{{1,{self.digits}}}{fraction}$"


UNIT_RANGES: dict[Unit, NumberRange] = {
    # England has about 12 million children: a count of children of 10^8 or more
    # is a typing error, never a figure.
    Unit.CHILDREN: NumberRange(8, whole=True),
    Unit.COUNT: NumberRange(13, whole=True),
    Unit.POSTS: NumberRange(8, whole=True),
    Unit.PERCENT: NumberRange(6),
    Unit.RATE_PER_10000: NumberRange(8),
    Unit.RATE: NumberRange(13),
    Unit.SCORE: NumberRange(13, signed=True),
    # A published statistic of any meaning; LAIT's largest is about 1.6 * 10^10.
    Unit.VALUE: NumberRange(15, signed=True),
    Unit.POUNDS: NumberRange(14),
    Unit.DAYS: NumberRange(6),
}
"""The range of values a fact may hold in each unit."""

_PATTERNS = {
    number_range: re.compile(number_range.pattern[1:-1], re.ASCII)
    for number_range in UNIT_RANGES.values()
}


def unit_range(unit: object) -> NumberRange:
    """The range of a unit; an unknown unit (refused by its own field) as children."""
    for candidate, number_range in UNIT_RANGES.items():
        if candidate.value == unit:
            return number_range
    return UNIT_RANGES[Unit.CHILDREN]


def parse_number(
    value: object, number_range: NumberRange, field: str, unit: str
) -> int | Decimal:
    """A number in range: an int for whole units (and whole values written without
    a decimal point), a Decimal otherwise. Never a binary float."""
    what = "a whole number" if number_range.whole else "a number"
    error = InvalidCountError if number_range.whole else InvalidValueError
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise InvalidCountError(
            f"{field} must be {what} for unit {unit}, not {type(value).__name__}",
            field,
        )
    if isinstance(value, str):
        if _PATTERNS[number_range].fullmatch(value) is None:
            if value.startswith("-") and _PATTERNS[number_range].fullmatch(value[1:]):
                raise error(f"{field} must not be negative", field)
            raise error(
                f"{field} must be {what} below {number_range.limit:,} for unit "
                f"{unit}, written plainly such as "
                f"{'540' if number_range.whole else '12.5'}, not {_shown(value)}",
                field,
            )
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValueError(f"{field} must be finite", field)
        number = Decimal(repr(value))
    elif isinstance(value, int):
        if value.bit_length() > 64:
            raise error(f"{field} is out of range for unit {unit}", field)
        number = Decimal(value)
    else:
        if not value.is_finite():
            raise InvalidValueError(f"{field} must be finite", field)
        number = value
    if number < 0 and not number_range.signed:
        raise InvalidCountError(f"{field} must not be negative", field)
    if abs(number) >= number_range.limit:
        raise error(
            f"{field} {_shown(value)} is out of range for unit {unit}: its "
            f"magnitude must be below {number_range.limit:,}",
            field,
        )
    if number_range.whole:
        if number != number.to_integral_value():
            raise InvalidCountError(
                f"{field} must be a whole number for unit {unit}, not {value}", field
            )
        return int(number)
    if number == number.to_integral_value() and number.as_tuple().exponent == 0:
        return int(number)
    return number


def parse_count(value: object, field: str = "value") -> int:
    """A number of children: a non-negative whole number in range."""
    number = parse_number(value, UNIT_RANGES[Unit.CHILDREN], field, "children")
    assert isinstance(number, int)
    return number


def plain_number(text: str) -> str:
    """A number as an importer's file writes it (``4.7980000000000002E-2``), in the
    plain form :func:`parse_number` reads (``0.047980000000000002``); text that is
    no number is returned unchanged, to be refused with the usual error."""
    if "e" not in text and "E" not in text:
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite() or abs(number.adjusted()) > 30:
        return text
    return format(number, "f")


def _shown(value: object) -> str:
    """A value for an error message, cut short (text may be very long)."""
    if not isinstance(value, str):
        return str(value)
    if len(value) <= 40:
        return repr(value)
    return f"{value[:32]!r}... ({len(value)} characters)"
