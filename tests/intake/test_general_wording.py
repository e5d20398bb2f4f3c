"""The broad ways local news words money, judgements, inspections, departures
and the people in post, each in a sentence these tests write themselves
(invented people and figures), with the words that must not be read as facts."""

from __future__ import annotations

from intake import Proposal, propose
from tests.intake.candidates import has


def _amounts(proposal: Proposal) -> list[object]:
    return [c.fields["amount"] for c in proposal.candidates if "amount" in c.fields]


DCS = "director_of_childrens_services"


# -- money: changes, the year under way, budgets --------------------------------


def test_a_budget_changed_by_an_amount_is_the_new_figure() -> None:
    text = "The children's social care budget increased by £8m to £71m."
    proposal = propose(text, published="2022-03-04")
    assert has(proposal, "money_reported", "2022-03", amount="71000000")
    assert "8000000" not in _amounts(proposal)


def test_an_overspend_pushed_up_by_an_amount_is_this_years_forecast() -> None:
    text = (
        "Placement costs have pushed the overspend up by £3.1m to £12.4m at "
        "quarter two."
    )
    proposal = propose(text, published="2022-11-10")
    assert has(
        proposal,
        "money_reported",
        "2023-03-31",
        category="forecast_overspend",
        amount="12400000",
        period="2022-23",
    )
    assert "3100000" not in _amounts(proposal)


def test_costs_that_are_over_budget_now_are_this_years_forecast() -> None:
    proposal = propose(
        "Agency staffing in children's services is over budget by £1.9m.",
        published="2021-10",
    )
    assert has(
        proposal,
        "money_reported",
        "2022-03-31",
        category="forecast_overspend",
        amount="1900000",
        period="2021-22",
    )


def test_overbudget_written_as_one_word_is_an_overspend() -> None:
    proposal = propose(
        "Last year the department finished £2.3m overbudget.", published="2019-06"
    )
    assert has(proposal, "money_reported", "2019-03-31", category="overspend")


def test_an_annual_budget_is_the_financial_year_under_way() -> None:
    proposal = propose(
        "The department works to an annual budget of £44.5m.", published="2020-12-01"
    )
    assert has(
        proposal,
        "money_reported",
        "2021-03-31",
        category="budget",
        amount="44500000",
        period="2020-21",
    )


# -- judgements and inspections --------------------------------------------------


def test_placed_in_special_measures_is_a_judgement_of_inadequate() -> None:
    text = (
        "Leaders said the service had come a long way since 2016, when it was "
        "placed in special measures."
    )
    proposal = propose(text, published="2021-09")
    assert has(proposal, "rating_given", "2016", judgement="inadequate")


def test_a_judgement_lifted_or_left_behind_is_not_the_current_one() -> None:
    lifted = propose(
        "The council was delighted when Ofsted lifted its inadequate judgement.",
        published="2016-08",
    )
    moved = propose(
        "The county's children's services have moved out of their inadequate "
        "rating, Ofsted said.",
        published="2016-08",
    )
    for proposal in (lifted, moved):
        assert not any(c.kind == "rating_given" for c in proposal.candidates)


def test_an_earlier_judgement_with_no_date_is_left_out() -> None:
    text = (
        "Ofsted has rated the services inadequate. They were previously judged "
        "to be good."
    )
    proposal = propose(text, published="2020-02-20")
    assert has(proposal, "rating_given", "2020-02", judgement="inadequate")
    assert not has(proposal, "rating_given", "", judgement="good")


def test_a_judgement_is_dated_by_the_inspection_the_article_reports() -> None:
    text = (
        "Ofsted has rated Bolton's children's services good.\n\n"
        "Inspectors carried out the inspection in February this year."
    )
    proposal = propose(text, published="2023-05-12")
    assert has(proposal, "rating_given", "2023-02", judgement="good")
    assert has(proposal, "milestone_recorded", "2023-02", category="inspection_visit")


def test_the_judgement_an_upgrade_moved_from_with_its_year() -> None:
    text = (
        "The report moved the council up to 'good' from the rating of "
        "'requires improvement' it received in 2017."
    )
    proposal = propose(text, published="2021-07")
    assert has(proposal, "rating_given", "2017", judgement="requires_improvement")
    assert has(proposal, "rating_given", "2021-07", judgement="good")


