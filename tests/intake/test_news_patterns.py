"""Ways local news reports appointments, judgements, counts, money and
interventions, each in an article these tests write (invented people and
figures), and the words that must not be read as facts."""

from __future__ import annotations

from intake import Proposal, propose
from tests.intake.candidates import has


def _kinds(proposal: Proposal) -> list[str]:
    return [c.kind for c in proposal.candidates]


DCS = "director_of_childrens_services"


def test_an_office_in_one_sentence_and_who_stepped_up_in_the_next() -> None:
    text = (
        "Lancashire County Council has appointed a new director of children's "
        "services.\n\nPeter O'Hara has stepped up from assistant director of "
        "safeguarding to fill the post vacated by Ruth Ambler last month."
    )
    proposal = propose(text, published="2021-05-20")
    assert has(
        proposal, "office_holder_appointed", "2021-05", role=DCS, person="Peter O'Hara"
    )
    assert has(
        proposal, "office_holder_left", "2021-04", role=DCS, person="Ruth Ambler"
    )
    # The assistant director's post he left is not the office.
    assert len(proposal.candidates) == 2


def test_taking_over_the_role_from_someone() -> None:
    text = (
        "Bexley Council has appointed a new acting director of children's services.\n\n"
        "Dominic Fairley is taking over the role from Anna Crane, who is joining "
        "another council."
    )
    proposal = propose(text, published="2020-02-10")
    assert has(
        proposal,
        "office_holder_appointed",
        "2020-02",
        role=DCS,
        person="Dominic Fairley",
    )
    assert has(proposal, "office_holder_left", "2020-02", role=DCS, person="Anna Crane")


def test_named_by_a_council_as_its_new_director() -> None:
    text = (
        "Helen McKenzie has been named by Suffolk County Council as its new "
        "director of children's services."
    )
    proposal = propose(text, published="2017-03")
    assert has(
        proposal,
        "office_holder_appointed",
        "2017-03",
        role=DCS,
        person="Helen McKenzie",
    )


def test_a_post_taken_up_on_a_day_with_its_weekday() -> None:
    text = (
        "Joanna Pryce, a council officer for twenty years, took up her post as "
        "director of children and adult's services on Monday (March 6)."
    )
    proposal = propose(text, published="2017-03-08")
    assert has(
        proposal,
        "office_holder_appointed",
        "2017-03-06",
        role=DCS,
        person="Joanna Pryce",
    )


def test_a_permanent_corporate_director_and_a_longer_title() -> None:
    first = propose(
        "Kirklees Council has appointed its new permanent corporate director of "
        "children and young people, Daniel Oakes.",
        published="2019-06",
    )
    assert has(
        first, "office_holder_appointed", "2019-06", role=DCS, person="Daniel Oakes"
    )
    second = propose(
        "The cabinet has made ex-safeguarding lead Miriam Stokes the director for "
        "children, families and communities.",
        published="2019-06",
    )
    assert has(
        second, "office_holder_appointed", "2019-06", role=DCS, person="Miriam Stokes"
    )


def test_the_interim_director_to_be_replaced_is_in_post_and_has_not_left() -> None:
    text = (
        "Mrs Stokes was appointed director of children's services in April. From "
        "June she will replace the current interim director Owen Barlow."
    )
    proposal = propose(text, published="2019-06")
    assert has(
        proposal, "office_holder_in_post", "2019-06", role=DCS, person="Owen Barlow"
    )
    assert not any(
        c.kind == "office_holder_left" and c.fields["person"] != "Owen Barlow"
        for c in proposal.candidates
    )
    assert not has(proposal, "office_holder_left", "", person="Owen Barlow")


def test_a_departure_dated_where_the_article_says() -> None:
    text = (
        "Dr Lena Moss has been appointed director of children's services. Her "
        "appointment follows the departure of Carl Venn in October last year, who "
        "left for a post in Wales."
    )
    proposal = propose(text, published="2016-04")
    assert has(proposal, "office_holder_left", "2015-10", role=DCS, person="Carl Venn")
    assert not any(" in" in str(c.fields.get("person")) for c in proposal.candidates)


