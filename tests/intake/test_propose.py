"""Proposals from articles the tests write: kinds, fields, dates and authority."""

from __future__ import annotations

from decimal import Decimal

import pytest

from intake import InvalidProposalError, InvalidPublishedError, Proposal, propose
from intake.figures import amounts
from tests.intake import articles


def _facts(proposal: Proposal) -> set[tuple[str, str, tuple[tuple[str, object], ...]]]:
    return {
        (c.kind, c.effective, tuple(sorted(c.fields.items())))
        for c in proposal.candidates
    }


def _has(proposal: Proposal, kind: str, effective: str, **fields: object) -> bool:
    return any(
        c.kind == kind
        and c.effective == effective
        and all(c.fields.get(k) == v for k, v in fields.items())
        for c in proposal.candidates
    )


# -- dates ---------------------------------------------------------------------


def test_an_overspend_last_year_ends_on_the_last_financial_years_last_day() -> None:
    text = "The Northshire children's department overspent by £3.1m last year."
    proposal = propose(text, published="2018-06")
    [money] = proposal.candidates
    assert money.kind == "money_reported"
    assert money.fields["category"] == "overspend"
    assert money.fields["amount"] == "3100000"
    assert money.effective == "2018-03-31"
    assert money.fields["period"] == "2017-18"
    assert money.approximate is True  # "last year" may mean the calendar year


def test_the_current_financial_year_ends_next_march() -> None:
    text = "A deficit of £2.4m is forecast for children's services in the current financial year."
    [money] = propose(text, published="2023-07").candidates
    assert money.fields["category"] == "forecast_overspend"
    assert money.effective == "2024-03-31"
    assert money.fields["period"] == "2023-24"


def test_a_financial_year_written_as_a_range_ends_in_its_march() -> None:
    text = "The service overspent by £800,000 in 2021/22."
    [money] = propose(text, published="2022-09-01").candidates
    assert (money.effective, money.fields["period"]) == ("2022-03-31", "2021-22")


def test_a_month_this_year_is_that_month_of_the_publication_year() -> None:
    text = "There were 412 children in care in March this year, the council said."
    [count] = propose(text, published="2018-06").candidates
    assert (count.fields["value"], count.effective) == (412, "2018-03")


def test_a_month_last_year_is_bound_to_the_number_it_follows() -> None:
    text = "The number of children in care is down to 380 from 455 in July last year."
    proposal = propose(text, published="2023-07")
    assert _has(proposal, "count_reported", "2023-07", value=380)
    assert _has(proposal, "count_reported", "2022-07", value=455)


def test_later_this_month_is_the_publication_month() -> None:
    text = "Ofsted inspectors are due back in the borough later this month."
    [visit] = propose(text, published="2019-02").candidates
    assert visit.fields["category"] == "inspection_due"
    assert visit.effective == "2019-02"


def test_a_weekday_decides_the_year_of_a_day_without_one() -> None:
    text = "Ofsted is due back on Friday February 22 to meet council leaders."
    [visit] = propose(text, published="2019-02").candidates
    assert visit.effective == "2019-02-22"


def test_a_bare_month_in_the_past_tense_is_the_last_such_month() -> None:
    text = (
        "In January the council's children's services were rated inadequate by Ofsted."
    )
    [rating] = propose(text, published="2019-02").candidates
    assert (rating.fields["judgement"], rating.effective) == ("inadequate", "2019-01")


def test_a_month_an_appointment_starts_in_is_the_next_such_month() -> None:
    text = (
        "Westbrook Council has named Ada Fielding as its new director of "
        "children's services, starting in March."
    )
    proposal = propose(text, published="2024-02-10")
    [appointed] = [
        c for c in proposal.candidates if c.kind == "office_holder_appointed"
    ]
    assert (appointed.fields["person"], appointed.effective) == (
        "Ada Fielding",
        "2024-03",
    )


def test_a_hedged_date_is_flagged_approximate() -> None:
    text = "Inspectors rated the service good in late March 2022, Ofsted said."
    [rating] = propose(text, published="2022-05").candidates
    assert rating.effective == "2022-03"
    assert rating.approximate is True


def test_an_exact_date_is_not_approximate() -> None:
    text = "Inspectors rated the service good in March 2022, Ofsted said."
    [rating] = propose(text, published="2022-05").candidates
    assert rating.approximate is False