def test_inspections_on_two_dates_are_two_visits() -> None:
    text = (
        "Ofsted made a focused visit in March 2021.\n\n"
        "A full inspection by Ofsted followed in June 2022."
    )
    proposal = propose(text, published="2022-09")
    visits = [
        c.effective
        for c in proposal.candidates
        if c.fields.get("category") == "inspection_visit"
    ]
    assert sorted(visits) == ["2021-03", "2022-06"]


def test_a_visit_by_anyone_else_or_still_to_come_is_no_inspection() -> None:
    text = (
        "The minister paid a visit in May.\n\n"
        "Ofsted inspectors are expected to visit in the autumn, ahead of a "
        "full inspection in 2025."
    )
    proposal = propose(text, published="2024-06")
    assert not any(
        c.fields.get("category") == "inspection_visit" for c in proposal.candidates
    )


# -- the authority ----------------------------------------------------------------


def test_an_article_naming_no_authority_is_about_its_publishers_place() -> None:
    text = "The town's children's services overspent by £4m last year."
    local = propose(text, published="2019-07", publisher="Wigan Observer")
    assert local.authority == "E08000010"
    # The text's own authority comes first.
    named = propose(
        "Bolton Council's children's services overspent by £4m last year.",
        published="2019-07",
        publisher="Wigan Observer",
    )
    assert named.authority == "E08000001"


# -- departures and the people in post ---------------------------------------------


def test_an_office_leaving_and_who_holds_it_named_in_the_next_sentence() -> None:
    text = (
        "The director of Sheffield's children's services is leaving.\n\n"
        "Mark Weston is stepping down in April after eight years in the post."
    )
    proposal = propose(text, published="2022-01-20")
    assert has(
        proposal, "office_holder_left", "2022-04", role=DCS, person="Mark Weston"
    )
    assert has(
        proposal, "office_holder_appointed", "2014", role=DCS, person="Mark Weston"
    )


def test_a_holder_who_would_retire_from_a_day() -> None:
    text = (
        "Anna Lewis, Cumbria's director of children's services, announced she "
        "would retire from March 31."
    )
    proposal = propose(text, published="2017-01-15")
    assert has(
        proposal, "office_holder_left", "2017-03-31", role=DCS, person="Anna Lewis"
    )


def test_a_new_director_reported_at_work_is_in_post() -> None:
    text = (
        "New director of children's services Tom Reeve told councillors the "
        "backlog had halved."
    )
    proposal = propose(text, published="2019-05")
    assert has(
        proposal, "office_holder_in_post", "2019-05", role=DCS, person="Tom Reeve"
    )
    assert not any(c.kind == "office_holder_appointed" for c in proposal.candidates)


def test_councillors_named_after_their_party_and_the_one_responsible() -> None:
    text = (
        "Labour councillor Priya Shah said the figures were worrying.\n\n"
        "Green councillor Ed Marsh, who is responsible for children's services, "
        "said more foster carers were needed."
    )
    proposal = propose(text, published="2020-03")
    assert has(
        proposal,
        "office_holder_in_post",
        "2020-03",
        role="councillor",
        person="Priya Shah",
    )
    assert has(
        proposal,
        "office_holder_in_post",
        "2020-03",
        role="lead_member_for_children",
        person="Ed Marsh",
    )


def test_the_director_in_an_article_about_childrens_services() -> None:
    about = propose(
        "Children's services in Hull have improved. Councillors praised the "
        "director, Helen Cook, for her leadership.",
        published="2018-10",
    )
    assert has(about, "office_holder_in_post", "2018-10", role=DCS, person="Helen Cook")
    other = propose(
        "The museum has reopened. Visitors praised the director, Helen Cook.",
        published="2018-10",
    )
    assert other.candidates == ()


def test_leaving_in_the_new_year_is_the_next_january() -> None:
    text = (
        "The current director of children's services, Ruth Dale, will be leaving "
        "in the new year."
    )
    proposal = propose(text, published="2021-11-05")
    assert has(proposal, "office_holder_left", "2022-01", role=DCS, person="Ruth Dale")


# -- counts ---------------------------------------------------------------------


def test_children_cared_for_by_the_council_at_a_month_end() -> None:
    text = "There were 640 children cared for by the council at the end of May."
    proposal = propose(text, published="2019-08")
    assert has(
        proposal, "count_reported", "2019-05", measure="children_in_care", value=640
    )


