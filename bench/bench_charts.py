"""Picture benchmark: time, size and dimensions of result cards and scoreboard images.

    python bench/bench_charts.py [--every 15] [--all]

Draws the result card of every Nth bundled contest (every one with --all; always including the
longest ballot and the longest names) and the scoreboard image of every bundled general election, whole
and by nation, as `handlers.charts` draws them for Slack and the CLI, and prints p50/p95/max of the
wall-clock and CPU time per image, and of its size. Targets: under 300 ms and 200 KB each.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_store import percentile  # noqa: E402
from bench.scratch import scratch_engine  # noqa: E402
from bot.bootstrap import BUNDLED_DATA, load_bundled  # noqa: E402
from handlers.charts import result_card, scoreboard_image  # noqa: E402
from store import db  # noqa: E402
from store.answers import ResultsService  # noqa: E402
from store.scoreboard import NATIONS, Scoreboard  # noqa: E402
from store.summary import Summary  # noqa: E402
from tests.unit.library import library_summaries  # noqa: E402

TIME_TARGET_MS = 300
SIZE_TARGET_KB = 200


def measure(label: str, items: Sequence[object], draw: Callable[[object], bytes]) -> None:
    draw(items[0])  # the first drawing loads fonts and caches glyphs: not what each image costs
    wall, cpu, sizes, shapes = [], [], [], set()
    for item in items:
        started, started_cpu = time.perf_counter(), time.process_time()
        png = draw(item)
        wall.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
        sizes.append(len(png) / 1000)
        with Image.open(io.BytesIO(png)) as picture:
            shapes.add(picture.size)
    widths = sorted({w for w, _ in shapes})
    heights = sorted({h for _, h in shapes})

    def figures(values: list[float], unit: str) -> str:
        return (
            f"p50 {percentile(values, 0.5):.0f} {unit}, p95 {percentile(values, 0.95):.0f} {unit}, "
            f"max {max(values):.0f} {unit}"
        )

    print(f"{label}: {len(items)} images")
    print(f"  wall {figures(wall, 'ms')}  (target < {TIME_TARGET_MS} ms)")
    print(f"  cpu  {figures(cpu, 'ms')}")
    print(f"  size {figures(sizes, 'KB')}  (target < {SIZE_TARGET_KB} KB)")
    print(f"  pixels: widths {widths}, heights {heights[0]}–{heights[-1]}")
    over_time = sum(1 for ms in wall if ms >= TIME_TARGET_MS)
    over_size = sum(1 for kb in sizes if kb >= SIZE_TARGET_KB)
    print(f"  over target: {over_time} by time, {over_size} by size")


def chosen_contests(every: int) -> list[Summary]:
    summaries = list(library_summaries())
    chosen = summaries[::every]
    longest_ballot = max(summaries, key=lambda s: len(s.candidates))
    longest_names = max(summaries, key=lambda s: max(len(c.name or c.party_name) for c in s.candidates))
    longest_seat = max(summaries, key=lambda s: len(s.constituency))
    return chosen + [s for s in (longest_ballot, longest_names, longest_seat) if s not in chosen]


def scoreboards(service: ResultsService) -> list[Scoreboard]:
    boards = []
    for year in (2010, 2015, 2017, 2019, 2024):
        election = service.general_election_with_previous(year)
        if election is None:
            continue
        boards.append(election.scoreboard())
        boards.extend(election.scoreboard(nation=nation) for nation in NATIONS)
    return boards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--every", type=int, default=15, help="draw every Nth bundled contest (default 15)")
    parser.add_argument("--all", action="store_true", help="draw every bundled contest (about 4,600)")
    args = parser.parse_args()
    contests = chosen_contests(1 if args.all else args.every)
    measure("result cards", contests, lambda summary: result_card(summary))  # type: ignore[arg-type]
    with scratch_engine(None) as engine:
        sessions = db.session_factory(engine)
        load_bundled(sessions, BUNDLED_DATA)
        boards = scoreboards(ResultsService(sessions))
    measure("scoreboard images (each general election, whole and by nation)", boards, scoreboard_image)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