def test_a_start_date_in_a_later_sentence_dates_an_appointment() -> None:
    proposal = propose(articles.APPOINTED, published="2023-09-05")
    assert _has(
        proposal,
        "office_holder_appointed",
        "2023-11",
        role="director_of_childrens_services",
        person="Marcus Bell",
    )


# -- values and their qualifiers ---------------------------------------------------


@pytest.mark.parametrize(
    ("written", "pounds", "qualifier"),
    [
        ("£5m", "5000000", None),
        ("£6.6m", "6600000", None),
        ("£6.6 million", "6600000", None),
        ("£764,000", "764000", None),
        ("£764,610.50", "764610.50", None),
        ("£90k", "90000", None),
        ("£1.2bn", "1200000000", None),
        ("£3 billion", "3000000000", None),
        ("around £1m", "1000000", "around"),
        ("more than £5m", "5000000", "more_than"),
        ("up to £250,000", "250000", "up_to"),
        ("at least £2m", "2000000", "at_least"),
        ("almost £4m", "4000000", "around"),
        ("less than £10k", "10000", "less_than"),
    ],
)
def test_the_money_grammar(written: str, pounds: str, qualifier: str | None) -> None:
    [figure] = amounts(f"The council spent {written} on the service.")
    assert figure.value == Decimal(pounds)
    assert (figure.qualifier.value if figure.qualifier else None) == qualifier


def test_a_hedged_amount_keeps_its_qualifier_in_the_fields() -> None:
    text = "The improvement plan is backed by around £1m of additional resources."
    proposal = propose(text, published="2019-02")
    [money] = [c for c in proposal.candidates if c.kind == "money_reported"]
    assert money.fields["category"] == "investment"
    assert money.fields["amount"] == "1000000"
    assert money.fields["qualifier"] == "around"


def test_a_hedged_count_keeps_its_qualifier() -> None:
    proposal = propose(articles.OVERSPEND, published="2023-11-20")
    assert _has(
        proposal,
        "count_reported",
        "2023-11-20",
        measure="unaccompanied_asylum_seeking_children",
        value=400,
        qualifier="more_than",
    )


def test_a_cost_per_week_and_an_earlier_figure_are_not_amounts_reported() -> None:
    text = (
        "One placement costs £12,000 a week. Spending rose to £40m last year, "
        "up from £31m."
    )
    proposal = propose(text, published="2024-06")
    assert [c.fields["amount"] for c in proposal.candidates] == ["40000000"]


def test_numbers_with_nothing_beside_them_to_say_what_they_are_yield_nothing() -> None:
    text = (
        "The borough has 31 family hubs. Meetings take place 12 times a year, "
        "and 2,000 people answered the survey over 18 months."
    )
    assert propose(text, published="2023-01").candidates == ()


# -- the articles, kind by kind ---------------------------------------------------


def test_an_inadequate_judgement_and_who_answered_for_it() -> None:
    proposal = propose(articles.INADEQUATE, published="2024-03-14")
    assert proposal.authority == "E08000008"  # Tameside
    # The judgement is dated by the inspection it came from ("a three-week
    # inspection in January"), the only date the article gives it.
    assert _has(
        proposal,
        "rating_given",
        "2024-01",
        judgement="inadequate",
        framework="ilacs",
    )
    assert _has(
        proposal,
        "office_holder_in_post",
        "2024-03-14",
        role="lead_member_for_children",
        person="Jane Farrow",
    )
    assert _has(proposal, "count_reported", "2024-03-14", value=742)
    ratings = [c for c in proposal.candidates if c.kind == "rating_given"]
    assert len(ratings) == 1
    # A councillor with an office is reported in the office only.
    assert not _has(proposal, "office_holder_in_post", "2024-03-14", role="councillor")


def test_an_appointment_an_interim_director_and_a_chief_executive() -> None:
    proposal = propose(articles.APPOINTED, published="2023-09-05")
    assert proposal.authority == "E09000008"  # Croydon
    assert _has(
        proposal,
        "office_holder_in_post",
        "2023-09-05",
        role="director_of_childrens_services",
        person="Sarah Quinn",
    )
    assert _has(
        proposal,
        "office_holder_in_post",
        "2023-09-05",
        role="chief_executive",
        person="Nina Patel",
    )
    assert not any(
        c.kind == "office_holder_in_post" and c.fields["person"] == "Marcus Bell"
        for c in proposal.candidates
    )


