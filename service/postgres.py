"""PostgreSQL specifics: the schema, and reaching the server with a clear error."""

from __future__ import annotations

import contextlib

import psycopg

from service.settings import Settings


class DatabaseUnavailableError(RuntimeError):
    """PostgreSQL cannot be reached with the configured settings."""


def conninfo(settings: Settings) -> str:
    pg = settings.postgres_params()
    parts = [f"{k}={v}" for k, v in pg.items() if v]
    return " ".join([*parts, "connect_timeout=5"])


def ensure_schema(settings: Settings) -> None:
    """Create the configured schema if missing (several processes may race: fine)."""
    try:
        # Several processes may race to create it: one wins, the rest find it.
        with (
            psycopg.connect(conninfo(settings), autocommit=True) as conn,
            contextlib.suppress(psycopg.errors.UniqueViolation),
        ):
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{settings.database_schema}"')
    except psycopg.OperationalError as error:
        raise DatabaseUnavailableError(
            f"cannot reach PostgreSQL at {settings.postgres_params()['host']}:"
            f"{settings.postgres_params()['port']}: {error}".strip()
        ) from error
