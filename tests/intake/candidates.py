"""What the intake tests ask of a proposal."""

from __future__ import annotations

from intake import Proposal


def has(proposal: Proposal, kind: str, effective: str, **fields: object) -> bool:
    """Whether a candidate of ``kind`` has these fields and an effective date that
    starts with ``effective`` (``"2019-07"`` is met by any day of July 2019)."""
    return any(
        c.kind == kind
        and c.effective[: len(effective)] == effective
        and all(c.fields.get(k) == v for k, v in fields.items())
        for c in proposal.candidates
    )