def test_overspends_forecasts_and_spending() -> None:
    proposal = propose(articles.OVERSPEND, published="2023-11-20")
    assert proposal.authority == "E10000016"  # Kent
    assert _has(
        proposal,
        "money_reported",
        "2024-03-31",
        category="forecast_overspend",
        amount="14200000",
        period="2023-24",
    )
    assert _has(
        proposal,
        "money_reported",
        "2023-03-31",
        category="overspend",
        amount="9800000",
        period="2022-23",
    )
    assert _has(
        proposal,
        "money_reported",
        "2023-03-31",
        category="spend",
        amount="120000000",
        qualifier="around",
    )
    assert _has(proposal, "count_reported", "2023-11-20", value=1850)
    assert not any(c.fields.get("amount") == "98000000" for c in proposal.candidates)


def test_children_in_care_then_and_now_and_a_target() -> None:
    proposal = propose(articles.IN_CARE, published="2022-08-10")
    assert proposal.authority == "E06000066"  # Somerset
    assert _has(proposal, "count_reported", "2022-08-10", value=563)
    assert _has(proposal, "count_reported", "2020-03", value=498)
    assert _has(
        proposal,
        "target_set",
        "2022-08-10",
        measure="children_in_care",
        value=520,
        by="2024-03",
    )
    assert _has(proposal, "milestone_recorded", "2022-08-10", category="meeting")


def test_a_commissioner_a_direction_and_a_notice() -> None:
    proposal = propose(articles.COMMISSIONER, published="2021-06-01")
    assert proposal.authority == "E06000039"  # Slough
    assert _has(
        proposal, "intervention_recorded", "2021-06-01", action="commissioner_appointed"
    )
    assert _has(
        proposal, "intervention_recorded", "2021-04", action="statutory_direction"
    )
    assert _has(proposal, "intervention_recorded", "2019", action="improvement_notice")
    # The commissioner the government has appointed, named in the next sentence.
    assert _has(
        proposal,
        "office_holder_appointed",
        "2021-06-01",
        role="commissioner",
        person="Andrew Fenwick",
    )
    # "whether the council should keep running the service" decides nothing yet.
    assert not _has(
        proposal, "intervention_recorded", "2021-06-01", action="control_retained"
    )


def test_a_trust_directed_to_take_over() -> None:
    proposal = propose(articles.TRUST, published="2024-02-14")
    assert proposal.authority == "E06000030"  # Swindon
    assert _has(
        proposal, "intervention_recorded", "2024-02-14", action="trust_directed"
    )
    assert not any(
        c.fields.get("action") == "services_transferred" for c in proposal.candidates
    )
    assert _has(proposal, "rating_given", "2023-05", judgement="inadequate")
    assert _has(
        proposal,
        "office_holder_in_post",
        "2024-02-14",
        role="council_leader",
        person="Mark Ellis",
    )
    assert _has(
        proposal,
        "office_holder_in_post",
        "2024-02-14",
        role="commissioner",
        person="Priya Shah",
    )


def test_a_trust_that_took_over_is_a_transfer() -> None:
    text = (
        "Sunderland's children's services have been run by a council-owned "
        "company since the company took over in April 2018."
    )
    proposal = propose(text, published="2020-01")
    assert _has(
        proposal, "intervention_recorded", "2018-04", action="services_transferred"
    )


def test_grants_name_their_funders() -> None:
    proposal = propose(articles.GRANTS, published="2023-01-25")
    assert proposal.authority == "E08000010"  # Wigan
    assert _has(
        proposal,
        "grant_received",
        "2023-01-25",
        amount="2300000",
        funder="Department for Education",
    )
    assert _has(
        proposal,
        "grant_received",
        "2023-01-25",
        amount="450000",
        funder="Youth Endowment Fund",
    )
    assert not any(c.kind == "count_reported" for c in proposal.candidates)


def test_the_authority_is_the_one_the_article_is_about_not_one_it_mentions() -> None:
    proposal = propose(articles.MENTIONS, published="2019-05")
    assert proposal.authority == "E08000032"  # Bradford, not Leeds, Hull or Doncaster


def test_a_title_counts_towards_the_authority() -> None:
    text = "Councillors in Leeds and in York discussed the figures."
    assert propose(
        text, published="2020", title="York children's services"
    ).authority == ("E06000014")


def test_a_surname_is_not_a_place() -> None:
    text = "Commissioner Helen Lincoln said Rochdale had improved."
    assert propose(text, published="2021").authority == "E08000005"  # Rochdale


