"""Automatic-post latency: from the commit of an entered result to the post reaching Slack.

    python bench/bench_dispatch.py [--results 60] [--interval 1.1] [--channels 2] [--database-url URL] [--flash]

Slack is the fake Web API server on 127.0.0.1 (healthy). Results are entered through the desk's one
door (as the CLI, the modal and /ingest do) while `resultsbot serve`'s dispatcher thread runs, at a
steady pace across channels; prints p50/p99/max of commit -> chat.postMessage received. Slack allows
about one message a second per channel, so results entered faster than that queue by design.

`--flash`: each seat is first entered as a rush (the winner flashed, no figures), its full result half
an interval later; prints commit -> flash post received and full result's commit -> the flash edited
into the result (chat.update received).

    python bench/bench_dispatch.py --replay 03:00-04:00 [--speed 10] [--digest-after 10] [--database-url URL]

`--replay FROM-TO`: the 2019 general election night's declarations between those times (the Library's
declaration times, to the minute; a minute's declarations spread evenly over it), replayed `--speed`
times as fast into one channel following all results, over the seats' 2017 results (so gains are gains).
At Slack's pace a channel that falls behind gets its waiting results folded into digests; prints
commit -> the result's appearance in the channel (its own post or a digest's line) p50/p99/max, and
how many results went out as posts of their own and as digest lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from bench.bench_store import percentile  # noqa: E402
from bench.scratch import scratch_engine  # noqa: E402
from bot.app import dispatch_client  # noqa: E402
from bot.bootstrap import Store  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.desk import Desk  # noqa: E402
from bot.dispatcher import Dispatcher, DispatchSettings  # noqa: E402
from store import db  # noqa: E402
from store.answers import ResultsService  # noqa: E402
from store.contest_input import parse_entry  # noqa: E402
from store.models import OutboxEntry  # noqa: E402
from tests import pa_fixtures  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402
from tests.integration import published  # noqa: E402
from tests.results import digest_ids, digests, load_library_seats, posted_results, shown_ids  # noqa: E402


def entry(seat: int) -> dict:
    return {
        "election": {"date": "2026-12-10", "kind": "by-election"},
        "constituency": {"ons_id": f"E148{seat:05d}", "name": f"Benchshire {seat}"},
        "electorate": 70_000,
        "valid_votes": 26_000,
        "rejected": 40,
        "candidates": [
            {"name": f"Ann {seat}", "party": "Lab", "votes": 14_000},
            {"name": f"Ben {seat}", "party": "Con", "votes": 12_000},
        ],
    }


def rush(seat: int) -> dict:
    full = entry(seat)
    return {"election": full["election"], "constituency": full["constituency"], "status": "rush", "winner_party": "Lab"}


def report(label: str, latencies: list[float]) -> None:
    print(
        f"{label}: p50 {percentile(latencies, 0.5):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms, "
        f"max {max(latencies):.0f} ms, mean {statistics.fmean(latencies):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", type=int, default=60)
    parser.add_argument("--interval", type=float, default=1.1, help="seconds between entered results")
    parser.add_argument("--channels", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--flash", action="store_true", help="a rush first, then the full result")
    parser.add_argument("--replay", metavar="FROM-TO", help="the 2019 night's declarations between these times")
    parser.add_argument("--speed", type=float, default=10.0, help="how many times as fast as the night")
    parser.add_argument("--digest-after", type=float, default=10.0, help="seconds behind before folding")
    args = parser.parse_args()
    if args.replay:
        replay(args)
        return
    channels = tuple(f"CBENCH{i}" for i in range(args.channels))
    with scratch_engine(args.database_url) as engine, FakeSlack() as slack:
        url = engine.url.render_as_string(hide_password=False)
        sessions = db.session_factory(engine)
        store = Store(engine, sessions, ResultsService(sessions))
        settings = Settings(
            database_url=url, slack_bot_token="xoxb-bench", slack_api_url=slack.base_url, results_channels=channels
        )
        dispatcher = Dispatcher(sessions, dispatch_client(settings)).start()
        desk = Desk(store, settings, dispatcher)
        committed: dict[str, float] = {}
        flashed: dict[str, float] = {}
        started = time.perf_counter()
        for seat in range(args.results):
            target = started + seat * args.interval
            time.sleep(max(0.0, target - time.perf_counter()))
            if args.flash:
                desk.enter(parse_entry(rush(seat), entered_by="bench"))
                flashed[f"FLASH: Lab WIN Benchshire {seat}"] = time.time()
                time.sleep(args.interval / 2)
            desk.enter(parse_entry(entry(seat), entered_by="bench"))
            committed[f"Benchshire {seat} "] = time.time()
        expected = args.results * len(channels)
        wait = args.results * args.interval + 60
        slack.wait_for("chat.update" if args.flash else "chat.postMessage", count=expected, timeout=wait)
        dispatcher.stop()
        print(
            f"{args.results} results entered every {args.interval:.2f} s, {len(channels)} channel(s); "
            f"backend {engine.dialect.name}"
        )
        if args.flash:
            flashes = [
                (call.time - flashed[text]) * 1000
                for call in slack.calls_to("chat.postMessage")
                if (text := str(call.params.get("text", ""))) in flashed
            ]
            report(f"rush commit -> flash post received ({len(flashes)} posts)", flashes)
        method = "chat.update" if args.flash else "chat.postMessage"
        latencies = []
        for call in slack.calls_to(method):
            seat = str(call.params.get("text", "")).split("(")[0]
            if seat in committed:
                latencies.append((call.time - committed[seat]) * 1000)
        what = "the flash edited into the result" if args.flash else "post received"
        report(f"commit -> {what} ({len(latencies)} messages)", latencies)


def declarations(window: str) -> list[tuple[float, str]]:
    """(seconds into the window, ONS ID) of the 2019 declarations in `window` ("03:00-04:00"), in order;
    a minute's declarations spread evenly over it."""
    evening = dt.datetime(2019, 12, 12, 18, 0)
    start, end = (dt.datetime.combine(evening.date(), dt.time.fromisoformat(t)) for t in window.split("-"))
    start, end = (t + dt.timedelta(days=1) if t < evening else t for t in (start, end))
    by_minute: dict[dt.datetime, list[str]] = defaultdict(list)
    for row in published.declared_first(58, 650):
        declared = dt.datetime.strptime(row["Declaration time"], "%d/%m/%Y %H:%M")
        if start <= declared < end:
            by_minute[declared].append(row["ONS ID"])
    return [
        ((minute - start).total_seconds() + 60 * i / len(seats), ons_id)
        for minute, seats in sorted(by_minute.items())
        for i, ons_id in enumerate(seats)
    ]


