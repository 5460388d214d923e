"""Store benchmark: full import time, and ask() latency over realistic reporter queries.

    python bench/bench_store.py [--queries 3000] [--database-url URL]

Prints the import time and the p50/p99 of ResultsService.ask (lookup + summary), in-process.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scratch import scratch_engine  # noqa: E402
from bot.bootstrap import BUNDLED_DATA, load_bundled  # noqa: E402
from store import db  # noqa: E402
from store.answers import ResultsService  # noqa: E402


def realistic_queries(names: list[str], count: int, seed: int = 2017) -> list[str]:
    """What reporters type: names in any case, first words, typos, with a year or 'by-election'."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        name = rng.choice(names)
        style = rng.random()
        if style < 0.3:
            query = name.lower()
        elif style < 0.45:
            query = " ".join(name.replace("-", " ").split()[:2]).lower()
        elif style < 0.6:
            chars = list(name.lower())
            position = rng.randrange(len(chars))
            del chars[position]
            query = "".join(chars)
        elif style < 0.8:
            query = f"{name} {rng.choice([2010, 2015, 2017, 2019, 2024])}"
        elif style < 0.9:
            query = f"{name.lower()} by-election"
        else:
            query = name.upper().replace(",", "")
        out.append(query)
    return out


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with scratch_engine(args.database_url) as engine:
        sessions = db.session_factory(engine)
        started = time.perf_counter()
        report = load_bundled(sessions, BUNDLED_DATA)
        import_seconds = time.perf_counter() - started
        print(f"full import: {report.contests} contests from {len(report.files)} files in {import_seconds:.2f} s")

        started = time.perf_counter()
        again = load_bundled(sessions, BUNDLED_DATA)
        print(
            f"re-import (nothing changed): {time.perf_counter() - started:.2f} s, "
            f"{again.unchanged} unchanged, {again.new + again.corrected} written"
        )

        service = ResultsService(sessions)
        started = time.perf_counter()
        names = list(service.directory.contests_by_name)
        print(f"seat directory: {len(names)} names in {1000 * (time.perf_counter() - started):.0f} ms")
        queries = realistic_queries(names, args.queries)
        kinds: dict[str, int] = {}
        for label, cold in (("cold: every summary built afresh", True), ("warm: summaries kept between asks", False)):
            timings: list[float] = []
            for query in queries:
                if cold:
                    service.forget_summaries()
                started = time.perf_counter()
                answer = service.ask(query)
                timings.append(time.perf_counter() - started)
                kinds[answer.kind] = kinds.get(answer.kind, 0) + (1 if cold else 0)
            ms = [t * 1000 for t in timings]
            print(
                f"ask() over {len(queries)} queries, {label}: p50 {percentile(ms, 0.5):.2f} ms, "
                f"p99 {percentile(ms, 0.99):.2f} ms, mean {statistics.fmean(ms):.2f} ms, max {max(ms):.2f} ms"
            )
        print("answers: " + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
