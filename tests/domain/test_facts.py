from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from domain.drafts import draft_fact
from domain.errors import (
    FactRetractedError,
    InvalidCodeError,
    InvalidCorrectionError,
    InvalidCountError,
    InvalidDateError,
    InvalidJudgementError,
    InvalidMoneyError,
    MissingFieldError,
    UnexpectedFieldError,
    UnknownKindError,
)
from domain.facts import Fact
from domain.values import EffectiveDate, Money
from tests.builders import appointment_body, count_body, grant_body, rating_body


def test_the_same_report_always_gets_the_same_fact_id() -> None:
    assert draft_fact(count_body()).fact_id == draft_fact(count_body()).fact_id


def test_a_different_value_for_the_same_measure_and_date_shares_the_fact_id() -> None:
    # So the second report is a conflict to resolve, not a silent second fact.
    assert draft_fact(count_body(value=541)).fact_id == draft_fact(count_body()).fact_id


def test_another_source_or_date_makes_another_fact() -> None:
    base = draft_fact(count_body()).fact_id
    assert draft_fact(count_body(source="other-source")).fact_id != base
    assert draft_fact(count_body(effective="2023-08")).fact_id != base


def test_a_fact_without_a_summary_gets_one_in_plain_words() -> None:
    assert draft_fact(count_body()).summary == "540 children in care"
    assert draft_fact(grant_body()).summary == (
        "grant of £764,000 from Department for Education"
    )


@pytest.mark.parametrize(
    ("body", "error", "field"),
    [
        (count_body(value=-1), InvalidCountError, "value"),
        (count_body(value=5.5), InvalidCountError, "value"),
        (count_body(value="540.5"), InvalidCountError, "value"),
        (count_body(effective="2019-02-30"), InvalidDateError, "effective"),
        (rating_body(judgement="excellent"), InvalidJudgementError, "judgement"),
        (rating_body(judgement="none"), InvalidJudgementError, "judgement"),
        (grant_body(amount=764000.0), InvalidMoneyError, "amount"),
        (count_body(colour="blue"), UnexpectedFieldError, "colour"),
        ({**count_body(), "measure": None}, MissingFieldError, "measure"),
        (count_body(kind="rumour_heard"), UnknownKindError, "kind"),
    ],
)
def test_each_bad_input_raises_its_own_error_naming_the_field(
    body: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as raised:
        draft_fact(body)
    assert raised.value.field == field  # type: ignore[attr-defined]


def test_every_bad_field_is_reported_not_only_the_first() -> None:
    with pytest.raises(InvalidDateError) as raised:
        draft_fact(count_body(effective="2019-02-30", value=-3, colour="blue"))
    fields = [e.field for e in raised.value.errors]  # type: ignore[attr-defined]
    assert fields == ["effective", "value", "colour"]


def test_a_framework_without_an_overall_grade_requires_judgement_none() -> None:
    draft = draft_fact(rating_body(framework="ilacs_2026", judgement="none"))
    assert draft.fields["judgement"] == "none"
    with pytest.raises(InvalidJudgementError):
        draft_fact(rating_body(framework="ilacs_2026", judgement="good"))


def test_a_rating_keeps_its_sub_judgements() -> None:
    draft = draft_fact(
        rating_body(sub_judgements={"children_in_care": "requires_improvement"})
    )
    assert draft.fields["sub_judgements"] == {
        "children_in_care": "requires_improvement"
    }


def test_reporting_a_fact_creates_an_aggregate_with_one_typed_event() -> None:
    fact = Fact.report(draft_fact(grant_body()))
    (event,) = fact.collect_events()
    assert type(event).__name__ == "GrantReceived"
    assert event.amount == Money(Decimal("764000.00"))  # type: ignore[attr-defined]
    assert fact.kind == "grant_received"
    assert fact.effective == EffectiveDate.parse("2023-07")


def test_the_bulk_event_is_the_event_the_aggregate_triggers() -> None:
    draft = draft_fact(appointment_body())
    from_aggregate = vars(Fact.report(draft).collect_events()[0])
    direct = vars(Fact.reported_event(draft))
    assert {**from_aggregate, "timestamp": None} == {**direct, "timestamp": None}


def test_a_correction_changes_the_value_and_records_why() -> None:
    fact = Fact.report(draft_fact(count_body()))
    assert fact.correct({"value": 541}, "typing error in the article")
    assert fact.fields["value"] == 541
    assert fact.summary == "541 children in care"  # a generated summary follows
    events = fact.collect_events()
    assert [type(e).__name__ for e in events] == ["CountReported", "FactCorrected"]
    assert events[1].changes == {"value": 541, "summary": "541 children in care"}  # type: ignore[attr-defined]


def test_a_correction_that_changes_nothing_records_nothing() -> None:
    fact = Fact.report(draft_fact(count_body()))
    assert not fact.correct({"value": 540}, "no change")
    assert len(fact.collect_events()) == 1


def test_the_authority_of_a_fact_cannot_be_corrected() -> None:
    fact = Fact.report(draft_fact(count_body()))
    with pytest.raises(InvalidCorrectionError, match="retract the fact"):
        fact.correct({"authority": "E06000008"}, "wrong council")


def test_a_retracted_fact_cannot_be_corrected() -> None:
    fact = Fact.report(draft_fact(count_body()))
    assert fact.retract("the article was withdrawn")
    with pytest.raises(FactRetractedError):
        fact.correct({"value": 541}, "too late")


def test_retracting_twice_for_the_same_reason_is_a_no_op_and_otherwise_refused() -> (
    None
):
    fact = Fact.report(draft_fact(count_body()))
    fact.retract("withdrawn")
    assert not fact.retract("withdrawn")
    with pytest.raises(FactRetractedError):
        fact.retract("another reason")


@pytest.mark.parametrize(
    "args",
    [
        ("E06000009", "dfe-lait", "2019", "lait:LACnum", "568", "value", None),
        (
            "e06000009",
            "test-source",
            "2023-07",
            "children_in_care",
            540,
            "children",
            "190",
        ),
        ("E92000001", "dfe-lait", "2014", "lait:KS2", "-0.5", "value", None),
    ],
)
def test_the_bulk_count_draft_agrees_with_the_general_one(
    args: tuple[Any, ...],
) -> None:
    from domain.drafts import draft_count

    authority, source, effective, measure, value, unit, rate = args
    body = {
        "kind": "count_reported",
        "authority": authority,
        "source": source,
        "effective": effective,
        "measure": measure,
        "value": value,
        "unit": unit,
    }
    if rate is not None:
        body["rate_per_10000"] = rate
    assert draft_count(
        authority, source, effective, measure, value, unit, rate
    ) == draft_fact(body)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("E06000009", "dfe-lait", "2019-02-30", "m", "1", "children"),
            InvalidDateError,
        ),
        (("E06000009", "dfe-lait", "2019", "m", "-1", "children"), InvalidCountError),
        (("E06000009", "dfe-lait", "2019", "m", "1.5", "children"), InvalidCountError),
        (("Blackpool", "dfe-lait", "2019", "m", "1", "children"), InvalidCodeError),
    ],
)
def test_the_bulk_count_draft_refuses_what_the_general_one_refuses(
    args: tuple[Any, ...], error: type[Exception]
) -> None:
    from domain.drafts import draft_count

    with pytest.raises(error):
        draft_count(*args)
