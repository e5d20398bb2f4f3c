"""Who held an office, from when to when, as far as the sources say.

A source naming someone in a post on a date says they held it then, not that they
hold it now. So each holder of a role is given:

- ``since``: the effective date of their appointment, when a source reports one;
- ``until``: the date a source says they left; for an office one person holds at
  a time (director of children's services, council leader, chief executive,
  commissioner, panel chair, lead member), the start of the next holder; for a
  commissioner, the end of the intervention the post served (control retained,
  a direction lifted), when no leaving is reported;
- ``last_reported``: the latest date any source reported them in it;
- ``status``: ``left``, ``succeeded``, ``in_post`` (no end known, and reported
  in post within ``RECENT_YEARS`` of the date the state is asked for), or
  ``not_reported_since`` (no end known, but no report that recent).

People a source names who hold no office of the children's service (a councillor
speaking at a committee, a minister) are not office holders: they are listed
apart, as ``also_named``, with their facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.values import EffectiveDate
from domain.vocabulary import InterventionAction, Role
from projections.facts import FactRow

RECENT_YEARS = 3
"""How long a report of someone in post keeps them shown in post: about the usual
tenure of a director of children's services."""

SINGLE_HOLDER = frozenset(
    {
        Role.DIRECTOR_OF_CHILDRENS_SERVICES,
        Role.COUNCIL_LEADER,
        Role.CHIEF_EXECUTIVE,
        Role.COMMISSIONER,
        Role.PANEL_CHAIR,
        Role.LEAD_MEMBER,
    }
)
NOT_OFFICES = frozenset({Role.COUNCILLOR, Role.MINISTER})
"""Roles that are not offices of the children's service."""

ENDS_COMMISSIONER = frozenset(
    {InterventionAction.CONTROL_RETAINED, InterventionAction.DIRECTION_LIFTED}
)


@dataclass
class _Holder:
    role: str
    person: str
    reports: list[FactRow] = field(default_factory=list)  # appointed or in post
    appointed: FactRow | None = None
    left: FactRow | None = None

    @property
    def start(self) -> str:
        """The first day known of the tenure: the appointment, or the first report."""
        found: list[FactRow | None] = (
            [self.appointed] if self.appointed else [*self.reports] or [self.left]
        )
        return min(r.effective_start for r in found if r is not None)

    @property
    def latest(self) -> FactRow:
        rows = [*self.reports, *([self.left] if self.left else [])]
        return max(rows, key=lambda r: r.rule_key)


def tenures(
    rows: list[FactRow],
    docs: dict[int, dict[str, Any]],
    interventions: list[tuple[FactRow, str]],
    on: date,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The office holders (each role's holders, in post first, then latest first)
    and the people named who hold no office, from the office facts ``rows``.

    ``docs`` holds each row's document by position; ``interventions`` each
    intervention fact with its action; ``on`` is the date the state is for."""
    holders: dict[tuple[str, str], _Holder] = {}
    for row in sorted(rows, key=lambda r: r.rule_key):
        person = docs[row.position]["fields"]["person"]
        key = (row.subject, " ".join(person.lower().split()))
        holder = holders.setdefault(key, _Holder(row.subject, person))
        if row.kind == "office_holder_left":
            holder.left = row
        else:
            holder.reports.append(row)
            if row.kind == "office_holder_appointed":
                holder.appointed = holder.appointed or row
    offices = [h for h in holders.values() if h.role not in NOT_OFFICES]
    named = [h for h in holders.values() if h.role in NOT_OFFICES]
    entries = [_entry(h, offices, docs, interventions, on) for h in offices]
    entries.sort(key=_order)
    also_named = [
        {
            "role": h.role,
            "person": h.person,
            "last_reported": _edtf(h.latest),
            "fact": docs[h.latest.position],
        }
        for h in sorted(named, key=lambda h: (h.role, h.person))
    ]
    return entries, also_named


def _entry(
    holder: _Holder,
    offices: list[_Holder],
    docs: dict[int, dict[str, Any]],
    interventions: list[tuple[FactRow, str]],
    on: date,
) -> dict[str, Any]:
    last = max(holder.reports, key=lambda r: r.rule_key, default=None)
    until: FactRow | None = None
    status = ended_by = None
    if holder.left is not None:
        until, status, ended_by = holder.left, "left", holder.left
    elif holder.role in SINGLE_HOLDER:
        later = [
            h
            for h in offices
            if h.role == holder.role and h is not holder and h.start > holder.start
        ]
        successor = min(later, key=lambda h: h.start, default=None)
        if successor is not None:
            first = min(
                [*successor.reports, *([successor.left] if successor.left else [])],
                key=lambda r: r.effective_start,
            )
            until = successor.appointed or first
            status, ended_by = "succeeded", until
    if status is None and holder.role == Role.COMMISSIONER:
        # The first decision that ended the intervention once they were last
        # reported in the post (a review reported the day it ended counts).
        since = last.effective_start if last else holder.start
        ending = [
            row
            for row, action in interventions
            if action in ENDS_COMMISSIONER and row.effective_start >= since
        ]
        if ending:
            until = min(ending, key=lambda r: r.effective_start)
            status, ended_by = "left", until
    if status is None:
        recent = last is not None and _last_day(last) >= _years_before(on)
        status = "in_post" if recent else "not_reported_since"
    return {
        "role": holder.role,
        "person": holder.person,
        "status": status,
        "in_post": status == "in_post",
        "since": _edtf(holder.appointed) if holder.appointed else None,
        "until": _edtf(until) if until else None,
        "last_reported": _edtf(last) if last else None,
        "ended_by": docs[ended_by.position]["fact_id"] if ended_by else None,
        "fact": docs[holder.latest.position],
    }


_ROLE_ORDER = {role.value: n for n, role in enumerate(Role)}


def _order(entry: dict[str, Any]) -> tuple[int, bool, str]:
    latest = entry["since"] or entry["last_reported"] or entry["until"] or ""
    return (_ROLE_ORDER.get(entry["role"], 99), not entry["in_post"], _neg(latest))


def _neg(text: str) -> str:
    # The latest tenure first within a role: each character's complement sorts so.
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def _edtf(row: FactRow) -> str:
    return row.effective.rstrip("~")


def _last_day(row: FactRow) -> date:
    return EffectiveDate.parse(row.effective).last_day


def _years_before(on: date) -> date:
    try:
        return on.replace(year=on.year - RECENT_YEARS)
    except ValueError:  # 29 February
        return on.replace(year=on.year - RECENT_YEARS, day=28)