def test_a_number_in_care_standing_at_a_figure() -> None:
    text = (
        "The number of children in care has risen by a fifth, standing at nearly 380."
    )
    proposal = propose(text, published="2016-02")
    assert has(
        proposal,
        "count_reported",
        "2016-02",
        measure="children_in_care",
        value=380,
        qualifier="around",
    )


def test_foster_carers_described_as_registered_or_in_house() -> None:
    text = "The council has 210 registered foster carers and 45 in-house foster carers."
    proposal = propose(text, published="2020-01")
    values = sorted(
        c.fields["value"]
        for c in proposal.candidates
        if c.fields.get("measure") == "foster_carers"
    )
    assert values == [45, 210]


# -- meetings -------------------------------------------------------------------


def test_a_report_to_be_discussed_by_cabinet_on_a_weekday() -> None:
    text = "The figures will be discussed by the cabinet on Tuesday."
    proposal = propose(text, published="2023-11-16")  # a Thursday
    assert has(
        proposal,
        "milestone_recorded",
        "2023-11-21",
        category="meeting",
        title="Cabinet meeting",
    )


def test_a_report_due_before_a_days_cabinet_meeting_is_one_meeting() -> None:
    text = "The report is due to go before next Monday's Cabinet meeting."
    proposal = propose(text, published="2023-11-16")
    meetings = [c for c in proposal.candidates if c.fields.get("category") == "meeting"]
    assert [(c.effective, c.fields["title"]) for c in meetings] == [
        ("2023-11-20", "Cabinet meeting")
    ]


def test_a_discussion_with_no_meeting_is_none() -> None:
    text = "The figures were discussed by parents on social media."
    assert propose(text, published="2023-11-16").candidates == ()


# -- money said twice -------------------------------------------------------------


def test_an_amount_said_twice_is_one_fact() -> None:
    text = (
        "The service is set to finish the year £9m over budget. An overspend of "
        "£9m is forecast for the year."
    )
    proposal = propose(text, published="2023-10")
    forecasts = [
        c
        for c in proposal.candidates
        if c.fields.get("category") == "forecast_overspend"
    ]
    assert len(forecasts) == 1


# -- posts held elsewhere, and departures before the news ----------------------------


def test_a_former_post_elsewhere_is_not_a_departure() -> None:
    text = (
        "Sam Ortiz, OBE, a former director of children's services in Cumbria, "
        "will become interim director of Lancashire County Council's children's "
        "services next month."
    )
    proposal = propose(text, published="2016-05-10")
    assert has(
        proposal, "office_holder_appointed", "2016-06", role=DCS, person="Sam Ortiz"
    )
    assert not any(c.kind == "office_holder_left" for c in proposal.candidates)


def test_an_appointment_after_retiring_elsewhere_and_an_earlier_post() -> None:
    text = (
        "Kim Adler has been appointed as the interim head of Devon County "
        "Council's children's services, months after she retired from a post "
        "elsewhere.\n\nShe joined Dorset Council in March 2011.\n\n"
        "Devon's previous director Lou Hart recently left her role."
    )
    proposal = propose(text, published="2017-09")
    assert has(
        proposal, "office_holder_appointed", "2017-09", role=DCS, person="Kim Adler"
    )
    assert not has(proposal, "office_holder_left", "", person="Kim Adler")
    assert has(proposal, "office_holder_left", "2017-09", role=DCS, person="Lou Hart")


def test_a_full_meeting_of_the_council() -> None:
    text = "Councillors approved the plan at a full meeting of the county council."
    proposal = propose(text, published="2017-09")
    assert has(
        proposal,
        "milestone_recorded",
        "2017-09",
        category="meeting",
        title="Council meeting",
    )


# -- judgements dated by what the sentence hangs them on ------------------------------


def test_a_judgement_given_twice_before_with_no_date_is_left_out() -> None:
    text = (
        "The department has been rated inadequate twice by watchdogs. A "
        "monitoring visit by Ofsted in November was critical."
    )
    proposal = propose(text, published="2015-03")
    assert not any(c.kind == "rating_given" for c in proposal.candidates)


def test_a_judgement_dated_by_the_year_a_when_clause_hangs_on() -> None:
    text = (
        "Since 2014, when the director resigned after Ofsted rated the "
        "department inadequate, there have been three interims."
    )
    proposal = propose(text, published="2016-03")
    assert has(proposal, "rating_given", "2014", judgement="inadequate")


