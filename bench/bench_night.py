"""Election-night load, side by side in one run: Slack acks while ingests run, and what serving costs
in memory.

    python bench/bench_night.py [--acks 400] [--concurrency 8] [--ingests 4] [--candidates 200]

1. Signed `/result` commands, `--concurrency` at a time, against the app and /ingest in one server
   (as `resultsbot serve` runs them), first alone, then while `--ingests` senders keep posting results
   of `--candidates` candidates: the ack round trip's p50/p99 (Slack gives up at 3 s).
2. `resultsbot serve` as its own process: resident memory idle, after every kind of question has been
   asked about every election in the store, and after 16 unsigned 10 MB bodies.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_store import percentile, realistic_queries  # noqa: E402
from bench.scratch import loaded_store  # noqa: E402
from bot.app import create_runtime, dispatch_client, web_client  # noqa: E402
from bot.bootstrap import BUNDLED_DATA, load_bundled  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.server import HttpServer  # noqa: E402
from store import db  # noqa: E402
from store.answers import ResultsService  # noqa: E402
from tests.e2e.serving import serve_process  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402
from tests.slack_signing import post, post_signed, slash_command_body  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "bench-ingest-token-0123456789"


def big_result(seat: int, candidates: int) -> dict:
    people = [{"name": f"Candidate {n}", "party": "Ind", "votes": 100 + n} for n in range(candidates)]
    return {
        "election": {"date": "2026-12-10", "kind": "by-election"},
        "constituency": {"ons_id": f"E149{seat:05d}", "name": f"Benchshire {seat}"},
        "electorate": 10_000_000,
        "valid_votes": sum(p["votes"] for p in people),
        "rejected": 0,
        "candidates": people,
    }


def acks(url: str, slack: FakeSlack, queries: list[str], concurrency: int) -> list[float]:
    def one(index: int) -> float:
        body = slash_command_body(text=queries[index], response_url=slack.response_url(f"a{index}"))
        started = time.perf_counter()
        status, _, _ = post_signed(f"{url}/slack/events", SECRET, body)
        assert status == 200, status
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(len(queries))))


def acks_under_ingest(args: argparse.Namespace) -> None:
    with loaded_store() as store, FakeSlack() as slack:
        settings = Settings(
            database_url="sqlite://",
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            slack_api_url=slack.base_url,
            ingest_token=TOKEN,
        )
        runtime = create_runtime(
            settings, store, client=web_client(settings), dispatcher_client=dispatch_client(settings)
        )
        server = HttpServer(runtime.wsgi, host="127.0.0.1", port=0).start()
        queries = realistic_queries(list(store.results.directory.contests_by_name), args.acks)
        try:
            acks(server.url, slack, queries[:50], args.concurrency)  # warm the server
            alone = acks(server.url, slack, queries, args.concurrency)
            stop = threading.Event()
            outcomes: list[int] = []

            def keep_ingesting(worker: int) -> None:
                seat = worker * 10_000
                headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
                while not stop.is_set():
                    seat += 1
                    body = json.dumps(big_result(seat, args.candidates))
                    outcomes.append(post(f"{server.url}/ingest", body, headers)[0])

            feeders = [threading.Thread(target=keep_ingesting, args=(n,)) for n in range(args.ingests)]
            for feeder in feeders:
                feeder.start()
            time.sleep(0.5)
            loaded = acks(server.url, slack, queries, args.concurrency)
            stop.set()
            for feeder in feeders:
                feeder.join()
        finally:
            server.stop()
        stored = outcomes.count(201)
        print(
            f"/result ack, {args.concurrency} at once, alone: p50 {percentile(alone, 0.5):.1f} ms, "
            f"p99 {percentile(alone, 0.99):.1f} ms"
        )
        print(
            f"/result ack, {args.concurrency} at once, while {args.ingests} senders ingest results of "
            f"{args.candidates} candidates: p50 {percentile(loaded, 0.5):.1f} ms, "
            f"p99 {percentile(loaded, 0.99):.1f} ms, "
            f"max {max(loaded):.1f} ms ({stored} results stored meanwhile, {len(outcomes) - stored} told to retry)"
        )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def serving_memory() -> None:
    with tempfile.TemporaryDirectory() as folder, FakeSlack() as slack:
        database = Path(folder) / "results.db"
        engine = db.make_engine(f"sqlite:///{database}")
        db.upgrade(engine)
        sessions = db.session_factory(engine)
        load_bundled(sessions, BUNDLED_DATA)
        service = ResultsService(sessions)
        names = list(service.directory.contests_by_name)
        years = sorted({c.election_date.year for cs in service.directory.contests_by_name.values() for c in cs})
        engine.dispose()
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_APP_TOKEN": "",
            "SLACK_API_URL": slack.base_url,
            "RESULTSBOT_RESULTS_CHANNEL": "",
            "LOG_LEVEL": "WARNING",
        }
        with serve_process(database, env) as running:
            pid = running.process.pid
            time.sleep(1)
            idle = rss_mb(pid)
            questions = [name for name in names] + [f"{name} {year}" for name in names for year in years[-2:]]
            for year in years:
                questions += [
                    f"closest results of the {year} election",
                    f"conservative gains in {year}",
                    f"labour gains in {year}",
                    f"turnout in copeland {year}",
                    f"who won hartlepool {year}",
                ]
            asked = 0
            with ThreadPoolExecutor(4) as pool:
                for status, _, _ in pool.map(
                    lambda q: post_signed(
                        f"{running.url}/slack/events",
                        SECRET,
                        slash_command_body(text=q, response_url=slack.response_url("m")),
                    ),
                    questions,
                ):
                    asked += status == 200
            time.sleep(2)
            asked_rss = rss_mb(pid)
            hostile = os.urandom(10_000_000)
            for _ in range(16):
                # waitress hangs up on a body past its cap, as it should.
                with contextlib.suppress(urllib.error.URLError):
                    post(f"{running.url}/slack/events", hostile, {"Content-Type": "application/json"})
            time.sleep(1)
            after_hostile = rss_mb(pid)
            log_bytes = len(running.output)
        print(
            f"serve RSS: idle {idle:.0f} MB; after {asked} questions (every seat, every kind, every election) "
            f"{asked_rss:.0f} MB; after 16 unsigned 10 MB bodies {after_hostile:.0f} MB "
            f"(log {log_bytes / 1024:.0f} KB in all)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--acks", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--ingests", type=int, default=4)
    parser.add_argument("--candidates", type=int, default=200)
    args = parser.parse_args()
    acks_under_ingest(args)
    serving_memory()


if __name__ == "__main__":
    main()
