"""The ``carefacts`` command: serve, load, import, replay, export and import
the log, status.

Every subcommand reads settings from the environment (and ``.env``), opens the
ledger and its views through the composition root, and prints what it did.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from eventsourcing.persistence import PersistenceError

from domain.errors import DomainError
from seeds.report import ImportReport, Progress
from service import log_archive, serving
from service.composition import Carefacts
from service.postgres import DatabaseUnavailableError
from service.settings import Settings, SettingsError
from service.storage_failures import STORAGE_ERRORS, disk_is_full, storage_failure

IMPORT_KINDS = ("codes", "ofsted", "ofsted-in-year", "ofsted-reports", "cla", "lait")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "propose":
        return _propose(args)  # reads a file, stores nothing: no settings needed
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"carefacts: {error}", file=sys.stderr)
        return 2
    try:
        result: int = args.run(settings, args)
        return result
    except DomainError as error:
        print(f"carefacts: refused: {error.message}", file=sys.stderr)
        return 1
    except STORAGE_ERRORS as error:
        hint = ""
        if args.command == "replay" and disk_is_full(error):
            hint = (
                "; free some space, then `carefacts replay --resume` continues"
                if settings.uses_postgres or args.resume
                else "; the views in use are unchanged: free some space, then run "
                "`carefacts replay` again"
            )
        print(
            f"carefacts {args.command}: {storage_failure(error)}{hint}",
            file=sys.stderr,
        )
        return 1
    except (OSError, ValueError, DatabaseUnavailableError, PersistenceError) as error:
        print(f"carefacts: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carefacts",
        description=(
            "A ledger of what is reported about English councils' children's services."
        ),
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND", dest="command")

    serve = commands.add_parser(
        "serve", help="run the HTTP service (loads the seeds first if empty)"
    )
    serving.add_arguments(serve)
    serve.add_argument(
        "--no-load", action="store_true", help="do not load the seeds when empty"
    )
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="never apply events to the views here: a `carefacts worker` does",
    )
    serve.set_defaults(run=_serve)

    load = commands.add_parser(
        "load", help="record the seeds (a second load records nothing)"
    )
    load.set_defaults(run=_load)

    imp = commands.add_parser("import", help="import an official file")
    imp.add_argument("kind", choices=IMPORT_KINDS)
    imp.add_argument("file", type=Path)
    imp.add_argument("--dictionary", type=Path, help="LAIT data dictionary (lait only)")
    imp.set_defaults(run=_import)

    replay = commands.add_parser("replay", help="drop and rebuild views from the log")
    replay.add_argument("projection", nargs="?", help="one view by name (default: all)")
    replay.add_argument(
        "--resume",
        action="store_true",
        help="no rebuild: bring the views in use up from their own positions "
        "(after an interrupted replay on PostgreSQL, which rebuilds in place)",
    )
    replay.add_argument("--batch-size", type=int, default=5000)
    replay.set_defaults(run=_replay)

    worker = commands.add_parser(
        "worker",
        help="keep the views up to date without serving HTTP (PostgreSQL: one of "
        "several, one leads)",
    )
    worker.add_argument("--batch-size", type=int, default=2000)
    worker.set_defaults(run=_worker)

    export = commands.add_parser("export-log", help="write every event to a file")
    export.add_argument("file", type=Path, help="JSON lines, in log order")
    export.set_defaults(run=log_archive.run_export)
    restore = commands.add_parser(
        "import-log", help="record an exported log into an empty store"
    )
    restore.add_argument("file", type=Path, help="a file from `carefacts export-log`")
    restore.set_defaults(run=log_archive.run_import)

    status = commands.add_parser("status", help="log position and each view's position")
    status.set_defaults(run=_status)

    propose = commands.add_parser(
        "propose",
        help="read an article and print the facts it reports, as candidates for a "
        "person to confirm (nothing is stored)",
    )
    propose.add_argument("file", type=Path, help="the article's text (UTF-8)")
    propose.add_argument(
        "--published",
        required=True,
        help="the publication date, ISO 8601 (2014, 2014-09 or 2014-09-08)",
    )
    propose.add_argument(
        "--authority", help="the GSS code of the authority it is about (default: found)"
    )
    propose.add_argument("--url", help="the article's address")
    propose.add_argument("--title", help="the article's headline")
    propose.add_argument("--publisher", help="who published it")
    propose.add_argument(
        "--json",
        action="store_true",
        help='print {"authority": ..., "candidates": [...]} as JSON',
    )
    return parser


def _propose(args: argparse.Namespace) -> int:
    """Print the candidate facts of one article; nothing is stored."""
    import json

    from domain.values import EffectiveDate
    from domain.wording import when
    from intake import propose

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"carefacts propose: cannot read {args.file}: {error}", file=sys.stderr)
        return 1
    try:
        proposal = propose(
            text,
            published=args.published,
            authority=args.authority,
            url=args.url,
            title=args.title,
            publisher=args.publisher,
        )
    except ValueError as error:
        print(f"carefacts propose: {error}", file=sys.stderr)
        return 2
    if args.json:
        document = json.dumps(proposal.to_json(), ensure_ascii=False, indent=2)
        sys.stdout.buffer.write(document.encode() + b"\n")
        sys.stdout.flush()
        return 0
    lines = [f"authority: {proposal.authority or 'not found'}"]
    for number, candidate in enumerate(proposal.candidates, 1):
        date = EffectiveDate.parse(candidate.effective, candidate.approximate)
        lines.append(
            f"{number:>3}. {candidate.kind}: {candidate.summary} ({when(date)}; "
            f"characters {candidate.evidence.start}-{candidate.evidence.end}; "
            f"confidence {candidate.confidence:.2f})"
        )
    sys.stdout.buffer.write(("\n".join(lines) + "\n").encode())
    sys.stdout.flush()
    return 0


def _print_reports(reports: Sequence[ImportReport]) -> None:
    for report in reports:
        print("\n".join(report.lines()))


def _project(app: Carefacts) -> None:
    progress = Progress(
        "updating views", max(app.ledger.last_position() - app.worker.position, 1)
    )
    start = app.worker.position
    app.worker.catch_up(lambda done, _target: progress.update(done - start))
    progress.finish()


def _load(settings: Settings, _args: argparse.Namespace) -> int:
    from seeds.loader import load_default

    app = Carefacts.open(settings)
    try:
        reports = load_default(app.ledger)
        _print_reports(reports)
        total = ImportReport("total")
        for report in reports:
            total.add(report)
        print(
            f"total: recorded {total.recorded:,} new events, "
            f"{total.present:,} already there"
        )
        _project(app)
        print(
            f"log position {app.ledger.last_position():,}; "
            f"views at {app.worker.position:,}"
        )
    finally:
        app.close()
    return 0


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from seeds.importers import cla, codes, lait, ofsted

    app = Carefacts.open(settings)
    try:
        path: Path = args.file
        kind: str = args.kind
        if kind == "codes":
            report = codes.import_register(app.ledger, path.parent, lookup=path)
        elif kind == "ofsted":
            report = ofsted.import_history(app.ledger, path)
        elif kind == "ofsted-in-year":
            report = ofsted.import_in_year(app.ledger, path)
        elif kind == "ofsted-reports":
            report = ofsted.import_report_history(app.ledger, path, codes.ofsted_urns())
        elif kind == "cla":
            report = cla.import_cla(app.ledger, path)
        else:
            report = lait.import_lait(app.ledger, path, args.dictionary)
        _print_reports([report])
        _project(app)
    finally:
        app.close()
    return 0


def _replay(settings: Settings, args: argparse.Namespace) -> int:
    app = Carefacts.open(settings, batch_size=args.batch_size)
    try:
        names = app.worker.names()
        if args.projection is not None and args.projection not in names:
            print(
                f"carefacts: no view named {args.projection!r} "
                f"(views: {', '.join(names)})",
                file=sys.stderr,
            )
            return 2
        chosen = [args.projection] if args.projection else names
        # SQLite rebuilds every view into a new file (README: Commands).
        in_place = settings.uses_postgres and args.projection is not None
        if in_place and not args.resume:
            app.worker.reset(chosen)
        if not settings.uses_postgres and not args.resume:
            chosen = names
        target = app.ledger.last_position()
        progress = Progress(f"replaying {', '.join(chosen)}", max(target, 1))
        started = time.monotonic()

        def report(done: int, _target: int) -> None:
            progress.update(done)

        if args.resume or in_place:
            applied = app.worker.catch_up(report)
        else:
            applied = app.worker.rebuild(report)
        progress.finish()
        seconds = time.monotonic() - started
        rate = applied / seconds if seconds else 0.0
        print(
            f"replayed {applied:,} events into {', '.join(chosen)} in {seconds:.2f} s "
            f"({rate:,.0f} events/s)"
        )
    finally:
        app.close()
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    import signal
    import threading

    app = Carefacts.open(settings, batch_size=args.batch_size)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        app.start_background()
        print(
            f"worker running (pid {os.getpid()}); views at {app.worker.position:,}",
            flush=True,
        )
        stop.wait()
    finally:
        app.close()
    return 0


def _status(settings: Settings, _args: argparse.Namespace) -> int:
    app = Carefacts.open(settings)
    try:
        print(
            f"store: {'PostgreSQL' if settings.uses_postgres else settings.events_path}"
        )
        print(f"log position: {app.ledger.last_position():,}")
        for name, position in app.worker.positions().items():
            print(f"view {name}: {position:,}")
    finally:
        app.close()
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from seeds.loader import load_default

    settings = serving.configure(settings, args)
    app = Carefacts.open(settings)
    try:
        if not args.no_load and app.ledger.last_position() == 0:
            print("empty ledger: loading the seeds first")
            _print_reports(load_default(app.ledger))
        if not args.no_worker:
            _project(app)
    finally:
        app.close()
    print(
        f"serving on http://{args.host}:{args.port}, links at {settings.base_url} "
        f"(data: {'PostgreSQL' if settings.uses_postgres else settings.data_dir})"
    )
    serving.run(settings, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
