"""Evidence classes: how a fact is known, derived in this one place.

A fact's class follows from the kind of document that reported it and the kind of
fact: a statistics release gives official statistics; an inspection report gives
inspection findings, and the figures it quotes (counts, money, targets) are figures
quoted in a report; a council's own document is a council statement; the press,
and reference works that summarise it, give press reports. A government document
reports decisions and the figures it cites as another's report would, so it is
classed as a report quoting them. The words are those of the design's account of
current state; the rule is deliberately coarse and may be refined per source.
"""

from __future__ import annotations

OFFICIAL_STATISTICS = "official_statistics"
INSPECTION_FINDING = "inspection_finding"
QUOTED_IN_REPORT = "quoted_in_report"
COUNCIL_STATEMENT = "council_statement"
PRESS_REPORT = "press_report"

LABELS: dict[str, str] = {
    OFFICIAL_STATISTICS: "official statistics",
    INSPECTION_FINDING: "inspection finding",
    QUOTED_IN_REPORT: "figure quoted in a report",
    COUNCIL_STATEMENT: "council statement",
    PRESS_REPORT: "press report",
}

# Kinds of fact that are a figure someone measured, rather than a finding or event.
FIGURES = frozenset(
    {"count_reported", "money_reported", "grant_received", "target_set"}
)

_BY_SOURCE: dict[str, str] = {
    "statistics": OFFICIAL_STATISTICS,
    "council": COUNCIL_STATEMENT,
    "government": QUOTED_IN_REPORT,
    "news": PRESS_REPORT,
    "reference": PRESS_REPORT,
}


def evidence_class(source_kind: str, fact_kind: str) -> str:
    """The class of a fact of ``fact_kind`` reported by a ``source_kind`` source."""
    if source_kind == "inspection_report":
        return QUOTED_IN_REPORT if fact_kind in FIGURES else INSPECTION_FINDING
    if source_kind == "statistics" and fact_kind == "rating_given":
        return INSPECTION_FINDING  # a judgement in Ofsted's outcomes release
    return _BY_SOURCE.get(source_kind, PRESS_REPORT)


def evidence_label(code: str) -> str:
    """'figure quoted in a report' for ``quoted_in_report``."""
    return LABELS.get(code, code.replace("_", " "))
