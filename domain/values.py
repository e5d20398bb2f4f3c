"""Value objects: dates with precision, money, codes and identifiers, and text.

Each parser takes what a person or a file might supply, refuses what is wrong with
an error naming the field, and returns a canonical value. Nothing here knows about
storage or HTTP.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from domain.errors import (
    InvalidCodeError,
    InvalidCountError,
    InvalidDateError,
    InvalidMoneyError,
    InvalidValueError,
)


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~?)$", re.ASCII)


@dataclass(frozen=True, slots=True, order=True)
class EffectiveDate:
    """A calendar date known to a day, a month or a year, perhaps approximately.

    Written as ISO 8601 with reduced precision (``2019``, ``2019-01``,
    ``2019-01-17``); the approximate flag is written as EDTF's trailing ``~``.
    A reduced-precision date stands for its whole period: it is compared by the
    first day of that period.
    """

    first_day: date
    precision: Precision
    approximate: bool = False
    iso: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.iso:
            object.__setattr__(self, "iso", self._format())

    @classmethod
    def parse(
        cls, value: object, approximate: bool = False, field: str = "effective"
    ) -> EffectiveDate:
        if isinstance(value, EffectiveDate):
            return value if not approximate else value.with_approximate(True)
        if isinstance(value, date):
            return cls(value, Precision.DAY, approximate)
        if not isinstance(value, str):
            raise InvalidDateError(
                f"{field} must be an ISO 8601 date string such as 2024, 2024-09 "
                f"or 2024-09-30, not {type(value).__name__}",
                field,
            )
        if field == "effective":
            return _parse_effective(value, approximate)
        return cls._parse_text(value, approximate, field)

    @classmethod
    def _parse_text(cls, value: str, approximate: bool, field: str) -> EffectiveDate:
        match = _DATE.match(value.strip())
        if match is None:
            raise InvalidDateError(
                f"{field} {value!r} is not an ISO 8601 date "
                "(use YYYY, YYYY-MM or YYYY-MM-DD)",
                field,
            )
        year_s, month_s, day_s, tilde = match.groups()
        year = int(year_s)
        month = int(month_s) if month_s else 1
        day = int(day_s) if day_s else 1
        if year < 1800 or year > 2200:
            raise InvalidDateError(f"{field} year {year} is out of range", field)
        if not 1 <= month <= 12:
            raise InvalidDateError(f"{field} {value!r} has no month {month}", field)
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise InvalidDateError(
                f"{field} {value!r} is not a real date: "
                f"{calendar.month_name[month]} {year} has {last} days",
                field,
            )
        precision = (
            Precision.DAY if day_s else Precision.MONTH if month_s else Precision.YEAR
        )
        return cls(date(year, month, day), precision, approximate or bool(tilde))

    def with_approximate(self, approximate: bool) -> EffectiveDate:
        return EffectiveDate(self.first_day, self.precision, approximate)

    def _format(self) -> str:
        d = self.first_day
        if self.precision is Precision.YEAR:
            return f"{d.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{d.year:04d}-{d.month:02d}"
        return d.isoformat()

    @property
    def edtf(self) -> str:
        return self.iso + ("~" if self.approximate else "")

    @property
    def last_day(self) -> date:
        d = self.first_day
        if self.precision is Precision.YEAR:
            return date(d.year, 12, 31)
        if self.precision is Precision.MONTH:
            return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
        return d

    def __str__(self) -> str:
        return self.edtf


@lru_cache(maxsize=8192)
def _parse_effective(value: str, approximate: bool) -> EffectiveDate:
    # Dates repeat a great deal in bulk imports, and the value is immutable.
    return EffectiveDate._parse_text(value, approximate, "effective")


MAX_AMOUNT = 10**13
"""The largest amount of money a fact may hold: ten trillion, far above any
council's (or the country's) budget, and well inside exact decimal arithmetic."""


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of money: a Decimal with at most two places, never a float."""

    amount: Decimal
    currency: str = "GBP"

    @classmethod
    def parse(
        cls, value: object, currency: object = "GBP", field: str = "amount"
    ) -> Money:
        if isinstance(value, Money):
            return value
        if isinstance(value, (bool, float)):
            raise InvalidMoneyError(
                f'{field} must be a decimal string such as "764000.00", not a '
                f"{type(value).__name__}: binary floats cannot hold money exactly",
                field,
            )
        if isinstance(value, int):
            if value.bit_length() > MAX_INTEGER_BITS:
                raise InvalidMoneyError(f"{field} is far too large", field)
            amount = Decimal(value)
        elif isinstance(value, Decimal):
            amount = value
        elif isinstance(value, str):
            text = value.strip().replace(",", "")
            if len(text) > MAX_NUMBER_LENGTH:
                raise InvalidMoneyError(
                    f"{field} is longer than {MAX_NUMBER_LENGTH} characters", field
                )
            try:
                amount = Decimal(text)
            except InvalidOperation:
                raise InvalidMoneyError(
                    f"{field} {value!r} is not a decimal amount", field
                ) from None
        else:
            raise InvalidMoneyError(
                f"{field} must be a decimal string, not {type(value).__name__}", field
            )
        if not amount.is_finite():
            raise InvalidMoneyError(f"{field} must be a finite amount", field)
        if amount < 0:
            raise InvalidMoneyError(f"{field} must not be negative", field)
        if amount > MAX_AMOUNT:
            raise InvalidMoneyError(
                f"{field} must be at most {MAX_AMOUNT:,} (ten trillion)", field
            )
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            raise InvalidMoneyError(
                f"{field} {value!r} has more than two decimal places", field
            )
        if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
            raise InvalidMoneyError(
                f"currency must be an ISO 4217 code such as GBP, not {currency!r}",
                "currency",
            )
        return cls(amount.quantize(Decimal("0.01")), currency)

    @property
    def text(self) -> str:
        """The canonical form: ``"764000.00 GBP"``."""
        return f"{self.amount} {self.currency}"

    @classmethod
    def from_text(cls, text: str) -> Money:
        amount, currency = text.split(" ")
        return cls(Decimal(amount), currency)


