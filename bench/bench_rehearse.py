"""A rehearsal's latency: `resultsbot rehearse 2019 --speed N` into three channels (all, gains,
Scotland) with the live scoreboard on, against the fake Slack on 127.0.0.1.

    python bench/bench_rehearse.py [--speed 10] [--from 02:00] [--until 03:00] [--rehearsal-database-url URL]

The rehearse command runs as a process of its own, on a fresh SQLite rehearsal store beside an empty live
one (or the URL given), and prints each result's replay moment; the fake Slack records when each message
arrives. Prints: results replayed; per channel the result posts, digest lines, duplicates and lost seats
(the expected seats read from the Library's files here, not from the store: all -> every seat in the
window, gains -> every "gain" label, Scotland -> Scottish seats); p50/p99/max from a result's replay
moment to its first appearance in each channel (its own post, or a line of a digest); how long after the
last replay each channel's scoreboard showed the final count; the rehearse process's peak RSS. The full
2019 night is 15 h, 90 min at speed 10: choose a window with --from/--until.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_store import percentile  # noqa: E402
from bot.dispatcher import METADATA_EVENT, NOTE_EVENT, SCOREBOARD_EVENT  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402
from tests.integration import published  # noqa: E402

CHANNELS = {"CREHALL": "all", "CREHGAINS": "gains", "CREHSCOT": "scotland"}
REPLAYED = re.compile(r"^\S+ (?P<ons_id>[ENSW]\d{8}) .*\[replayed at (?P<moment>[\d.]+)\]$")
SEATS_DECLARED = re.compile(r"(\d+) of 650 seats declared")


def night(clock: str | None, default: dt.datetime) -> dt.datetime:
    """A desk's HH:MM on the 2019 night: from noon on, 12 December; before noon, the 13th."""
    if clock is None:
        return default
    moment = dt.datetime.strptime(clock, "%H:%M")
    day = 12 if moment.hour >= 12 else 13
    return moment.replace(year=2019, month=12, day=day)


def expected_seats(start: str | None, end: str | None) -> dict[str, set[str]]:
    """Each channel's seats (ONS IDs) in the window, from the Library's files."""
    first = night(start, dt.datetime.min)
    last = night(end, dt.datetime.max - dt.timedelta(minutes=1)) + dt.timedelta(minutes=1)
    rows = [
        row
        for row in published.constituencies(58, "general-election")
        if first <= dt.datetime.strptime(row.cells["Declaration time"], "%d/%m/%Y %H:%M") < last
    ]
    everything = {row.cells["ONS ID"] for row in rows}
    return {
        "all": everything,
        "gains": {row.cells["ONS ID"] for row in rows if "gain" in row.cells["Result"].casefold()},
        "scotland": {row.cells["ONS ID"] for row in rows if row.cells["Country name"] == "Scotland"},
    }


def metadata_of(params: dict[str, Any]) -> dict[str, Any]:
    metadata = params.get("metadata") or {}
    return json.loads(metadata) if isinstance(metadata, str) else metadata


def peak_rss_mb(pid: int, peak: list[float], done: threading.Event) -> None:
    """Keep `peak[0]` at the process's high-water RSS (VmHWM) until it ends."""
    while not done.is_set():
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak[0] = max(peak[0], int(line.split()[1]) / 1024)
        except OSError:
            return
        done.wait(0.5)


Seen = tuple[dict[str, float], Counter[str], tuple[int, int], list[tuple[float, str]]]


def appearances(slack: FakeSlack, channel: str) -> Seen:
    """In `channel`: each seat's first appearance (call time), how many messages carry each seat (own
    posts and digests by their metadata), how many own posts and digest
    lines were sent, and each scoreboard call (time, text)."""
    first: dict[str, float] = {}
    carriers: dict[str, set[str]] = defaultdict(set)
    own_posts = digest_lines = 0
    scoreboards: list[tuple[float, str]] = []
    for call in slack.calls:
        if call.method not in ("chat.postMessage", "chat.update") or call.params.get("channel") != channel:
            continue
        metadata = metadata_of(call.params)
        event = metadata.get("event_type")
        payload = metadata.get("event_payload") or {}
        text = str(call.params.get("text", ""))
        identity = str(call.params.get("ts") or f"post:{call.time}")
        if event == SCOREBOARD_EVENT:
            scoreboards.append((call.time, text))
            continue
        if event == NOTE_EVENT or call.params.get("thread_ts"):
            continue
        if event == METADATA_EVENT:
            seats = [payload.get("ons_id")]
            own_posts += 1 if call.method == "chat.postMessage" else 0
        else:  # a digest: the seats its metadata lists, line by line
            seats = list(payload.get("ons_ids") or [])
            digest_lines += len(seats) if call.method == "chat.postMessage" else 0
        for ons_id in seats:
            if ons_id is None:
                continue
            first.setdefault(ons_id, call.time)
            carriers[ons_id].add(identity if event != METADATA_EVENT else f"post:{payload.get('outbox_id')}")
    carried = Counter({seat: len(ids) for seat, ids in carriers.items()})
    return first, carried, (own_posts, digest_lines), scoreboards


