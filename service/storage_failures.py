"""Storage failures in one line, for the command line: a full disk (SQLite,
PostgreSQL or the operating system says so), or another failure of the store.

The views write through sqlite3 directly, and the library wraps its own
sqlite3 and psycopg errors, so the cause is looked for along the chain.
"""

from __future__ import annotations

import errno
import sqlite3

import psycopg
from eventsourcing.persistence import PersistenceError

STORAGE_ERRORS = (sqlite3.Error, psycopg.Error, PersistenceError)


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def disk_is_full(error: BaseException) -> bool:
    """Whether a storage error comes from a full disk, in SQLite, PostgreSQL or
    the operating system."""
    for cause in _causes(error):
        if isinstance(cause, sqlite3.Error) and (
            getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
            or "disk is full" in str(cause)
        ):
            return True
        if isinstance(cause, psycopg.errors.DiskFull):
            return True
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            return True
    return False


def storage_failure(error: BaseException) -> str:
    """One line saying what went wrong with the store."""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    detail = detail or type(error).__name__
    if disk_is_full(error):
        return f"the disk is full ({detail})"
    return f"the store failed ({detail})"
