"""PA feed import benchmark: `import pa` of a whole general election's result files against the
Library CSV import of the same results.

    python bench/bench_pa.py [--database-url URL] [--channel C_RESULTS] [--follow C_DATA=gains ...]

Both runs start from a scratch store holding the Library's 2017 general election (the baseline on the
same boundaries, so gain/hold and swing are worked out and PA's stated figures checked), into an empty
2019 election. The PA run takes the 650 seats of 2019 as PA-shaped result files written from the
Library's data by tests/pa_fixtures.py, each file in a transaction of its own as `resultsbot import pa`
does; the Library run imports 58/general-election in one transaction as `resultsbot import hoc` does.
Prints total time, per-file p50/p99/max, and how many files PA's stated figures disagreed with ours.
`--follow CHANNEL=WHAT` makes a channel follow WHAT (`all`, `gains`, `scotland`, a party…) first, as
`/result follow` does: each entry then also works out which follows match it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_store import percentile  # noqa: E402
from bench.scratch import scratch_engine  # noqa: E402
from store import db  # noqa: E402
from store.answers import ResultsService  # noqa: E402
from store.channel_follows import ChannelFollows  # noqa: E402
from store.importers.hoc import import_hoc  # noqa: E402
from store.importers.pa import feed_order, import_pa  # noqa: E402
from tests import pa_fixtures  # noqa: E402

LIBRARY = Path("/work/shared/data/hoc")


def library_baseline(sessions: sessionmaker[Session], follows: tuple[str, ...] = ()) -> None:
    with db.transaction(sessions) as session:
        import_hoc(session, LIBRARY / "57" / "general-election")
    channel_follows = ChannelFollows(sessions, ResultsService(sessions))
    for follow in follows:
        channel, what = follow.split("=", 1)
        channel_follows.follow(channel_follows.understand(channel, what), "bench")


def bench_pa(database_url: str | None, folder: Path, channels: tuple[str, ...], follows: tuple[str, ...]) -> None:
    files = feed_order(pa_fixtures.general_election_files(folder, 58))
    with scratch_engine(database_url) as engine:
        sessions = db.session_factory(engine)
        library_baseline(sessions, follows)
        durations: list[float] = []
        mark = time.perf_counter()

        def timed(_path: Path, _what: str) -> None:
            nonlocal mark
            now = time.perf_counter()
            durations.append(now - mark)
            mark = now

        started = mark
        report = import_pa(sessions, files, channels=channels, on_file=timed)
        total = time.perf_counter() - started
    disagreeing = [taken for taken in report.taken if taken.disagreements]
    print(f"import pa:  {len(files)} files in {total:.2f} s ({len(files) / total:.0f} files/s)")
    print(
        f"  per file: p50 {statistics.median(durations) * 1000:.1f} ms, "
        f"p99 {percentile(durations, 0.99) * 1000:.1f} ms, max {max(durations) * 1000:.1f} ms"
    )
    queued = Counter(channel for taken in report.taken for channel in taken.queued_channels)
    print(f"  posts queued: {dict(queued) or 'none'}")
    print(
        f"  {len(report.taken)} taken, {len(report.skipped)} skipped, {len(report.refused)} refused; "
        f"{len(disagreeing)} where PA's stated figures disagree with ours"
    )
    for taken in disagreeing[:5]:
        print(f"    {taken.seat}: {'; '.join(taken.disagreements)}")
    for refused in report.refused[:5]:
        print(f"    refused {refused}")


def bench_library(database_url: str | None, channels: tuple[str, ...], follows: tuple[str, ...]) -> None:
    with scratch_engine(database_url) as engine:
        sessions = db.session_factory(engine)
        library_baseline(sessions, follows)
        started = time.perf_counter()
        with db.transaction(sessions) as session:
            report = import_hoc(session, LIBRARY / "58" / "general-election", post_to=channels)
        total = time.perf_counter() - started
    print(
        f"import hoc: {report.contests} contests in {total:.2f} s, one transaction "
        f"({total / max(report.contests, 1) * 1000:.1f} ms a contest on average)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server (default: a scratch SQLite file)")
    parser.add_argument("--channel", action="append", default=[], help="queue posts to this channel as well")
    parser.add_argument("--follow", action="append", default=[], help="CHANNEL=WHAT: that channel follows WHAT")
    args = parser.parse_args()
    channels, follows = tuple(args.channel), tuple(args.follow)
    print(
        f"backend: {'SQLite' if not args.database_url else 'PostgreSQL'}; posting to {channels or 'no channel'}"
        f" and to followers: {', '.join(follows) or 'none'}"
    )
    with tempfile.TemporaryDirectory() as folder:
        bench_pa(args.database_url, Path(folder), channels, follows)
    bench_library(args.database_url, channels, follows)


if __name__ == "__main__":
    main()
