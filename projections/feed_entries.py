"""What a feed entry says: a title and a body for people, the event's JSON for machines.

An entry is made from its event alone (and the registrations and earlier versions
of its fact, which never change), so the same event reads the same on any page,
in any process, at any time: closed pages stay byte-identical. The body is plain
data (a lead sentence and labelled lines, some linked); the service renders it as
XHTML for Atom and HTML and text for JSON Feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid5

from domain.facts import FACT_EVENT_TOPICS
from domain.kinds import KIND_BY_EVENT
from domain.values import EffectiveDate
from domain.wording import when
from projections import registry
from projections.db import Cursor
from projections.entry_bodies import (
    Body,
    Line,
    correction_body,
    report_body,
    retraction_body,
)
from projections.evidence import evidence_class
from projections.facts import (
    add_provenance,
    dashed,
    fact_key,
    fact_versions,
    hydrate,
)
from projections.feed_entry import FeedEntry, event_json, make_entry
from projections.logged_events import EventLog, LoggedEvent
from projections.plain import effective_json, plain
from projections.registration_entries import (
    authority_entry,
    measure_entry,
    source_entry,
)

__all__ = ["Body", "FeedEntry", "Line", "Names", "entries_at"]


class Names:
    """Names of authorities, publishers and measures, and registered sources.
    Registrations never change, so a process may keep one of these for as long as
    it likes (it holds one item per registration)."""

    def __init__(self) -> None:
        self.authorities: dict[str, str] = {}
        self.publishers: dict[str, str] = {}
        self.measures: dict[str, str] = {}
        self.sources: dict[str, dict[str, Any]] = {}


def entries_at(
    cur: Cursor,
    log: EventLog,
    numbered: Sequence[tuple[int, int]],
    names: Names | None = None,
) -> list[FeedEntry]:
    """Entries for (number in the feed, log position) pairs."""
    events = {e.position: e for e in log.read_at([p for _, p in numbered])}
    words = _Words(cur, log, names or Names())
    return [words.entry(seq, events[position]) for seq, position in numbered]


class _Words:
    """Titles and bodies a person can read, with names looked up once."""

    def __init__(self, cur: Cursor, log: EventLog, names: Names) -> None:
        self.cur = cur
        self.log = log
        self.names = names

    def _lookup(self, cache: dict[str, str], sql: str, key: str) -> str | None:
        found = cache.get(key)
        if found is None:
            self.cur.execute(sql, (key,))
            row = self.cur.fetchone()
            if row is None:
                return None  # not registered (yet): ask again next time
            found = cache[key] = row[0]
        return found

    def name(self, code: str) -> str:
        sql = "SELECT name FROM authorities WHERE code = ?"
        return self._lookup(self.names.authorities, sql, code) or code

    def publisher(self, source_id: str) -> str:
        sql = "SELECT publisher FROM sources WHERE source_id = ?"
        return self._lookup(self.names.publishers, sql, source_id) or source_id

    def measure_name(self, code: str) -> str | None:
        sql = "SELECT name FROM measures WHERE code = ?"
        return self._lookup(self.names.measures, sql, code)

    def source(self, source_id: str) -> dict[str, Any] | None:
        found = self.names.sources.get(source_id)
        if found is None:
            found = registry.get_source(self.cur, source_id)
            if found is not None:
                self.names.sources[source_id] = found
        return found

    def entry(self, seq: int, e: LoggedEvent) -> FeedEntry:
        if e.topic == "AuthorityRegistered":
            return authority_entry(seq, e)
        if e.topic == "SourceRegistered":
            return source_entry(seq, e, self.source(e.state["source_id"]))
        if e.topic == "MeasureRegistered":
            return measure_entry(seq, e)
        if e.topic in ("FactCorrected", "FactRetracted"):
            return self.change_entry(seq, e)
        if e.topic in FACT_EVENT_TOPICS:
            return self.report_entry(seq, e)
        return make_entry(
            seq, e, e.topic, e.topic, event_json(seq, e), Body(e.topic, ())
        )

    def report_entry(self, seq: int, e: LoggedEvent) -> FeedEntry:
        s = e.state
        spec = KIND_BY_EVENT[e.topic]
        fields = {f.name: plain(s.get(f.name)) for f in spec.stored_fields}
        effective = effective_json(s["effective"]["_data_"])
        source = self.source(s["source"])
        evidence = evidence_class(source["kind"] if source else "", spec.kind)
        fact = {
            "fact_id": dashed(e.originator_id),
            "kind": spec.kind,
            "authority": s["authority"],
            "subject": spec.subject_of(fields),
            "effective": effective,
            "summary": s["summary"],
            "fields": fields,
            "source": s["source"],
            "evidence_class": evidence,
        }
        add_provenance(fact, s, s)
        measure = fields.get("measure")
        named = self.measure_name(measure) if isinstance(measure, str) else None
        return make_entry(
            seq,
            e,
            self.fact_title(e),
            s["summary"],
            {**event_json(seq, e), "fact": fact},
            report_body(spec, fact, source, named),
            authority=s["authority"],
            fact_id=fact["fact_id"],
            source_id=s["source"],
            kind=spec.kind,
            effective=effective,
            source=source,
            evidence=evidence,
        )

    def change_entry(self, seq: int, e: LoggedEvent) -> FeedEntry:
        """A correction or retraction, with the fact as it stood before it."""
        s = e.state
        fact_id = dashed(e.originator_id)
        rows = fact_versions(self.cur, e.originator_id)
        earlier = [r for r in rows if r.position < e.position]
        now = [r for r in rows if r.position == e.position]
        docs = hydrate(self.cur, self.log, [earlier[-1], *now]) if earlier else []
        kind = docs[0]["kind"] if docs else None
        source = self.source(docs[0]["source"]["id"]) if docs else None
        evidence = evidence_class(source["kind"], kind) if source and kind else None
        original = self.original_title(e.originator_id)
        content = {
            **event_json(seq, e),
            "fact_id": fact_id,
            "authority": s["authority"],
        }
        if e.topic == "FactRetracted":
            title, summary = f"Retracted: {original}", f"Withdrawn: {s['reason']}"
            content["reason"] = s["reason"]
            before = docs[0] if docs else None
            body = retraction_body(before, s["reason"], source, evidence)
            deletes = str(uuid5(UUID(e.originator_id), "1"))  # the report's event
        else:
            changes = plain(s["changes"])
            listed = "; ".join(f"{k} now {_show(v)}" for k, v in changes.items())
            title, summary = (
                f"Corrected: {original}",
                f"{listed}. Reason: {s['reason']}",
            )
            content.update(changes=changes, reason=s["reason"], source=s["source"])
            fixer = self.source(s["source"]) if s["source"] else None
            body = correction_body(docs, s["reason"], fixer, source, evidence)
            deletes = None
        return make_entry(
            seq,
            e,
            title,
            summary,
            content,
            body,
            authority=s["authority"],
            fact_id=fact_id,
            source_id=s.get("source"),
            kind=kind,
            effective=docs[-1]["effective"] if docs else None,
            source=source,
            evidence=evidence,
            deletes=deletes,
            reason=s["reason"],
        )

    def fact_title(self, e: LoggedEvent) -> str:
        """'Blackpool: 540 children in care (July 2023), reported by ...'."""
        s = self.log.decode(e)
        spec = KIND_BY_EVENT[e.topic]
        fields = {f.name: s.get(f.name) for f in spec.stored_fields}
        effective: EffectiveDate = s["effective"]
        what = spec.summary_of(fields)
        measure = fields.get("measure")
        if spec.kind == "count_reported" and isinstance(measure, str):
            name = self.measure_name(measure)
            if name is not None:  # a registered statistic: its own name reads better
                what = f"{name}: {fields['value']}"
        return (
            f"{self.name(s['authority'])}: {what} "
            f"({when(effective)}), reported by {self.publisher(s['source'])}"
        )

    def original_title(self, hex_id: str) -> str:
        self.cur.execute(
            "SELECT position FROM fact_versions "
            "WHERE fact_key = ? AND fact_id = ? AND version = 1",
            (fact_key(hex_id), hex_id),
        )
        row = self.cur.fetchone()
        events = self.log.read_at([int(row[0])]) if row else []
        return self.fact_title(events[0]) if events else f"fact {dashed(hex_id)}"


def _show(value: object) -> str:
    if isinstance(value, dict) and "amount" in value:
        return f"{value['amount']} {value['currency']}"
    return str(value)
