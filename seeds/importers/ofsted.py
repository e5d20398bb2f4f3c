"""Ofsted's official inspection outcomes, and the scraped history of its reports.

Each ILACS inspection becomes a RatingGiven fact (overall and sub-judgements,
inspection type, inspection and publication dates) citing the statistics release.
The in-year file adds the year's short inspections (the same facts again, so
nothing new) and its focused and monitoring visits as milestones. The scrape adds
every report's publication date and link; grades it could not read are said to be
unread, never guessed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TextIO

from domain.drafts import FactDraft, draft_fact
from domain.errors import DomainError, UnknownAuthorityError
from domain.registry import AuthorityDetails
from domain.values import EffectiveDate
from domain.wording import label, when
from seeds.importers.codes import abolished, code_resolver, successors
from seeds.importers.csvfile import rows
from seeds.ports import Ledger
from seeds.report import ImportReport, Progress

SOURCE = "ofsted-la-outcomes-2025-03-31"
SCRAPE_SOURCE = "d2i-ofsted-report-history"

JUDGEMENTS = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement to be good": "requires_improvement",
    "requires improvement": "requires_improvement",
    "inadequate": "inadequate",
}
AREAS = {
    "The impact of leaders on social work practice with children and families": (
        "impact_of_leaders"
    ),
    "The experiences and progress of children who need help and protection": (
        "help_and_protection"
    ),
    "The experiences and progress of children in care": "children_in_care",
    "The experiences and progress of care leavers": "care_leavers",
}
TYPES = {"ILACS Standard Inspection": "standard", "ILACS Short Inspection": "short"}
HISTORY_COLUMNS = [
    "Local authority area code",
    "Local authority name",
    "Local authority status",
    "Ofsted region",
    "Inspection date",
    "Publication date",
    "Inspection type",
    "Overall effectiveness",
    *AREAS,
]
IN_YEAR_COLUMNS = [
    "Local authority area code",
    "Local authority name",
    "Region",
    "Inspection/Visit date",
    "Publication date",
    "Inspection/Visit type",
    "Overall effectiveness",
    "Visit Theme",
    *AREAS,
]


Resolve = Callable[[str, str], str]


def _judgement(text: str) -> str | None:
    return JUDGEMENTS.get(" ".join(text.lower().split())) if text.strip() else None


def rating_body(
    row: Mapping[str, str], inspection_type: str, inspected: str, resolve: Resolve
) -> dict[str, object]:
    overall = _judgement(row["Overall effectiveness"])
    if overall is None:
        raise DomainError(
            f"overall effectiveness {row['Overall effectiveness']!r} not recognised"
        )
    subs = {
        area: grade
        for column, area in AREAS.items()
        if (grade := _judgement(row.get(column, ""))) is not None
    }
    start = EffectiveDate.parse(inspected, field="inspection date")
    return {
        "kind": "rating_given",
        "authority": resolve(
            row["Local authority area code"], row["Local authority name"]
        ),
        "source": SOURCE,
        "effective": row["Publication date"],
        "judgement": overall,
        "framework": "ilacs",
        "inspection_type": inspection_type,
        "inspection_start": inspected,
        "sub_judgements": subs,
        "summary": (
            f"ILACS {inspection_type} inspection from {when(start)}: overall "
            f"{label(overall)}."
        ),
    }


def _import(
    ledger: Ledger,
    path: Path,
    name: str,
    columns: list[str],
    build: Callable[[dict[str, str]], dict[str, object] | str],
    stream: TextIO | None,
    register: Callable[[dict[str, str]], AuthorityDetails | None] | None = None,
) -> ImportReport:
    report = ImportReport(name)
    started = time.monotonic()
    drafts: list[FactDraft] = []
    table = list(rows(path, columns))
    progress = Progress(name, len(table), stream)
    for line, row in table:
        progress.advance()
        try:
            body = build(row)
            if isinstance(body, str):
                report.skipped[body] += 1
                continue
            draft = draft_fact(body)
            try:
                ledger.require_authority(draft.authority)
            except UnknownAuthorityError:
                details = register(row) if register else None
                if details is None:
                    raise
                ledger.register_authority(details)
            drafts.append(draft)
        except DomainError as error:
            report.problems.append(f"{path.name} line {line}: {error.message}")
            report.skipped["malformed row (see problems)"] += 1
    progress.finish()
    report.count(ledger.record_facts(drafts))
    report.seconds = time.monotonic() - started
    return report


def _register_from_history(row: dict[str, str]) -> AuthorityDetails | None:
    status = row.get("Local authority status", "")
    code = row["Local authority area code"]
    return AuthorityDetails.parse(
        {
            "code": code,
            "name": row["Local authority name"],
            "region": row.get("Ofsted region") or None,
            **abolished(code, status != "No longer exists", successors()),
        }
    )


def import_history(
    ledger: Ledger, path: Path, stream: TextIO | None = None
) -> ImportReport:
    """The ILACS inspection history: one RatingGiven per inspection."""
    resolve = code_resolver()

    def build(row: dict[str, str]) -> dict[str, object] | str:
        kind = TYPES.get(row["Inspection type"])
        if kind is None:
            return (
                f"inspection type {row['Inspection type']!r} is not a graded inspection"
            )
        return rating_body(row, kind, row["Inspection date"], resolve)

    return _import(
        ledger,
        path,
        "ofsted history",
        HISTORY_COLUMNS,
        build,
        stream,
        _register_from_history,
    )


def import_in_year(
    ledger: Ledger, path: Path, stream: TextIO | None = None
) -> ImportReport:
    """A year's inspections and visits: graded ones as ratings, visits as milestones."""
    resolve = code_resolver()

    def build(row: dict[str, str]) -> dict[str, object] | str:
        kind = row["Inspection/Visit type"]
        if kind in TYPES:
            return rating_body(row, TYPES[kind], row["Inspection/Visit date"], resolve)
        theme = row.get("Visit Theme", "").strip()
        published = EffectiveDate.parse(
            row["Publication date"], field="publication date"
        )
        return {
            "kind": "milestone_recorded",
            "authority": resolve(
                row["Local authority area code"], row["Local authority name"]
            ),
            "source": SOURCE,
            "effective": row["Inspection/Visit date"],
            "category": "inspection_visit",
            "title": f"Ofsted {kind}" + (f": {theme}" if theme else ""),
            "details": f"Findings published {when(published)}.",
            "summary": f"Ofsted {kind.replace('LA ', '').lower()}"
            + (f" on {theme.lower()}" if theme else "")
            + f", published {when(published)}.",
        }

    return _import(ledger, path, "ofsted in-year", IN_YEAR_COLUMNS, build, stream)