def test_judgements_stated_without_a_verb_of_rating() -> None:
    headline = propose(
        "Wirral children's services 'inadequate', inspectors find\n\nThe council "
        "said it would respond to the Ofsted report.",
        published="2022-03-14",
    )
    assert has(headline, "rating_given", "2022-03", judgement="inadequate")
    body = propose(
        "Inspectors said the 'inadequate' services still had a long way to go.",
        published="2022-03-14",
    )
    assert has(body, "rating_given", "2022-03", judgement="inadequate")
    plain = propose(
        "Ofsted said the county's children's services are inadequate.",
        published="2022-03-14",
    )
    assert has(plain, "rating_given", "2022-03", judgement="inadequate")


def test_rating_them_good_after_an_inspection_last_year() -> None:
    text = (
        "Ofsted's visit to the borough last year ended with inspectors rating "
        "them 'good' across the board."
    )
    proposal = propose(text, published="2019-03-08")
    [rating] = proposal.candidates
    assert (rating.kind, rating.fields["judgement"], rating.effective) == (
        "rating_given",
        "good",
        "2018",
    )


def test_a_rise_since_a_year_from_one_figure_to_another() -> None:
    text = (
        "Since 2012 the count of children taken into care here has grown from 610 "
        "to around 760 today."
    )
    proposal = propose(text, published="2017-10")
    assert has(
        proposal, "count_reported", "2012", measure="children_in_care", value=610
    )
    assert has(
        proposal, "count_reported", "2017-10", measure="children_in_care", value=760
    )
    qualifiers = {
        c.fields["value"]: c.fields.get("qualifier") for c in proposal.candidates
    }
    assert qualifiers == {610: None, 760: "around"}


def test_the_noun_after_a_number_a_council_looks_after_decides() -> None:
    schools = propose(
        "The county council looks after 412 schools and 90 libraries.",
        published="2020-01",
    )
    assert schools.candidates == ()
    children = propose(
        "The authority looks after just over 850 children.", published="2020-01"
    )
    assert has(
        children, "count_reported", "2020-01", measure="children_in_care", value=850
    )


def test_a_forecast_overspill_this_financial_year() -> None:
    text = (
        "The council has increased the budget for placements by £8.2 million and "
        "now expects the placements bill to overspill by £3.4 million during this "
        "financial year."
    )
    proposal = propose(text, published="2016-05")
    [money] = proposal.candidates  # the rise in the budget is not the budget
    assert money.fields["category"] == "forecast_overspend"
    assert money.fields["amount"] == "3400000"
    assert money.effective == "2017-03-31"


def test_a_shortfall_that_could_reach_an_amount_this_year() -> None:
    text = "Finance officers warn the council's shortfall could reach £42 million this year."
    [money] = propose(text, published="2018-08").candidates
    assert (money.fields["category"], money.effective) == (
        "forecast_overspend",
        "2019-03-31",
    )


def test_what_a_post_pays_and_costs_to_fill_are_not_the_services_money() -> None:
    text = (
        "The job pays a salary of up to £120,000; filling it cost £18,000 in fees to "
        "a head-hunting firm during the recruitment process."
    )
    assert propose(text, published="2018-08").candidates == ()


def test_the_government_intends_to_send_in_a_commissioner() -> None:
    text = (
        "Ministers confirmed on Tuesday that the Government intends to send in a "
        "commissioner."
    )
    proposal = propose(text, published="2018-08")
    assert has(proposal, "intervention_recorded", "2018-08", action="commissioner_due")


def test_a_trust_directed_then_launched() -> None:
    directed = propose(
        "The council was told by the Department for Education in March 2013 that "
        "its children's services would be taken out of its hands and run by an "
        "independent trust.",
        published="2016-01",
    )
    assert has(directed, "intervention_recorded", "2013-03", action="trust_directed")
    launched = propose(
        "An independent trust was eventually launched on 1 April 2015 to run the "
        "services.",
        published="2016-01",
    )
    assert has(
        launched, "intervention_recorded", "2015-04-01", action="services_transferred"
    )


def test_taking_over_as_or_becoming_the_director() -> None:
    over = propose(
        "Amira Khan will take over as director of children's services in January.",
        published="2018-10",
    )
    assert has(
        over, "office_holder_appointed", "2019-01", role=DCS, person="Amira Khan"
    )
    became = propose(
        "Tom Reid, who ran the service in a northern city, became the new interim "
        "director of children's services in 2019.",
        published="2020-02",
    )
    assert has(became, "office_holder_appointed", "2019", role=DCS, person="Tom Reid")