def test_no_authority_named_is_none_and_a_given_one_is_kept() -> None:
    text = "The children's services department overspent by £2m last year."
    assert propose(text, published="2020-06").authority is None
    assert propose(text, published="2020-06", authority="E06000009").authority == (
        "E06000009"
    )


def test_schools_rated_good_are_not_a_judgement_of_the_council() -> None:
    text = "Ofsted said 90 per cent of schools in the county are rated good or outstanding."
    assert not any(
        c.kind == "rating_given" for c in propose(text, published="2020").candidates
    )


# -- evidence, determinism and refusals ------------------------------------------


@pytest.mark.parametrize("name", ["INADEQUATE", "OVERSPEND", "TRUST", "GRANTS"])
def test_evidence_is_the_span_of_the_text(name: str) -> None:
    text = getattr(articles, name)
    proposal = propose(text, published="2024-01")
    assert proposal.candidates
    for candidate in proposal.candidates:
        evidence = candidate.evidence
        assert text[evidence.start : evidence.end] == evidence.text
        assert 0 < candidate.confidence <= 1


def test_evidence_offsets_count_the_texts_own_characters() -> None:
    text = "“Quoted.” The council’s children’s services overspent by £1m last year."
    [money] = propose(text, published="2020-05").candidates
    assert text[money.evidence.start : money.evidence.end] == money.evidence.text
    assert "’" in money.evidence.text


def test_the_same_text_gives_the_same_proposal() -> None:
    first = propose(articles.OVERSPEND, published="2023-11-20").to_json()
    second = propose(articles.OVERSPEND, published="2023-11-20").to_json()
    assert first == second


def test_summaries_are_written_from_the_fields() -> None:
    proposal = propose(articles.OVERSPEND, published="2023-11-20")
    for candidate in proposal.candidates:
        assert candidate.summary
        assert candidate.summary not in articles.OVERSPEND


@pytest.mark.parametrize("published", ["2024-13", "June 2024", "", "2024-02-30", "24"])
def test_a_bad_publication_date_is_a_clear_value_error(published: str) -> None:
    with pytest.raises(InvalidPublishedError, match="published"):
        propose("Some text.", published=published)
    assert issubclass(InvalidPublishedError, ValueError)


def test_a_bad_authority_code_is_refused() -> None:
    with pytest.raises(InvalidProposalError, match="authority"):
        propose("Some text.", published="2024", authority="Blackpool")


def test_a_text_too_long_to_read_is_refused() -> None:
    with pytest.raises(InvalidProposalError, match="characters"):
        propose("word " * 300_000, published="2024")


# -- more ways articles put things ---------------------------------------------------


def test_the_predecessor_an_appointee_replaces_has_left_the_office() -> None:
    proposal = propose(articles.REPLACEMENT, published="2022-06-20")
    assert proposal.authority == "E06000059"  # Dorset
    dcs = "director_of_childrens_services"
    assert _has(
        proposal, "office_holder_appointed", "2022-09", role=dcs, person="Helena Marsh"
    )
    assert _has(
        proposal, "office_holder_left", "2022-04", role=dcs, person="Owen Price"
    )
    assert _has(
        proposal, "office_holder_in_post", "2022-06-20", role=dcs, person="Ruth Ames"
    )


def test_a_new_judgement_and_the_one_before_it_are_two_ratings() -> None:
    proposal = propose(articles.REINSPECTED, published="2023-11-20")
    ratings = {
        (c.effective, c.fields["judgement"])
        for c in proposal.candidates
        if c.kind == "rating_given"
    }
    assert ratings == {
        ("2023-11-20", "requires_improvement"),
        ("2019", "requires_improvement"),
    }
    assert _has(
        proposal, "count_reported", "2023-11-20", measure="children_in_care", value=610
    )
    assert _has(
        proposal,
        "count_reported",
        "2023-11-20",
        measure="children_on_child_protection_plans",
        value=350,
    )
    # "a new action plan" is a plan, not an appointment of the director.
    assert _has(
        proposal,
        "office_holder_in_post",
        "2023-11-20",
        role="director_of_childrens_services",
        person="Leah Ford",
    )