def scoreboard_lags(replays: list[float], scoreboards: list[tuple[float, str]]) -> list[float]:
    """For each declaration (replay moments, in order: the k-th makes k declared), seconds until the
    channel's scoreboard first showed at least k seats declared."""
    shown = []
    for moment, text in scoreboards:
        declared = SEATS_DECLARED.search(text)
        if declared:
            shown.append((moment, int(declared.group(1))))
    lags = []
    for k, replayed_at in enumerate(replays, start=1):
        caught_up = next((moment for moment, count in shown if count >= k and moment >= replayed_at), None)
        if caught_up is not None:
            lags.append(caught_up - replayed_at)
    return lags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed", type=float, default=10.0)
    parser.add_argument("--from", dest="start", metavar="HH:MM")
    parser.add_argument("--until", dest="end", metavar="HH:MM")
    parser.add_argument("--rehearsal-database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    expected = expected_seats(args.start, args.end)
    window = [*(["--from", args.start] if args.start else []), *(["--until", args.end] if args.end else [])]
    with tempfile.TemporaryDirectory() as scratch, FakeSlack() as slack:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(scratch) / 'live.db'}",
            "RESULTSBOT_REHEARSAL_DATABASE_URL": args.rehearsal_database_url or "",
            "RESULTSBOT_RESULTS_CHANNEL": "CLIVE",
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_API_URL": slack.base_url,
            "LOG_LEVEL": "WARNING",
        }
        command = [sys.executable, "-m", "bot.cli", "rehearse", "2019", "--speed", f"{args.speed:g}", *window]
        for channel, follows in CHANNELS.items():
            command += ["--channel", f"{channel}={follows}"]
        started = time.time()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        peak, done = [0.0], threading.Event()
        watcher = threading.Thread(target=peak_rss_mb, args=(process.pid, peak, done), daemon=True)
        watcher.start()
        replayed: dict[str, float] = {}
        assert process.stdout is not None
        for line in process.stdout:
            found = REPLAYED.match(line.strip())
            if found:
                replayed[found["ons_id"]] = float(found["moment"])
            elif line.strip() and "replayed at" not in line:
                print(f"  rehearse: {line.rstrip()}")
        status = process.wait()
        done.set()
        watcher.join()
        if status != 0:
            raise SystemExit(f"rehearse exited with status {status}")
        last_replay = max(replayed.values())
        print(
            f"{len(replayed)} results replayed at {args.speed:g}x ({' '.join(window) or 'the whole night'}) in "
            f"{last_replay - min(replayed.values()):.0f} s; rehearse ran {time.time() - started:.0f} s, "
            f"peak RSS {peak[0]:.0f} MB"
        )
        for channel, follows in CHANNELS.items():
            first, carried, (posts, digest_lines), scoreboards = appearances(slack, channel)
            wanted = expected[follows]
            lost = wanted - set(first)
            unexpected = set(first) - wanted
            duplicates = sum(count - 1 for count in carried.values() if count > 1)
            latencies = [(first[seat] - replayed[seat]) * 1000 for seat in wanted & set(first) if seat in replayed]
            print(
                f"{channel} ({follows}): {len(wanted)} expected, {posts} own posts, {digest_lines} digest lines, "
                f"{duplicates} duplicates, {len(lost)} lost, {len(unexpected)} not expected"
            )
            if latencies:
                print(
                    f"  replay -> in channel: p50 {percentile(latencies, 0.5):.0f} ms, "
                    f"p99 {percentile(latencies, 0.99):.0f} ms, max {max(latencies):.0f} ms"
                )
            if follows == "all" and scoreboards:
                lags = scoreboard_lags(sorted(replayed.values()), scoreboards)
                print(
                    f"  scoreboard behind the latest declaration: p50 {percentile(lags, 0.5):.1f} s, "
                    f"p99 {percentile(lags, 0.99):.1f} s, max {max(lags):.1f} s"
                )
            final = [moment for moment, text in scoreboards if f"{len(replayed)} of 650 seats declared" in text]
            if final:
                print(f"  scoreboard showed all {len(replayed)} results {final[0] - last_replay:.1f} s after the last")
            elif scoreboards:
                shown = SEATS_DECLARED.search(scoreboards[-1][1])
                count = shown.group(1) if shown else "?"
                print(f"  scoreboard last showed {count} results: it is edited when the channel gets a result")


if __name__ == "__main__":
    main()
