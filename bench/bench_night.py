"""Election-night load on `resultsbot serve` running as its own process, as in production.

    python bench/bench_night.py [--acks 400] [--concurrency 8] [--ingests 4] [--candidates 200] [--workers 2]

1. Resident memory: idle, after every kind of question has been asked about every election in the
   store, and after 16 unsigned 10 MB bodies.
2. Signed `/result` commands, `--concurrency` at a time: the ack round trip's p50/p99 (Slack gives up
   at 3 s), first alone, then while `--ingests` senders keep posting results of `--candidates`
   candidates to /ingest.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import urllib.error
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_store import percentile, realistic_queries  # noqa: E402
from bot.bootstrap import BUNDLED_DATA, load_bundled  # noqa: E402
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
        "electorate": 200_000,
        "valid_votes": sum(p["votes"] for p in people),
        "rejected": 0,
        "candidates": people,
    }


def acks(url: str, response_url: str, queries: list[str], concurrency: int, *, bursts: bool) -> list[float]:
    """Ack round trips (ms) of signed /result commands. `bursts`: `concurrency` commands sent at the
    same moment, then a 100 ms pause, as a desk's reporters ask; else back to back from `concurrency`
    senders, which keeps the server saturated (a worst case). Run in a process of its own (see
    `acks_apart`), so what is measured is the server, not the interpreter lock of the process that
    also plays Slack and sends the ingests."""

    def one(index: int) -> float:
        body = slash_command_body(text=queries[index], response_url=f"{response_url}{index}")
        started = time.perf_counter()
        status, _, _ = post_signed(f"{url}/slack/events", SECRET, body)
        assert status == 200, status
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(concurrency) as pool:
        if not bursts:
            return list(pool.map(one, range(len(queries))))
        times: list[float] = []
        for start in range(0, len(queries), concurrency):
            times += pool.map(one, range(start, min(start + concurrency, len(queries))))
            time.sleep(0.1)
        return times


def acks_apart(
    senders: ProcessPoolExecutor, url: str, slack: FakeSlack, queries: list[str], concurrency: int, *, bursts: bool
) -> list[float]:
    return senders.submit(acks, url, slack.response_url("a"), queries, concurrency, bursts=bursts).result()


def acks_under_ingest(url: str, slack: FakeSlack, names: list[str], args: argparse.Namespace) -> None:
    queries = realistic_queries(names, args.acks)
    senders = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    acks_apart(senders, url, slack, queries[:50], args.concurrency, bursts=False)  # warm the server
    stop = threading.Event()
    outcomes: list[int] = []

    def keep_ingesting(worker: int) -> None:
        seat = worker * 10_000
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
        while not stop.is_set():
            seat += 1
            outcomes.append(post(f"{url}/ingest", json.dumps(big_result(seat, args.candidates)), headers)[0])

    for ingesting in (False, True):
        feeders = [threading.Thread(target=keep_ingesting, args=(n,)) for n in range(args.ingests if ingesting else 0)]
        for feeder in feeders:
            feeder.start()
        time.sleep(0.5 if ingesting else 0)
        for bursts in (True, False):
            times = acks_apart(senders, url, slack, queries, args.concurrency, bursts=bursts)
            how = "in bursts of" if bursts else "back to back from"
            during = (
                f"while {args.ingests} senders ingest results of {args.candidates} candidates" if ingesting else "alone"
            )
            print(
                f"/result ack, {how} {args.concurrency}, {during}: p50 {percentile(times, 0.5):.1f} ms, "
                f"p99 {percentile(times, 0.99):.1f} ms, max {max(times):.1f} ms"
            )
        stop.set()
        for feeder in feeders:
            feeder.join()
        stop.clear()
    senders.shutdown()
    print(
        f"ingests meanwhile: {outcomes.count(201)} stored, {outcomes.count(503)} told to retry, "
        f"{len(outcomes) - outcomes.count(201) - outcomes.count(503)} other"
    )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def memory(pid: int) -> str:
    """The serving process's resident memory, and its worker processes' (bot.workers) beside it."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = [rss_mb(int(c)) for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
    return f"{rss_mb(pid):.0f} MB (+ {len(workers)} workers: {' + '.join(f'{w:.0f}' for w in workers)} MB)"


def questions_for(service: ResultsService) -> list[str]:
    """Every kind of question about every election: each seat (latest, and in the last two years
    with elections), and for each year the lists and pointed questions."""
    names = list(service.directory.contests_by_name)
    years = sorted({c.election_date.year for cs in service.directory.contests_by_name.values() for c in cs})
    questions = names + [f"{name} {year}" for name in names for year in years[-2:]]
    for year in years:
        questions += [
            f"closest results of the {year} election",
            f"conservative gains in {year}",
            f"labour gains in {year}",
            f"turnout in copeland {year}",
            f"who won hartlepool {year}",
        ]
    return questions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--acks", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--ingests", type=int, default=4)
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument(
        "--workers", type=int, default=2, help="RESULTSBOT_WORKERS for serve (0: one process does everything)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, FakeSlack() as slack:
        database = Path(folder) / "results.db"
        engine = db.make_engine(f"sqlite:///{database}")
        db.upgrade(engine)
        sessions = db.session_factory(engine)
        load_bundled(sessions, BUNDLED_DATA)
        service = ResultsService(sessions)
        names = list(service.directory.contests_by_name)
        questions = questions_for(service)
        engine.dispose()
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_APP_TOKEN": "",
            "SLACK_API_URL": slack.base_url,
            "RESULTSBOT_RESULTS_CHANNEL": "",
            "RESULTSBOT_INGEST_TOKEN": TOKEN,
            "LOG_LEVEL": "WARNING",
            "RESULTSBOT_WORKERS": str(args.workers),
        }
        # resultsbot serve in a process of its own, as in production: this process only sends.
        with serve_process(database, env) as running:
            pid = running.process.pid
            time.sleep(5)  # the workers load their store
            idle = memory(pid)
            with ThreadPoolExecutor(4) as pool:
                asked = sum(
                    status == 200
                    for status, _, _ in pool.map(
                        lambda q: post_signed(
                            f"{running.url}/slack/events",
                            SECRET,
                            slash_command_body(text=q, response_url=slack.response_url("m")),
                        ),
                        questions,
                    )
                )
            time.sleep(2)
            asked_rss = memory(pid)
            hostile = os.urandom(10_000_000)
            for _ in range(16):
                # waitress hangs up on a body past its cap, as it should.
                with contextlib.suppress(urllib.error.URLError):
                    post(f"{running.url}/slack/events", hostile, {"Content-Type": "application/json"})
            time.sleep(1)
            after_hostile = memory(pid)
            acks_under_ingest(running.url, slack, names, args)
            log_bytes = len(running.output)
        print(
            f"serve RSS: idle {idle}; after {asked} questions (every seat, every kind, every election) "
            f"{asked_rss}; after 16 unsigned 10 MB bodies {after_hostile} "
            f"(log {log_bytes / 1024:.0f} KB in all, at WARNING)"
        )


if __name__ == "__main__":
    main()