def test_a_number_already_reduced_to_is_a_count_not_a_target() -> None:
    text = (
        "The report said measures were taken to reduce the number of children "
        "in care to 412 in November."
    )
    proposal = propose(text, published="2019-03")
    assert has(
        proposal, "count_reported", "2018-11", measure="children_in_care", value=412
    )
    assert not any(c.kind == "target_set" for c in proposal.candidates)


def test_the_authority_named_first_is_the_subject() -> None:
    text = (
        "Leeds City Council has named a new director of children's services. "
        "She joins from Bradford Council, where she ran the Bradford service."
    )
    assert propose(text, published="2020-01").authority == "E08000035"


# -- inspections due, meetings named by their day, money put in ------------------------


def test_inspectors_due_back_are_dated_by_the_words_after() -> None:
    text = (
        "The council was rated inadequate by Ofsted in October 2021, and "
        "inspectors are due back next month."
    )
    proposal = propose(text, published="2023-04-12")
    assert has(proposal, "milestone_recorded", "2023-05", category="inspection_due")
    assert has(proposal, "rating_given", "2021-10", judgement="inadequate")


def test_an_inspection_over_two_months_of_last_year() -> None:
    text = (
        "The inspection, which took place in May and June last year, found "
        "staff shortages, Ofsted said."
    )
    proposal = propose(text, published="2019-02")
    assert has(proposal, "milestone_recorded", "2018-05", category="inspection_visit")


def test_next_weeks_cabinet_meeting() -> None:
    text = "The director will present a progress report at next week's cabinet meeting."
    proposal = propose(text, published="2017-03-02")
    assert has(
        proposal,
        "milestone_recorded",
        "2017-03-09",
        category="meeting",
        title="Cabinet meeting",
    )


def test_money_added_to_a_budget_or_extra_is_an_investment() -> None:
    added = propose(
        "The council has added £3.4m to its budget to pay for social workers.",
        published="2018-02",
    )
    extra = propose(
        "An extra £2.5m is to be spent on children's services.", published="2018-02"
    )
    transferred = propose(
        "The cabinet agreed to transfer £7.5million to help children's social care.",
        published="2018-02",
    )
    for proposal, amount in (
        (added, "3400000"),
        (extra, "2500000"),
        (transferred, "7500000"),
    ):
        assert has(
            proposal, "money_reported", "2018-02", category="investment", amount=amount
        )


def test_an_opening_sentence_is_not_a_headline_repeated() -> None:
    text = (
        "An extra £4.2 million is to be spent on children's services.\n\n"
        "The council has added £4.2 million to its budget for placements."
    )
    proposal = propose(text, published="2017-03")
    assert proposal.candidates[0].evidence.start == 0


def test_the_councillor_responsible_for_childrens_services() -> None:
    text = (
        "Ravi Dutt, the councillor responsible for children's social services, "
        "told the meeting more money was needed."
    )
    proposal = propose(text, published="2019-06")
    assert has(
        proposal,
        "office_holder_in_post",
        "2019-06",
        role="lead_member_for_children",
        person="Ravi Dutt",
    )


# -- judgements given some time ago, in words and clauses -------------------------------


def test_a_judgement_two_and_a_half_years_ago_and_one_last_year() -> None:
    text = (
        "Children's social care in Devon was judged to be inadequate "
        "two-and-a-half years ago; last year inspectors saw progress - but "
        "ruled that services still required improvement."
    )
    proposal = propose(text, published="2016-03")
    assert has(proposal, "rating_given", "2013-09", judgement="inadequate")
    assert has(proposal, "rating_given", "2015", judgement="requires_improvement")


def test_months_ago() -> None:
    text = "Ofsted rated the council's children's services good 18 months ago."
    proposal = propose(text, published="2020-07")
    assert has(proposal, "rating_given", "2019-01", judgement="good")


def test_a_judgement_of_services_described_at_length() -> None:
    text = (
        "Following inspections in April, Ofsted rated the leadership of "
        "children's services at the local authority as outstanding."
    )
    proposal = propose(text, published="2019-05-22")
    assert has(proposal, "rating_given", "2019-04", judgement="outstanding")


def test_inspectors_who_spent_weeks_somewhere_inspected_then() -> None:
    text = (
        "Ofsted has awarded the county's children's services an outstanding "
        "rating.\n\nThe inspectors spent two weeks in September observing how "
        "the council works."
    )
    proposal = propose(text, published="2023-12")
    assert has(proposal, "rating_given", "2023-09", judgement="outstanding")