def test_a_notice_lifted_the_notice_before_it_and_the_board_set_up() -> None:
    proposal = propose(articles.NOTICE_LIFTED, published="2021-10")
    assert _has(
        proposal, "intervention_recorded", "2021-10", action="improvement_notice_lifted"
    )
    assert _has(proposal, "intervention_recorded", "2016", action="improvement_notice")
    assert _has(
        proposal, "rating_given", "2016", judgement="inadequate", framework="sif"
    )
    assert _has(
        proposal, "rating_given", "2021-07", judgement="good", framework="ilacs"
    )
    assert _has(proposal, "milestone_recorded", "2016", category="board")


def test_a_figure_compared_with_its_own_year_is_reported_for_that_year() -> None:
    proposal = propose(articles.SPENDING, published="2023-09")
    assert _has(
        proposal,
        "money_reported",
        "2023-03-31",
        category="spend",
        amount="71000000",
        period="2022-23",
    )
    assert _has(
        proposal,
        "money_reported",
        "2019-03-31",
        category="spend",
        amount="49000000",
        period="2018-19",
    )
    assert _has(proposal, "count_reported", "2023-03", value=1020)
    assert _has(proposal, "count_reported", "2018-09", value=890)


def test_a_headline_amount_that_rounds_the_bodys_is_not_repeated() -> None:
    text = (
        "£9m hole in children's budget\n\n"
        "The children's services department is forecast to overspend by £9.1m "
        "this financial year."
    )
    amounts_found = [
        c.fields["amount"] for c in propose(text, published="2023-07").candidates
    ]
    assert amounts_found == ["9100000"]


def test_a_downgrade_names_the_new_judgement_and_a_departure_since() -> None:
    proposal = propose(articles.DOWNGRADED, published="2018-10-04")
    assert proposal.authority == "E06000017"  # Rutland
    ratings = [c for c in proposal.candidates if c.kind == "rating_given"]
    assert [r.fields["judgement"] for r in ratings] == ["inadequate", "good"]
    # "three years after they were judged good": the earlier one, about 2015.
    assert ratings[1].effective == "2015" and ratings[1].approximate
    assert _has(
        proposal,
        "office_holder_left",
        "2018-10-04",
        role="director_of_childrens_services",
        person="Alan Reid",
    )
    assert _has(
        proposal, "intervention_recorded", "2018-10-04", action="commissioner_due"
    )


def test_a_departure_is_dated_by_the_sentence_that_says_when() -> None:
    proposal = propose(articles.DEPARTURE, published="2022-05-18")
    dcs = "director_of_childrens_services"
    assert _has(
        proposal, "office_holder_appointed", "2022-05-18", role=dcs, person="Tom Hardy"
    )
    assert _has(proposal, "office_holder_left", "2022-04", role=dcs, person="Mia Lowe")
    people = {c.fields.get("person") for c in proposal.candidates}
    assert "Mr Hardy" not in people and "Ms Lowe" not in people


def test_a_company_that_took_over_and_the_judgement_before_it() -> None:
    proposal = propose(articles.COMPANY, published="2018-05-02")
    assert proposal.authority == "E08000017"  # Doncaster
    assert _has(
        proposal, "intervention_recorded", "2017-04", action="services_transferred"
    )
    assert _has(
        proposal, "rating_given", "2015", judgement="inadequate", framework="sif"
    )
    assert _has(proposal, "rating_given", "2018-05-02", judgement="good")
    # Numbers written with a comma are counts, not years.
    assert _has(proposal, "count_reported", "2018-05-02", value=2100)


def test_a_direction_issued_to_a_named_council() -> None:
    proposal = propose(articles.DIRECTION, published="2019-09-10")
    assert proposal.authority == "E06000035"  # Medway
    assert _has(
        proposal, "intervention_recorded", "2019-09-10", action="statutory_direction"
    )
    assert _has(proposal, "rating_given", "2019-08", judgement="inadequate")
    assert _has(
        proposal,
        "office_holder_in_post",
        "2019-09-10",
        role="council_leader",
        person="Jo Penn",
    )


def test_a_direction_lifted_and_the_direction_it_ends() -> None:
    proposal = propose(articles.DIRECTION_LIFTED, published="2023-11-30")
    assert proposal.authority == "E08000033"  # Calderdale
    assert _has(
        proposal, "intervention_recorded", "2023-11-30", action="direction_lifted"
    )
    assert _has(proposal, "intervention_recorded", "2017", action="statutory_direction")
    assert _has(proposal, "rating_given", "2017", judgement="inadequate")
    assert _has(proposal, "rating_given", "2021", judgement="good")
    # A service's spending in a year is reported; money set aside is an investment.
    assert _has(proposal, "money_reported", "2023-11-30", amount="3500000")
    assert _has(
        proposal, "money_reported", "2023-11-30", category="investment", amount="400000"
    )


