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
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from domain.errors import (
    InvalidCodeError,
    InvalidDateError,
    InvalidMoneyError,
    InvalidValueError,
)


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~?)", re.ASCII)

_YEAR = r"(?:1[89][0-9][0-9]|2[01][0-9][0-9]|2200)"
_LEAP_YEAR = r"(?:(?:1[89]|2[01])(?:0[48]|[2468][048]|[13579][26])|2000)"
_MONTH_DAY = (
    r"(?:-(?:(?:0[13578]|1[02])(?:-(?:0[1-9]|[12][0-9]|3[01]))?"
    r"|(?:0[469]|11)(?:-(?:0[1-9]|[12][0-9]|30))?"
    r"|02(?:-(?:0[1-9]|1[0-9]|2[0-8]))?))?"
)
DATE_PATTERN = rf"^(?:{_YEAR}{_MONTH_DAY}|{_LEAP_YEAR}-02-29)~?$"
"""Exactly the dates :meth:`EffectiveDate.parse` reads, as a regular expression for
the API description: real calendar dates from 1800 to 2200, to a year, a month
or a day, with EDTF's ``~`` for an approximate one."""


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
        match = _DATE.fullmatch(value)
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


MONEY_DIGITS = 14
MONEY_PATTERN = (
    rf"^([0-9]{{1,{MONEY_DIGITS}}}|[0-9]{{1,3}}(,[0-9]{{3}}){{1,3}})(\.[0-9]{{1,2}})?$"
)
"""An amount in pounds as written: digits (or digits grouped in threes by commas,
764,610), then at most two decimal places; below 10^14, far above any council's
(or the country's) budget and well inside exact decimal arithmetic."""
_MONEY = re.compile(MONEY_PATTERN, re.ASCII)


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
            if not 0 <= value < 10**MONEY_DIGITS:
                raise InvalidMoneyError(
                    f"{field} must be from 0 to {10**MONEY_DIGITS - 1:,}", field
                )
            amount = Decimal(value)
        elif isinstance(value, Decimal):
            if not value.is_finite() or not 0 <= value < 10**MONEY_DIGITS:
                raise InvalidMoneyError(
                    f"{field} must be from 0 to {10**MONEY_DIGITS - 1:,}", field
                )
            amount = value
        elif isinstance(value, str):
            if not _MONEY.fullmatch(value):
                raise InvalidMoneyError(
                    f"{field} must be written as pounds with at most two decimal "
                    f"places and at most {MONEY_DIGITS} digits before the point, "
                    f'such as "764000.00" or "764,000", not {value[:40]!r}',
                    field,
                )
            amount = Decimal(value.replace(",", ""))
        else:
            raise InvalidMoneyError(
                f"{field} must be a decimal string, not {type(value).__name__}", field
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


GSS_PATTERN = r"^[EWSN][0-9]{8}$"
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
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
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
    if not isinstance(value, str) or not _MEASURE.fullmatch(value):
        raise InvalidCodeError(
            f"{field} must be a measure name such as children_in_care, not {value!r}",
            field,
        )
    return value


def is_digits(text: str) -> bool:
    """Only the ASCII digits 0-9 (str.isdigit() also accepts '²' and the like)."""
    return text.isascii() and text.isdigit()


# What no text may hold: control characters (XML, so the Atom feed, cannot carry
# them; PostgreSQL's JSON cannot read NUL) but tab and line breaks, which are
# folded into spaces; bidirectional embeddings, overrides and isolates (they
# reorder what a reader sees around them); lone surrogates and non-characters.
UNPRINTABLE_CLASS = (
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff"
)
# Lone surrogates too; the API's patterns leave them out, as a regular expression
# outside Python cannot name them (and UTF-8 cannot carry them).
_UNPRINTABLE = re.compile(f"[{UNPRINTABLE_CLASS}\\ud800-\\udfff]")
_PRINTABLE = f"[^{UNPRINTABLE_CLASS}]"
TEXT_PATTERN = f"^{_PRINTABLE}*[^\\s{UNPRINTABLE_CLASS}]{_PRINTABLE}*$"
"""The rule of :func:`parse_text` as a regular expression, for the API
description: printable characters, at least one of them not a space."""
URL_PATTERN = f"^https?://[^\\s{UNPRINTABLE_CLASS}]+$"
_URL = re.compile(URL_PATTERN[1:-1])


def parse_url(value: object, field: str) -> str:
    """An http(s) URL of at most 2,000 characters, with no spaces."""
    text = parse_text(value, field, max_length=2000)
    if not isinstance(value, str) or _URL.fullmatch(value) is None:
        raise InvalidValueError(f"{field} must be an http(s) URL without spaces", field)
    return text


def parse_text(value: object, field: str, *, max_length: int = 500) -> str:
    """Non-empty printable text of at most ``max_length`` characters as given,
    trimmed, its runs of spaces, tabs and line breaks folded into one space."""
    if not isinstance(value, str):
        raise InvalidValueError(
            f"{field} must be text, not {type(value).__name__}", field
        )
    if len(value) > max_length:
        raise InvalidValueError(
            f"{field} is longer than {max_length} characters", field
        )
    bad = _UNPRINTABLE.search(value)
    if bad is not None:
        raise InvalidValueError(
            f"{field} must not contain control characters "
            f"(U+{ord(bad.group()):04X} at character {bad.start() + 1})",
            field,
        )
    text = " ".join(value.split())
    if not text:
        raise InvalidValueError(f"{field} must not be empty", field)
    return text