def test_a_cabinet_member_of_a_council_with_an_ampersand() -> None:
    text = (
        "Jo Price, Telford & Wrekin Council's cabinet member for children and "
        "young people, said the result was deserved."
    )
    proposal = propose(text, published="2020-03")
    assert has(
        proposal,
        "office_holder_in_post",
        "2020-03",
        role="lead_member_for_children",
        person="Jo Price",
    )


# -- counts as councils report them ---------------------------------------------------


def test_a_count_reached_by_a_past_month_and_at_the_start_of_a_year() -> None:
    text = (
        "The number of children in care had risen to 512 by the end of "
        "December.\n\nAt the start of 2021 the number of children in care stood "
        "at 470."
    )
    proposal = propose(text, published="2023-02")
    assert has(
        proposal, "count_reported", "2022-12", measure="children_in_care", value=512
    )
    assert has(
        proposal, "count_reported", "2021-01", measure="children_in_care", value=470
    )


def test_children_under_its_care_now_and_this_time_last_year() -> None:
    text = (
        "The number of children under its care currently stands at 388, which "
        "has gone up from 351 this time last year."
    )
    proposal = propose(text, published="2017-04")
    assert has(
        proposal, "count_reported", "2017-04", measure="children_in_care", value=388
    )
    assert has(
        proposal, "count_reported", "2016-04", measure="children_in_care", value=351
    )


def test_a_rate_per_ten_thousand_is_not_a_count() -> None:
    text = "That gives a rate of 81 children in care per 10,000."
    assert propose(text, published="2021-05").candidates == ()


def test_positions_offered_to_overseas_social_workers() -> None:
    text = "The council has offered positions to 21 overseas social workers."
    proposal = propose(text, published="2022-09-20")
    assert has(
        proposal,
        "count_reported",
        "2022-09",
        measure="social_workers_recruited",
        value=21,
    )


def test_a_team_set_up_to_do_something_is_a_service_change() -> None:
    text = (
        'The council has established a team to "challenge costly placements" '
        "across the county."
    )
    proposal = propose(text, published="2022-09")
    assert has(
        proposal,
        "milestone_recorded",
        "2022-09",
        category="service_change",
        title="Team to challenge costly placements",
    )


# -- money short of a budget, and control stripped ---------------------------------------


def test_projected_to_be_short_of_the_budget_is_a_forecast_overspend() -> None:
    text = (
        "Children's services are projected to be more than £4.5m short of the "
        "budget for looked after children at the end of the year."
    )
    proposal = propose(text, published="2019-11")
    assert has(
        proposal,
        "money_reported",
        "2020-03-31",
        category="forecast_overspend",
        amount="4500000",
        period="2019-20",
    )


def test_a_council_stripped_of_control() -> None:
    text = (
        "The trust will run children's services after the council was stripped "
        "of control earlier this year."
    )
    proposal = propose(text, published="2022-06")
    assert has(proposal, "intervention_recorded", "2022", action="trust_directed")


# -- who chairs, who acts, who resigned, and for how long -----------------------------------


def test_a_trust_to_be_chaired_and_commissioners_who_will_act() -> None:
    text = (
        "The new trust will be chaired by Nora Blake.\n\n"
        "Ian Frost and Ruth Kemp will act as commissioners to oversee children's "
        "services."
    )
    proposal = propose(text, published="2022-06")
    assert has(
        proposal,
        "office_holder_appointed",
        "2022-06",
        role="panel_chair",
        person="Nora Blake",
    )
    for person in ("Ian Frost", "Ruth Kemp"):
        assert has(
            proposal,
            "office_holder_in_post",
            "2022-06",
            role="commissioner",
            person=person,
        )


def test_a_resignation_as_director_of_a_place_without_a_possessive() -> None:
    text = (
        "Anne Cole's resignation as executive director of Dorset children's "
        "services was announced yesterday."
    )
    proposal = propose(text, published="2019-11")
    assert has(proposal, "office_holder_left", "2019-11", role=DCS, person="Anne Cole")


def test_a_leader_named_before_their_title_and_what_others_say() -> None:
    text = (
        "It comes days after CEC Leader Cllr Tom Hale resigned his position.\n\n"
        'Opposition leader Cllr Jane Bird said: "We were told she will be leaving '
        'at the end of July."'
    )
    proposal = propose(text, published="2024-07-24")
    assert has(
        proposal,
        "office_holder_left",
        "2024-07",
        role="council_leader",
        person="Tom Hale",
    )
    assert not has(proposal, "office_holder_left", "", person="Jane Bird")


