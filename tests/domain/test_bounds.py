"""Every number a fact holds is finite, written with bounded length and exponent,
and in range for its unit; the bounds admit every LAIT value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.drafts import draft_count, draft_fact
from domain.errors import DomainError, InvalidMoneyError, InvalidValueError
from domain.values import Money, parse_count, parse_decimal, parse_text
from domain.vocabulary import UNIT_RANGES, Unit
from tests.builders import count_body, grant_body


def test_every_unit_has_a_range() -> None:
    assert set(UNIT_RANGES) == set(Unit)


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (10_000_000_000, "children", "out of range for unit children"),
        (20_000_001, "children", "out of range for unit children"),
        (2**64 - 1, "children", "out of range"),
        (str(2**64), "count", "out of range for unit count"),
        ("1e400", "percent", "out of range"),
        ("1e300000", "percent", "out of range"),
        ("1e1000000", "value", "out of range"),
        ("9" * 5000, "children", "longer than 40 characters"),
        ("9" * 5000, "value", "longer than 40 characters"),
        (100_001, "percent", "out of range for unit percent"),
        ("-1e16", "value", "out of range for unit value"),
        ("1e-31", "value", "out of range"),
        ("Infinity", "value", "finite"),
        ("NaN", "percent", "finite"),
    ],
)
def test_a_number_out_of_range_for_its_unit_is_refused(
    value: object, unit: str, words: str
) -> None:
    with pytest.raises(DomainError) as caught:
        draft_fact(count_body(value=value, unit=unit))
    assert words in str(caught.value)
    assert len(str(caught.value)) < 300  # the error never repeats a huge value


@pytest.mark.parametrize(
    ("value", "unit"),
    [
        (20_000_000, "children"),
        (0, "children"),
        ("16012355892", "value"),  # LAIT's largest value
        ("4.7980000000000002E-2", "value"),  # LAIT writes some with exponents
        ("-22.5", "value"),
        ("100", "percent"),
    ],
)
def test_a_number_in_range_is_accepted(value: object, unit: str) -> None:
    draft = draft_count("E06000009", "dfe-lait", "2023", "lait:x", value, unit=unit)
    assert Decimal(str(draft.fields["value"])) == Decimal(str(value))


def test_a_count_written_with_thousands_of_digits_is_refused_without_converting_it() -> (
    None
):
    with pytest.raises(InvalidValueError, match="at most 40 digits"):
        parse_count("9" * 5000)
    with pytest.raises(InvalidValueError, match="far too large"):
        parse_count(10**5000)
    with pytest.raises(InvalidValueError, match="far too large"):
        parse_decimal(10**5000)


def test_a_rate_per_10000_is_bounded() -> None:
    with pytest.raises(InvalidValueError, match="out of range"):
        draft_fact(count_body(rate_per_10000="1e20"))


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1e26", "at most 10,000,000,000,000"),
        ("10000000000000.01", "at most"),
        ("9" * 100, "longer than 40 characters"),
        ("10**5000", "far too large"),
    ],
)
def test_an_amount_over_ten_trillion_is_refused(amount: object, words: str) -> None:
    if amount == "10**5000":
        amount = 10**5000  # built here: pytest cannot name a parameter this long
    with pytest.raises(InvalidMoneyError, match=words):
        Money.parse(amount)
    with pytest.raises(InvalidMoneyError):
        draft_fact(grant_body(amount=amount))


def test_ten_trillion_pounds_is_the_largest_amount() -> None:
    assert Money.parse("10000000000000").text == "10000000000000.00 GBP"


@pytest.mark.parametrize("control", ["\u202a", "\u202e", "\u2066", "\u2069"])
def test_text_with_a_bidirectional_control_is_refused(control: str) -> None:
    with pytest.raises(InvalidValueError, match=f"U\\+{ord(control):04X}"):
        parse_text(f"540 {control}children", "summary")
