"""Registering a source from a client's body: the one use case ``POST /sources``
and any other writer (a review of proposed facts) call.

The body is the API's shape of a source (``id`` rather than the seeds'
``source_id``); it is validated by :meth:`SourceDetails.parse`, exactly as the
seeds' sources are. Without an ``id`` one is derived from the publisher, the
publication date and the first words of the title, so that the same source sent
again derives the same id and is a no-op.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from domain.errors import (
    DomainError,
    InvalidCodeError,
    MissingFieldError,
    UnexpectedFieldError,
)
from domain.registry import SourceDetails
from domain.values import EffectiveDate
from service.application import Ledger

SOURCE_FIELDS = (
    "id",
    "kind",
    "title",
    "publisher",
    "url",
    "published",
    "approximate",
    "licence",
    "note",
)
"""The fields a source body may hold; ``id`` is optional."""

MAX_ID_LENGTH = 120
TITLE_WORDS = 4
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)


@dataclass(frozen=True)
class SourceRegistration:
    """A registered source: its details, whether it is new, and the log position
    of its event (None when it was registered already)."""

    details: SourceDetails
    created: bool
    position: int | None


def _slug_words(text: str) -> list[str]:
    return [word for word in _NOT_SLUG.split(text.lower()) if word]


def derive_source_id(publisher: object, published: object, title: object) -> str | None:
    """``blackpool-gazette-2023-07-big-reduction-number-children``: the publisher,
    the date as given (to its precision) and the title's first words, or None when
    the publisher or the date is missing or unreadable."""
    if not isinstance(publisher, str) or not isinstance(published, str):
        return None
    try:
        date = EffectiveDate.parse(published, False, "published")
    except DomainError:
        return None
    publisher_words = _slug_words(publisher)
    if not publisher_words:
        return None
    title_words = [
        word
        for word in _slug_words(title if isinstance(title, str) else "")
        if word not in _SMALL_WORDS
    ][:TITLE_WORDS]
    derived = "-".join([*publisher_words, date.iso, *title_words])
    return derived[:MAX_ID_LENGTH].rstrip("-")


def parse_source_body(body: Mapping[str, object]) -> SourceDetails:
    """The source a body describes, or a :class:`DomainError` carrying every fault
    (in ``errors``), each naming its field as the body names it."""
    errors: list[DomainError] = []
    fields = {key: value for key, value in body.items() if key != "id"}
    if "source_id" in fields:
        errors.append(
            UnexpectedFieldError(
                "source_id is not a field of this body: send the source's id as id",
                "source_id",
            )
        )
        del fields["source_id"]
    source_id = body.get("id")
    if source_id is None:
        source_id = derive_source_id(
            body.get("publisher"), body.get("published"), body.get("title")
        )
        if source_id is None and body.get("published") is None:
            errors.append(
                MissingFieldError(
                    "id is required unless publisher and published are given to "
                    "derive it from",
                    "id",
                )
            )
    details: SourceDetails | None = None
    try:
        details = SourceDetails.parse(
            {**fields, "source_id": source_id if source_id is not None else "unset"}
        )
    except DomainError as error:
        for fault in getattr(error, "errors", None) or [error]:
            if fault.field == "source_id":
                fault = InvalidCodeError(
                    fault.message.replace("source_id", "id", 1), "id"
                )
            errors.append(fault)
    if errors or details is None:
        first = errors[0]
        first.errors = errors  # type: ignore[attr-defined]
        raise first
    return details


def register_source(
    ledger: Ledger,
    body: Mapping[str, object] | SourceDetails,
    recorded_by: str | None = None,
) -> SourceRegistration:
    """Register a source once: the same source again changes nothing; another
    source under the same id is a :class:`RegistrationConflictError`.
    ``recorded_by`` names the writer."""
    details = body if isinstance(body, SourceDetails) else parse_source_body(body)
    recorded = ledger.register_source(details, recorded_by)
    return SourceRegistration(details, recorded.created, recorded.position)


def source_document(details: SourceDetails) -> dict[str, object]:
    """The source as ``GET /sources/{id}`` shows it (without its recorded time)."""
    published = details.published
    return {
        "id": details.source_id,
        "kind": details.kind,
        "title": details.title,
        "publisher": details.publisher,
        "url": details.url,
        "published": None
        if published is None
        else {
            "date": published.iso,
            "precision": published.precision.value,
            "approximate": published.approximate,
        },
        "licence": details.licence,
        "note": details.note,
    }
