"""Current state and timelines, computed from the fact view.

The rule for what is current when facts disagree (two sources, the same measure,
the same or overlapping dates):

1. the fact with the latest effective date wins (a date known only to a month or
   a year counts from the first day of that period);
2. on the same effective date, the more primary source wins: official statistics
   and inspection reports, then government and council documents, then news, then
   reference works;
3. then the fact recorded later in the log.

Every fact stays in the listings and timelines; the rule only decides which one
is marked current. Retracted facts drop out; corrected facts show their latest
version (or, with ``known_at``, the version known then).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from domain.vocabulary import FRAMEWORK_NAMES
from projections.db import Cursor
from projections.facts import FACT_ORDER, FactRow, hydrate, visible_facts
from projections.keyset import Key, Keyset, Page, read_page
from projections.logged_events import EventLog
from projections.tenures import tenures

RULE = (
    "latest effective date first (reduced-precision dates count from the start of "
    "their period); on the same date the more primary source (statistics and "
    "inspection reports, then government and council documents, then news, then "
    "reference works); then the later recorded"
)

TARGET = "target_set"  # a measure's targets, kept apart from its reports
OFFICE_KINDS = (
    "office_holder_appointed",
    "office_holder_in_post",
    "office_holder_left",
)


def pick_current(rows: Iterable[FactRow]) -> FactRow | None:
    """The row the rule makes current, or None if there are none."""
    return max(rows, key=lambda r: r.rule_key, default=None)


def _grouped(rows: Iterable[FactRow], kinds: Iterable[str]) -> dict[str, list[FactRow]]:
    wanted = set(kinds)
    groups: dict[str, list[FactRow]] = defaultdict(list)
    for row in rows:
        if row.kind in wanted:
            groups[row.subject].append(row)
    return groups


def current_state(
    cur: Cursor,
    log: EventLog,
    authority: str,
    *,
    as_of: date | None = None,
    known_at: int | None = None,
    published_by: date | None = None,
) -> dict[str, Any]:
    """Latest rating, office holders, latest count per measure, money, intervention."""
    rows = visible_facts(
        cur, authority, as_of=as_of, known_at=known_at, published_by=published_by
    )
    chosen: dict[str, FactRow] = {}  # a name per part of the state -> its fact
    rating = pick_current(r for r in rows if r.kind == "rating_given")
    if rating:
        chosen["rating"] = rating
    rating_rows = [r for r in rows if r.kind == "rating_given"]
    office_rows = [r for r in rows if r.kind in OFFICE_KINDS]
    intervention_rows = [r for r in rows if r.kind == "intervention_recorded"]
    counts = _grouped(rows, ["count_reported"])
    for measure, group in counts.items():
        chosen[f"count {measure}"] = _pick(group)
    targets = _grouped(rows, ["target_set"])
    for measure, group in targets.items():
        chosen[f"target {measure}"] = _pick(group)
    money_rows = [r for r in rows if r.kind in ("money_reported", "grant_received")]
    intervention = pick_current(r for r in rows if r.kind == "intervention_recorded")
    if intervention:
        chosen["intervention"] = intervention
    milestones = [r for r in rows if r.kind == "milestone_recorded"][-10:]
    # Read back from the log only the facts the state shows.
    # Other sources' figures for the same thing on the same date as the one chosen.
    rivals = {
        name: [
            r
            for r in group
            if r.effective_start == chosen[name].effective_start
            and r.source_id != chosen[name].source_id
        ]
        for name, group in [
            *((f"count {m}", g) for m, g in counts.items()),
            *((f"target {m}", g) for m, g in targets.items()),
        ]
    }
    wanted = {
        r.position: r
        for r in [
            *(r for group in rivals.values() for r in group),
            *chosen.values(),
            *money_rows,
            *milestones,
            *office_rows,
            *intervention_rows,
            *rating_rows,
        ]
    }
    docs = dict(zip(wanted, hydrate(cur, log, list(wanted.values())), strict=True))
    reported_by = {
        name: len({r.source_id for r in group})
        for name, group in [
            *((f"count {m}", g) for m, g in counts.items()),
            *((f"target {m}", g) for m, g in targets.items()),
        ]
    }

    def doc(name: str) -> dict[str, Any]:
        found = docs[chosen[name].position]
        if name in reported_by:
            others = [docs[r.position] for r in rivals.get(name, [])]
            return {
                **found,
                "reported_by": reported_by[name],
                "also_reported": also_reported(found, others, "value"),
            }
        return found

    holders, also_named = tenures(
        office_rows,
        docs,
        [(r, docs[r.position]["fields"]["action"]) for r in intervention_rows],
        as_of or date.today(),
    )
    return {
        "rating": _rating(doc("rating")) if rating else None,
        # Under a framework with no overall grade, the latest judgement that had one.
        "latest_graded_rating": _latest_graded(rating_rows, docs),
        "office_holders": holders,
        "also_named": also_named,
        "counts": {m: doc(f"count {m}") for m in sorted(counts)},
        "targets": {m: doc(f"target {m}") for m in sorted(targets)},
        "money": _money(money_rows, docs),
        "intervention": doc("intervention") if intervention else None,
        "milestones": [docs[r.position] for r in milestones],
        "facts": len(rows),
        "rule": RULE,
    }


def _rating(doc: dict[str, Any]) -> dict[str, Any]:
    framework = doc["fields"]["framework"]
    return {**doc, "framework_name": FRAMEWORK_NAMES.get(framework, framework)}


def _latest_graded(
    rows: list[FactRow], docs: dict[int, dict[str, Any]]
) -> dict[str, Any] | None:
    graded = [r for r in rows if docs[r.position]["fields"]["judgement"] != "none"]
    best = pick_current(graded)
    return _rating(docs[best.position]) if best else None


def _pick(group: list[FactRow]) -> FactRow:
    row = pick_current(group)
    assert row is not None
    return row


def _money(rows: list[FactRow], docs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Per category, the current amount and a total over distinct periods.

    A total counts one fact per period (per funder and year for grants): the one
    the rule picks, so the same amount reported by two sources is counted once.
    """
    by_category: dict[str, list[FactRow]] = defaultdict(list)
    for row in rows:
        by_category[row.subject].append(row)
    result: dict[str, Any] = {}
    for category, group in sorted(by_category.items()):
        periods: dict[tuple[str, ...], list[FactRow]] = defaultdict(list)
        for row in group:
            periods[_period_key(row, docs[row.position]["fields"])].append(row)
        total = Decimal(0)
        currency = "GBP"
        for period_rows in periods.values():
            amount = docs[_pick(period_rows).position]["fields"]["amount"]
            total += Decimal(amount["amount"])
            currency = amount["currency"]
        best = _pick(group)
        same = periods[_period_key(best, docs[best.position]["fields"])]
        current = docs[best.position]
        others = [docs[r.position] for r in same if r.source_id != best.source_id]
        result[category] = {
            "current": {
                **current,
                "also_reported": also_reported(current, others, "amount"),
            },
            "total": {
                "amount": total,
                "currency": currency,
                "periods": len(periods),
            },
        }
    return result