def replay(args: argparse.Namespace) -> None:
    channel = "CBENCH0"
    night = declarations(args.replay)
    seats = tuple(ons_id for _, ons_id in night)
    entries = {
        ons_id: parse_entry(pa_fixtures.library_entry(pa_fixtures.library_seat(58, ons_id)), entered_by="bench")
        for ons_id in seats
    }
    with scratch_engine(args.database_url) as engine, FakeSlack() as slack, tempfile.TemporaryDirectory() as folder:
        url = engine.url.render_as_string(hide_password=False)
        sessions = db.session_factory(engine)
        load_library_seats(sessions, Path(folder), seats)  # the 2017 results: gains are gains
        store = Store(engine, sessions, ResultsService(sessions))
        settings = Settings(
            database_url=url, slack_bot_token="xoxb-bench", slack_api_url=slack.base_url, results_channels=(channel,)
        )
        dispatch = DispatchSettings(digest_after_seconds=args.digest_after, result_cards=False)
        dispatcher = Dispatcher(sessions, dispatch_client(settings), dispatch).start()
        desk = Desk(store, settings, dispatcher)
        committed: dict[int, float] = {}
        started = time.perf_counter()
        for offset, ons_id in night:
            time.sleep(max(0.0, started + offset / args.speed - time.perf_counter()))
            entered = desk.enter(entries[ons_id])
            committed[entered.contest_id] = time.time()
        deadline = time.monotonic() + 120
        while len(shown_ids(slack, channel)) < len(night) and time.monotonic() < deadline:
            time.sleep(0.1)
        dispatcher.stop()
        with sessions() as session:
            contest_of = dict(session.execute(select(OutboxEntry.id, OutboxEntry.contest_id)).all())
        # The fake's message ts is the wall-clock time it stored the message.
        appeared = {
            message["metadata"]["event_payload"]["outbox_id"]: float(message["ts"])
            for message in posted_results(slack, channel)
        }
        folded = digests(slack, channel)
        lines = sum(len(digest_ids(digest)) for digest in folded)
        appeared.update({entry_id: float(digest["ts"]) for digest in folded for entry_id in digest_ids(digest)})
        latencies = [(appeared[e] - committed[contest_of[e]]) * 1000 for e in appeared]
        twice = sum(1 for n in shown_ids(slack, channel).values() if n > 1)
        print(
            f"2019 declarations {args.replay} ({len(night)}) replayed {args.speed:g}x into one channel, digests "
            f"after {args.digest_after:g} s behind; backend {engine.dialect.name}"
        )
        report(f"commit -> shown in the channel ({len(latencies)} results)", latencies)
        print(
            f"{len(latencies) - lines} posts of their own, {lines} digest lines in {len(folded)} digests; "
            f"missing {len(night) - len(appeared)}, shown twice {twice}"
        )


if __name__ == "__main__":
    main()
