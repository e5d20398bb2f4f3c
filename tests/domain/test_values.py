from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from domain.errors import (
    InvalidCodeError,
    InvalidCountError,
    InvalidDateError,
    InvalidJudgementError,
    InvalidMoneyError,
    InvalidValueError,
)
from domain.numbers import parse_count
from domain.values import (
    EffectiveDate,
    Money,
    Precision,
    parse_gss_code,
    parse_text,
)
from domain.vocabulary import Judgement, parse_vocabulary


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2019", date(2019, 1, 1), date(2019, 12, 31), Precision.YEAR),
        ("2019-02", date(2019, 2, 1), date(2019, 2, 28), Precision.MONTH),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29), Precision.MONTH),
        ("2019-01-17", date(2019, 1, 17), date(2019, 1, 17), Precision.DAY),
    ],
)
def test_a_date_knows_its_precision_and_its_period(
    text: str, first: date, last: date, precision: Precision
) -> None:
    value = EffectiveDate.parse(text)
    assert (value.first_day, value.last_day, value.precision) == (
        first,
        last,
        precision,
    )
    assert value.iso == text
    assert not value.approximate


def test_an_approximate_date_is_written_with_a_tilde_and_read_back() -> None:
    value = EffectiveDate.parse("2023-07", approximate=True)
    assert value.edtf == "2023-07~"
    assert EffectiveDate.parse("2023-07~") == value


@pytest.mark.parametrize(
    "text", ["2019-02-30", "2019-13", "2019-00-10", "19", "2019/02", "", "July 2023"]
)
def test_an_impossible_or_malformed_date_is_refused(text: str) -> None:
    with pytest.raises(InvalidDateError) as raised:
        EffectiveDate.parse(text)
    assert raised.value.field == "effective"


def test_the_error_for_february_30_says_how_many_days_february_has() -> None:
    with pytest.raises(InvalidDateError, match="February 2019 has 28 days"):
        EffectiveDate.parse("2019-02-30")


def test_money_is_kept_exactly_to_the_penny() -> None:
    assert Money.parse("764000") == Money(Decimal("764000.00"), "GBP")
    assert Money.parse("764,610.5").text == "764610.50 GBP"


@pytest.mark.parametrize("bad", [764000.0, True, "-5", "1.234", "lots", None, "NaN"])
def test_a_float_negative_or_malformed_amount_is_refused(bad: object) -> None:
    with pytest.raises(InvalidMoneyError):
        Money.parse(bad)


def test_a_float_amount_is_refused_with_the_reason() -> None:
    with pytest.raises(InvalidMoneyError, match="floats cannot hold money exactly"):
        Money.parse(764000.0)


def test_a_gss_code_is_normalised_to_upper_case() -> None:
    assert parse_gss_code(" e06000009 ") == "E06000009"


@pytest.mark.parametrize("bad", ["E0600000", "blackpool", "890", 890, None])
def test_a_malformed_gss_code_is_refused(bad: object) -> None:
    with pytest.raises(InvalidCodeError):
        parse_gss_code(bad)


@pytest.mark.parametrize("bad", [-1, 1.5, "1.5", "ten", True])
def test_a_count_is_a_non_negative_whole_number(bad: object) -> None:
    with pytest.raises(InvalidCountError):
        parse_count(bad)


def test_a_judgement_outside_the_vocabulary_is_refused_listing_the_words() -> None:
    with pytest.raises(InvalidJudgementError, match="outstanding, good"):
        parse_vocabulary(Judgement, "excellent", "judgement")
    assert parse_vocabulary(Judgement, "good", "judgement") is Judgement.GOOD


@pytest.mark.parametrize(
    ("text", "where"),
    [("a\x00b", "U+0000 at character 2"), ("bell\x07", "U+0007 at character 5"),
     ("\x9fx", "U+009F at character 1"), ("x\ufffe", "U+FFFE at character 2")],
)  # fmt: skip
def test_text_with_a_control_character_is_refused_saying_where(
    text: str, where: str
) -> None:
    with pytest.raises(InvalidValueError, match=re.escape(where)):
        parse_text(text, "summary")


def test_text_is_trimmed_to_one_line_and_may_hold_any_printable_character() -> None:
    assert parse_text("  Blackpool’s\n\tchildren – 540 é  ", "summary") == (
        "Blackpool’s children – 540 é"
    )
