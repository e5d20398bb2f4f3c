"""Reviewing proposed facts: propose (run the extractor over an article and keep
what it found), then accept or reject each candidate.

Acceptance is the only way a proposal reaches the ledger: it registers the source
if it is new and records the fact through :meth:`Ledger.record_fact`, exactly as
``POST /facts`` does, with the writer, the proposal and the evidence span as the
fact's provenance. Every refusal (an invalid edit, an unknown authority) happens
before the candidate is claimed, so it stays undecided and nothing is stored.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import intake
from domain.drafts import COMMON_FIELDS, FactDraft, draft_fact, raise_all
from domain.errors import (
    DomainError,
    InvalidValueError,
    UnexpectedFieldError,
)
from domain.provenance import Evidence, Provenance
from domain.values import parse_text
from service.application import Ledger, Recorded
from service.proposal_input import (
    candidate_of,
    parse_proposal,
    source_body,
)
from service.proposals import (
    ACCEPTED,
    ACCEPTING,
    PROPOSED,
    REJECTED,
    STALE_CLAIM_SECONDS,
    Candidate,
    DecidedError,
    Proposal,
    ProposalStore,
    UnknownProposalError,
)
from service.registration import register_source

MAX_CANDIDATES = 1000
# Reading a long article takes the extractor seconds of CPU: a few at a time.
EXTRACTIONS_AT_ONCE = 2
MAX_REASON = 500
EDIT_FIELDS = ("fields", "effective", "approximate", "authority", "summary")

Extractor = Callable[..., Mapping[str, Any]]
"""``extract(text, published=..., authority=..., url=..., title=..., publisher=...)``
-> ``{"authority", "candidates": [...]}`` (the extractor's proposal as JSON)."""


@dataclass(frozen=True)
class Acceptance:
    recorded: Recorded
    candidate: Candidate


def extract_with_intake(text: str, **source: Any) -> Mapping[str, Any]:
    """The intake package's extractor, its refusals as the domain's."""
    try:
        return intake.propose(text, **source).to_json()
    except intake.InvalidPublishedError as error:
        raise InvalidValueError(str(error), "source.published") from None
    except ValueError as error:
        raise InvalidValueError(str(error), "authority") from None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Review:
    def __init__(
        self, ledger: Ledger, store: ProposalStore, extract: Extractor
    ) -> None:
        self.ledger = ledger
        self.store = store
        self.extract = extract
        self.extracting = threading.BoundedSemaphore(EXTRACTIONS_AT_ONCE)

    # -- proposing ----------------------------------------------------------------

    def propose(self, body: Mapping[str, object], writer: str) -> Proposal:
        """Run the extractor over the body's text and keep what it proposes."""
        text, source, authority = parse_proposal(self.ledger, body)
        published = source.published
        found = self.extract(
            text,
            published=published.iso.rstrip("~") if published else None,
            authority=authority,
            url=source.url,
            title=source.title,
            publisher=source.publisher,
        )
        raw = list(found.get("candidates") or [])[:MAX_CANDIDATES]
        candidates = tuple(candidate_of(i + 1, c) for i, c in enumerate(raw))
        chosen = authority or found.get("authority")
        proposal = Proposal(
            proposal_id=str(uuid.uuid4()),
            created=now(),
            recorded_by=writer,
            authority=chosen if isinstance(chosen, str) else None,
            source=source_body(source),
            text=text,
            candidates=candidates,
        )
        self.store.add(proposal)
        return proposal

    def candidate(self, proposal_id: str, n: int) -> tuple[Proposal, Candidate]:
        proposal = self.store.get(proposal_id)
        if proposal is None:
            raise UnknownProposalError(f"no proposal has id {proposal_id}")
        for candidate in proposal.candidates:
            if candidate.n == n:
                return proposal, candidate
        raise UnknownProposalError(
            f"proposal {proposal_id} has no candidate {n} "
            f"(it has {len(proposal.candidates)})"
        )

    def accept(
        self, proposal_id: str, n: int, edits: Mapping[str, object], writer: str
    ) -> Acceptance:
        proposal, candidate = self.candidate(proposal_id, n)
        claimed, stale_before = now(), _stale_before()
        _undecided(proposal_id, candidate, stale_before)
        draft = self._draft(proposal, candidate, edits)
        self.ledger.require_authority(draft.authority)
        if not self.store.claim(proposal_id, n, claimed, stale_before):
            _undecided(proposal_id, self.candidate(proposal_id, n)[1], stale_before)
        try:
            register_source(self.ledger, proposal.source, writer)
            evidence = Evidence.parse(candidate.evidence)
            provenance = Provenance(writer, proposal_id, evidence)
            recorded = self.ledger.record_fact(draft, provenance)
        except BaseException:
            self.store.release(proposal_id, n)
            raise
        at = now()
        self.store.accepted(
            proposal_id,
            n,
            by=writer,
            at=at,
            fact_id=recorded.id,
            position=recorded.position,
        )
        decided = replace(
            candidate,
            status=ACCEPTED,
            decided_by=writer,
            decided_at=at,
            fact_id=recorded.id,
            position=recorded.position,
        )
        return Acceptance(recorded, decided)

    def _draft(
        self, proposal: Proposal, candidate: Candidate, edits: Mapping[str, object]
    ) -> FactDraft:
        errors: list[DomainError] = [
            UnexpectedFieldError(
                f"{name} is not something an acceptance may edit (one of: "
                f"{', '.join(EDIT_FIELDS)})",
                name,
            )
            for name in edits
            if name not in EDIT_FIELDS
        ]
        fields = edits.get("fields", candidate.fields)
        if not isinstance(fields, Mapping):
            errors.append(InvalidValueError("fields must be an object", "fields"))
            fields = {}
        errors += [
            UnexpectedFieldError(
                f"{name} is given beside fields, not in them", f"fields.{name}"
            )
            for name in fields
            if name in COMMON_FIELDS
        ]
        raise_all(errors)
        body: dict[str, object] = {
            **fields,
            "kind": candidate.kind,
            "authority": edits.get("authority", proposal.authority),
            "source": proposal.source["id"],
            "effective": edits.get("effective", candidate.effective),
            "approximate": edits.get("approximate", candidate.approximate),
        }
        if "summary" in edits:
            body["summary"] = edits["summary"]
        return draft_fact(body)

    def reject(
        self, proposal_id: str, n: int, reason: object, writer: str
    ) -> Candidate:
        _, candidate = self.candidate(proposal_id, n)
        _undecided(proposal_id, candidate)
        text = parse_text(reason, "reason", max_length=MAX_REASON)
        at = now()
        if not self.store.reject(proposal_id, n, by=writer, at=at, reason=text):
            _undecided(proposal_id, self.candidate(proposal_id, n)[1])
        return replace(
            candidate, status=REJECTED, decided_by=writer, decided_at=at, reason=text
        )


def _stale_before() -> str:
    """Claims made before this are those of acceptances that never finished."""
    moment = datetime.now(UTC) - timedelta(seconds=STALE_CLAIM_SECONDS)
    return moment.isoformat(timespec="microseconds")


def _undecided(
    proposal_id: str, candidate: Candidate, stale_before: str | None = None
) -> None:
    """Refuse a candidate that is decided, or being decided; ``stale_before``:
    a claim older than that is taken over (see :mod:`service.proposals`)."""
    if candidate.status == PROPOSED:
        return
    claim = candidate.decided_at
    if (
        candidate.status == ACCEPTING
        and stale_before is not None
        and claim is not None
        and claim < stale_before
    ):
        return
    if candidate.status in (ACCEPTED, REJECTED):
        raise DecidedError(
            f"candidate {candidate.n} of proposal {proposal_id} was already "
            f"{candidate.status} by {candidate.decided_by} at {candidate.decided_at}",
            "n",
        )
    raise DecidedError(
        f"candidate {candidate.n} of proposal {proposal_id} is being accepted "
        f"right now (since {claim}); an acceptance that never finishes is taken "
        f"over by the next one {STALE_CLAIM_SECONDS} seconds after it began",
        "n",
    )
