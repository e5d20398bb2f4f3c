"""The body of a feed entry about a fact: a lead sentence and labelled lines.

A reader of the entry learns what was reported, the value, the date it refers to
and how precisely, how it is known (the evidence class) and who reported it, with
a link to the source (the entry's own link opens the fact's page); for a
correction, each changed field with its old and new value and the reason; for a
retraction, what was withdrawn and why. Links are absolute URLs or paths on this
service (made absolute when rendered).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.kinds import KINDS, KindSpec
from domain.wording import label
from projections.evidence import FIGURES, evidence_label
from projections.fact_wording import changed_fields, date_text, value_text


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    text: str
    href: str | None = None  # links ``text``
    note: str = ""  # follows the text, unlinked


@dataclass(frozen=True, slots=True)
class Body:
    lead: str
    lines: tuple[Line, ...]

    def as_text(self) -> str:
        """The body as plain text, one line per item."""
        items = [f"{line.label}: {line.text}{line.note}" for line in self.lines]
        return "\n".join([self.lead, *items])


def source_line(source: Mapping[str, Any], name: str = "Source") -> Line:
    """'Source: Blackpool Gazette: <title>, published July 2023' (a registered
    source as :func:`projections.registry.source_json` gives it)."""
    published = source.get("published")
    note = f", published {date_text(published)}" if published else ""
    text = f"{source['publisher']}: {source['title']}"
    return Line(name, text, source.get("url"), note)


def _when(spec: KindSpec, effective: Mapping[str, Any]) -> Line:
    precision = f"known to the {effective['precision']}"
    if effective["approximate"]:
        precision += ", approximately"
    note = f" ({spec.effective_means}, {precision})"
    return Line("Refers to", date_text(effective), note=note)


def report_body(
    spec: KindSpec,
    fact: Mapping[str, Any],
    source: Mapping[str, Any] | None,
    measure_name: str | None = None,
) -> Body:
    what = "Value" if spec.kind in FIGURES else "What"
    lines = [
        Line(what, value_text(spec.kind, fact["fields"], measure_name)),
        _when(spec, fact["effective"]),
        Line("Evidence", evidence_label(fact["evidence_class"])),
    ]
    if source:
        lines.append(source_line(source))
    evidence = fact.get("evidence")
    if evidence:
        lines.append(Line("In the source", f"“{evidence['text']}”"))
    if fact.get("recorded_by"):
        lines.append(Line("Recorded by", fact["recorded_by"]))
    return Body(fact["summary"], tuple(lines))


def correction_body(
    docs: list[dict[str, Any]],
    reason: str,
    fixer: Mapping[str, Any] | None,
    original: Mapping[str, Any] | None,
    evidence: str | None,
) -> Body:
    """``docs``: the fact as it stood before the correction, then after it."""
    lines: list[Line] = []
    if len(docs) == 2:
        before, after = docs
        spec = KINDS[after["kind"]]
        for name, old, new in changed_fields(before["fields"], after["fields"]):
            lines.append(Line(label(name).capitalize(), f"was {old}, now {new}"))
        if before["effective"] != after["effective"]:
            was, now = date_text(before["effective"]), date_text(after["effective"])
            lines.append(Line("Date", f"was {was}, now {now}"))
        if before["summary"] != after["summary"]:
            lines.append(Line("Summary", f"now: {after['summary']}"))
    lines.append(Line("Reason", reason))
    if fixer:
        lines.append(source_line(fixer, "Correction from"))
    if len(docs) == 2:
        lines.append(Line("Now", value_text(spec.kind, after["fields"])))
        lines.append(_when(spec, after["effective"]))
    _provenance(lines, evidence, original)
    return Body(f"A correction to this fact. Reason: {reason}", tuple(lines))


def retraction_body(
    before: Mapping[str, Any] | None,
    reason: str,
    original: Mapping[str, Any] | None,
    evidence: str | None,
) -> Body:
    """``before``: the fact as it stood when it was withdrawn."""
    lines: list[Line] = []
    if before is not None:
        spec = KINDS[before["kind"]]
        lines.append(Line("Withdrawn", value_text(spec.kind, before["fields"])))
        lines.append(_when(spec, before["effective"]))
    lines.append(Line("Reason", reason))
    _provenance(lines, evidence, original)
    return Body(f"This fact was withdrawn. Reason: {reason}", tuple(lines))


def _provenance(
    lines: list[Line], evidence: str | None, source: Mapping[str, Any] | None
) -> None:
    if evidence:
        lines.append(Line("Evidence", evidence_label(evidence)))
    if source:
        lines.append(source_line(source, "Reported by"))
