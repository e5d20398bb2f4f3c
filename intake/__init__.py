"""Intake: candidate facts read from a news article's text, for a person to confirm.

``propose(text, published=...)`` names the authority the article is about and
returns the facts it reports, each with the kind and fields ``POST /facts``
takes, the date it refers to (resolved against the publication date), the span
of text it rests on and a confidence. Rules and vocabularies only: deterministic,
offline, nothing stored.
"""

from __future__ import annotations

from intake.dates import InvalidPublishedError
from intake.proposal import (
    Candidate,
    Evidence,
    InvalidProposalError,
    Proposal,
    build,
)


def propose(
    text: str,
    *,
    published: str,
    authority: str | None = None,
    url: str | None = None,
    title: str | None = None,
    publisher: str | None = None,
) -> Proposal:
    """The candidate facts of an article published on ``published`` (ISO 8601,
    reduced precision allowed). A bad ``published`` raises
    :class:`InvalidPublishedError`, a bad ``authority`` :class:`InvalidProposalError`
    (both ValueErrors). ``url`` describes the source and does not change what
    is read; ``publisher`` names the authority only where the text and title
    name none (a local paper's place is in its name)."""
    del url
    return build(text, published, authority, title, publisher)


__all__ = [
    "Candidate",
    "Evidence",
    "InvalidProposalError",
    "InvalidPublishedError",
    "Proposal",
    "propose",
]