GSS_PATTERN = r"^[EWSN]\d{8}$"
_GSS = re.compile(GSS_PATTERN, re.ASCII)


def parse_gss_code(value: object, field: str = "authority") -> str:
    """A GSS code such as E06000009 (Blackpool); upper-cased and checked."""
    if not isinstance(value, str) or not _GSS.match(value.strip().upper()):
        raise InvalidCodeError(
            f"{field} must be a GSS code such as E06000009, not {value!r}", field
        )
    return value.strip().upper()


SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,119}$"
_SLUG = re.compile(SLUG_PATTERN)


def parse_slug(value: object, field: str) -> str:
    """A short lower-case identifier such as a source id (``gazette-2018-06-cic``)."""
    if not isinstance(value, str) or not _SLUG.match(value):
        raise InvalidCodeError(
            f"{field} must be a lower-case identifier of letters, digits, '.', '_' "
            f"or '-' (at most 120 characters), not {value!r}",
            field,
        )
    return value


MEASURE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$"
_MEASURE = re.compile(MEASURE_PATTERN, re.ASCII)


def parse_measure(value: object, field: str = "measure") -> str:
    """A measure name: ``children_in_care``, or a code such as ``lait:LACnum``."""
    if not isinstance(value, str) or not _MEASURE.match(value):
        raise InvalidCodeError(
            f"{field} must be a measure name such as children_in_care, not {value!r}",
            field,
        )
    return value


def is_digits(text: str) -> bool:
    """Only the ASCII digits 0-9 (str.isdigit() also accepts '²' and the like)."""
    return text.isascii() and text.isdigit()


