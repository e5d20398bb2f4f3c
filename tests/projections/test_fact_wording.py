"""Evidence classes and the words for a fact's values, which the feed and the
fact's page share."""

from __future__ import annotations

from projections.evidence import evidence_class, evidence_label
from projections.fact_wording import changed_fields, date_text, value_text


def test_the_evidence_class_follows_the_kind_of_source_and_of_fact() -> None:
    assert evidence_class("statistics", "count_reported") == "official_statistics"
    assert evidence_class("statistics", "rating_given") == "inspection_finding"
    assert evidence_class("inspection_report", "rating_given") == "inspection_finding"
    assert evidence_class("inspection_report", "count_reported") == "quoted_in_report"
    assert evidence_class("council", "money_reported") == "council_statement"
    assert evidence_class("news", "office_holder_appointed") == "press_report"
    assert evidence_label("quoted_in_report") == "figure quoted in a report"


def test_values_read_value_first_with_their_unit_and_rate() -> None:
    count = {"measure": "children_in_care", "value": 1540, "unit": "children",
             "rate_per_10000": "184"}  # fmt: skip
    assert value_text("count_reported", count) == (
        "1,540 children in care (a rate of 184 per 10,000 children)"
    )
    share = {"measure": "repeat_referrals", "value": "21.5", "unit": "percent"}
    assert value_text("count_reported", share) == "repeat referrals: 21.5%"
    grant = {"amount": {"amount": "764000.00", "currency": "GBP"},
             "funder": "Department for Education", "purpose": None}  # fmt: skip
    assert value_text("grant_received", grant) == (
        "£764,000, a grant from Department for Education"
    )
    rating = {"judgement": "good", "framework": "sif", "inspection_type": None,
              "sub_judgements": {"care_leavers": "requires_improvement"}}  # fmt: skip
    assert value_text("rating_given", rating) == (
        "good, under the single inspection framework (SIF); "
        "care leavers: requires improvement"
    )


def test_a_date_says_its_precision_in_words() -> None:
    assert date_text({"date": "2023-07", "approximate": True}) == "about July 2023"
    assert date_text({"date": "2019-01-17", "approximate": False}) == "17 January 2019"


def test_a_change_lists_each_field_with_its_old_and_new_value_in_words() -> None:
    before = {"amount": {"amount": "5000000.00", "currency": "GBP"}, "period": None}
    after = {"amount": {"amount": "6600000.00", "currency": "GBP"}, "period": "2023-24"}
    assert changed_fields(before, after) == [
        ("amount", "£5m", "£6.6m"),
        ("period", "not given", "2023-24"),
    ]