def test_a_leaver_who_had_been_in_the_post_for_years_and_a_half() -> None:
    text = (
        "The executive director of Cheshire East's crisis-hit children's "
        "services is stepping down.\n\n"
        "Mary Lowe, who leads a department facing huge debts, has handed in her "
        "resignation.\n\nMs Lowe had been in the position for two and a half years."
    )
    proposal = propose(text, published="2024-07-24")
    assert has(proposal, "office_holder_left", "2024-07", role=DCS, person="Mary Lowe")
    assert has(
        proposal, "office_holder_appointed", "2022-01", role=DCS, person="Mary Lowe"
    )


# -- leaders, chairs and posts at other councils ------------------------------------------


def test_a_new_leader_named_in_the_next_sentence_as_taking_over() -> None:
    text = (
        "The new leader of Derby City Council is looking to make changes.\n\n"
        "Rosa Quinn took over when her party won the recent elections."
    )
    proposal = propose(text, published="2023-05")
    assert has(
        proposal,
        "office_holder_appointed",
        "2023-05",
        role="council_leader",
        person="Rosa Quinn",
    )


def test_opposition_leaders_are_councillors_not_the_councils_leader() -> None:
    text = (
        "Tim Rowe, the leader of the Conservative opposition, said more was "
        "needed.\n\nCouncillor Amy Fox, leader of the Liberal Democrat members "
        "on the council, agreed."
    )
    proposal = propose(text, published="2023-05")
    assert not any(
        c.fields.get("role") == "council_leader" for c in proposal.candidates
    )
    for person in ("Tim Rowe", "Amy Fox"):
        assert has(
            proposal,
            "office_holder_in_post",
            "2023-05",
            role="councillor",
            person=person,
        )


def test_a_councils_leader_named_with_its_council_or_as_leader() -> None:
    text = (
        "Sunderland City Council's leader, Cllr Ray Dunn, welcomed the report.\n\n"
        "Leader Maya Holt said the result was deserved."
    )
    proposal = propose(text, published="2015-07")
    for person in ("Ray Dunn", "Maya Holt"):
        assert has(
            proposal,
            "office_holder_in_post",
            "2015-07",
            role="council_leader",
            person=person,
        )


def test_set_to_be_appointed_as_the_authoritys_next_chief_executive() -> None:
    text = (
        "Paul Dean is set to be appointed as the authority's next chief "
        "executive at a meeting next week.\n\nHe will replace Carol Smart in "
        "the role."
    )
    proposal = propose(text, published="2015-10")
    assert has(
        proposal,
        "office_holder_appointed",
        "2015-10",
        role="chief_executive",
        person="Paul Dean",
    )


def test_a_commissioner_for_the_services_appointed_and_named_next() -> None:
    text = (
        "The department confirmed that a commissioner for children's services "
        "had now been appointed.\n\nLena Park, chief executive of a children's "
        "services company in Richmond, will now work with the council."
    )
    proposal = propose(text, published="2015-07-20")
    assert has(
        proposal, "intervention_recorded", "2015-07", action="commissioner_appointed"
    )
    assert has(
        proposal,
        "office_holder_appointed",
        "2015-07",
        role="commissioner",
        person="Lena Park",
    )


def test_a_post_at_another_authority_is_not_this_ones() -> None:
    text = (
        "Sunderland City Council has been told to improve.\n\nLena Park, chief "
        "executive of children's services at Kingston, will advise it."
    )
    proposal = propose(text, published="2015-07-20")
    assert not has(proposal, "office_holder_in_post", "", role="chief_executive")


def test_a_chair_who_resigned_as_chairman_of_a_board() -> None:
    text = (
        "Owen Lake has resigned as the independent chairman of Sunderland "
        "Safeguarding Children's Board."
    )
    proposal = propose(text, published="2016-04-06")
    assert has(
        proposal,
        "office_holder_left",
        "2016-04",
        role="panel_chair",
        person="Owen Lake",
    )


# -- judgements given before, meetings and plans, counts a year before ------------------------


def test_judgements_since_or_after_which_the_article_does_not_date() -> None:
    text = (
        "The services have been under scrutiny since Ofsted graded them as "
        "inadequate.\n\nHe said money was put in after they were given an "
        "inadequate rating by Ofsted."
    )
    proposal = propose(text, published="2016-04")
    assert not any(c.kind == "rating_given" for c in proposal.candidates)


