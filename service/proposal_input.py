"""What a proposal is made of: the ``POST /proposals`` body checked (the article's
text, its source, its authority), the extractor's candidates as stored, and the
source as a ``POST /sources`` body for its registration on acceptance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.drafts import raise_all
from domain.errors import (
    DomainError,
    InvalidValueError,
    MissingFieldError,
    RegistrationConflictError,
    UnexpectedFieldError,
)
from domain.provenance import MAX_EVIDENCE_TEXT
from domain.registry import SourceDetails
from domain.values import parse_gss_code, parse_slug
from service.application import Ledger
from service.proposals import Candidate
from service.registration import parse_source_body

MAX_TEXT_BYTES = 200_000  # an article's text, as UTF-8
PROPOSAL_FIELDS = ("text", "source", "authority")


def parse_proposal(
    ledger: Ledger, body: Mapping[str, object]
) -> tuple[str, SourceDetails, str | None]:
    """The text, source and authority of a ``POST /proposals`` body, or a
    :class:`DomainError` carrying every fault."""
    errors: list[DomainError] = [
        UnexpectedFieldError(f"{name} is not a field of a proposal", name)
        for name in body
        if name not in PROPOSAL_FIELDS
    ]
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        errors.append(
            InvalidValueError("text must be the article's text (not empty)", "text")
        )
    elif len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        errors.append(
            InvalidValueError(
                f"text is over {MAX_TEXT_BYTES} bytes (UTF-8): send one article",
                "text",
            )
        )
    elif any(ch < " " and ch not in "\t\n\r" for ch in text):
        errors.append(
            InvalidValueError("text must not hold control characters", "text")
        )
    authority: str | None = None
    if body.get("authority") is not None:
        try:
            authority = parse_gss_code(body["authority"], "authority")
            ledger.require_authority(authority)
        except DomainError as error:
            errors.append(error)
    source: SourceDetails | None = None
    try:
        source = _source(ledger, body.get("source"))
    except DomainError as error:
        if isinstance(error, RegistrationConflictError) and not errors:
            raise
        errors += getattr(error, "errors", None) or [error]
    if errors or source is None:
        raise_all(errors or [MissingFieldError("source is required", "source")])
    assert isinstance(text, str) and source is not None
    return text, source, authority


def _source(ledger: Ledger, value: object) -> SourceDetails:
    """The source a proposal names: a registered one by ``id`` alone, or one
    described in full (registered when a candidate is accepted)."""
    if not isinstance(value, Mapping):
        raise InvalidValueError(
            "source must be an object: {id} of a registered source, or its "
            "kind, title, publisher, url and published",
            "source",
        )
    if set(value) == {"id"}:
        source_id = parse_slug(value["id"], "source.id")
        registered = ledger.registered_source(source_id)
        if registered is None:
            raise InvalidValueError(
                f"source {source_id} is not registered: describe it in full "
                "(kind, title, publisher, url, published)",
                "source.id",
            )
        return registered
    try:
        details = parse_source_body(value)
    except DomainError as error:
        faults = getattr(error, "errors", None) or [error]
        for fault in faults:
            fault.field = f"source.{fault.field}" if fault.field else "source"
        raise
    registered = ledger.registered_source(details.source_id)
    if registered is not None and registered != details:
        raise RegistrationConflictError(
            f"source {details.source_id} is already registered with different "
            "details: name it by its id alone, or give it another id",
            "source.id",
        )
    if details.published is None:
        raise MissingFieldError(
            "source.published is required: the extractor reads dates in the "
            "article relative to it",
            "source.published",
        )
    return details


# -- deciding -----------------------------------------------------------------


def candidate_of(n: int, found: Mapping[str, Any]) -> Candidate:
    evidence = dict(found.get("evidence") or {})
    text = str(evidence.get("text") or "")
    confidence = found.get("confidence")
    return Candidate(
        n=n,
        kind=str(found.get("kind")),
        fields=dict(found.get("fields") or {}),
        effective=found.get("effective"),
        approximate=bool(found.get("approximate")),
        evidence={
            "start": int(evidence.get("start") or 0),
            "end": int(evidence.get("end") or 0),
            "text": text[:MAX_EVIDENCE_TEXT],
        },
        confidence=float(confidence) if isinstance(confidence, int | float) else None,
    )


def source_body(details: SourceDetails) -> dict[str, Any]:
    """The source as a ``POST /sources`` body, to register it on acceptance."""
    body: dict[str, Any] = {
        "id": details.source_id,
        "kind": details.kind,
        "title": details.title,
        "publisher": details.publisher,
    }
    for name in ("url", "licence", "note"):
        if getattr(details, name) is not None:
            body[name] = getattr(details, name)
    if details.published is not None:
        body["published"] = details.published.iso.rstrip("~")
        body["approximate"] = details.published.approximate
    return body
