"""The kinds of fact the ledger records: one declaration each, in :data:`KINDS`.

A kind's declaration is all there is of it: its fields validate input (and give
the HTTP layer its JSON Schema), its event (:mod:`domain.facts` makes the event
class from the fields), the words of its default summary, its identifying fields
(the fact id is computed from them), what it is about, its subject (a fixed word,
or the field naming it), which the projections index it by, the title of a list
of such facts (its feed), and the field holding its main value (its column in a
table of facts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from domain.errors import (
    DomainError,
    InvalidDateError,
    InvalidJudgementError,
    MissingFieldError,
)
from domain.fields import FieldSpec, default
from domain.values import EffectiveDate, Money
from domain.vocabulary import (
    COUNT_UNITS,
    FRAMEWORKS_WITHOUT_OVERALL_GRADE,
    Framework,
    InspectionType,
    InterventionAction,
    Judgement,
    MilestoneCategory,
    MoneyCategory,
    Qualifier,
    Role,
    Unit,
)
from domain.wording import label, pounds, qualified

Fields = Mapping[str, object]


@dataclass(frozen=True)
class KindSpec:
    """One kind of fact. ``describe`` words a fact of it from its fields alone (its
    summary when it arrives without one); ``title`` names a list of such facts
    (a feed's title); ``subject`` is what every fact of the kind is about, or
    ``subject_field`` the field naming it; ``value_field`` holds its main value
    (a table's value column) and ``unit_field`` that value's unit."""

    kind: str
    event: str
    description: str
    effective_means: str
    fields: tuple[FieldSpec, ...]
    identity: tuple[str, ...]
    describe: Callable[[Fields], str]
    title: str
    value_field: str
    unit_field: str | None = None
    subject: str | None = None
    subject_field: str | None = None
    check: Callable[[dict[str, object]], None] | None = None
    field_names: frozenset[str] = field(init=False)
    stored_fields: tuple[FieldSpec, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_names", frozenset(f.name for f in self.fields))
        stored = tuple(f for f in self.fields if f.stored)
        object.__setattr__(self, "stored_fields", stored)

    def summary_of(self, fields: Fields) -> str:
        """The default summary of a fact of this kind, its qualifier included."""
        return qualified(self.describe(fields), fields)

    def subject_of(self, fields: Fields) -> str:
        if self.subject is not None:
            return self.subject
        assert self.subject_field is not None
        return str(fields[self.subject_field])


def _check_rating(fields: dict[str, object]) -> None:
    framework = fields["framework"]
    judgement = fields["judgement"]
    if framework in FRAMEWORKS_WITHOUT_OVERALL_GRADE and judgement != Judgement.NONE:
        raise InvalidJudgementError(
            f"the {framework} framework gives no overall grade: judgement must be none",
            "judgement",
        )
    if (
        framework not in FRAMEWORKS_WITHOUT_OVERALL_GRADE
        and judgement == Judgement.NONE
    ):
        raise InvalidJudgementError(
            f"the {framework} framework gives an overall grade: "
            "judgement cannot be none",
            "judgement",
        )
    start, end = fields.get("inspection_start"), fields.get("inspection_end")
    if (
        isinstance(start, EffectiveDate)
        and isinstance(end, EffectiveDate)
        and end.last_day < start.first_day
    ):
        raise InvalidDateError(
            "inspection_end is before inspection_start", "inspection_end"
        )


def _rating(f: Fields) -> str:
    if f["judgement"] == "none":
        return "Ofsted report with no overall grade"
    return f"Ofsted judgement: {label(str(f['judgement']))}"


def _count(f: Fields) -> str:
    if f.get("unit") in COUNT_UNITS and isinstance(f["value"], int):
        return f"{f['value']:,} {label(str(f['measure']))}"
    if f.get("unit") == "percent":
        return f"{label(str(f['measure']))}: {f['value']}%"
    return f"{label(str(f['measure']))}: {f['value']}"


def _money(f: Fields) -> str:
    assert isinstance(f["amount"], Money)
    period = f" ({f['period']})" if f.get("period") else ""
    return f"{label(str(f['category']))} of {pounds(f['amount'])}{period}"


def _grant(f: Fields) -> str:
    assert isinstance(f["amount"], Money)
    return f"grant of {pounds(f['amount'])} from {f['funder']}"


def _neighbours(f: Fields) -> str:
    neighbours = f["neighbours"]
    assert isinstance(neighbours, list)
    return f"{len(neighbours)} statistical neighbours listed"


def _role() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("role", "vocabulary", "the office", vocabulary=Role),
        FieldSpec("person", "text", "the person's name as reported", max_length=200),
    )


_QUALIFIER = FieldSpec(
    "qualifier",
    "vocabulary",
    "how the source bounds the figure: more_than, around, at_least, up_to, less_than",
    required=False,
    vocabulary=Qualifier,
)

_UNIT = FieldSpec(
    "unit",
    "vocabulary",
    "children if absent",
    required=False,
    vocabulary=Unit,
    default=Unit.CHILDREN.value,
)

_CURRENCY = FieldSpec(
    "currency", "currency", "ISO 4217 code, GBP if absent", required=False, stored=False
)

KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            "rating_given",
            "RatingGiven",
            "Ofsted gave a judgement of the authority's children's services.",
            "the date the report was published",
            (
                FieldSpec(
                    "judgement",
                    "vocabulary",
                    "overall effectiveness",
                    vocabulary=Judgement,
                ),
                FieldSpec(
                    "framework",
                    "vocabulary",
                    "inspection framework",
                    vocabulary=Framework,
                ),
                FieldSpec(
                    "inspection_type",
                    "vocabulary",
                    "standard, short or unannounced",
                    required=False,
                    vocabulary=InspectionType,
                    default=InspectionType.STANDARD.value,
                ),
                FieldSpec(
                    "inspection_start", "date", "first day on site", required=False
                ),
                FieldSpec("inspection_end", "date", "last day on site", required=False),
                FieldSpec(
                    "sub_judgements", "judgements", "judgement per area", required=False
                ),
                FieldSpec("report_url", "url", "the report", required=False),
            ),
            identity=("framework",),
            describe=_rating,
            title="Ofsted judgements",
            value_field="judgement",
            subject="ofsted_rating",
            check=_check_rating,
        ),
        KindSpec(
            "office_holder_appointed",
            "OfficeHolderAppointed",
            "A person took up an office.",
            "the date they took it up",
            _role(),
            identity=("role", "person"),
            describe=lambda f: f"{f['person']} became {label(str(f['role']))}",
            title="appointments to office",
            value_field="person",
            subject_field="role",
        ),
        KindSpec(
            "office_holder_left",
            "OfficeHolderLeft",
            "A person left an office.",
            "the date they left",
            _role(),
            identity=("role", "person"),
            describe=lambda f: (
                f"{f['person']} left the post of {label(str(f['role']))}"
            ),
            title="departures from office",
            value_field="person",
            subject_field="role",
        ),
        KindSpec(
            "office_holder_in_post",
            "OfficeHolderReportedInPost",
            "A source names a person as holding an office on a date.",
            "the date the source says they held it",
            _role(),
            identity=("role", "person"),
            describe=lambda f: f"{f['person']}, {label(str(f['role']))}",
            title="office holders named in post",
            value_field="person",
            subject_field="role",
        ),
        KindSpec(
            "count_reported",
            "CountReported",
            "A number was reported for a measure (children in care, a statistic).",
            "the date the number refers to",
            (
                FieldSpec(
                    "measure", "measure", "what is counted, e.g. children_in_care"
                ),
                FieldSpec("value", "number", "the number"),
                _UNIT,
                FieldSpec(
                    "rate_per_10000",
                    "decimal",
                    "rate per 10,000 children",
                    required=False,
                ),
                _QUALIFIER,
            ),
            identity=("measure",),
            describe=_count,
            title="counts and statistics",
            value_field="value",
            unit_field="unit",
            subject_field="measure",
        ),
        KindSpec(
            "grant_received",
            "GrantReceived",
            "The authority received a grant.",
            "the date the grant was awarded or reported",
            (
                FieldSpec(
                    "amount", "money", 'decimal string in pounds, e.g. "764000.00"'
                ),
                _CURRENCY,
                _QUALIFIER,
                FieldSpec("funder", "text", "who gave it", max_length=200),
                FieldSpec("purpose", "text", "what it is for", required=False),
            ),
            identity=("funder",),
            describe=_grant,
            title="grants",
            value_field="amount",
            unit_field="currency",
            subject="grant",
        ),
        KindSpec(
            "money_reported",
            "MoneyReported",
            "An amount was reported: overspend, forecast, investment, spend, budget.",
            "the date the amount was reported, or the end of its period",
            (
                FieldSpec(
                    "category", "vocabulary", "kind of amount", vocabulary=MoneyCategory
                ),
                FieldSpec("amount", "money", "decimal string in pounds"),
                _CURRENCY,
                _QUALIFIER,
                FieldSpec(
                    "period",
                    "text",
                    "e.g. financial year 2023-24",
                    required=False,
                    max_length=40,
                ),
                FieldSpec("description", "text", "what it was for", required=False),
            ),
            identity=("category", "period", "description"),
            describe=_money,
            title="overspends, spending and budgets",
            value_field="amount",
            unit_field="currency",
            subject_field="category",
        ),
        KindSpec(
            "target_set",
            "TargetSet",
            "A target was set for a measure.",
            "the date the target was set or reported",
            (
                FieldSpec("measure", "measure", "the measure the target is for"),
                FieldSpec("value", "number", "the target value"),
                _UNIT,
                FieldSpec("by", "date", "when it should be reached", required=False),
            ),
            identity=("measure",),
            describe=lambda f: f"target for {label(str(f['measure']))}: {f['value']}",
            title="targets",
            value_field="value",
            unit_field="unit",
            subject_field="measure",
        ),
        KindSpec(
            "intervention_recorded",
            "InterventionRecorded",
            "Government intervention: notices, directions, commissioners, decisions.",
            "the date of the action",
            (
                FieldSpec(
                    "action",
                    "vocabulary",
                    "what was done",
                    vocabulary=InterventionAction,
                ),
                FieldSpec("by", "text", "who acted", required=False, max_length=200),
                FieldSpec("details", "text", "more detail", required=False),
            ),
            identity=("action",),
            describe=lambda f: label(str(f["action"])),
            title="government interventions",
            value_field="action",
            subject="intervention",
        ),
        KindSpec(
            "neighbours_listed",
            "StatisticalNeighboursListed",
            "The authorities a source counts as the statistical neighbours.",
            "the date of the list",
            (FieldSpec("neighbours", "codes", "GSS codes, nearest first"),),
            identity=(),
            describe=_neighbours,
            title="statistical neighbours",
            value_field="neighbours",
            subject="statistical_neighbours",
        ),
        KindSpec(
            "milestone_recorded",
            "MilestoneRecorded",
            "A plan, board, panel, meeting, review or inspection visit.",
            "the date it happened or is due",
            (
                FieldSpec(
                    "category", "vocabulary", "what kind", vocabulary=MilestoneCategory
                ),
                FieldSpec("title", "text", "a short name", max_length=200),
                FieldSpec("details", "text", "more detail", required=False),
            ),
            identity=("category", "title"),
            describe=lambda f: str(f["title"]),
            title="plans, boards, meetings and reports",
            value_field="title",
            subject_field="category",
        ),
    )
}

KIND_BY_EVENT: dict[str, KindSpec] = {spec.event: spec for spec in KINDS.values()}


def parse_fields(
    spec: KindSpec, body: Mapping[str, object], *, partial: bool = False
) -> tuple[dict[str, object], list[DomainError]]:
    """Parse a kind's fields from ``body``; return the values and every error.

    With ``partial`` (corrections), absent fields are left out rather than
    refused or defaulted.
    """
    values: dict[str, object] = {}
    errors: list[DomainError] = []
    for spec_field in spec.fields:
        raw = body.get(spec_field.name)
        if raw is None:
            if spec_field.required and not partial:
                errors.append(
                    MissingFieldError(
                        f"{spec_field.name} is required for {spec.kind}",
                        spec_field.name,
                    )
                )
            elif spec_field.stored and not partial:
                values[spec_field.name] = default(spec_field)
            continue
        try:
            parsed = spec_field.parse(raw, body)
        except DomainError as error:
            errors.append(error)
            continue
        if spec_field.stored:
            values[spec_field.name] = parsed
    return values, errors
