"""End to end over HTTP: signed `/result` requests against the full bundled store, as Slack sends them.

    python bench/bench_slack.py [--requests 400] [--concurrency 4]

Reports, for resultsbot and for a Bolt app whose `/result` listener only acks (Bolt's own floor):
the HTTP round trip (Slack waits for this: the ack), requests/s under concurrency, and for
resultsbot the time until the reply reaches the response_url (what the reporter waits for).
Both apps run behind the same server (waitress) with the same signing secret.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt import Ack, App  # noqa: E402

from bench.bench_store import percentile, realistic_queries  # noqa: E402
from bench.scratch import loaded_store  # noqa: E402
from bot.app import create_app, web_client  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.server import HttpServer, make_wsgi  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402
from tests.slack_signing import post_signed, slash_command_body  # noqa: E402

SECRET = "bench-signing-secret"


def floor_app(settings: Settings) -> App:
    app = App(token=settings.slack_bot_token, signing_secret=SECRET, client=web_client(settings))

    @app.command("/result")
    def only_ack(ack: Ack) -> None:
        ack()

    return app


def hammer(url: str, slack: FakeSlack, queries: list[str], concurrency: int) -> tuple[list[float], float]:
    """Round-trip times (ms) of signed /result requests, and requests per second."""
    times: list[float] = []
    lock = threading.Lock()

    def one(index: int) -> None:
        body = slash_command_body(text=queries[index], response_url=slack.response_url(f"r{index}"))
        started = time.perf_counter()
        status, _, _ = post_signed(f"{url}/slack/events", SECRET, body)
        elapsed = (time.perf_counter() - started) * 1000
        assert status == 200, status
        with lock:
            times.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(len(queries))))
    return times, len(queries) / (time.perf_counter() - started)


def reply_times(url: str, slack: FakeSlack, queries: list[str], run: str) -> list[float]:
    """Sequential: time from sending the command to its reply arriving at the response_url (ms)."""
    out = []
    for index, query in enumerate(queries):
        name = f"{run}{index}"
        body = slash_command_body(text=query, response_url=slack.response_url(name))
        sent = time.time()
        post_signed(f"{url}/slack/events", SECRET, body)
        (call,) = slack.wait_for("response_url", where=lambda c, n=name: c.path.endswith(n), timeout=10)
        out.append((call.time - sent) * 1000)
    return out


def report(label: str, times: list[float], rate: float | None = None) -> None:
    line = (
        f"{label}: p50 {percentile(times, 0.5):.1f} ms, p99 {percentile(times, 0.99):.1f} ms, "
        f"mean {statistics.fmean(times):.1f} ms"
    )
    if rate is not None:
        line += f", {rate:.0f} requests/s"
    print(line)


def run(label: str, make: Callable[[], App], slack: FakeSlack, queries: list[str], concurrency: int) -> list[float]:
    server = HttpServer(make_wsgi(make(), signing_secret=SECRET), host="127.0.0.1", port=0).start()
    try:
        hammer(server.url, slack, queries[-50:], concurrency)  # warm up the server, not the answers
        sequential, _ = hammer(server.url, slack, queries, 1)
        report(f"{label} ack round trip (sequential)", sequential)
        concurrent, rate = hammer(server.url, slack, queries, concurrency)
        report(f"{label} ack round trip ({concurrency} at once)", concurrent, rate)
        return sequential
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with loaded_store() as store, FakeSlack() as slack:
        settings = Settings(
            database_url="sqlite://",
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            slack_api_url=slack.base_url,
        )
        names = list(store.results.directory.contests_by_name)
        queries = realistic_queries(names, args.requests)
        floor = run("Bolt floor (ack only)", lambda: floor_app(settings), slack, queries, args.concurrency)
        ours = run("resultsbot /result", lambda: create_app(settings, store), slack, queries, args.concurrency)
        print(f"resultsbot / floor at p50: {percentile(ours, 0.5) / percentile(floor, 0.5):.2f}x")
        server = HttpServer(
            make_wsgi(create_app(settings, store), signing_secret=SECRET), host="127.0.0.1", port=0
        ).start()
        try:
            sample = queries[: min(200, len(queries))]
            store.results.refresh()  # cold: no summary cached yet, as for a seat nobody has asked about
            assert store.results.directory is not None
            report(
                "resultsbot command -> reply at response_url (cold, sequential)",
                reply_times(server.url, slack, sample, "cold"),
            )
            report(
                "resultsbot command -> reply at response_url (warm, sequential)",
                reply_times(server.url, slack, sample, "warm"),
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
