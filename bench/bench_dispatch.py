"""Automatic-post latency: from the commit of an entered result to the post reaching Slack.

    python bench/bench_dispatch.py [--results 60] [--interval 1.1] [--channels 2] [--database-url URL] [--flash]

Slack is the fake Web API server on 127.0.0.1 (healthy). Results are entered through the desk's one
door (as the CLI, the modal and /ingest do) while `resultsbot serve`'s dispatcher thread runs, at a
steady pace across channels; prints p50/p99/max of commit -> chat.postMessage received. Slack allows
about one message a second per channel, so results entered faster than that queue by design.

`--flash`: each seat is first entered as a rush (the winner flashed, no figures), its full result half
an interval later; prints commit -> flash post received and full result's commit -> the flash edited
into the result (chat.update received).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_store import percentile  # noqa: E402
from bench.scratch import scratch_engine  # noqa: E402
from bot.app import dispatch_client  # noqa: E402
from bot.bootstrap import Store  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.desk import Desk  # noqa: E402
from bot.dispatcher import Dispatcher  # noqa: E402
from store import db  # noqa: E402
from store.answers import ResultsService  # noqa: E402
from store.contest_input import parse_entry  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402


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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
