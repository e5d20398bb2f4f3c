"""Figures in an article: amounts of money and plain numbers, with the words that
bound them ("more than £5m", "around 100").

The money grammar reads £5m, £6.6m, £6.6 million, £764,000, £90k, £1.2bn and
£3.5 billion as exact decimal amounts in pounds. Numbers are digits (533, 1,250)
or number words ("two", "twelve", "a hundred"), the words read by number-parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from number_parser import parse_number

from domain.vocabulary import Qualifier

_QUALIFIERS: list[tuple[str, Qualifier]] = [
    ("in excess of", Qualifier.MORE_THAN),
    ("more than", Qualifier.MORE_THAN),
    ("just over", Qualifier.MORE_THAN),
    ("over", Qualifier.MORE_THAN),
    ("upwards of", Qualifier.MORE_THAN),
    ("at least", Qualifier.AT_LEAST),
    ("a minimum of", Qualifier.AT_LEAST),
    ("up to", Qualifier.UP_TO),
    ("as much as", Qualifier.UP_TO),
    ("as many as", Qualifier.UP_TO),
    ("a maximum of", Qualifier.UP_TO),
    ("less than", Qualifier.LESS_THAN),
    ("fewer than", Qualifier.LESS_THAN),
    ("just under", Qualifier.LESS_THAN),
    ("under", Qualifier.LESS_THAN),
    ("around", Qualifier.AROUND),
    ("about", Qualifier.AROUND),
    ("approximately", Qualifier.AROUND),
    ("roughly", Qualifier.AROUND),
    ("nearly", Qualifier.AROUND),
    ("almost", Qualifier.AROUND),
    ("some", Qualifier.AROUND),
    ("an estimated", Qualifier.AROUND),
    ("an extra", Qualifier.AROUND),
    ("circa", Qualifier.AROUND),
    ("c.", Qualifier.AROUND),
]
_QUALIFIER_WORDS = dict(_QUALIFIERS)
_QUALIFIER = (
    r"(?:(?P<q>"
    + "|".join(re.escape(words) for words, _ in _QUALIFIERS if words != "an extra")
    + r")\s+)?"
)

_SCALES = {
    "k": Decimal(1000),
    "thousand": Decimal(1000),
    "m": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
}

MONEY = re.compile(
    r"(?i:" + _QUALIFIER + r")£\s?(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<s>(?i:k|m|mn|bn|thousand|million|billion))\b)?"
)

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|a hundred|a thousand|dozen"
)
NUMBER = re.compile(
    r"(?i:" + _QUALIFIER + r")(?<![£\d.,/-])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
    r"|(?i:(?:"
    + _NUMBER_WORDS
    + r")(?:[\s-](?:and\s)?(?:"
    + _NUMBER_WORDS
    + r"))*))(?![\d,]*\d)(?![.]\d)(?:\s?(?P<pc>%|per\s?cent|percent))?\b"
)


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure with its offsets within the sentence (the qualifier included)."""

    start: int
    end: int
    number_start: int
    value: Decimal
    qualifier: Qualifier | None
    percent: bool = False


def _qualifier(words: str | None) -> Qualifier | None:
    return _QUALIFIER_WORDS.get(words.lower()) if words else None


def amounts(text: str) -> list[Figure]:
    """Every amount of money in pounds, in order."""
    found = []
    for match in MONEY.finditer(text):
        value = Decimal(match["n"].replace(",", ""))
        scale = match["s"]
        if scale:
            value *= _SCALES[scale.lower()]
        found.append(
            Figure(
                match.start(),
                match.end(),
                match.start("n") - 1,
                value.normalize() if value == value.to_integral() else value,
                _qualifier(match["q"]),
            )
        )
    return found


def numbers(text: str) -> list[Figure]:
    """Every plain number (not money), written in digits or words, in order."""
    money = [(m.start, m.end) for m in amounts(text)]
    found = []
    for match in NUMBER.finditer(text):
        if any(s <= match.start("n") < e for s, e in money):
            continue
        written = match["n"]
        if written[0].isdigit():
            value = Decimal(written.replace(",", ""))
        else:
            parsed = _word_number(written.lower())
            if parsed is None:
                continue
            value = Decimal(parsed)
        found.append(
            Figure(
                match.start(),
                match.end(),
                match.start("n"),
                value,
                _qualifier(match["q"]),
                percent=bool(match["pc"]),
            )
        )
    return found


@lru_cache(maxsize=1024)
def _word_number(words: str) -> int | None:
    """number-parser rebuilds its word tables on each call: remember answers."""
    parsed = parse_number(words, language="en")
    return parsed if isinstance(parsed, int) else None


def plain(value: Decimal) -> str:
    """A decimal as written in a fact: 5000000, 6600000, 12.5."""
    if value == value.to_integral():
        return str(int(value))
    return format(value.normalize(), "f")