def test_a_panel_that_met_and_the_next_full_meeting() -> None:
    text = (
        "Its Member Appointment Panel met on Friday (Oct 9).\n\nThe decision "
        "will be made at its next full meeting on October 22."
    )
    proposal = propose(text, published="2015-10-12")
    assert has(proposal, "milestone_recorded", "2015-10-09", category="meeting")
    assert has(proposal, "milestone_recorded", "2015-10-22", category="meeting")


def test_plans_to_be_considered_at_a_meeting_on_a_weekday() -> None:
    text = (
        "Plans are being drawn up to open four new children's homes.\n\n"
        "Cabinet members will consider the plans at a meeting on Wednesday. A "
        "report to the cabinet said that as of December 9, 2023, there were 980 "
        "children in care."
    )
    proposal = propose(text, published="2024-02-28")  # a Wednesday
    assert has(proposal, "milestone_recorded", "2024-02", category="plan")
    assert has(proposal, "milestone_recorded", "2024-03-06", category="meeting")
    assert not has(proposal, "milestone_recorded", "2023-12", category="meeting")
    assert has(
        proposal, "count_reported", "2023-12-09", measure="children_in_care", value=980
    )


def test_a_number_climbed_from_over_the_past_year() -> None:
    text = (
        "Over the past year the number of looked after children has climbed "
        "from 410 to 466."
    )
    proposal = propose(text, published="2015-07-20")
    assert has(
        proposal, "count_reported", "2014-07", measure="children_in_care", value=410
    )
    assert has(
        proposal, "count_reported", "2015-07", measure="children_in_care", value=466
    )


def test_money_a_council_spends_a_year_and_what_a_weekly_cost_equates_to() -> None:
    text = (
        "The council spends approximately £22.5 million per year on residential "
        "homes. Ten places cost £90,000 per week, which equates to £4.7 million "
        "per year."
    )
    proposal = propose(text, published="2024-02")
    assert has(
        proposal, "money_reported", "2024-02", category="spend", amount="22500000"
    )
    assert has(
        proposal, "money_reported", "2024-02", category="spend", amount="4700000"
    )
    assert "90000" not in _amounts(proposal)


def test_money_to_fund_a_redirection_to_childrens_services() -> None:
    text = "Proposals would fund a £3.5 million redirection of cash to children's services."
    proposal = propose(text, published="2019-08")
    assert has(
        proposal, "money_reported", "2019-08", category="investment", amount="3500000"
    )


# -- a text with no stops ---------------------------------------------------------------


def test_a_text_with_no_stops_is_read_in_bounded_stretches() -> None:
    from intake.text import MAX_SENTENCE, normalise, sentences

    text = normalise("the number rose from 12 to 14 over the past year " * 400)
    stretches = sentences(text)
    assert len(stretches) > 1
    assert all(len(s.text) <= MAX_SENTENCE for s in stretches)
    assert all(text[s.start : s.end] == s.text for s in stretches)
    # Each stretch is still read.
    assert propose(text, published="2020-01").candidates == ()


# -- tense near a date, who joined and will leave, other authorities, national figures ---------


def test_a_month_read_by_the_tense_of_the_words_before_it() -> None:
    text = (
        "The county was rated inadequate by Ofsted in July and is due to move "
        "its services to a trust next year."
    )
    proposal = propose(text, published="2019-10-09")
    assert has(proposal, "rating_given", "2019-07", judgement="inadequate")


def test_joined_as_director_in_a_month_but_is_to_leave_on_a_day() -> None:
    text = (
        "Ruth Vale joined the council as DCS in February on a one-year contract "
        "but is to leave on 25 October."
    )
    proposal = propose(text, published="2019-10-09")
    assert has(
        proposal, "office_holder_appointed", "2019-02", role=DCS, person="Ruth Vale"
    )
    assert has(
        proposal, "office_holder_left", "2019-10-25", role=DCS, person="Ruth Vale"
    )


def test_what_a_number_counts_in_quotes() -> None:
    text = "Shropshire Council had 402 'looked after children' in 2019."
    proposal = propose(text, published="2020-01")
    assert has(
        proposal, "count_reported", "2019", measure="children_in_care", value=402
    )


