"""Settings, read once from the environment (and an optional ``.env`` file).

Everything that varies between a laptop and a server is here, in one frozen value
that is passed explicitly to whatever needs it.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from domain.values import is_digits


class SettingsError(ValueError):
    """A setting is missing or malformed."""


UNNAMED_WRITER = "unnamed"
"""The name recorded for a write made with a token that has no name."""

WRITER_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_WRITER_NAME = re.compile(WRITER_NAME_PATTERN, re.ASCII)


def writers_of(entries: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each ``CAREFACTS_WRITE_TOKENS`` entry as (writer's name, token): ``name:token``
    names its writer; a bare token (no colon) writes as :data:`UNNAMED_WRITER`."""
    writers: list[tuple[str, str]] = []
    seen: set[str] = set()
    for entry in entries:
        name, colon, token = entry.partition(":")
        if not colon:
            name, token = UNNAMED_WRITER, entry
        name, token = name.strip(), token.strip()
        if not _WRITER_NAME.match(name):
            raise SettingsError(
                f"a CAREFACTS_WRITE_TOKENS name must be 1 to 64 letters, digits, "
                f"'.', '_' or '-', not {name!r}"
            )
        if not token:
            raise SettingsError(f"CAREFACTS_WRITE_TOKENS gives {name!r} no token")
        if token in seen:
            raise SettingsError("CAREFACTS_WRITE_TOKENS gives one token twice")
        seen.add(token)
        writers.append((name, token))
    return tuple(writers)


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    database_url: str | None = None
    database_schema: str = "public"
    base_url: str = "http://127.0.0.1:8000"
    write_tokens: tuple[str, ...] = field(default=(), repr=False)
    feed_page_size: int = 100
    tag_authority: str = "carefacts,2026"
    # Memory for rendered answers kept until the views move on (JSON, pages, feeds).
    response_cache_mib: int = 64
    run_worker: bool = True  # False: this process never applies events to the views
    base_url_given: bool = False  # False: `serve` points links at the address served
    # What a client may hold: seconds to send a request's headers, seconds to send
    # its body, idle seconds between requests, and connections served at once.
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive_timeout: int = 5
    max_connections: int = 256
    # WebSub: whether callbacks may be loopback, private or link-local addresses
    # (never in production: a hub that posts anywhere is an SSRF tool), how many
    # subscriptions one callback host may hold, seconds one outbound request may
    # take, and for how long a failing delivery is retried before it is given up.
    websub_allow_private: bool = False
    websub_max_per_host: int = 1000
    websub_timeout: float = 5.0
    websub_retry_seconds: float = 3600.0

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
        given_base_url = get("BASE_URL")
        base_url = (given_base_url or cls.base_url).rstrip("/")
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
        writers_of(tokens)  # refuses a malformed name or a token given twice
        run_worker = (get("RUN_WORKER") or "1").lower()
        if run_worker not in ("1", "0", "yes", "no", "true", "false"):
            raise SettingsError(
                f"CAREFACTS_RUN_WORKER must be 1 or 0, not {run_worker!r}"
            )
        allow_private = (get("WEBSUB_ALLOW_PRIVATE") or "false").lower()
        if allow_private not in ("1", "0", "yes", "no", "true", "false"):
            raise SettingsError(
                "CAREFACTS_WEBSUB_ALLOW_PRIVATE must be true or false, "
                f"not {allow_private!r}"
            )
        return cls(
            websub_allow_private=allow_private in ("1", "yes", "true"),
            websub_max_per_host=_count(
                "WEBSUB_MAX_PER_HOST", get, cls.websub_max_per_host
            ),
            websub_timeout=_seconds("WEBSUB_TIMEOUT", get, cls.websub_timeout),
            websub_retry_seconds=_seconds(
                "WEBSUB_RETRY_SECONDS", get, cls.websub_retry_seconds
            ),
            run_worker=run_worker in ("1", "yes", "true"),
            base_url_given=given_base_url is not None,
            header_timeout=_seconds("HEADER_TIMEOUT", get, cls.header_timeout),
            body_timeout=_seconds("BODY_TIMEOUT", get, cls.body_timeout),
            keep_alive_timeout=int(
                _seconds("KEEP_ALIVE_TIMEOUT", get, cls.keep_alive_timeout, whole=True)
            ),
            max_connections=_count("MAX_CONNECTIONS", get, cls.max_connections),
            data_dir=Path(get("DATA_DIR") or "data"),
            database_url=database_url,
            database_schema=schema,
            base_url=base_url,
            write_tokens=tokens,
            feed_page_size=int(page_size),
            response_cache_mib=int(cache_mib),
        )

    @property
    def writers(self) -> tuple[tuple[str, str], ...]:
        """(name, token) for each entry of ``write_tokens``: see :func:`writers_of`."""
        return writers_of(self.write_tokens)

    def served_at(self, host: str, port: int) -> Settings:
        """These settings for a server at host:port: unless CAREFACTS_BASE_URL was
        given, absolute links point at the address served."""
        if self.base_url_given:
            return self
        return replace(self, base_url=served_base_url(host, port))

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
                "APPLICATION_RECORDER_TOPIC": "service.eventstore:SQLiteLogRecorder",
                "CREATE_TABLE": "y" if create_table else "n",
            }
        pg = self.postgres_params()
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": "service.eventstore:PostgresLogRecorder",
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


_NUMBER = re.compile(r"[0-9]{1,6}(\.[0-9]{1,3})?")


def _seconds(
    name: str, get: Callable[[str], str | None], default: float, whole: bool = False
) -> float:
    text = get(name)
    if text is None:
        return default
    if _NUMBER.fullmatch(text) is None or (whole and "." in text):
        kind = "a whole number" if whole else "a number"
        raise SettingsError(f"CAREFACTS_{name} must be {kind} of seconds, not {text!r}")
    value = float(text)
    if not 0.1 <= value <= 3600:
        raise SettingsError(f"CAREFACTS_{name} must be from 0.1 to 3600 seconds")
    return value


def _count(name: str, get: Callable[[str], str | None], default: int) -> int:
    text = get(name)
    if text is None:
        return default
    if not is_digits(text) or not 1 <= int(text) <= 100_000:
        raise SettingsError(
            f"CAREFACTS_{name} must be a whole number from 1 to 100000, not {text!r}"
        )
    return int(text)


def served_base_url(host: str, port: int) -> str:
    """The base URL of a server bound to host:port. A wildcard address (0.0.0.0,
    ::) is not one a client can use: the machine's name stands for it."""
    name = host.strip("[]")
    if name in ("", "0.0.0.0", "::"):
        name = socket.getfqdn()
    if ":" in name:  # an IPv6 address
        name = f"[{name}]"
    return f"http://{name}" if port == 80 else f"http://{name}:{port}"


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
