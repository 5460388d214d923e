"""PA's feed in the channel, through `resultsbot import pa` and the dispatcher, against the fake Slack:
a rush flashes the winner and the result file edits that same message; a higher revision corrects it
(an edit and a threaded note); an older revision, or a rush after the result, changes nothing; a
recount posts "RECOUNT under way" and the result edits it. `resultsbot watch pa`, running as its own
process and polling a folder, does the same as files arrive: a rush arriving after its seat's result
changes nothing, and a result arriving after its rush edits the flash.

The store holds the Library's 2017 results of a few seats; the PA files of their 2019 results are
written by tests.pa_fixtures from the Library's 2019 files, read again here to check what is shown.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import dispatch_client
from bot.cli import main
from bot.dispatcher import Dispatcher
from store.models import Contest, OutboxEntry
from tests import pa_fixtures
from tests.conftest import database_url
from tests.e2e.serving import Served, resultsbot_process
from tests.fakeslack import FakeSlack
from tests.integration import published
from tests.results import CHANNEL, FAST, delivered, posted_results, settings_for, thread_notes

ASHFIELD, HARTLEPOOL = "E14000535", "E14000733"
BASELINE = (ASHFIELD, HARTLEPOOL)  # their 2017 results


@pytest.fixture
def desk(engine, sessions, slack: FakeSlack, tmp_path, monkeypatch) -> Iterator[tuple[FakeSlack, Path]]:
    """A store with the 2017 baseline, its dispatcher posting to the fake Slack, and a folder for
    PA's files: (slack, folder)."""
    monkeypatch.setenv("DATABASE_URL", database_url(engine))
    monkeypatch.setenv("RESULTSBOT_RESULTS_CHANNEL", CHANNEL)
    with contextlib.redirect_stdout(io.StringIO()):
        assert (
            main(["import", "hoc", str(published.library_subset(tmp_path / "library", 57, BASELINE)), "--no-post"]) == 0
        )
    dispatcher = Dispatcher(sessions, dispatch_client(settings_for(slack)), FAST).start()
    folder = tmp_path / "feed"
    folder.mkdir()
    try:
        yield slack, folder
    finally:
        dispatcher.stop()


def import_pa(sessions, path: Path) -> str:
    """`resultsbot import pa PATH`, then every post it queued delivered: what it printed."""
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(["import", "pa", str(path)]) == 0
    delivered(sessions)
    return out.getvalue()


def edits_of(slack: FakeSlack, ts: str) -> list[object]:
    """The chat.update calls that edited the result post `ts` (the live scoreboard has its own message)."""
    return [call for call in slack.calls_to("chat.update") if call.params.get("ts") == ts]


def library_2019(ons_id: str) -> published.Row:
    return published.find_seat(58, "general-election", ons_id)


def test_a_pa_rush_flashes_the_result_edits_it_a_higher_revision_corrects_and_an_older_changes_nothing(
    desk, sessions
) -> None:
    slack, folder = desk
    seat = pa_fixtures.library_seat(58, ASHFIELD)
    winner, gain, _, loser = library_2019(ASHFIELD)["Result"].split()
    assert gain == "gain"  # else the flash would be a hold and this would not test a gain

    import_pa(sessions, pa_fixtures.rush_file(folder, seat))
    (flash,) = posted_results(slack)
    assert flash["text"] == f"FLASH: {winner} GAIN Ashfield from {loser}"
    assert "Source: PA Media." in str(flash["blocks"])

    import_pa(sessions, pa_fixtures.result_file(folder, seat))
    (posted,) = posted_results(slack)
    assert posted["ts"] == flash["ts"]  # the flash itself became the result: one message
    majority = int(library_2019(ASHFIELD)["Majority"])
    assert posted["text"].startswith(
        f"Ashfield (general election 2019): {winner} GAIN from {loser} · majority {majority:,}"
    )
    assert "FLASH" not in str(posted["blocks"]) and "Source: PA Media." in str(posted["blocks"])
    assert thread_notes(slack, posted["ts"]) == []  # figures after a flash are news, not a correction
    assert len(edits_of(slack, posted["ts"])) == 1

    first = seat.candidates[0]
    corrected = pa_fixtures.with_votes(seat, {0: first[4] + 10})
    import_pa(sessions, pa_fixtures.result_file(folder, corrected, revision=3))
    (posted,) = posted_results(slack)
    assert "CORRECTED" in posted["text"]
    (note,) = thread_notes(slack, posted["ts"])
    assert note["text"].startswith(f"CORRECTION: {first[0]} {first[1]} ({first[2]}) {first[4]:,} → {first[4] + 10:,}")

    before = posted_results(slack), edits_of(slack, posted["ts"]), thread_notes(slack, posted["ts"])
    printed = import_pa(sessions, pa_fixtures.result_file(folder, seat, revision=2))
    assert "Skipped General_Election_result_Ashfield_2.xml: revision 2 is not newer than revision 3" in printed
    printed = import_pa(sessions, pa_fixtures.rush_file(folder, seat, revision=2))
    assert "Skipped General_Election_rush_Ashfield_2.xml: Ashfield: rush is not stored" in printed
    assert (posted_results(slack), edits_of(slack, posted["ts"]), thread_notes(slack, posted["ts"])) == before