def also_reported(
    chosen: dict[str, Any], others: list[dict[str, Any]], field: str
) -> list[dict[str, Any]]:
    """What other sources reported for the same thing when it differs from the
    chosen value: each value with its qualifier, fact and source."""
    value = chosen["fields"].get(field)
    return [
        {
            field: other["fields"].get(field),
            "qualifier": other["fields"].get("qualifier"),
            "fact_id": other["fact_id"],
            "source": other["source"],
        }
        for other in others
        if other["fields"].get(field) != value
    ]


def _period_key(row: FactRow, fields: dict[str, Any]) -> tuple[str, ...]:
    if row.kind == "grant_received":
        return (fields["funder"], row.effective_start[:4])
    return (
        fields.get("period") or row.effective_start[:4],
        fields.get("description") or "",
    )


# The current-value rule as an order, best first: only for reading the first row.
BEST_FIRST = Keyset("v.effective_start DESC", "s.rank", "v.position DESC")


def timeline(
    cur: Cursor,
    log: EventLog,
    authority: str,
    subject: str,
    *,
    as_of: date | None = None,
    known_at: int | None = None,
    published_by: date | None = None,
    after: Key | None = None,
    limit: int | None = None,
    kind: str | None = None,
    not_kind: str | None = None,
) -> Page[dict[str, Any]]:
    """Facts about one subject in effective-date order (all, or a page of
    ``limit`` after the sort key ``after``), the current one marked; only those
    of ``kind``, or all but those of ``not_kind``, when given (a measure's reports
    apart from its targets: ``not_kind=TARGET``).

    For a measure with targets as well as counts, the rule is applied to each kind
    separately (the current count and the current target), over every fact, not
    only those on the page: each current one is read on its own, best first.
    """

    def read(
        start: Key | None, at_most: int | None, best_of: str | None = None
    ) -> list[FactRow]:
        return visible_facts(
            cur,
            authority,
            subject=subject,
            as_of=as_of,
            known_at=known_at,
            published_by=published_by,
            kind=best_of or kind,
            not_kind=None if best_of else not_kind,
            after=start,
            limit=at_most,
            order=FACT_ORDER if best_of is None else BEST_FIRST,
        )

    page = read_page(read, after, limit, lambda row: row.sort_key)
    current_positions = set()
    for group in {"office" if r.kind in OFFICE_KINDS else r.kind for r in page.items}:
        best = pick_current(
            row
            for kind in (OFFICE_KINDS if group == "office" else (group,))
            for row in read(None, 1, kind)
        )
        if best is not None:
            current_positions.add(best.position)
    docs = hydrate(cur, log, page.items)
    return page.with_items(
        [
            {**doc, "current": row.position in current_positions}
            for row, doc in zip(page.items, docs, strict=True)
        ]
    )


