"""Every number a fact holds is finite, written plainly, and in range for its
unit; the ranges admit every LAIT value."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from domain.drafts import draft_count, draft_fact
from domain.errors import DomainError, InvalidMoneyError, InvalidValueError
from domain.numbers import UNIT_RANGES, parse_count, plain_number
from domain.values import Money, parse_text
from domain.vocabulary import COUNT_UNITS, SIGNED_UNITS, Unit
from tests.builders import count_body, grant_body


def test_every_unit_has_a_range_that_agrees_with_its_vocabulary() -> None:
    assert set(UNIT_RANGES) == set(Unit)
    assert {u for u, r in UNIT_RANGES.items() if r.whole} == COUNT_UNITS
    assert {u for u, r in UNIT_RANGES.items() if r.signed} == SIGNED_UNITS


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (10_000_000_000, "children", "out of range for unit children"),
        (100_000_000, "children", "out of range for unit children"),
        (2**64 - 1, "children", "out of range"),
        (2**64, "children", "out of range"),
        (str(2**64), "count", "below 10,000,000,000,000 for unit count"),
        ("1e400", "percent", "written plainly"),
        ("1e300000", "percent", "written plainly"),
        ("1e1000000", "value", "written plainly"),
        ("9" * 5000, "children", "(5000 characters)"),
        ("9" * 5000, "value", "(5000 characters)"),
        (1_000_000, "percent", "out of range for unit percent"),
        (1e300, "value", "out of range for unit value"),
        (float("inf"), "value", "finite"),
        ("-1", "children", "must not be negative"),
        (-1, "children", "must not be negative"),
        (" 540", "children", "written plainly"),
        ("5_40", "children", "written plainly"),
        ("\u0665\u0664\u0660", "children", "written plainly"),  # Arabic-Indic 540
        ("540.0", "children", "written plainly"),
        (540.5, "children", "whole number"),
        ("Infinity", "value", "written plainly"),
        ("NaN", "percent", "written plainly"),
    ],
)
def test_a_number_out_of_range_or_not_written_plainly_is_refused(
    value: object, unit: str, words: str
) -> None:
    with pytest.raises(DomainError) as caught:
        draft_fact(count_body(value=value, unit=unit))
    assert words in str(caught.value)
    assert len(str(caught.value)) < 300  # the error never repeats a huge value


@pytest.mark.parametrize(
    ("value", "unit", "stored"),
    [
        (99_999_999, "children", 99_999_999),
        (0, "children", 0),
        (540.0, "children", 540),
        ("16012355892", "value", 16012355892),  # LAIT's largest value
        ("-22.5", "value", Decimal("-22.5")),
        ("100", "percent", 100),
        ("12.50", "percent", Decimal("12.50")),
    ],
)
def test_a_number_in_range_is_accepted(
    value: object, unit: str, stored: object
) -> None:
    draft = draft_count("E06000009", "dfe-lait", "2023", "lait:x", value, unit=unit)
    assert draft.fields["value"] == stored
    assert type(draft.fields["value"]) is type(stored)


def test_an_importer_rewrites_exponents_plainly_keeping_the_exact_value() -> None:
    text = plain_number("4.7980000000000002E-2")  # as LAIT writes some values
    assert text == "0.047980000000000002"
    assert Decimal(text) == Decimal("4.7980000000000002E-2")
    assert str(Decimal(text)) == str(Decimal("4.7980000000000002E-2"))
    assert plain_number("1e400") == "1e400"  # left to be refused
    assert plain_number("540") == "540"


def test_a_count_written_with_thousands_of_digits_is_refused_without_converting_it() -> (
    None
):
    with pytest.raises(InvalidValueError, match="5000 characters"):
        parse_count("9" * 5000)
    with pytest.raises(InvalidValueError, match="out of range"):
        parse_count(10**5000)


def test_a_rate_per_10000_is_bounded_and_written_plainly() -> None:
    with pytest.raises(InvalidValueError, match="out of range"):
        draft_fact(count_body(rate_per_10000=1e20))
    with pytest.raises(InvalidValueError, match="written plainly"):
        draft_fact(count_body(rate_per_10000="1e3"))
    assert draft_fact(count_body(rate_per_10000="55.5")).fields[
        "rate_per_10000"
    ] == Decimal("55.5")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1e26", "written as pounds"),
        ("100000000000000", "written as pounds"),
        ("76,4000", "written as pounds"),
        (" 764000", "written as pounds"),
        ("764000\n", "written as pounds"),
        ("9" * 100, "written as pounds"),
        (10**14, "from 0 to 99,999,999,999,999"),
        ("10**5000", "from 0 to"),
    ],
)
def test_an_amount_out_of_range_or_not_written_plainly_is_refused(
    amount: object, words: str
) -> None:
    if amount == "10**5000":
        amount = 10**5000  # built here: pytest cannot name a parameter this long
    with pytest.raises(InvalidMoneyError, match=re.escape(words)):
        Money.parse(amount)
    with pytest.raises(InvalidMoneyError):
        draft_fact(grant_body(amount=amount))


def test_the_largest_amount_is_just_below_a_hundred_trillion() -> None:
    assert Money.parse("99999999999999.99").text == "99999999999999.99 GBP"


@pytest.mark.parametrize("control", ["\u202a", "\u202e", "\u2066", "\u2069"])
def test_text_with_a_bidirectional_control_is_refused(control: str) -> None:
    with pytest.raises(InvalidValueError, match=f"U\\+{ord(control):04X}"):
        parse_text(f"540 {control}children", "summary")


def test_the_date_pattern_the_api_describes_is_exactly_what_the_domain_reads() -> None:
    from datetime import date, timedelta

    from domain.values import DATE_PATTERN, EffectiveDate

    pattern = re.compile(DATE_PATTERN)

    def reads(text: str) -> bool:
        try:
            EffectiveDate.parse(text)
        except DomainError:
            return False
        return True

    day = date(1799, 12, 25)
    while day <= date(2201, 1, 5):
        for text in (f"{day.year:04d}", day.isoformat()[:7], day.isoformat()):
            assert bool(pattern.fullmatch(text)) == reads(text), text
        day += timedelta(days=1)
    for text in ("2019-02-29", "2020-02-29", "1900-02-29", "2000-02-29", "2100-02-29",
                 "2019-02-30", "2019-04-31", "2019-13", "2019-00", "0000", " 2019",
                 "2019~", "2019-06-31~", "2019\n", "\u0662\u0660\u0661\u0669"):  # fmt: skip
        assert bool(pattern.fullmatch(text)) == reads(text), text


def test_the_text_pattern_the_api_describes_is_what_the_domain_reads() -> None:
    from domain.values import TEXT_PATTERN

    pattern = re.compile(TEXT_PATTERN)
    for text in ("a", " a ", "a\tb", "a\nb", "é – ’", "\u00a0b", " ", "\t\n", "",
                 "a\x00", "a\x1c", "a\x85", "a\u202e", "a\u2066", "a\ufffe"):  # fmt: skip
        try:
            parse_text(text, "summary")
            read = True
        except DomainError:
            read = False
        assert bool(pattern.fullmatch(text)) == read, repr(text)