# What no text may hold: control characters (XML, so the Atom feed, cannot carry
# them; PostgreSQL's JSON cannot read NUL), bidirectional embeddings, overrides
# and isolates (they reorder what a reader sees around them), lone surrogates and
# non-characters.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def parse_text(value: object, field: str, *, max_length: int = 500) -> str:
    """Non-empty text on one line, trimmed, without control characters."""
    if not isinstance(value, str):
        raise InvalidValueError(
            f"{field} must be text, not {type(value).__name__}", field
        )
    text = " ".join(value.split())
    if not text:
        raise InvalidValueError(f"{field} must not be empty", field)
    bad = _UNPRINTABLE.search(text)
    if bad is not None:
        raise InvalidValueError(
            f"{field} must not contain control characters "
            f"(U+{ord(bad.group()):04X} at character {bad.start() + 1})",
            field,
        )
    if len(text) > max_length:
        raise InvalidValueError(
            f"{field} is longer than {max_length} characters", field
        )
    return text


# How long a number may be written, and how far its exponent may reach, before it
# is converted: 1e1000000 is a short string, and turning it into an integer or a
# float costs seconds or overflows. LAIT's longest value has 22 characters and
# exponents from -4 to 0.
MAX_NUMBER_LENGTH = 40
MAX_EXPONENT = 30
MAX_INTEGER_BITS = 128


def _shown(value: object) -> str:
    """A value for an error message, cut short (a number may be very long)."""
    text = repr(value) if isinstance(value, str) else str(value)
    if len(text) <= 48:
        return text
    return f"{text[:40]}... ({len(str(value))} characters)"


def _check_magnitude(number: Decimal, field: str) -> None:
    if number.is_finite() and number and abs(number.adjusted()) > MAX_EXPONENT:
        raise InvalidValueError(
            f"{field} {number:.3e} is out of range "
            f"(numbers between 1e-{MAX_EXPONENT} and 1e{MAX_EXPONENT} only)",
            field,
        )


def parse_count(value: object, field: str = "value") -> int:
    """A non-negative whole number."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise InvalidCountError(
            f"{field} must be a whole number, not {type(value).__name__}", field
        )
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_NUMBER_LENGTH or not is_digits(text):
            raise InvalidCountError(
                f"{field} must be a non-negative whole number of at most "
                f"{MAX_NUMBER_LENGTH} digits, not {_shown(value)}",
                field,
            )
        return int(text)
    if isinstance(value, Decimal):
        _check_magnitude(value, field)
        if value != value.to_integral_value():
            raise InvalidCountError(
                f"{field} must be a whole number, not {value}", field
            )
        value = int(value)
    if value.bit_length() > MAX_INTEGER_BITS:
        raise InvalidCountError(f"{field} is far too large to be a count", field)
    if value < 0:
        raise InvalidCountError(f"{field} must not be negative, not {value}", field)
    return value


def parse_decimal(
    value: object, field: str = "value", *, signed: bool = False
) -> Decimal:
    """A decimal number given as a string or an integer (never a binary float),
    of bounded length and magnitude."""
    if isinstance(value, (bool, float)):
        raise InvalidValueError(
            f'{field} must be a decimal string such as "12.5" or a whole number, '
            f"not a {type(value).__name__}",
            field,
        )
    if isinstance(value, int) and value.bit_length() > MAX_INTEGER_BITS:
        raise InvalidValueError(f"{field} is far too large", field)
    if isinstance(value, str):
        value = value.strip()
        if len(value) > MAX_NUMBER_LENGTH:
            raise InvalidValueError(
                f"{field} is longer than {MAX_NUMBER_LENGTH} characters: "
                f"{_shown(value)}",
                field,
            )
    try:
        number = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidValueError(
            f"{field} {_shown(value)} is not a decimal number", field
        ) from None
    if not number.is_finite():
        raise InvalidValueError(f"{field} must be finite", field)
    _check_magnitude(number, field)
    if number < 0 and not signed:
        raise InvalidValueError(f"{field} must not be negative", field)
    return number