def test_services_that_require_improvement_and_a_long_judged_phrase() -> None:
    plain = propose(
        "The notice followed an Ofsted visit which found the borough's children's "
        "services require improvement.",
        published="2017-06",
    )
    assert has(plain, "rating_given", "2017-06", judgement="requires_improvement")
    long = propose(
        "Inspectors judged the council's help for children in need of support and "
        "protection to be inadequate in March.",
        published="2017-06",
    )
    assert has(long, "rating_given", "2017-03", judgement="inadequate")


def test_of_two_dated_mentions_of_a_direction_the_earlier_is_kept() -> None:
    text = (
        "The borough's services for children will be handed to an independent "
        "trust, after inspectors found them inadequate in May.\n\nMinisters told the "
        "council in November 2014 that the services would be taken away from it and "
        "run by a trust."
    )
    proposal = propose(text, published="2015-07")
    [directed] = [c for c in proposal.candidates if c.kind == "intervention_recorded"]
    assert (directed.fields["action"], directed.effective) == (
        "trust_directed",
        "2014-11",
    )


def test_a_weekday_in_brackets_decides_the_year_and_an_age_after_a_name() -> None:
    text = (
        "Redcar's new director of children's services has promised a fresh start."
        "\n\nAlan Price, 51, was appointed last month and starts work on Monday "
        "(January 9)."
    )
    proposal = propose(text, published="2017-01-05")
    assert has(
        proposal, "office_holder_appointed", "2017-01-09", role=DCS, person="Alan Price"
    )


def test_a_notice_lifted_is_dated_apart_from_when_it_was_issued() -> None:
    text = (
        "The improvement notice, which was issued in March 2019, has now been lifted."
    )
    proposal = propose(text, published="2022-09")
    assert has(
        proposal, "intervention_recorded", "2019-03", action="improvement_notice"
    )
    assert has(
        proposal, "intervention_recorded", "2022-09", action="improvement_notice_lifted"
    )
    lifted = propose(
        "The improvement notice was lifted in May 2022.", published="2022-09"
    )
    assert has(
        lifted, "intervention_recorded", "2022-05", action="improvement_notice_lifted"
    )


def test_a_trust_that_has_been_set_up() -> None:
    text = "A new trust has been set up to run the borough's services for children."
    proposal = propose(text, published="2022-09")
    assert has(
        proposal, "intervention_recorded", "2022-09", action="services_transferred"
    )


def test_appointed_to_the_role_of_director() -> None:
    text = (
        "Calderdale Council has appointed Ruth Ames to the role of director of "
        "children's services."
    )
    proposal = propose(text, published="2022-09")
    assert has(
        proposal, "office_holder_appointed", "2022-09", role=DCS, person="Ruth Ames"
    )


def test_schools_a_council_looks_after_beside_children_in_care() -> None:
    text = "The county looks after 480 schools and more than 1,300 children in care."
    proposal = propose(text, published="2015-05")
    [count] = proposal.candidates
    assert (count.fields["value"], count.fields["measure"]) == (
        1300,
        "children_in_care",
    )


def test_a_successor_named_with_a_clause_and_a_councils_new_post() -> None:
    text = (
        "Camden Council has appointed its new permanent corporate director of "
        "children and young people.\n\nAsha Grant, currently deputy chief executive "
        "at a nearby borough, will join in September."
    )
    proposal = propose(text, published="2015-05")
    assert has(
        proposal, "office_holder_appointed", "2015-09", role=DCS, person="Asha Grant"
    )
    other = propose(
        "Asha Grant has been appointed as Camden Council's new permanent corporate "
        "director of children and young people.",
        published="2015-05",
    )
    assert has(
        other, "office_holder_appointed", "2015-05", role=DCS, person="Asha Grant"
    )


def test_rated_inadequate_last_year() -> None:
    text = (
        "The council's services for children were rated inadequate by Ofsted last year."
    )
    [rating] = propose(text, published="2015-05").candidates
    assert (rating.fields["judgement"], rating.effective) == ("inadequate", "2014")


def test_told_in_a_month_that_services_would_be_run_by_a_trust() -> None:
    text = (
        "The council was told by the Department for Education in July 2013 that, "
        "after years of poor inspections, its children's services would be taken "
        "out of its hands for at least five years and run by an independent trust."
    )
    proposal = propose(text, published="2015-05")
    assert has(proposal, "intervention_recorded", "2013-07", action="trust_directed")


