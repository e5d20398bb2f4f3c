"""Proposals: the candidate facts the rules read from one article, checked
against the kinds of fact the ledger records, in the order of the text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from domain.drafts import FactDraft, draft_fact
from domain.errors import DomainError
from domain.values import parse_gss_code
from intake import authorities
from intake.dates import parse_published
from intake.rules import Article, Found, all_rules
from intake.text import normalise, sentences

# Only to check that each candidate is a fact ``POST /facts`` would take.
_CHECK_AUTHORITY = "E92000001"
_CHECK_SOURCE = "proposal-check"
MAX_TEXT = 200_000
"""The longest text read, in characters: ten times a long article. The rules'
time grows with the text (about a second for 100,000 characters on one core),
so a caller serving many clients is bounded by it."""


class InvalidProposalError(ValueError):
    """An argument to :func:`propose` that cannot be read."""


class Evidence(NamedTuple):
    """The span of the text a candidate rests on: ``text[start:end]``."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str
    fields: dict[str, str | int | bool]
    effective: str
    approximate: bool
    evidence: Evidence
    confidence: float

    @property
    def summary(self) -> str:
        """A one-line summary written from the fields (never the article's words)."""
        return _draft(self.kind, self.fields, self.effective, self.approximate).summary

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "fields": dict(self.fields),
            "effective": self.effective,
            "approximate": self.approximate,
            "evidence": self.evidence.to_json(),
            "confidence": self.confidence,
        }


@dataclass(frozen=True, slots=True)
class Proposal:
    authority: str | None
    candidates: tuple[Candidate, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "authority": self.authority,
            "candidates": [candidate.to_json() for candidate in self.candidates],
        }


def _draft(
    kind: str, fields: dict[str, str | int | bool], effective: str, approximate: bool
) -> FactDraft:
    return draft_fact(
        {
            "kind": kind,
            "authority": _CHECK_AUTHORITY,
            "source": _CHECK_SOURCE,
            "effective": effective,
            "approximate": approximate,
            **fields,
        }
    )


def _acceptable(found: Found) -> bool:
    try:
        _draft(found.kind, found.fields, found.effective, found.approximate)
    except DomainError:
        return False
    return True


# Kinds of fact a sentence about another authority gives of that one, not of the
# article's ("In Worcestershire there were 833 at a cost of £47m").
_PLACED_KINDS = frozenset(
    {"count_reported", "money_reported", "rating_given", "target_set", "grant_received"}
)


def _of_another(article: Article, found: Found) -> bool:
    """Whether a figure or judgement comes from a sentence that names other
    authorities and not the article's own."""
    if article.authority is None or found.kind not in _PLACED_KINDS:
        return False
    text = article.text[found.start : found.end]
    codes = {code for _s, _e, code, _c in authorities.mentions(text)}
    return bool(codes) and article.authority not in codes


def build(
    text: str,
    published: str,
    authority: str | None,
    title: str | None,
    publisher: str | None = None,
) -> Proposal:
    if not isinstance(text, str):
        raise InvalidProposalError("the text must be a string")
    if len(text) > MAX_TEXT:
        raise InvalidProposalError(
            f"the text is {len(text)} characters; at most {MAX_TEXT} are read"
        )
    date = parse_published(published)
    if authority is not None:
        try:
            authority = parse_gss_code(authority, "authority")
        except DomainError as error:
            raise InvalidProposalError(error.message) from None
    normal = normalise(text)
    if authority is None:
        authority = authorities.about(
            normal,
            normalise(title) if title else None,
            normalise(publisher) if publisher else None,
        )
    article = Article(normal, sentences(normal), date, authority)
    places = frozenset(authorities.authority_names())
    found = [
        f
        for f in all_rules(article, places)
        if _acceptable(f) and not _of_another(article, f)
    ]
    found.sort(key=lambda f: (f.start, f.kind, sorted(f.fields.items())))
    unique: list[Candidate] = []
    seen: set[tuple[object, ...]] = set()
    for item in found:
        key = (item.kind, item.effective, tuple(sorted(item.fields.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(
            Candidate(
                item.kind,
                item.fields,
                item.effective,
                item.approximate,
                Evidence(item.start, item.end, text[item.start : item.end]),
                round(item.confidence, 2),
            )
        )
    return Proposal(authority, tuple(unique))
