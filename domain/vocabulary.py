"""The ledger's closed vocabularies: judgements, frameworks, roles, categories,
units and kinds of source, with the parser that refuses any other word.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from domain.errors import InvalidJudgementError, UnknownVocabularyError


class Judgement(StrEnum):
    """Ofsted's grades. ``none``: the framework gives no overall grade."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    NONE = "none"


class Framework(StrEnum):
    """Ofsted inspection frameworks for local authority children's services."""

    CHILD_PROTECTION = "child_protection"  # unannounced protection inspections to 2013
    SIF = "sif"  # single inspection framework, 2013-2017
    ILACS = "ilacs"  # from 2018
    ILACS_2026 = "ilacs_2026"  # from April 2026: no overall effectiveness grade


FRAMEWORKS_WITHOUT_OVERALL_GRADE = frozenset({Framework.ILACS_2026})

FRAMEWORK_NAMES: dict[str, str] = {
    Framework.CHILD_PROTECTION: "Inspection of child protection arrangements "
    "(unannounced, to 2013)",
    Framework.SIF: "Single inspection framework, 2013 to 2017",
    Framework.ILACS: "Inspection of local authority children's services, from 2018",
    Framework.ILACS_2026: "Inspection of local authority children's services, "
    "2026 framework",
}
"""Each framework in words, as a reader should see it."""


class InspectionType(StrEnum):
    STANDARD = "standard"
    SHORT = "short"
    UNANNOUNCED = "unannounced"


class SubJudgementArea(StrEnum):
    IMPACT_OF_LEADERS = "impact_of_leaders"
    HELP_AND_PROTECTION = "help_and_protection"
    CHILDREN_IN_CARE = "children_in_care"
    CARE_LEAVERS = "care_leavers"
    ADOPTION = "adoption"
    SAFEGUARDING_BOARD = "safeguarding_board"


class Role(StrEnum):
    DIRECTOR_OF_CHILDRENS_SERVICES = "director_of_childrens_services"
    COUNCIL_LEADER = "council_leader"
    CHIEF_EXECUTIVE = "chief_executive"
    COMMISSIONER = "commissioner"
    PANEL_CHAIR = "panel_chair"
    LEAD_MEMBER = "lead_member_for_children"
    COUNCILLOR = "councillor"
    MINISTER = "minister"


class MoneyCategory(StrEnum):
    OVERSPEND = "overspend"
    FORECAST_OVERSPEND = "forecast_overspend"
    INVESTMENT = "investment"
    SPEND = "spend"
    BUDGET = "budget"


class InterventionAction(StrEnum):
    IMPROVEMENT_NOTICE = "improvement_notice"
    IMPROVEMENT_NOTICE_LIFTED = "improvement_notice_lifted"
    COMMISSIONER_DUE = "commissioner_due"
    STATUTORY_DIRECTION = "statutory_direction"
    COMMISSIONER_APPOINTED = "commissioner_appointed"
    CONTROL_RETAINED = "control_retained"
    DIRECTION_REVISED = "direction_revised"
    DIRECTION_LIFTED = "direction_lifted"
    # The services leave the council's direct control: the minister directs that
    # an independent trust (or a council-owned company) run them, and later the
    # trust or company takes them over.
    TRUST_DIRECTED = "trust_directed"
    SERVICES_TRANSFERRED = "services_transferred"


class MilestoneCategory(StrEnum):
    PLAN = "plan"
    BOARD = "board"
    PANEL = "panel"
    MEETING = "meeting"
    REVIEW = "review"
    SERVICE_CHANGE = "service_change"
    STAFFING = "staffing"
    INSPECTION_VISIT = "inspection_visit"
    INSPECTION_DUE = "inspection_due"
    REPORT_PUBLISHED = "report_published"


class SourceKind(StrEnum):
    """What kind of document a source is; decides how primary it is."""

    STATISTICS = "statistics"
    INSPECTION_REPORT = "inspection_report"
    GOVERNMENT = "government"
    COUNCIL = "council"
    NEWS = "news"
    REFERENCE = "reference"


SOURCE_RANK: dict[str, int] = {
    SourceKind.STATISTICS: 1,
    SourceKind.INSPECTION_REPORT: 1,
    SourceKind.GOVERNMENT: 2,
    SourceKind.COUNCIL: 2,
    SourceKind.NEWS: 3,
    SourceKind.REFERENCE: 4,
}
"""Lower is more primary: official statistics and inspection reports come first."""


class Qualifier(StrEnum):
    """How a source bounds the figure it gives ("more than £5m")."""

    MORE_THAN = "more_than"
    AROUND = "around"
    AT_LEAST = "at_least"
    UP_TO = "up_to"
    LESS_THAN = "less_than"


QUALIFIER_WORDS: dict[str, str] = {
    Qualifier.MORE_THAN: "more than",
    Qualifier.AROUND: "around",
    Qualifier.AT_LEAST: "at least",
    Qualifier.UP_TO: "up to",
    Qualifier.LESS_THAN: "less than",
}


class Unit(StrEnum):
    CHILDREN = "children"
    COUNT = "count"
    POSTS = "posts"
    PERCENT = "percent"
    RATE_PER_10000 = "rate_per_10000"
    RATE = "rate"
    SCORE = "score"
    VALUE = "value"  # a published statistic whose meaning the measure describes
    POUNDS = "pounds"
    DAYS = "days"


COUNT_UNITS = frozenset({Unit.CHILDREN, Unit.COUNT, Unit.POSTS})
"""Units whose values are whole numbers of things: never negative, never fractional."""

SIGNED_UNITS = frozenset({Unit.SCORE, Unit.VALUE})


E = TypeVar("E", bound=StrEnum)
_WORDS: dict[type[StrEnum], dict[str, StrEnum]] = {}


def parse_vocabulary(vocabulary: type[E], value: object, field: str) -> E:
    """A word from a closed vocabulary, with the allowed words in the error."""
    words = _WORDS.get(vocabulary)
    if words is None:
        words = _WORDS[vocabulary] = {member.value: member for member in vocabulary}
    try:
        if not isinstance(value, str):
            raise ValueError
        return words[value]  # type: ignore[return-value]
    except (ValueError, KeyError):
        allowed = ", ".join(v.value for v in vocabulary)
        error = (
            InvalidJudgementError if vocabulary is Judgement else UnknownVocabularyError
        )
        raise error(f"{field} {value!r} is not one of: {allowed}", field) from None
