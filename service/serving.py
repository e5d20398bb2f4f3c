"""How ``carefacts serve`` runs uvicorn: its options, the base URL of the address
served, and the bounds on what a client may hold (timeouts, connections).

Each uvicorn worker process builds the application from the environment, so
what the command line decides is exported to the environment before uvicorn
starts; a flag wins over its environment variable.
"""

from __future__ import annotations

import argparse
import os

from service.settings import Settings

# flag, environment variable, what it bounds, default
LIMIT_FLAGS = [
    (
        "--header-timeout",
        "HEADER_TIMEOUT",
        "seconds a client has to send a request's headers",
        Settings.header_timeout,
    ),
    (
        "--body-timeout",
        "BODY_TIMEOUT",
        "seconds a client has to send a request's body",
        Settings.body_timeout,
    ),
    (
        "--keep-alive-timeout",
        "KEEP_ALIVE_TIMEOUT",
        "seconds an idle connection stays open between requests",
        Settings.keep_alive_timeout,
    ),
    (
        "--max-connections",
        "MAX_CONNECTIONS",
        "connections served at once; past that a request gets 503",
        Settings.max_connections,
    ),
]


def add_arguments(serve: argparse.ArgumentParser) -> None:
    serve.description = (
        "Serve HTTP. Absolute links (feed self links, autodiscovery, problem "
        "types) use CAREFACTS_BASE_URL, or else http://HOST:PORT as served."
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1)",
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default 8000)"
    )
    serve.add_argument(
        "--workers", type=int, default=1, help="uvicorn worker processes (default 1)"
    )
    for flag, variable, meaning, default in LIMIT_FLAGS:
        serve.add_argument(
            flag,
            metavar="N",
            help=f"{meaning} (CAREFACTS_{variable}, default {default:g})",
        )


def configure(settings: Settings, args: argparse.Namespace) -> Settings:
    """The settings this server runs with, exported for its worker processes."""
    exported: dict[str, str] = {}
    for flag, variable, _, _ in LIMIT_FLAGS:
        value = getattr(args, flag.lstrip("-").replace("-", "_"))
        if value is not None:
            exported["CAREFACTS_" + variable] = value
    if exported:  # parsed and checked like the environment's own values
        settings = Settings.from_env({**os.environ, **exported})
    settings = settings.served_at(args.host, args.port)
    exported["CAREFACTS_BASE_URL"] = settings.base_url
    if args.no_worker:
        exported["CAREFACTS_RUN_WORKER"] = "0"
    os.environ.update(exported)
    return settings


def run(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from service.connections import BoundedHttpProtocol

    uvicorn.run(
        "service.asgi:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        access_log=False,
        http=BoundedHttpProtocol,
        timeout_keep_alive=settings.keep_alive_timeout,
    )