def test_a_sentence_about_another_authority_gives_none_of_its_figures() -> None:
    text = (
        "Shropshire Council had 402 looked after children in 2019, at a cost of "
        "£22.4m.\n\nIn Worcestershire there were 841 children in care at a cost "
        "of £47m."
    )
    proposal = propose(text, published="2020-01")
    assert proposal.authority == "E06000051"
    values = [
        c.fields.get("value") or c.fields.get("amount") for c in proposal.candidates
    ]
    assert 841 not in values and "47000000" not in values
    assert 402 in values and "22400000" in values


def test_national_figures_and_a_headlines_round_number_are_not_the_councils() -> None:
    text = (
        "Over 300 children in care in Hartlepool\n\n"
        "Figures show 80,850 children were in care nationally in March.\n\n"
        "There were 351 children in care in Hartlepool in March."
    )
    proposal = propose(text, published="2021-11-23")
    values = sorted(
        c.fields["value"] for c in proposal.candidates if c.kind == "count_reported"
    )
    assert values == [351]


def test_a_cost_risen_by_an_amount_without_by_is_a_change() -> None:
    text = "The cost of care has risen nearly £5m in four years."
    assert propose(text, published="2020-01").candidates == ()


def test_a_spend_since_an_earlier_judgement_is_dated_now() -> None:
    text = (
        "The county council has spent almost £20 million on improving children's "
        "services since the inadequate rating in 2017."
    )
    proposal = propose(text, published="2019-08")
    assert has(
        proposal, "money_reported", "2019-08", category="spend", amount="20000000"
    )


def test_a_report_published_on_a_day_dates_its_judgement() -> None:
    text = (
        "The council's children's services have been rated 'good' by Ofsted.\n\n"
        "The judgement published today (Friday, 19 February 2016) follows an "
        "examination carried out by a team of inspectors over four weeks in "
        "November and December 2015."
    )
    proposal = propose(text, published="2016-02-22")
    assert has(proposal, "rating_given", "2016-02-19", judgement="good")
    assert has(
        proposal, "milestone_recorded", "2016-02-19", category="report_published"
    )
    assert has(proposal, "milestone_recorded", "2015-11", category="inspection_visit")


def test_a_plan_of_some_years_and_a_judgement_only_planned_for() -> None:
    text = "The council is halfway through its five-year plan to have a 'good' rating by 2022."
    proposal = propose(text, published="2019-08")
    assert has(
        proposal, "milestone_recorded", "", category="plan", title="Five-year plan"
    )
    assert not any(c.kind == "rating_given" for c in proposal.candidates)


def test_a_leaver_who_has_been_with_the_council_for_years() -> None:
    text = (
        "The director of Dorset's children's services is to leave in September.\n\n"
        "Ann Lowry has handed in her notice.\n\nShe has been with the council "
        "for five years."
    )
    proposal = propose(text, published="2024-06")
    assert has(proposal, "office_holder_left", "2024-09", role=DCS, person="Ann Lowry")
    assert has(
        proposal, "office_holder_appointed", "2019", role=DCS, person="Ann Lowry"
    )


# -- an earlier post elsewhere, the predecessor who retires, and visits already made ------------


def test_an_appointment_of_someone_who_held_a_post_elsewhere() -> None:
    text = (
        "Former Leicester City chief executive Ruth Bain was today appointed as "
        "new interim director of children's services at Norfolk County Council.\n\n"
        "Ruth Bain will replace Kay Moss when she retires 18 July."
    )
    proposal = propose(text, published="2013-07-08")
    assert has(
        proposal, "office_holder_appointed", "2013-07", role=DCS, person="Ruth Bain"
    )
    assert has(
        proposal, "office_holder_left", "2013-07-18", role=DCS, person="Kay Moss"
    )
    assert not has(proposal, "office_holder_left", "", person="Ruth Bain")
    assert not any(
        c.fields.get("role") == "chief_executive" for c in proposal.candidates
    )


def test_the_childcare_minister() -> None:
    text = "The move was backed by childcare minister Amy Rees."
    proposal = propose(text, published="2013-07")
    assert has(
        proposal, "office_holder_in_post", "2013-07", role="minister", person="Amy Rees"
    )


def test_a_visit_made_before_and_an_inspection_published_in_a_month() -> None:
    text = (
        "By the time the inspection was published in June, leaders had changed.\n\n"
        "The council had begun investing before Ofsted visited in February and March."
    )
    proposal = propose(text, published="2017-08-15")
    visits = [
        c.effective
        for c in proposal.candidates
        if c.fields.get("category") == "inspection_visit"
    ]
    assert visits == ["2017-02"]
