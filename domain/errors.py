"""Errors raised by the domain when a fact, a source or an authority is refused.

Every invariant has its own class so that callers (the HTTP layer, the loaders)
can say exactly what was wrong. Errors about a value name the field.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: something the ledger refuses to record."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidValueError(DomainError):
    """A value is of the wrong type or outside its allowed range."""


class InvalidDateError(InvalidValueError):
    """A date is malformed or not a real calendar date (e.g. 2019-02-30)."""


class InvalidCountError(InvalidValueError):
    """A count is negative, fractional or not a number."""


class InvalidMoneyError(InvalidValueError):
    """An amount is a float, negative, or has more than two decimal places."""


class InvalidCodeError(InvalidValueError):
    """A GSS code, DfE number or identifier is malformed."""


class UnknownVocabularyError(InvalidValueError):
    """A word is not in its vocabulary (judgement, role, category...)."""


class InvalidJudgementError(UnknownVocabularyError):
    """An Ofsted judgement is not in the judgement vocabulary."""


class UnknownKindError(InvalidValueError):
    """The kind of fact is not one the ledger records."""


class MissingFieldError(InvalidValueError):
    """A required field is absent."""


class UnexpectedFieldError(InvalidValueError):
    """A field that the kind of fact does not have was given."""


class UnknownAuthorityError(DomainError):
    """The authority has not been registered."""


class UnknownSourceError(DomainError):
    """The source has not been registered."""


class UnknownFactError(DomainError):
    """No fact has this id."""


class FactConflictError(DomainError):
    """A different fact is already recorded under the same id."""


class RegistrationConflictError(DomainError):
    """An authority or source is already registered with different details."""


class FactRetractedError(DomainError):
    """The fact has been retracted and can no longer be corrected."""


class InvalidCorrectionError(InvalidValueError):
    """A correction names a field that cannot change, or gives no reason."""