def test_a_name_with_a_clause_before_named_and_a_post_filled_passively() -> None:
    clause = propose(
        "Peter Lane, currently a deputy director in another county, has been named "
        "by Kent County Council as its new director of children's services.",
        published="2005-04",
    )
    assert has(
        clause, "office_holder_appointed", "2005-04", role=DCS, person="Peter Lane"
    )
    passive = propose(
        "A new director of children's services has been appointed by Kent County "
        "Council. Peter Lane, who works in a neighbouring county, will start in May.",
        published="2005-04",
    )
    assert has(
        passive, "office_holder_appointed", "2005-05", role=DCS, person="Peter Lane"
    )


def test_children_a_council_cares_for() -> None:
    text = "The council currently cares for 412 children, up from 380 a year ago."
    proposal = propose(text, published="2019-06")
    assert has(
        proposal, "count_reported", "2019-06", measure="children_in_care", value=412
    )
    assert has(
        proposal, "count_reported", "2018-06", measure="children_in_care", value=380
    )


def test_two_amounts_each_with_its_own_relative_year() -> None:
    text = (
        "The council expects to overspend by £4.1m this year, after overspending "
        "by £2.9m last year."
    )
    proposal = propose(text, published="2019-06")
    assert has(
        proposal,
        "money_reported",
        "2020-03-31",
        category="forecast_overspend",
        amount="4100000",
    )
    assert has(
        proposal, "money_reported", "2019-03-31", category="overspend", amount="2900000"
    )


def test_a_judgement_up_from_an_earlier_one_is_not_dated_by_the_earlier() -> None:
    text = (
        "Ofsted has rated the borough's services for children as good, up from "
        "requires improvement in 2017."
    )
    proposal = propose(text, published="2019-06")
    assert has(proposal, "rating_given", "2019-06", judgement="good")
    assert not has(proposal, "rating_given", "2017", judgement="good")


def test_a_time_word_inside_the_verb_of_appointing() -> None:
    named = propose(
        "Peter Lane has today been named by Kent County Council as its new "
        "director of children's services.",
        published="2005-04",
    )
    assert has(
        named, "office_holder_appointed", "2005-04", role=DCS, person="Peter Lane"
    )
    appointed = propose(
        "Kent County Council has this week appointed its new director of children's "
        "services.\n\nPeter Lane will start in May.",
        published="2005-04",
    )
    assert has(
        appointed, "office_holder_appointed", "2005-05", role=DCS, person="Peter Lane"
    )


def test_an_overall_rating_given_after_an_inspection_in_a_month() -> None:
    text = (
        "Wigan Council has been awarded an overall 'outstanding' rating after "
        "inspectors visited in October."
    )
    proposal = propose(text, published="2023-01-12")
    assert has(proposal, "rating_given", "2022-10", judgement="outstanding")
    assert _kinds(proposal).count("rating_given") == 1


def test_a_rating_now_held_is_the_one_the_recent_inspection_dated() -> None:
    text = (
        "Children's services in Dorset are now rated 'good' after a visit by "
        "Ofsted.\n\nAt its previous inspection, in 2016, the council was also "
        "judged 'good'.\n\nIts rating as 'good' in the June 2019 inspection "
        "pleased councillors."
    )
    proposal = propose(text, published="2019-08-30")
    assert has(proposal, "rating_given", "2019-06", judgement="good")
    assert has(proposal, "rating_given", "2016", judgement="good")
    # The undated "now rated good" is the June inspection, not a third one.
    assert _kinds(proposal).count("rating_given") == 2


def test_a_rating_hoped_for_is_not_given() -> None:
    text = (
        "Ofsted said the council's children's services require improvement to be "
        "good.\n\nInspectors want to see steadier caseloads before they can give "
        "the council an overall 'good' rating."
    )
    proposal = propose(text, published="2016-03-04")
    assert has(proposal, "rating_given", "2016-03", judgement="requires_improvement")
    assert not has(proposal, "rating_given", "", judgement="good")


def test_a_rating_the_news_came_months_after() -> None:
    text = (
        "Kent County Council has appointed Mariam Oduya as its director of "
        "children's services.\n\nThe appointment comes just a few months after "
        "Ofsted rated the council's children's services inadequate."
    )
    proposal = propose(text, published="2020-05-14")
    assert has(proposal, "rating_given", "2020-02", judgement="inadequate")