ENGLAND = "E92000001"


def neighbours_comparison(
    cur: Cursor,
    log: EventLog,
    authority: str,
    measure: str,
    *,
    as_of: date | None = None,
    known_at: int | None = None,
    published_by: date | None = None,
) -> dict[str, Any] | None:
    """The authority's current value for a measure beside its statistical
    neighbours' and England's values for the same date; None if it has none."""
    own = pick_current(
        visible_facts(
            cur,
            authority,
            subject=measure,
            as_of=as_of,
            known_at=known_at,
            published_by=published_by,
            kind="count_reported",
        )
    )
    if own is None:
        return None
    listing = pick_current(
        visible_facts(
            cur,
            authority,
            kind="neighbours_listed",
            known_at=known_at,
            published_by=published_by,
        )
    )
    codes: list[str] = []
    listing_doc = None
    if listing is not None:
        listing_doc = hydrate(cur, log, [listing])[0]
        codes = list(listing_doc["fields"]["neighbours"])

    def same_date(code: str) -> FactRow | None:
        rows = visible_facts(
            cur,
            code,
            subject=measure,
            known_at=known_at,
            published_by=published_by,
            kind="count_reported",
        )
        return pick_current(r for r in rows if r.effective == own.effective)

    others = {code: same_date(code) for code in [*codes, ENGLAND]}
    chosen = [row for row in [own, *others.values()] if row is not None]
    docs = dict(
        zip((r.position for r in chosen), hydrate(cur, log, chosen), strict=True)
    )
    names = _names(cur, [*codes, ENGLAND])

    def entry(code: str) -> dict[str, Any]:
        row = others[code]
        return {
            "code": code,
            "name": names.get(code),
            "fact": docs[row.position] if row is not None else None,
        }

    return {
        "date": own.effective,
        "value": docs[own.position],
        "neighbours": [entry(code) for code in codes],
        "england": entry(ENGLAND),
        "neighbours_listed_by": listing_doc,
    }


def _names(cur: Cursor, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    marks = ",".join("?" * len(codes))
    cur.execute(f"SELECT code, name FROM authorities WHERE code IN ({marks})", codes)
    return {code: name for code, name in cur.fetchall()}
