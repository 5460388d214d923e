"""National questions: how long a reporter waits for an answer about a whole election.

    python bench/bench_questions.py [--warm 200] [--cold 3] [--database-url URL]

Loads the bundled data into a scratch store, then for each question prints the time of the whole answer
path (`handlers.replies.reply_to_question`: parse, store, words and blocks), in-process:

- cold: a fresh `ResultsService` on the loaded store, nothing kept (as after a restart, or after a result
  is entered, which drops every kept answer); the median of `--cold` runs;
- warm: the same question again while nothing has been entered; p50 and p99 of `--warm` runs;
- after an entry: a declaration of the same general election has just been entered (a seat of its own,
  as on the night), so the kept answer is gone; the median of `--cold` runs.

Targets (issue 9): cold < 50 ms, warm < 5 ms on SQLite. Each line says whether it meets them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_store import percentile  # noqa: E402
from bench.scratch import loaded_store  # noqa: E402
from handlers.replies import reply_to_question  # noqa: E402
from store.answers import ResultsService  # noqa: E402
from store.contest_input import parse_entry  # noqa: E402
from store.enter_result import enter_result  # noqa: E402

QUESTIONS = (
    "how many seats did labour win in 2024",
    "national vote share 2024",
    "biggest majorities 2024",
    "conservative losses 2024",
    "by-elections in the 2019 parliament",
)
COLD_TARGET_MS, WARM_TARGET_MS = 50.0, 5.0


def verdict(value: float, target: float) -> str:
    return "meets" if value < target else "MISSES"


def declaration(seat: int) -> dict[str, Any]:
    """A 2024 general-election result for a made-up seat of its own, as a desk enters one on the night."""
    candidates = [
        {"name": f"Bench Lab {seat}", "party": "Lab", "votes": 20_000 + seat},
        {"name": f"Bench Con {seat}", "party": "Con", "votes": 15_000},
        {"name": f"Bench LD {seat}", "party": "LD", "votes": 5_000},
    ]
    return {
        "election": {"date": "2024-07-04", "kind": "general"},
        "constituency": {"ons_id": f"E149{seat:05d}", "name": f"Benchshire {seat}"},
        "electorate": 70_000,
        "valid_votes": sum(c["votes"] for c in candidates),
        "rejected": 100,
        "candidates": candidates,
        "force": True,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    with loaded_store(args.database_url) as store:
        sessions = store.sessions
        print(f"bundled data loaded in {time.perf_counter() - started:.1f} s\n")
        print(f"{'question':40} {'cold (median)':>14} {'warm p50':>10} {'warm p99':>10} {'after an entry':>15}")
        seat = 0
        for question in QUESTIONS:
            cold = []
            for _ in range(args.cold):
                service = ResultsService(sessions)
                started = time.perf_counter()
                reply_to_question(question, service)
                cold.append((time.perf_counter() - started) * 1000)
            warm = []
            for _ in range(args.warm):
                started = time.perf_counter()
                reply_to_question(question, service)
                warm.append((time.perf_counter() - started) * 1000)
            after = []
            for _ in range(args.cold):
                seat += 1
                enter_result(sessions, parse_entry(declaration(seat), entered_by="bench"))
                service.refresh()  # as the desk does after an entry
                started = time.perf_counter()
                reply_to_question(question, service)
                after.append((time.perf_counter() - started) * 1000)
            cold_ms, p50, p99 = statistics.median(cold), percentile(warm, 0.5), percentile(warm, 0.99)
            after_ms = statistics.median(after)
            print(
                f"{question:40} {cold_ms:11.1f} ms {p50:7.2f} ms {p99:7.2f} ms {after_ms:12.1f} ms"
                f"   cold {verdict(cold_ms, COLD_TARGET_MS)} {COLD_TARGET_MS:.0f} ms,"
                f" warm {verdict(p99, WARM_TARGET_MS)} {WARM_TARGET_MS:.0f} ms,"
                f" after an entry {verdict(after_ms, COLD_TARGET_MS)} {COLD_TARGET_MS:.0f} ms"
            )


if __name__ == "__main__":
    main()