def test_a_lowercase_childrens_commissioner_is_the_governments() -> None:
    text = (
        "Halvard Quist has been appointed children's commissioner at Medway "
        "Council after Ofsted found the services inadequate."
    )
    proposal = propose(text, published="2021-09-02")
    assert has(
        proposal,
        "office_holder_appointed",
        "2021-09",
        role="commissioner",
        person="Halvard Quist",
    )


def test_a_capitalised_childrens_commissioner_title_is_not_the_governments() -> None:
    text = (
        "Children's Commissioner at Medway Council, Ottilie Brand, said staff "
        "had worked hard for the Ofsted result."
    )
    proposal = propose(text, published="2021-09-02")
    assert not any(c.fields.get("role") == "commissioner" for c in proposal.candidates)


def test_a_director_who_will_be_leaving_in_the_new_year() -> None:
    text = (
        "An interim director of children's services has been appointed by Luton "
        "Council.\n\nThis appointment of Bertram Nkemelu follows news that the "
        "current DCS, Imogen Castellane, will be leaving in the new year."
    )
    proposal = propose(text, published="2022-11-03")
    assert has(
        proposal,
        "office_holder_appointed",
        "2022-11",
        role=DCS,
        person="Bertram Nkemelu",
    )
    assert has(
        proposal, "office_holder_left", "2023", role=DCS, person="Imogen Castellane"
    )


def test_the_new_year_early_in_a_year_is_that_year() -> None:
    text = (
        "Sutton Council's director of children's services, Fenella Ruiz, will be "
        "leaving in the new year, the council said."
    )
    proposal = propose(text, published="2022-02-10")
    assert has(proposal, "office_holder_left", "2022", role=DCS, person="Fenella Ruiz")


def test_the_appointee_named_as_answerable_in_the_next_sentence() -> None:
    text = (
        "Ealing Council has appointed its new corporate director of children and "
        "young people.\n\nJonas Whitlock will be responsible for social care and "
        "schools from the spring."
    )
    proposal = propose(text, published="2018-11-20")
    assert has(
        proposal, "office_holder_appointed", "", role=DCS, person="Jonas Whitlock"
    )


def test_the_chair_of_a_childrens_committee_is_the_lead_member() -> None:
    text = (
        "Ofsted rated Bristol's children's services 'good'.\n\nThe chair of the "
        "council's children, families and learning committee, Councillor Rhoda "
        "Penhallow, said staff deserved the credit."
    )
    proposal = propose(text, published="2019-07-01")
    assert has(
        proposal,
        "office_holder_in_post",
        "2019-07",
        role="lead_member_for_children",
        person="Rhoda Penhallow",
    )
    assert not any(c.fields.get("role") == "councillor" for c in proposal.candidates)


def test_a_current_and_an_earlier_judgement_in_one_sentence() -> None:
    text = (
        "An Ofsted report published on 14 March said Sefton's children's social "
        "care services are inadequate, a fall since it received a 'good' rating "
        "in 2016."
    )
    proposal = propose(text, published="2022-04-01")
    assert has(proposal, "rating_given", "2022-03-14", judgement="inadequate")
    assert has(proposal, "rating_given", "2016", judgement="good")
    assert _kinds(proposal).count("rating_given") == 2


def test_a_judgement_of_one_area_beside_the_overall_one_is_not_a_rating() -> None:
    text = (
        "The trust received a 'good' rating for its adoption services in 2019, but "
        "inspectors judged it inadequate overall."
    )
    proposal = propose(text, published="2019-06-07")
    assert has(proposal, "rating_given", "2019", judgement="inadequate")
    assert not has(proposal, "rating_given", "", judgement="good")


def test_a_trusts_chief_executive_is_not_the_councils() -> None:
    text = (
        "Ofsted rated the Sandwell Children's Trust inadequate.\n\nSandwell "
        "Children's Trust chief executive Philippa Warrender said there was work "
        "to do."
    )
    proposal = propose(text, published="2018-03-09")
    assert not any(c.kind.startswith("office_holder") for c in proposal.candidates)


def test_a_year_a_body_was_formed_in_does_not_date_its_rating() -> None:
    text = (
        "In the trust's first inspection since its formation last year, Ofsted "
        "branded the trust inadequate."
    )
    proposal = propose(text, published="2016-02-05")
    assert has(proposal, "rating_given", "2016-02", judgement="inadequate")
    assert not has(proposal, "rating_given", "2015", judgement="inadequate")


