"""The `resultsbot` command line."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from bot.bootstrap import Store, open_store
from bot.config import BadSetting, Settings
from handlers.summary_words import text_summary
from store import db
from store.answers import FOUND, NOT_FOUND, Answer, PersonAnswer
from store.importers.hoc import HocFormatError, import_hoc
from store.importers.pa import PaReport, feed_order, import_pa, state_of_parties_differences
from store.lookup import parse_query
from store.summary import Summary

if TYPE_CHECKING:
    from bot.rehearsal import RehearsalStoreOnDemand

log = logging.getLogger("resultsbot")

EXIT_OK, EXIT_NOT_FOUND, EXIT_BAD_INPUT, EXIT_UNAVAILABLE = 0, 1, 2, 3
# What a shell reports for a command whose reader stopped reading (128 + SIGPIPE), so pipelines read as usual.
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """`resultsbot ask QUERY [--json] [--all]`: a seat's result, a candidate's contests, or an answer about
    a whole election (seats, shares, rankings, lists), as text or JSON."""
    from handlers.replies import answer_question, is_about_election
    from store.questions import parse_question

    query = " ".join(args.query)
    service = open_store(settings).results
    question = parse_question(query)
    if is_about_election(question) or question.intent == "person":
        if question.intent == "person":
            return _print_person(service.person(question.person or query), args.json)
        reply = answer_question(question, service, show_all=args.all)
        if reply.data is None:
            print(reply.plain, file=sys.stderr)
            return EXIT_NOT_FOUND
        print(json.dumps(reply.data, indent=2, ensure_ascii=False) if args.json else reply.plain)
        if reply.data.get("shown", 0) < reply.data.get("total", 0):
            print(f"--all lists all {reply.data['total']}.", file=sys.stderr)
        return EXIT_OK
    answer = service.ask(query)
    if answer.kind == NOT_FOUND:
        person = service.person(parse_query(query).seat_text)
        if person.kind == FOUND:
            return _print_person(person, args.json)
    summary = found_summary(answer)
    if summary is None:
        return EXIT_NOT_FOUND
    if args.json:
        print(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    else:
        print(text_summary(summary))
    return EXIT_OK


def found_summary(answer: Answer) -> Summary | None:
    """The summary an answer found; otherwise None, after saying why (no such seat, or which seats the
    query could mean) on stderr."""
    if answer.kind != FOUND or answer.summary is None:
        print(answer.message, file=sys.stderr)
        return None
    return answer.summary


def _print_person(person: PersonAnswer, as_json: bool) -> int:
    """Every contest a candidate stood in; the names that fit, or that none does, on stderr with status 1."""
    from handlers.summary_words import person_text

    if person.kind != FOUND:
        fits = "".join(f"\n  {label}" for label, _ in person.options)
        print(f"No single candidate called “{person.query}” is in the store.{fits}", file=sys.stderr)
        return EXIT_NOT_FOUND
    if as_json:
        print(json.dumps(person.to_json(), indent=2, ensure_ascii=False))
    else:
        print(person_text(person, person.results))
    return EXIT_OK


def cmd_chart(args: argparse.Namespace, settings: Settings) -> int:
    """`resultsbot chart QUERY [-o FILE.png]`: the result card of what `ask QUERY` answers."""
    from handlers.blocks import card_upload_fields
    from handlers.charts import result_card

    if args.output is not None and not is_png_name(args.output):
        print(f"resultsbot chart: {args.output} must end in .png (the card is a PNG).", file=sys.stderr)
        return EXIT_BAD_INPUT
    summary = found_summary(open_store(settings).results.ask(" ".join(args.query)))
    if summary is None:
        return EXIT_NOT_FOUND
    path = Path(args.output or card_upload_fields(summary).filename)
    if not write_picture(path, result_card(summary)):
        return EXIT_BAD_INPUT
    print(f"Wrote {path}: the result card of {summary.constituency}, {summary.election_name}.")
    return EXIT_OK


def is_png_name(name: str) -> bool:
    return name.casefold().endswith(".png")


def write_picture(path: Path, picture: bytes) -> bool:
    """Write a PNG to `path`; False, having said why on stderr, when it cannot be written."""
    try:
        path.write_bytes(picture)
    except OSError as error:
        print(f"Cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return False
    return True


def cmd_scoreboard(args: argparse.Namespace, settings: Settings) -> int:
    """`resultsbot scoreboard [ELECTION] [--nation N | --region R] [--json] [--png FILE]`: a general election's
    tally, and its picture; as text, PA's state of parties against the whole election's, as editors see it."""
    from handlers.summary_words import state_of_parties_line, text_scoreboard
    from store.scoreboard import find_nation

    if args.png is not None and not is_png_name(args.png):
        print(f"resultsbot scoreboard: {args.png} must end in .png.", file=sys.stderr)
        return EXIT_BAD_INPUT
    results = open_store(settings).results
    election = results.general_election_with_previous(args.election)
    if election is None:
        when = f" in {args.election}" if args.election is not None else ""
        print(f"No general election{when} is in the store.", file=sys.stderr)
        return EXIT_NOT_FOUND
    nation = region = None
    if args.nation is not None:
        nation = find_nation(args.nation)
        if nation is None:
            print(f"No nation “{args.nation}”: England, Scotland, Wales or Northern Ireland.", file=sys.stderr)
            return EXIT_BAD_INPUT
    if args.region is not None:
        region = election.region(args.region)
        if region is None:
            print(f"No region “{args.region}” in the {election.name}.", file=sys.stderr)
            return EXIT_BAD_INPUT
    board = election.scoreboard(nation=nation, region=region)
    if args.png is not None:
        from handlers.charts import scoreboard_image

        if not write_picture(Path(args.png), scoreboard_image(board)):
            return EXIT_BAD_INPUT
        # On stderr, so that `--json --png FILE` still prints nothing but JSON.
        print(f"Wrote {args.png}: the scoreboard of the {board.election_name}.", file=sys.stderr)
    if args.json:
        print(json.dumps(board.to_json(), indent=2, ensure_ascii=False))
    else:
        print(text_scoreboard(board))
        state = results.state_of_parties(election) if board.scope is None else None
        if state is not None:
            print(f"\n{state_of_parties_line(state, board)}")
    return EXIT_OK


class TooManyPosts(Exception):
    """An import that would flood the results channel: refused unless asked for."""

    def __init__(self, count: int, channels: list[str]) -> None:
        super().__init__(count)
        self.count = count
        self.channels = channels


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings, seed=False)
    post_to = None if args.no_post else settings.results_channels
    try:
        with db.transaction(store.sessions) as session:
            report = import_hoc(session, Path(args.path), post_to=post_to)
            if report.queued > args.max_posts:
                raise TooManyPosts(report.queued, report.queued_channels)
    except HocFormatError as error:
        print(f"Import refused, nothing was changed: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except TooManyPosts as error:
        print(
            f"Import refused, nothing was changed: it would post {error.count} results to "
            f"{', '.join(error.channels)}. Back-fill history with --no-post, "
            f"or allow it with --max-posts {error.count}.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    print(
        f"{report.contests} contests read from {len(report.files)} file(s): "
        f"{report.new} new, {report.corrected} changed (new version), {report.unchanged} unchanged."
    )
    if report.new_parties:
        parties = sorted(set(report.new_parties))
        listed = f": {', '.join(parties)}" if args.verbose else " (--verbose lists them)"
        print(f"{len(parties)} new parties added{listed}")
    if report.queued:
        print(f"{report.queued} new or changed result(s) queued for {', '.join(report.queued_channels)}.")
    for repair in report.repairs:
        print(f"Repaired: {repair}")
    if report.discrepancies:
        print(f"{report.discrepancy_count()} (stored as published):")
        for discrepancy in report.discrepancies:
            print(f"  {discrepancy}")
    return EXIT_OK


def _print_pa_report(report: PaReport, store: Store) -> None:
    """What became of each PA file, and each state of parties against our own tally."""
    for taken in report.taken:
        print(taken.describe())
        for disagreement in taken.disagreements:
            print(f"  PA disagrees (stored with the result, see `resultsbot history`): {disagreement}")
    for skipped in report.skipped:
        print(f"Skipped {skipped}")
    for refused in report.refused:
        print(f"Refused, left for a human: {refused}", file=sys.stderr)
    if report.states_of_parties and report.taken:
        store.results.refresh()  # this scan's results count in the tally PA's is compared with
    for taken_state in report.states_of_parties:
        name = Path(taken_state.path).name
        if taken_state.rehearsal:
            print(f"{name}: a PA Test file, kept for the {taken_state.election} in the rehearsal store")
            continue
        found = store.results.general_election_with_previous(taken_state.election_date.year)
        if found is None or found.date != taken_state.election_date:
            print(f"{name}: kept for the {taken_state.election}, which has no scoreboard to compare with")
            continue
        state = taken_state.state
        differences = state_of_parties_differences(state, found.scoreboard())
        if differences:
            for difference in differences:
                log.warning("%s: state of parties differs from our tally: %s", name, difference)
                print(f"{name}: state of parties differs from our tally: {difference}")
        else:
            print(f"{name}: PA's state of parties agrees with our tally ({state.results} results)")


def cmd_import_pa(args: argparse.Namespace, settings: Settings) -> int:
    """`resultsbot import pa PATH…`: PA files (or folders of them), each seat in its own transaction."""
    from bot.rehearsal import RehearsalStoreOnDemand
    from store.importers.pa_files import discover

    store = open_store(settings)
    channels = None if args.no_post else settings.results_channels
    missing = [path for path in args.paths if not Path(path).exists()]
    for path in missing:
        print(f"No such file or folder: {path}", file=sys.stderr)
    paths = feed_order(discover([Path(p) for p in args.paths if p not in missing]))
    rehearsal = RehearsalStoreOnDemand(settings)
    report = import_pa(store.sessions, paths, channels=channels, rehearsal=rehearsal.sessions)
    _print_pa_report(report, store)
    print(
        f"{len(paths)} PA file(s): {len(report.taken) + len(report.states_of_parties)} taken, "
        f"{len(report.skipped)} skipped, {len(report.refused)} refused."
    )
    if any(taken.rehearsal and taken.queued_channels for taken in report.taken):
        _post_rehearsal(rehearsal, settings, threading.Event())
    return EXIT_BAD_INPUT if report.refused or missing else EXIT_OK


def _post_rehearsal(rehearsal: RehearsalStoreOnDemand, settings: Settings, stop: threading.Event) -> None:
    """Deliver the posts PA Test files queued in the rehearsal store, labelled REHEARSAL, before exiting."""
    from bot.app import dispatch_client

    if not settings.slack_bot_token:
        print("Rehearsal posts wait in the rehearsal store: SLACK_BOT_TOKEN is not set.", file=sys.stderr)
        return
    rehearsal.start_posting(dispatch_client(settings))
    left = rehearsal.finish(stop, lambda line: print(line, flush=True))
    print("Rehearsal posts delivered (labelled REHEARSAL)." if not left else f"{left} rehearsal post(s) not sent.")


def cmd_import_candidates(args: argparse.Namespace, settings: Settings) -> int:
    """`resultsbot import candidates FILE.csv`: Democracy Club's candidates, a nominated contest a ballot."""
    from store.importers.candidates import import_candidates
    from store.importers.democracy_club import CandidatesFormatError

    path = Path(args.path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"Cannot read {path}: {getattr(error, 'strerror', None) or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    store = open_store(settings)
    try:
        report = import_candidates(store.sessions, text, path.name)
    except CandidatesFormatError as error:
        print(f"Import refused, nothing was changed: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for loaded in report.loaded:
        print(loaded)
    for skipped in report.skipped:
        print(f"Skipped {skipped}")
    for refused in report.refused:
        print(f"Not imported: {refused}", file=sys.stderr)
    print(
        f"{len(report.loaded) + len(report.skipped) + len(report.refused)} Westminster ballot(s): "
        f"{len(report.loaded)} imported, {len(report.skipped)} skipped, {len(report.refused)} not imported."
    )
    return EXIT_BAD_INPUT if report.refused else EXIT_OK


def cmd_watch_pa(args: argparse.Namespace, settings: Settings) -> int:
    """`resultsbot watch pa DIR`: take new and higher-revision PA files as they arrive."""
    from store.importers.pa_watch import PaFolderWatcher

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"No such folder: {folder}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.interval <= 0:
        print("--interval must be a number of seconds above 0", file=sys.stderr)
        return EXIT_BAD_INPUT
    mirror = None
    if args.ftp:
        from bot.pa_ftp import FtpMirror, connect

        host = settings.pa_ftp_host
        if not host:
            print("--ftp needs PA_FTP_HOST (and PA_FTP_USER, PA_FTP_PASSWORD); see .env.example", file=sys.stderr)
            return EXIT_BAD_INPUT
        user, password, remote = settings.pa_ftp_user, settings.pa_ftp_password, settings.pa_ftp_dir
        mirror = FtpMirror(lambda: connect(host, user, password, remote), folder)
    from bot.app import dispatch_client
    from bot.rehearsal import RehearsalStoreOnDemand

    store = open_store(settings)
    channels = None if args.no_post else settings.results_channels
    rehearsal = RehearsalStoreOnDemand(settings)

    def report(found: PaReport) -> None:
        _print_pa_report(found, store)
        if settings.slack_bot_token and any(taken.rehearsal and taken.queued_channels for taken in found.taken):
            rehearsal.start_posting(dispatch_client(settings))
        sys.stdout.flush()

    watcher = PaFolderWatcher(
        store.sessions,
        folder,
        channels=channels,
        on_report=report,
        before_scan=mirror.mirror if mirror else None,
        rehearsal=rehearsal.sessions,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    source = f" (mirroring {settings.pa_ftp_dir} from {settings.pa_ftp_host})" if mirror else ""
    print(f"Watching {folder}{source} every {args.interval:g} s (Ctrl-C to stop).", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        watcher.run(args.interval, stop)
    stop.set()
    left = rehearsal.finish(stop, lambda line: print(line, flush=True))
    if left:
        print(f"{left} rehearsal post(s) still wait in the rehearsal store: they go with its next posts.", flush=True)
    return EXIT_OK


def cmd_enter(args: argparse.Namespace, settings: Settings) -> int:
    """`resultsbot enter FILE|-`: one contest as JSON (or CSV with --csv), through the desk's door."""
    from bot.desk import Desk
    from store.contest_input import InvalidResult, desk_source, entry_from_csv, entry_from_json, parse_entry

    name = "standard input" if args.file == "-" else args.file
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else f"not UTF-8 text ({error.reason})"
        print(f"Cannot read {name}: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        data = entry_from_csv(text) if args.csv else entry_from_json(text)
        entry = parse_entry(
            data,
            entered_by=f"cli:{getpass.getuser()}",
            source=desk_source(getpass.getuser(), "resultsbot enter"),
            from_text=args.csv,
            force=args.force,
        )
        # The outcome is printed below; the desk's own log line would only say it again.
        logging.getLogger("bot.desk").setLevel(logging.WARNING)
        entered = Desk(open_store(settings), settings).enter(entry, post=not args.no_post)
    except InvalidResult as error:
        print(f"Not stored, nothing was changed. {name} has problems:", file=sys.stderr)
        for field, problem in error.problems.items():
            print(f"  {field}: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(entered.message)
    if entered.queued_channels:
        print("The running bot (resultsbot serve, or resultsbot dispatch) posts it within a second.")
    return EXIT_OK


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    """`resultsbot history SEAT`: every version of the contest, who entered it and when."""
    from handlers.history_text import history_lines
    from store.history import contest_history

    store = open_store(settings)
    answer = store.results.ask(" ".join(args.seat))
    if answer.kind != FOUND or answer.summary is None or answer.summary.contest_id is None:
        print(answer.message, file=sys.stderr)
        return EXIT_NOT_FOUND
    with store.sessions() as session:
        history = contest_history(session, answer.summary.contest_id)
    if history is None:
        print(f"No contest {answer.summary.contest_id}.", file=sys.stderr)
        return EXIT_NOT_FOUND
    print("\n".join(history_lines(history)))
    return EXIT_OK


def cmd_dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """`resultsbot dispatch`: deliver queued posts to Slack, alone (a separate worker)."""
    from bot.app import dispatch_client
    from bot.dispatcher import Dispatcher, DispatchSettings

    if not settings.slack_bot_token:
        print("resultsbot dispatch: SLACK_BOT_TOKEN is not set; see .env.example", file=sys.stderr)
        return EXIT_BAD_INPUT
    store = open_store(settings)
    dispatcher = Dispatcher(
        store.sessions, dispatch_client(settings), DispatchSettings.of(settings, lease_seconds=args.lease_seconds)
    )
    signal.signal(signal.SIGTERM, lambda *_: dispatcher.stop(timeout=0))
    try:
        dispatcher.run_forever()
    except KeyboardInterrupt:
        dispatcher.stop(timeout=0)
    return EXIT_OK


def cmd_rehearse(args: argparse.Namespace, settings: Settings) -> int:
    """`resultsbot rehearse ELECTION [--speed N] [--channel C[=FOLLOW]]… [--from HH:MM] [--until HH:MM]`."""
    from bot.app import dispatch_client
    from bot.dispatcher import DispatchSettings
    from bot.rehearsal import REHEARSAL_LABEL, RehearsalRefused, rehearse
    from store.rehearsal import NothingToReplay

    if not settings.slack_bot_token:
        print(
            "resultsbot rehearse: SLACK_BOT_TOKEN is not set; a rehearsal posts to Slack (point SLACK_API_URL "
            "at a fake Slack to rehearse without one); see .env.example",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.speed <= 0:
        print("resultsbot rehearse: --speed must be above 0", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.channel:
        print("resultsbot rehearse: name a rehearsal channel: --channel C (or C=gains, C=scotland…)", file=sys.stderr)
        return EXIT_BAD_INPUT
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        report = rehearse(
            settings,
            args.election,
            channels=args.channel,
            speed=args.speed,
            start=args.start,
            end=args.end,
            from_pa=Path(args.from_pa) if args.from_pa else None,
            client=dispatch_client(settings),
            # RESULTSBOT_DIGEST_AFTER applies to a rehearsal as to the night.
            dispatch_settings=DispatchSettings.of(settings, label=REHEARSAL_LABEL),
            stop=stop,
            say=lambda line: print(line, flush=True),
        )
    except (RehearsalRefused, NothingToReplay) as refused:
        print(f"Rehearsal refused, nothing was changed: {refused}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        stop.set()
        print("Rehearsal stopped.", file=sys.stderr)
        return EXIT_OK
    return EXIT_OK if report.left_undelivered == 0 or report.stopped else EXIT_UNAVAILABLE


def _clock(value: str) -> dt.time:
    """`--from`/`--until`: a time of day, HH:MM."""
    try:
        return dt.datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a time like 02:30, not {value!r}") from None


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

    ask = commands.add_parser(
        "ask",
        help="a seat's result, a candidate, or a question about an election, e.g. `resultsbot ask copeland 2017`, "
        "`resultsbot ask labour gains 2024`",
    )
    ask.add_argument(
        "query", nargs="+", help="a seat name (optionally with a year or 'by-election'), a name or a question"
    )
    ask.add_argument("--json", action="store_true", help="print every figure as JSON, unrounded")
    ask.add_argument("--all", action="store_true", help="a list in full, not cut to its first 15 seats")
    ask.set_defaults(handler=cmd_ask)

    scoreboard = commands.add_parser(
        "scoreboard", help="a general election's seats, gains, votes and shares by party (default: the latest)"
    )
    scoreboard.add_argument("election", nargs="?", type=int, help="the year of the general election")
    where = scoreboard.add_mutually_exclusive_group()
    where.add_argument("--nation", help="England, Scotland, Wales or Northern Ireland")
    where.add_argument("--region", help="a region as the Library names it, e.g. 'North East'")
    scoreboard.add_argument("--json", action="store_true", help="print every figure as JSON, unrounded")
    scoreboard.add_argument("--png", metavar="FILE", help="also write the scoreboard as a picture (PNG)")
    scoreboard.set_defaults(handler=cmd_scoreboard)

    chart = commands.add_parser("chart", help="write a result's card (a PNG), e.g. `resultsbot chart copeland 2017`")
    chart.add_argument("query", nargs="+", help="what `ask` takes: a seat name, optionally with a year")
    chart.add_argument(
        "-o", "--output", metavar="FILE.png", help="where to write it (default: SEAT-DATE.png in this folder)"
    )
    chart.set_defaults(handler=cmd_chart)

    importer = commands.add_parser("import", help="load results files")
    sources = importer.add_subparsers(dest="source", required=True)
    hoc = sources.add_parser("hoc", help="House of Commons Library CSV files (a folder or one file)")
    hoc.add_argument("path")
    hoc.add_argument("--no-post", action="store_true", help="back-fill history without posting to Slack")
    hoc.add_argument(
        "--max-posts",
        type=int,
        default=50,
        help="refuse an import that would post more results than this (default 50)",
    )
    hoc.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="list new parties")
    hoc.set_defaults(handler=cmd_import)
    pa = sources.add_parser("pa", help="PA Media XML files (result, rush, recount, nominations, SOP) or folders")
    pa.add_argument("paths", nargs="+", metavar="PATH")
    pa.add_argument("--no-post", action="store_true", help="store without posting to Slack")
    pa.set_defaults(handler=cmd_import_pa)
    candidates = sources.add_parser(
        "candidates", help="Democracy Club's candidates CSV: each Westminster ballot's nominated candidates"
    )
    candidates.add_argument("path", metavar="FILE.csv")
    candidates.set_defaults(handler=cmd_import_candidates)

    watch = commands.add_parser("watch", help="take results files as they arrive in a folder")
    feeds = watch.add_subparsers(dest="feed", required=True)
    watch_pa = feeds.add_parser("pa", help="a folder mirrored from PA's FTP server")
    watch_pa.add_argument("folder")
    watch_pa.add_argument("--interval", type=float, default=20.0, help="seconds between looks (default 20)")
    watch_pa.add_argument("--no-post", action="store_true", help="store without posting to Slack")
    watch_pa.add_argument(
        "--ftp", action="store_true", help="first copy new files from PA's FTP server (PA_FTP_* settings) into DIR"
    )
    watch_pa.set_defaults(handler=cmd_watch_pa)

    serve = commands.add_parser("serve", help="run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP)")
    serve.set_defaults(handler=cmd_serve)

    enter = commands.add_parser("enter", help="enter one contest's result (JSON; see README) and post it")
    enter.add_argument("file", help="a JSON file, or - for standard input")
    enter.add_argument("--csv", action="store_true", help="the file is CSV, one row per candidate (see README)")
    enter.add_argument("--no-post", action="store_true", help="store without posting to Slack")
    enter.add_argument(
        "--force",
        action="store_true",
        help="store a declaration time that looks wrong (in the future, or before the election)",
    )
    enter.set_defaults(handler=cmd_enter)

    history = commands.add_parser("history", help="every version of a seat's result, who entered it and when")
    history.add_argument("seat", nargs="+")
    history.set_defaults(handler=cmd_history)

    dispatch = commands.add_parser("dispatch", help="deliver queued result posts to Slack (a separate worker)")
    dispatch.add_argument(
        "--lease-seconds",
        type=float,
        default=60.0,
        help="how long a claimed post is held before another dispatcher may take it over (default 60)",
    )
    dispatch.set_defaults(handler=cmd_dispatch)

    rehearse = commands.add_parser(
        "rehearse",
        help="replay a past general election into rehearsal channels (a store of its own; every post "
        "labelled REHEARSAL)",
    )
    rehearse.add_argument("election", type=int, metavar="ELECTION", help="the year of the general election, e.g. 2019")
    rehearse.add_argument(
        "--speed", type=float, default=1.0, help="replay N times faster than the declarations came (default 1)"
    )
    rehearse.add_argument(
        "--channel",
        action="append",
        default=[],
        metavar="C[=FOLLOW]",
        help="a rehearsal channel's ID and what it follows, as `/result follow` takes it (default all), "
        "e.g. C0123=gains; repeatable",
    )
    rehearse.add_argument(
        "--from", dest="start", type=_clock, metavar="HH:MM", help="replay only results declared from this time"
    )
    rehearse.add_argument(
        "--until", dest="end", type=_clock, metavar="HH:MM", help="replay only results declared until this minute"
    )
    rehearse.add_argument(
        "--from-pa",
        metavar="DIR",
        help="replay this folder of PA (Test) files instead, in the order of their declaration times",
    )
    rehearse.set_defaults(handler=cmd_rehearse)

    database = commands.add_parser("db", help="database schema")
    actions = database.add_subparsers(dest="action", required=True)
    upgrade = actions.add_parser("upgrade", help="apply migrations (default: to the newest)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=cmd_db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except BadSetting as error:
        print(f"resultsbot: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else getattr(logging, settings.log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Alembic announces its context on every start; only its warnings matter to a user.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from bot.run import run_default

            return run_default(settings)
        return int(handler(args, settings))
    except OperationalError as error:
        if not db.is_unreachable(error):
            raise
        where = db.safe_url(settings.database_url)
        print(f"resultsbot: cannot reach the database at {where}: {db.describe_error(error)}", file=sys.stderr)
        return EXIT_UNAVAILABLE


def console_main() -> None:
    """The `resultsbot` console script."""
    # `resultsbot ask … | head` should stop quietly, not with a broken-pipe trace. Not by restoring
    # SIGPIPE's default: that would apply to `serve` too, where a worker process that dies (its pool's
    # pipe then has no reader) or a client that hangs up would kill the whole bot.
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader has gone: what is still buffered for it cannot be written at exit either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_BROKEN_PIPE
    sys.exit(code)


if __name__ == "__main__":
    console_main()
