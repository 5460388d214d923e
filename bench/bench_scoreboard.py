"""Live scoreboard benchmark: the scoreboard recomputed after each result of a whole general election.

    python bench/bench_scoreboard.py [--election 2019|2024] [--database-url URL]

Loads the previous parliament's bundled Library files (the baseline: for 2019 the 2017 general election,
for 2024 the 2019 one and its notional result on the 2024 boundaries), then enters the chosen election's
650 results one by one into the empty election, as the desk would, each queued for a results channel.
After each entry it times what the dispatcher does before each edit of the live scoreboard message:
`LiveScoreboards.delivery` (read the row, recount the election incrementally, build the scoreboard),
and then the Block Kit rendering. Prints p50/p99/max; the target is under 20 ms each.

Wall-clock figures include whatever else the machine is doing; the recount's CPU time is printed too.
For 2024 the baseline is imported without the 2024 files, so five Scottish seats whose notional results
carry their pre-2024 ONS IDs count apart (655 seats in all); the timing is unaffected.

The first recount in a dispatcher reads the baseline election's 650 summaries once; it is printed
apart ("first recount"), and the figures over the 650 include it only in "max, first included".
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_store import percentile  # noqa: E402
from bench.scratch import scratch_engine  # noqa: E402
from bot.bootstrap import BUNDLED_DATA  # noqa: E402
from handlers import blocks  # noqa: E402
from store import db  # noqa: E402
from store.enter_result import enter  # noqa: E402
from store.importers.hoc import import_hoc  # noqa: E402
from store.importers.hoc_files import discover, read_contest_files  # noqa: E402
from store.live_scoreboard import LiveScoreboards  # noqa: E402
from store.models import LiveScoreboard  # noqa: E402

CHANNEL = "CBENCH"
PARLIAMENT = {"2019": 58, "2024": 59}


def stats(label: str, ms: list[float]) -> str:
    return f"{label}: p50 {percentile(ms, 0.5):.2f} ms, p99 {percentile(ms, 0.99):.2f} ms, max {max(ms):.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--election", choices=sorted(PARLIAMENT), default="2024")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    parliament = PARLIAMENT[args.election]
    with scratch_engine(args.database_url) as engine:
        sessions = db.session_factory(engine)
        started = time.perf_counter()
        with db.transaction(sessions) as session:
            import_hoc(session, BUNDLED_DATA / str(parliament - 1))
        print(f"baseline (parliament {parliament - 1}) loaded in {time.perf_counter() - started:.1f} s")

        (source,) = [s for s in discover(BUNDLED_DATA / str(parliament) / "general-election") if s.kind == "contests"]
        rows = read_contest_files(*source.paths)
        boards = LiveScoreboards(sessions)
        recount_ms: list[float] = []
        recount_cpu_ms: list[float] = []  # the same, in this process's CPU time: what a busy machine adds is apart
        render_ms: list[float] = []
        entering = 0.0
        board = None
        for row in rows:
            started = time.perf_counter()
            with db.transaction(sessions) as session:
                enter(session, row.entry, channels=[CHANNEL], published=True)
            entering += time.perf_counter() - started
            with sessions() as session:
                board_id = session.query(LiveScoreboard.id).scalar()
            started, cpu = time.perf_counter(), time.process_time()
            board = boards.delivery(board_id).board
            recount_ms.append(1000 * (time.perf_counter() - started))
            recount_cpu_ms.append(1000 * (time.process_time() - cpu))
            started = time.perf_counter()
            blocks.live_scoreboard_message(board)
            render_ms.append(1000 * (time.perf_counter() - started))
        assert board is not None
        print(f"{len(rows)} results entered one by one: {1000 * entering / len(rows):.1f} ms each on average")
        print(
            f"final scoreboard: {board.declared} of {board.total_seats} declared; leader {board.parties[0].party} "
            f"{board.parties[0].seats}"
        )
        print(f"first recount (reads the baseline's summaries once): {recount_ms[0]:.1f} ms")
        print(stats(f"recount after each of the other {len(rows) - 1} results", recount_ms[1:]))
        print(f"  max, first included: {max(recount_ms):.1f} ms")
        print(stats("  the same in CPU time", recount_cpu_ms[1:]))
        print(stats("Block Kit rendering of the live message", render_ms))
        total = [a + b for a, b in zip(recount_ms[1:], render_ms[1:], strict=True)]
        print(stats("recount and rendering together", total))


if __name__ == "__main__":
    main()