def test_a_commissioner_appointed_then_named_by_what_they_will_do() -> None:
    text = (
        "The government has appointed a commissioner to decide whether Thurrock's "
        "children's services should stay with the council.\n\nWinifred Okafor will "
        "report to ministers by the end of March."
    )
    proposal = propose(text, published="2022-01-20")
    # Dated by the appointment, not by the report she is to write.
    assert has(
        proposal,
        "office_holder_appointed",
        "2022-01",
        role="commissioner",
        person="Winifred Okafor",
    )


def test_a_direction_from_the_education_secretary() -> None:
    text = (
        "Under a direction from the education secretary issued today, a "
        "commissioner will review Peterborough's children's services."
    )
    proposal = propose(text, published="2020-10-08")
    assert has(
        proposal, "intervention_recorded", "2020-10", action="statutory_direction"
    )


def test_the_government_taking_control_of_a_council() -> None:
    text = (
        "After years of failings in its children's services the government took "
        "control of the authority in March 2016."
    )
    proposal = propose(text, published="2019-04-02")
    assert has(
        proposal, "intervention_recorded", "2016-03", action="statutory_direction"
    )


def test_a_threatened_takeover_is_no_direction() -> None:
    text = (
        "Councillors fear the government could take control of the council if "
        "its children's services do not improve."
    )
    proposal = propose(text, published="2019-04-02")
    assert not has(proposal, "intervention_recorded", "", action="statutory_direction")


def test_a_board_set_up_and_named_in_quotes_dated_where_a_mention_says_when() -> None:
    text = (
        "The council has informally established a \u201cChildren's Improvement "
        "Board\u201d after the Ofsted report.\n\nThe Children's Improvement Board "
        "was set up in February, the cabinet member said."
    )
    proposal = propose(text, published="2023-05-04")
    assert has(proposal, "milestone_recorded", "2023-02", category="board")
    assert _kinds(proposal).count("milestone_recorded") == 1


def test_a_director_who_is_to_step_down_at_the_end_of_a_month() -> None:
    text = (
        "Rochdale Council's director of children's services, Marisol Trent, is to "
        "step down at the end of August."
    )
    proposal = propose(text, published="2024-05-09")
    assert has(
        proposal, "office_holder_in_post", "2024-05", role=DCS, person="Marisol Trent"
    )
    assert has(
        proposal, "office_holder_left", "2024-08", role=DCS, person="Marisol Trent"
    )


def test_an_interim_confirmed_in_the_post() -> None:
    text = (
        "Bolton Council has confirmed Tobias Engel, who has been interim director "
        "of children's services since January, in the role permanently."
    )
    proposal = propose(text, published="2024-05-09")
    assert has(
        proposal, "office_holder_appointed", "2024-05", role=DCS, person="Tobias Engel"
    )


def test_requires_improvement_to_be_good_is_not_good() -> None:
    text = (
        "Ofsted inspectors found the services at Bury Council require improvement "
        "to be good."
    )
    proposal = propose(text, published="2024-05-09")
    assert has(proposal, "rating_given", "2024-05", judgement="requires_improvement")
    assert not has(proposal, "rating_given", "", judgement="good")


def test_who_is_the_new_director_either_way_round() -> None:
    first = propose(
        "Ines Harcourt is the new director of children's services at Bury Council.",
        published="2024-05-09",
    )
    second = propose(
        "Bury Council's new director of children's services is Ines Harcourt, who "
        "joins from another authority.",
        published="2024-05-09",
    )
    for proposal in (first, second):
        assert has(
            proposal,
            "office_holder_appointed",
            "2024-05",
            role=DCS,
            person="Ines Harcourt",
        )


def test_a_judgement_since_improved_to_is_the_current_one() -> None:
    text = (
        "The council was rated inadequate by Ofsted in 2018 and has since improved "
        "to requires improvement."
    )
    proposal = propose(text, published="2023-02-14")
    assert has(proposal, "rating_given", "2018", judgement="inadequate")
    assert has(proposal, "rating_given", "2023-02", judgement="requires_improvement")
    assert not has(proposal, "rating_given", "2018", judgement="requires_improvement")


def test_a_resignation_announced() -> None:
    text = (
        "Delphine Okoro, Oldham's director of children's services, announced her "
        "resignation this week."
    )
    proposal = propose(text, published="2023-02-14")
    assert has(
        proposal, "office_holder_left", "2023-02", role=DCS, person="Delphine Okoro"
    )