def test_a_pa_recount_is_posted_and_the_result_file_edits_it(desk, sessions) -> None:
    slack, folder = desk
    seat = pa_fixtures.library_seat(58, HARTLEPOOL)
    import_pa(sessions, pa_fixtures.recount_file(folder, seat))
    (recount,) = posted_results(slack)
    assert recount["text"] == "RECOUNT under way in Hartlepool"

    import_pa(sessions, pa_fixtures.result_file(folder, seat))
    (posted,) = posted_results(slack)
    assert posted["ts"] == recount["ts"] and "RECOUNT" not in posted["text"]
    winner = library_2019(HARTLEPOOL)["First party"]
    assert posted["text"].startswith(f"Hartlepool (general election 2019): {winner} HOLD")
    assert thread_notes(slack, posted["ts"]) == []


@contextlib.contextmanager
def watching(engine, folder: Path) -> Iterator[Served]:
    """`resultsbot watch pa FOLDER` in a process of its own, polling every 0.1 s, posting to the channel."""
    (folder / ".timestamp").write_text("0")  # it looks again only when the stamp changes, as PA's folder does
    with resultsbot_process(
        ["watch", "pa", str(folder), "--interval", "0.1"], database_url(engine), {"RESULTSBOT_RESULTS_CHANNEL": CHANNEL}
    ) as watcher:
        yield watcher


def arrives(watcher: Served, path: Path, said: str, timeout: float = 60) -> None:
    """`path` has arrived in the watched folder: the folder's stamp changes, and the watcher says `said`."""
    (path.parent / ".timestamp").write_text(str(time.time_ns()))
    deadline = time.monotonic() + timeout
    while f"{path.name}: {said}" not in watcher.output and f"Skipped {path.name}: {said}" not in watcher.output:
        assert watcher.process.poll() is None and time.monotonic() < deadline, watcher.output
        time.sleep(0.05)


def stored_rows(sessions) -> tuple[int, int]:
    """How many contest versions and queued posts the store holds."""
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Contest)) or 0,
            session.scalar(select(func.count()).select_from(OutboxEntry)) or 0,
        )


def test_watch_pa_leaves_a_rush_arriving_after_its_seats_result_alone(desk, sessions, engine) -> None:
    slack, folder = desk
    seat = pa_fixtures.library_seat(58, ASHFIELD)
    with watching(engine, folder) as watcher:
        arrives(watcher, pa_fixtures.result_file(folder, seat), "Ashfield, 2019 general election, revision 1: stored")
        delivered(sessions)
        (posted,) = posted_results(slack)
        before = posted_results(slack), edits_of(slack, posted["ts"]), thread_notes(slack, posted["ts"])
        stored = stored_rows(sessions)
        # The flash of a seat already declared: an earlier stage, so a lower place in PA's order of kinds.
        arrives(watcher, pa_fixtures.rush_file(folder, seat), "Ashfield: rush is not stored: Ashfield already has")
        delivered(sessions)
    assert (posted_results(slack), edits_of(slack, posted["ts"]), thread_notes(slack, posted["ts"])) == before
    assert stored_rows(sessions) == stored
    assert "FLASH" not in posted["text"]
    majority = int(library_2019(ASHFIELD)["Majority"])
    assert f"majority {majority:,}" in posted["text"]


def test_watch_pa_takes_a_result_arriving_after_its_rush_as_an_edit_of_the_flash(desk, sessions, engine) -> None:
    slack, folder = desk
    seat = pa_fixtures.library_seat(58, ASHFIELD)
    winner, _, _, loser = library_2019(ASHFIELD)["Result"].split()
    with watching(engine, folder) as watcher:
        arrives(
            watcher, pa_fixtures.rush_file(folder, seat), "Ashfield, 2019 general election, rush revision 1: stored"
        )
        delivered(sessions)
        (flash,) = posted_results(slack)
        assert flash["text"] == f"FLASH: {winner} GAIN Ashfield from {loser}"
        arrives(
            watcher,
            pa_fixtures.result_file(folder, seat),
            "Ashfield, 2019 general election, revision 1: stored, following the rush",
        )
        delivered(sessions)
    (posted,) = posted_results(slack)
    assert posted["ts"] == flash["ts"] and "FLASH" not in posted["text"]
    majority = int(library_2019(ASHFIELD)["Majority"])
    assert posted["text"].startswith(
        f"Ashfield (general election 2019): {winner} GAIN from {loser} · majority {majority:,}"
    )
    assert len(edits_of(slack, posted["ts"])) == 1 and thread_notes(slack, posted["ts"]) == []