SCRAPE_COLUMNS = [
    "urn",
    "inspection_link",
    "publication_date",
    "inspection_framework",
    "inspection_start_date",
    "inspection_end_date",
    "overall_effectiveness_grade",
]


def import_report_history(
    ledger: Ledger,
    path: Path,
    urn_to_code: Mapping[str, str],
    stream: TextIO | None = None,
) -> ImportReport:
    """Every published report with its date and link, as report_published milestones."""

    def build(row: dict[str, str]) -> dict[str, object] | str:
        code = urn_to_code.get(row["urn"].strip())
        if code is None:
            return "Ofsted URN not in the authority register"
        published = _dmy(row["publication_date"])
        framework = row["inspection_framework"].strip() or "earlier framework"
        grade = row["overall_effectiveness_grade"].strip()
        if grade in ("", "data_unreadable"):
            grades = "grades not read from the report"
        elif grade == "not_reported_post_reform":
            grades = "no overall grade under the post-2026 framework"
        else:
            grades = f"overall grade read as {grade}"
        return {
            "kind": "milestone_recorded",
            "authority": code,
            "source": SCRAPE_SOURCE,
            "effective": published,
            "category": "report_published",
            "title": f"Ofsted children's services report ({framework})",
            "details": f"{row['inspection_link'].strip()} ; {grades}.",
            "summary": (
                f"Ofsted published a children's services report "
                f"({framework}; {grades})."
            ),
        }

    return _import(ledger, path, "ofsted report history", SCRAPE_COLUMNS, build, stream)


def _dmy(text: str) -> str:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%y").date().isoformat()
    except ValueError:
        raise DomainError(f"publication date {text!r} is not dd/mm/yy") from None


def all_ofsted(
    ledger: Ledger, folder: Path, urn_to_code: Mapping[str, str], stream: TextIO | None
) -> Iterable[ImportReport]:
    yield import_history(
        ledger, folder / "ofsted_ilacs_inspection_history_2025.csv", stream
    )
    yield import_in_year(
        ledger, folder / "ofsted_in_year_inspections_2024_25.csv", stream
    )
    yield import_report_history(
        ledger, folder / "ofsted_report_history_scrape.csv", urn_to_code, stream
    )