def test_an_expected_overspend_is_a_forecast_and_a_cost_per_week_is_not_reported() -> (
    None
):
    proposal = propose(articles.EXPECTED_OVERSPEND, published="2022-10-20")
    assert proposal.authority == "E08000004"  # Oldham
    assert _has(
        proposal,
        "money_reported",
        "2023-03-31",
        category="forecast_overspend",
        amount="4200000",
        period="2022-23",
    )
    assert _has(
        proposal, "money_reported", "2022-03-31", category="overspend", amount="1900000"
    )
    assert not any(c.fields.get("amount") == "6000" for c in proposal.candidates)
    assert _has(
        proposal,
        "milestone_recorded",
        "2022-10-20",
        category="meeting",
        title="Children and Young People Scrutiny Committee",
    )
    assert _has(
        proposal,
        "milestone_recorded",
        "2022-10-20",
        category="plan",
        title="Placement strategy",
    )


def test_evidence_unpacks_as_start_end_and_text() -> None:
    text = "The department overspent by £2m last year."
    [money] = propose(text, published="2020-06").candidates
    start, end, quoted = money.evidence
    assert (start, end) == (0, len(text)) and quoted == text


@pytest.mark.parametrize(
    ("named", "code"),
    [
        ("Brighton & Hove City Council", "E06000043"),
        ("Newcastle City Council", "E08000021"),
        ("Hull City Council", "E06000010"),
        ("Durham County Council", "E06000047"),
        ("BCP Council", "E06000058"),
        ("the Royal Borough of Windsor and Maidenhead", "E06000040"),
        ("Stoke-on-Trent City Council", "E06000021"),
        ("Bristol City Council", "E06000023"),
        ("Reading Borough Council", "E06000038"),
    ],
)
def test_authorities_by_the_names_articles_use(named: str, code: str) -> None:
    text = f"Inspectors visited {named} last month. The council said it would respond."
    assert propose(text, published="2024-03").authority == code


def test_a_name_that_is_also_a_word_needs_a_council_beside_it() -> None:
    text = "Reading the report, councillors in Oldham said the service had improved."
    assert propose(text, published="2024-03").authority == "E08000004"  # Oldham


@pytest.mark.parametrize(
    "text",
    [
        "The deputy leader of the council, Cllr Amy Shaw, said the figures were worrying.",
        "Assistant director of children's services Ian Cole said staff were working hard.",
        "Deputy director of children's services Kim Lee said the service had improved.",
    ],
)
def test_a_deputy_does_not_hold_the_office(text: str) -> None:
    offices = {
        c.fields["role"]
        for c in propose(text, published="2024-02").candidates
        if c.kind.startswith("office_holder")
    }
    assert offices <= {"councillor"}


def test_a_succession_a_standing_judgement_and_plans_counted() -> None:
    proposal = propose(articles.SUCCESSION, published="2022-01-14")
    assert proposal.authority == "E10000014"  # Hampshire
    dcs = "director_of_childrens_services"
    assert _has(
        proposal, "office_holder_appointed", "2022-03-01", role=dcs, person="Grace Obi"
    )
    assert _has(
        proposal, "office_holder_left", "2022-01-14", role=dcs, person="Neil Hart"
    )
    # The predecessor's new post is at another council: not an office here.
    assert not any(
        c.fields.get("role") == "chief_executive" for c in proposal.candidates
    )
    assert _has(
        proposal, "rating_given", "2014", judgement="outstanding", framework="sif"
    )
    plans = "children_on_child_protection_plans"
    assert _has(proposal, "count_reported", "2022-01-14", measure=plans, value=1240)
    assert _has(proposal, "count_reported", "2021-03", measure=plans, value=1105)
    assert _has(
        proposal, "money_reported", "2021-03-31", category="overspend", amount="6100000"
    )


def test_a_first_word_set_in_capitals_is_read_as_a_word() -> None:
    text = (
        "MARGARET Holloway has been named by Eastwick County Council as its new "
        "director of children's services."
    )
    proposal = propose(text, published="2021-06")
    [appointed] = [
        c for c in proposal.candidates if c.kind == "office_holder_appointed"
    ]
    assert appointed.fields["person"] == "Margaret Holloway"
    assert appointed.evidence.text.startswith("MARGARET Holloway")
