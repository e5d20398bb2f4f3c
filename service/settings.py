"""Settings, read once from the environment (and an optional ``.env`` file).

Everything that varies between a laptop and a server is here, in one frozen value
that is passed explicitly to whatever needs it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from domain.values import is_digits


class SettingsError(ValueError):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    database_url: str | None = None
    database_schema: str = "public"
    base_url: str = "http://127.0.0.1:8000"
    write_tokens: tuple[str, ...] = field(default=(), repr=False)
    feed_page_size: int = 100
    tag_authority: str = "carefacts,2026"
    long_poll_max_seconds: float = 30.0
    # Memory for rendered answers kept until the views move on (JSON, pages, feeds).
    response_cache_mib: int = 64
    run_worker: bool = True  # False: this process never applies events to the views

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
    ) -> Settings:
        values = dict(_read_dotenv(dotenv)) if dotenv is not None else {}
        values.update(os.environ if env is None else env)

        def get(name: str) -> str | None:
            value = values.get("CAREFACTS_" + name, "").strip()
            return value or None

        page_size = get("FEED_PAGE_SIZE") or "100"
        if not is_digits(page_size) or not 1 <= int(page_size) <= 1000:
            raise SettingsError(
                f"CAREFACTS_FEED_PAGE_SIZE must be a whole number from 1 to 1000, "
                f"not {page_size!r}"
            )
        cache_mib = get("RESPONSE_CACHE_MIB") or "64"
        if not is_digits(cache_mib) or len(cache_mib) > 5 or int(cache_mib) > 65_536:
            raise SettingsError(
                "CAREFACTS_RESPONSE_CACHE_MIB must be a whole number of MiB from 0 "
                f"(no cache) to 65536, not {cache_mib!r}"
            )
        base_url = (get("BASE_URL") or cls.base_url).rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise SettingsError(
                f"CAREFACTS_BASE_URL must be an http(s) URL, not {base_url!r}"
            )
        database_url = get("DATABASE_URL")
        if database_url is not None and not database_url.startswith(
            ("postgresql://", "postgres://")
        ):
            raise SettingsError(
                "CAREFACTS_DATABASE_URL must look like postgresql://user@host:5432/db"
            )
        schema = get("DATABASE_SCHEMA") or "public"
        if not schema.replace("_", "").isalnum():
            raise SettingsError(
                f"CAREFACTS_DATABASE_SCHEMA {schema!r} is not a plain name"
            )
        tokens = tuple(
            t.strip() for t in (get("WRITE_TOKENS") or "").split(",") if t.strip()
        )
        run_worker = (get("RUN_WORKER") or "1").lower()
        if run_worker not in ("1", "0", "yes", "no", "true", "false"):
            raise SettingsError(
                f"CAREFACTS_RUN_WORKER must be 1 or 0, not {run_worker!r}"
            )
        return cls(
            run_worker=run_worker in ("1", "yes", "true"),
            data_dir=Path(get("DATA_DIR") or "data"),
            database_url=database_url,
            database_schema=schema,
            base_url=base_url,
            write_tokens=tokens,
            feed_page_size=int(page_size),
            response_cache_mib=int(cache_mib),
        )

    @property
    def uses_postgres(self) -> bool:
        return self.database_url is not None

    @property
    def events_path(self) -> Path:
        return self.data_dir / "events.sqlite3"

    @property
    def views_path(self) -> Path:
        return self.data_dir / "views.sqlite3"

    def postgres_params(self) -> dict[str, str]:
        """host, port, user, password and dbname from the database URL."""
        if self.database_url is None:
            raise SettingsError("no CAREFACTS_DATABASE_URL is set")
        parts = urlsplit(self.database_url)
        return {
            "host": parts.hostname or "127.0.0.1",
            "port": str(parts.port or 5432),
            "user": unquote(parts.username or "postgres"),
            "password": unquote(parts.password or ""),
            "dbname": (parts.path or "/postgres").lstrip("/") or "postgres",
        }

    def event_store_env(self, create_table: bool = True) -> dict[str, str]:
        """The eventsourcing library's environment for this store."""
        if self.database_url is None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.events_path),
                "SQLITE_LOCK_TIMEOUT": "30",
                "APPLICATION_RECORDER_TOPIC": (
                    "service.eventstore:BatchSQLiteApplicationRecorder"
                ),
                "CREATE_TABLE": "y" if create_table else "n",
            }
        pg = self.postgres_params()
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": pg["dbname"],
            "POSTGRES_HOST": pg["host"],
            "POSTGRES_PORT": pg["port"],
            "POSTGRES_USER": pg["user"],
            "POSTGRES_PASSWORD": pg["password"],
            "POSTGRES_SCHEMA": self.database_schema,
            "POSTGRES_CONNECT_TIMEOUT": "3",
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_PRE_PING": "y",
            "CREATE_TABLE": "y" if create_table else "n",
        }


def _read_dotenv(path: Path) -> dict[str, str]:
    """KEY=value lines; blank lines and # comments ignored; no interpolation."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise SettingsError(f"{path}:{number}: expected KEY=value")
        values[key.strip()] = value.strip().strip("'\"")
    return values
