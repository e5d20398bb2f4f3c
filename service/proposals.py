"""Proposals: an article's text, the facts an extractor read in it (candidates)
and a curator's decision on each, kept in tables of their own.

They are not events: nothing here enters the ledger, ``/events``, the feeds or
search. Only a candidate's acceptance records a fact, through the ordinary write
path (:mod:`service.review`). The tables live in a SQLite file of their own beside
the views (like the WebSub hub's) or in the PostgreSQL views schema; they belong
to no projection, so a rebuild of the views leaves them alone.

A candidate is ``proposed`` until decided: ``accepted`` (with the fact it
recorded) or ``rejected`` (with a reason). A decision is taken once: a decider
first claims the candidate (``accepting``, with the time of the claim), and
whoever finds it claimed or decided is refused. An acceptance takes moments: a
claim older than :data:`STALE_CLAIM_SECONDS` is one whose process stopped before
it finished, and the next acceptance takes it over. If that process had recorded
the fact already, accepting the same fields again records nothing new (the same
report is the same fact) and the candidate names that fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from domain.errors import DomainError
from projections.db import Cursor, ViewDatabase
from projections.keyset import Key, Keyset, Page, read_page

PROPOSED, ACCEPTING, ACCEPTED, REJECTED = (
    "proposed",
    "accepting",
    "accepted",
    "rejected",
)

TABLES = (
    """CREATE TABLE IF NOT EXISTS proposals (
    proposal_id TEXT PRIMARY KEY, created TEXT NOT NULL, recorded_by TEXT NOT NULL,
    authority TEXT, source TEXT NOT NULL, text TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS proposals_order ON proposals (created, proposal_id)",
    """CREATE TABLE IF NOT EXISTS proposal_candidates (
    proposal_id TEXT NOT NULL, n INTEGER NOT NULL, kind TEXT NOT NULL,
    fields TEXT NOT NULL, effective TEXT, approximate INTEGER NOT NULL,
    evidence TEXT NOT NULL, confidence DOUBLE PRECISION, status TEXT NOT NULL,
    decided_by TEXT, decided_at TEXT, reason TEXT, fact_id TEXT,
    position {bigint}, PRIMARY KEY (proposal_id, n))""",
)
PROPOSAL_ORDER = Keyset("created", "proposal_id")
STALE_CLAIM_SECONDS = 300
_CANDIDATE_COLUMNS = (
    "n, kind, fields, effective, approximate, evidence, confidence, status, "
    "decided_by, decided_at, reason, fact_id, position"
)


class UnknownProposalError(DomainError):
    """No proposal (or no candidate of it) has this id or number."""


class DecidedError(DomainError):
    """The candidate was decided already (or is being decided)."""


@dataclass(frozen=True)
class Candidate:
    """One fact an extractor proposed, and what became of it."""

    n: int
    kind: str
    fields: dict[str, Any]
    effective: str | None
    approximate: bool
    evidence: dict[str, Any]  # start, end, text
    confidence: float | None
    status: str = PROPOSED
    decided_by: str | None = None
    decided_at: str | None = None
    reason: str | None = None
    fact_id: str | None = None
    position: int | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "n": self.n,
            "kind": self.kind,
            "fields": self.fields,
            "effective": self.effective,
            "approximate": self.approximate,
            "evidence": self.evidence,
            "confidence": self.confidence,
            "status": self.status,
        }
        if self.status in (ACCEPTED, REJECTED):
            data["decision"] = {
                "by": self.decided_by,
                "at": self.decided_at,
                "reason": self.reason,
                "fact_id": self.fact_id,
                "position": self.position,
            }
        return data


@dataclass(frozen=True)
class Proposal:
    proposal_id: str
    created: str
    recorded_by: str
    authority: str | None
    source: dict[str, Any]  # the source's details, as the proposal gave them
    text: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class ProposalSummary:
    """A proposal as its listing shows it: without its text or candidates."""

    proposal_id: str
    created: str
    recorded_by: str
    authority: str | None
    source: dict[str, Any]
    counts: dict[str, int]


