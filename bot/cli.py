"""The `resultsbot` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.bootstrap import Store, open_store
from bot.config import Settings
from bot.render import text_summary
from store import db
from store.importers.hoc import HocFormatError, import_hoc
from store.queries import FOUND

log = logging.getLogger("resultsbot")

EXIT_OK, EXIT_NOT_FOUND, EXIT_BAD_INPUT = 0, 1, 2


def _store(settings: Settings, *, seed: bool = True) -> Store:
    return open_store(settings, seed=seed)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    query = " ".join(args.query)
    answer = _store(settings).results.ask(query)
    if answer.kind != FOUND or answer.summary is None:
        print(answer.message, file=sys.stderr)
        return EXIT_NOT_FOUND
    if args.json:
        print(json.dumps(answer.summary.to_json(), indent=2, ensure_ascii=False))
    else:
        print(text_summary(answer.summary))
    return EXIT_OK


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings, seed=False)
    try:
        with db.transaction(store.sessions) as session:
            report = import_hoc(session, Path(args.path))
    except HocFormatError as error:
        print(f"Import refused, nothing was changed: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        f"{report.contests} contests read from {len(report.files)} file(s): "
        f"{report.new} new, {report.corrected} changed (new version), {report.unchanged} unchanged."
    )
    if report.new_parties:
        print(f"New parties added: {', '.join(sorted(set(report.new_parties)))}")
    for repair in report.repairs:
        print(f"Repaired: {repair}")
    if report.discrepancies:
        print(f"{len(report.discrepancies)} place(s) where the source disagrees with itself (stored as published):")
        for discrepancy in report.discrepancies:
            print(f"  {discrepancy}")
    return EXIT_OK


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine, args.revision)
    print(f"Database at revision {db.current_revision(engine)}.")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.run import serve

    return serve(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resultsbot",
        description="Election results for newsrooms. With no command: runs the bot (Slack when tokens "
        "are set, otherwise an offline console).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    commands = parser.add_subparsers(dest="command")

    ask = commands.add_parser("ask", help="print the result for a seat, e.g. `resultsbot ask copeland 2017`")
    ask.add_argument("query", nargs="+", help="a seat name, optionally with a year or 'by-election'")
    ask.add_argument("--json", action="store_true", help="print every figure as JSON, unrounded")
    ask.set_defaults(handler=cmd_ask)

    importer = commands.add_parser("import", help="load results files")
    sources = importer.add_subparsers(dest="source", required=True)
    hoc = sources.add_parser("hoc", help="House of Commons Library CSV files (a folder or one file)")
    hoc.add_argument("path")
    hoc.add_argument("--no-post", action="store_true", help="back-fill history without posting to Slack")
    hoc.set_defaults(handler=cmd_import)

    serve = commands.add_parser("serve", help="run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP)")
    serve.set_defaults(handler=cmd_serve)

    database = commands.add_parser("db", help="database schema")
    actions = database.add_subparsers(dest="action", required=True)
    upgrade = actions.add_parser("upgrade", help="apply migrations (default: to the newest)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=cmd_db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else getattr(logging, settings.log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Alembic announces its context on every start; only its warnings matter to a user.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    handler = getattr(args, "handler", None)
    if handler is None:
        from bot.run import run_default

        return run_default(settings)
    return handler(args, settings)


if __name__ == "__main__":
    sys.exit(main())