def test_a_council_stripped_of_its_services_and_a_trust_set_up_last_year() -> None:
    text = (
        "Ofsted has rated the Medway Children's Trust inadequate.\n\nThe trust runs "
        "child protection and fostering on behalf of the council.\n\nIt was set up "
        "last year after the council was stripped of its children's services in "
        "2019."
    )
    proposal = propose(text, published="2021-03-05")
    assert has(proposal, "intervention_recorded", "2019", action="trust_directed")
    assert has(proposal, "intervention_recorded", "2020", action="services_transferred")


def test_a_cabinet_member_for_children_and_families_named_after() -> None:
    text = (
        "The council's cabinet member for children and families, Cllr Aurelia "
        "Stenning, said the Ofsted report was welcome."
    )
    proposal = propose(text, published="2023-06-15")
    assert has(
        proposal,
        "office_holder_in_post",
        "2023-06",
        role="lead_member_for_children",
        person="Aurelia Stenning",
    )
    assert not any(c.fields.get("role") == "councillor" for c in proposal.candidates)


def test_a_holder_replaced_by_someone_named_in_the_next_sentence() -> None:
    text = (
        "Gideon Marsh, director of children's services at Stockport Council, will "
        "retire in April.\n\nHe will be replaced on an interim basis by Priya "
        "Lindqvist."
    )
    proposal = propose(text, published="2023-01-10")
    assert has(
        proposal, "office_holder_left", "2023-04", role=DCS, person="Gideon Marsh"
    )
    assert has(
        proposal,
        "office_holder_appointed",
        "2023-04",
        role=DCS,
        person="Priya Lindqvist",
    )


def test_what_the_inspectors_said_of_the_services() -> None:
    for sentence, judgement in (
        (
            "Children's services in Leeds are 'outstanding', Ofsted has found.",
            "outstanding",
        ),
        ("In its report, Ofsted said services in Leeds were inadequate.", "inadequate"),
        (
            "The watchdog said Leeds City Council's children's services were good, "
            "with strong leadership.",
            "good",
        ),
    ):
        proposal = propose(sentence, published="2022-12-01")
        assert has(proposal, "rating_given", "2022-12", judgement=judgement), sentence


def test_services_said_good_by_someone_else_are_no_rating() -> None:
    proposal = propose(
        "Parents said the services in Leeds were good at listening.",
        published="2022-12-01",
    )
    assert not _kinds(proposal)


def test_a_commissioner_sent_in_and_named() -> None:
    text = (
        "The government has sent in a commissioner, Ambrose Telfer, to oversee "
        "Walsall's children's services."
    )
    proposal = propose(text, published="2023-06-15")
    assert has(
        proposal,
        "office_holder_appointed",
        "2023-06",
        role="commissioner",
        person="Ambrose Telfer",
    )


def test_a_notice_issued_to_a_council_in_a_year_is_lifted_now() -> None:
    text = "The improvement notice issued to Walsall in 2019 has now been lifted."
    proposal = propose(text, published="2023-06-15")
    assert has(
        proposal, "intervention_recorded", "2023-06", action="improvement_notice_lifted"
    )
    assert has(proposal, "intervention_recorded", "2019", action="improvement_notice")


def test_services_that_will_transfer_to_a_trust() -> None:
    text = (
        "Walsall's children's services will transfer to a new children's trust "
        "next April."
    )
    proposal = propose(text, published="2023-06-15")
    assert has(proposal, "intervention_recorded", "2024-04", action="trust_directed")


def test_social_workers_a_council_employs_are_not_recruits() -> None:
    employs = propose(
        "Knowsley Council employs 140 social workers.", published="2023-06-15"
    )
    assert not any(
        c.fields.get("measure") == "social_workers_recruited"
        for c in employs.candidates
    )
    hired = propose(
        "Knowsley Council employed 25 new social workers last year.",
        published="2023-06-15",
    )
    assert any(
        c.fields.get("measure") == "social_workers_recruited"
        and c.fields["value"] == 25
        for c in hired.candidates
    )


def test_a_judgement_years_before_the_current_one() -> None:
    text = (
        "Kirklees Council's children's services have been declared good by Ofsted, "
        "five years after being rated inadequate."
    )
    proposal = propose(text, published="2023-06-15")
    assert has(proposal, "rating_given", "2023-06", judgement="good")
    assert has(proposal, "rating_given", "2018", judgement="inadequate")
