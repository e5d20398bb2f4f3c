"""Plain-English wording for facts: default summaries and labels for codes.

Each kind of fact words its default summary in :data:`domain.kinds.KINDS` with
these; the feed and pages title entries with them. Labels fall back to the code
with underscores as spaces.
"""

from __future__ import annotations

from collections.abc import Mapping

from domain.values import EffectiveDate, Money, Precision
from domain.vocabulary import QUALIFIER_WORDS

LABELS: dict[str, str] = {
    "director_of_childrens_services": "director of children's services",
    "council_leader": "leader of the council",
    "chief_executive": "chief executive",
    "commissioner": "children's services commissioner",
    "panel_chair": "chair of the improvement panel",
    "lead_member_for_children": "lead member for children",
    "children_in_care": "children in care",
    "children_starting_care": "children starting care",
    "children_ceasing_care": "children ceasing care",
    "requires_improvement": "requires improvement",
    "forecast_overspend": "forecast overspend",
    "improvement_notice": "improvement notice issued",
    "improvement_notice_lifted": "improvement notice lifted",
    "commissioner_due": "commissioner to be appointed",
    "statutory_direction": "statutory direction issued",
    "commissioner_appointed": "commissioner appointed",
    "control_retained": "council keeps control of children's services",
    "direction_revised": "statutory direction revised",
    "direction_lifted": "statutory direction lifted",
    "trust_directed": "children's services to be run by a trust",
    "services_transferred": "children's services moved to a trust or company",
    "ofsted_rating": "Ofsted judgement",
    "rate_per_10000": "per 10,000 children",
}

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def label(code: str) -> str:
    """A readable label for a vocabulary word or measure code."""
    return LABELS.get(code, code.replace("_", " "))


def pounds(money: Money) -> str:
    """£764,000 or £6.6m style amounts, exact below a million."""
    amount = money.amount
    symbol = "£" if money.currency == "GBP" else money.currency + " "
    if amount >= 1_000_000 and amount % 100_000 == 0:
        millions = f"{amount / 1_000_000:f}".rstrip("0").rstrip(".")
        return f"{symbol}{millions}m"
    if amount == amount.to_integral_value():
        return f"{symbol}{int(amount):,}"
    return f"{symbol}{amount:,.2f}"


def when(date: EffectiveDate) -> str:
    """'17 January 2019', 'January 2019' or '2019', with 'about' if approximate."""
    d = date.first_day
    if date.precision is Precision.DAY:
        text = f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    elif date.precision is Precision.MONTH:
        text = f"{_MONTHS[d.month - 1]} {d.year}"
    else:
        text = str(d.year)
    return f"about {text}" if date.approximate else text


def qualified(text: str, fields: Mapping[str, object]) -> str:
    """A fact's description with its qualifier before its figure: "overspend of
    more than £5m", "more than 100 social workers recruited"."""
    qualifier = fields.get("qualifier")
    if isinstance(qualifier, str) and qualifier in QUALIFIER_WORDS:
        for figure in _figures(fields):
            if figure in text:
                return text.replace(figure, f"{QUALIFIER_WORDS[qualifier]} {figure}", 1)
    return text


def _figures(fields: Mapping[str, object]) -> list[str]:
    amount, value = fields.get("amount"), fields.get("value")
    found = [pounds(amount)] if isinstance(amount, Money) else []
    if isinstance(value, int):
        found.append(f"{value:,}")
    if value is not None:
        found.append(str(value))
    return found