class ProposalStore:
    def __init__(self, db: ViewDatabase) -> None:
        self.db = db
        with db.write() as cur:
            for statement in TABLES:
                cur.execute(db.ddl(statement))

    def add(self, proposal: Proposal) -> None:
        with self.db.write() as cur:
            cur.execute(
                "INSERT INTO proposals (proposal_id, created, recorded_by, "
                "authority, source, text) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    proposal.proposal_id, proposal.created, proposal.recorded_by,
                    proposal.authority, _dumps(proposal.source), proposal.text,
                ),
            )  # fmt: skip
            cur.executemany(
                f"INSERT INTO proposal_candidates (proposal_id, {_CANDIDATE_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        proposal.proposal_id, c.n, c.kind, _dumps(c.fields),
                        c.effective, int(c.approximate), _dumps(c.evidence),
                        c.confidence, c.status, None, None, None, None, None,
                    )
                    for c in proposal.candidates
                ],
            )  # fmt: skip

    def get(self, proposal_id: str) -> Proposal | None:
        with self.db.read() as cur:
            cur.execute(
                "SELECT proposal_id, created, recorded_by, authority, source, text "
                "FROM proposals WHERE proposal_id = ?",
                (proposal_id,),
            )
            row = cur.fetchone()
            if row is None:
                return None
            cur.execute(
                f"SELECT {_CANDIDATE_COLUMNS} FROM proposal_candidates "
                "WHERE proposal_id = ? ORDER BY n",
                (proposal_id,),
            )
            candidates = tuple(_candidate(r) for r in cur.fetchall())
        pid, created, by, authority, source, text = row
        return Proposal(
            str(pid), str(created), str(by), authority, orjson.loads(source),
            str(text), candidates,
        )  # fmt: skip

    def list(self, after: Key | None, limit: int) -> Page[ProposalSummary]:
        """A page of proposals, oldest first, with how many candidates of each
        status each holds."""
        with self.db.read() as cur:
            page = read_page(
                lambda key, at_most: _summaries(cur, key, at_most),
                after,
                limit,
                lambda s: (s.created, s.proposal_id),
            )
        return page

    def claim(self, proposal_id: str, n: int, at: str, stale_before: str) -> bool:
        """Take a candidate for acceptance at ``at``: an undecided one, or one
        claimed before ``stale_before`` and never decided. False if neither."""
        return self._update(
            "status = ?, decided_at = ?", (ACCEPTING, at), proposal_id, n,
            "status = ? OR (status = ? AND decided_at < ?)",
            (PROPOSED, ACCEPTING, stale_before),
        )  # fmt: skip

    def release(self, proposal_id: str, n: int) -> None:
        """Give a claimed candidate back undecided (its acceptance failed)."""
        self._update(
            "status = ?, decided_at = NULL", (PROPOSED,), proposal_id, n,
            "status = ?", (ACCEPTING,),
        )  # fmt: skip

    def accepted(
        self,
        proposal_id: str,
        n: int,
        *,
        by: str,
        at: str,
        fact_id: str,
        position: int | None,
    ) -> None:
        self._update(
            "status = ?, decided_by = ?, decided_at = ?, fact_id = ?, position = ?",
            (ACCEPTED, by, at, fact_id, position), proposal_id, n,
            "status = ?", (ACCEPTING,),
        )  # fmt: skip

    def reject(
        self, proposal_id: str, n: int, *, by: str, at: str, reason: str
    ) -> bool:
        """Reject an undecided candidate; False if it is not one."""
        return self._update(
            "status = ?, decided_by = ?, decided_at = ?, reason = ?",
            (REJECTED, by, at, reason), proposal_id, n,
            "status = ?", (PROPOSED,),
        )  # fmt: skip

    def _update(
        self,
        changes: str,
        values: tuple[Any, ...],
        proposal_id: str,
        n: int,
        condition: str,
        condition_values: tuple[Any, ...],
    ) -> bool:
        """Change one candidate if it meets ``condition``; whether it did."""
        with self.db.write() as cur:
            cur.execute(
                f"UPDATE proposal_candidates SET {changes} "
                f"WHERE proposal_id = ? AND n = ? AND ({condition})",
                (*values, proposal_id, n, *condition_values),
            )
            return bool(cur.rowcount == 1)


def _summaries(cur: Cursor, after: Key | None, limit: int | None) -> list[Any]:
    sql = "SELECT proposal_id, created, recorded_by, authority, source FROM proposals"
    params: list[Any] = []
    if after is not None:
        clause, params = PROPOSAL_ORDER.after(after)
        sql += " WHERE " + clause
    tail, values = PROPOSAL_ORDER.order(limit)
    cur.execute(sql + tail, params + values)
    rows = cur.fetchall()
    counts: dict[str, dict[str, int]] = {str(r[0]): {} for r in rows}
    if rows:
        marks = ", ".join("?" * len(rows))
        cur.execute(
            "SELECT proposal_id, status, COUNT(*) FROM proposal_candidates "
            f"WHERE proposal_id IN ({marks}) GROUP BY proposal_id, status",
            [r[0] for r in rows],
        )
        for pid, status, count in cur.fetchall():
            counts[str(pid)][str(status)] = int(count)
    return [
        ProposalSummary(
            str(pid),
            str(created),
            str(by),
            authority,
            orjson.loads(source),
            counts[str(pid)],
        )
        for pid, created, by, authority, source in rows
    ]


def _candidate(row: Sequence[Any]) -> Candidate:
    n, kind, fields, effective, approximate, evidence, confidence, *rest = row
    status, by, at, reason, fact_id, position = rest
    return Candidate(
        int(n), str(kind), orjson.loads(fields), effective, bool(approximate),
        orjson.loads(evidence), None if confidence is None else float(confidence),
        str(status), by, at, reason, fact_id,
        None if position is None else int(position),
    )  # fmt: skip


def _dumps(value: object) -> str:
    return orjson.dumps(value).decode()
