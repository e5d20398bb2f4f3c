"""Feed entries for registrations: an authority, a source or a measure added to the
ledger. A person reads what was added, with its codes, publisher and licence."""

from __future__ import annotations

from typing import Any

from projections.entry_bodies import Body, Line, source_line
from projections.feed_entry import FeedEntry, event_json, make_entry
from projections.logged_events import LoggedEvent
from projections.plain import plain


def authority_entry(seq: int, e: LoggedEvent) -> FeedEntry:
    s = e.state
    keys = ("code", "name", "level", "dfe_number", "ofsted_urn", "region")
    details = {k: s[k] for k in (*keys, "status")}
    summary = f"{s['name']} ({s['code']}) was added to the ledger."
    lines = [
        Line(label, str(s[key]))
        for label, key in (
            ("Region", "region"),
            ("DfE number", "dfe_number"),
            ("Ofsted URN", "ofsted_urn"),
        )
        if s[key]
    ]
    title = f"Authority registered: {s['name']} ({s['code']})"
    content = {**event_json(seq, e), "authority": details}
    body = Body(summary, tuple(lines))
    return make_entry(seq, e, title, summary, content, body, authority=s["code"])


def source_entry(seq: int, e: LoggedEvent, source: dict[str, Any] | None) -> FeedEntry:
    s = e.state
    ignored = ("timestamp", "originator_topic")
    details = plain({k: v for k, v in s.items() if k not in ignored})
    summary = f"{s['publisher']}: {s['title']}"
    lines = [source_line(source)] if source else []
    if s.get("licence"):
        lines.append(Line("Licence", s["licence"]))
    if s.get("note"):
        lines.append(Line("Note", s["note"]))
    return make_entry(
        seq,
        e,
        f"Source registered: {s['title']} ({s['publisher']})",
        summary,
        {**event_json(seq, e), "source": details},
        Body("A new source of facts for the ledger.", tuple(lines)),
        source_id=s["source_id"],
        source=source,
    )


def measure_entry(seq: int, e: LoggedEvent) -> FeedEntry:
    s = e.state
    details = {k: s.get(k) for k in ("code", "name", "description", "owner")}
    summary = f"A statistic the ledger records: {s['name']} ({s['code']})."
    lines = [
        Line(label, str(s[key]))
        for label, key in (("Meaning", "description"), ("Published by", "owner"))
        if s.get(key)
    ]
    content = {**event_json(seq, e), "measure": details}
    title = f"Measure registered: {s['name']}"
    return make_entry(seq, e, title, summary, content, Body(summary, tuple(lines)))
