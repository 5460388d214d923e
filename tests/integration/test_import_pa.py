"""Loading PA result files into the store, on each database backend: through the one entry use case,
one transaction a file; revisions; PA's stated figures checked against ours; refusals; the state of
parties against our tally; the CLI; and the folder watcher.

The store starts with the Library's 2017 results of a few seats (the baseline on the same boundaries);
PA files of their 2019 results are written by tests.pa_fixtures from the Library's 2019 files, and every
figure checked here is read from those files by tests.integration.published.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.console import Console
from bot.pa_ftp import FtpMirror
from handlers.history_text import history_lines
from handlers.replies import reply_to_command
from store import db
from store.answers import FOUND, ResultsService
from store.history import contest_history
from store.importers.pa import feed_order, import_pa, state_of_parties_differences
from store.importers.pa_watch import PaFolderWatcher
from store.models import ChannelFollow, Constituency, Contest, Election, FeedFile, OutboxEntry
from tests import pa_fixtures
from tests.conftest import database_url, make_test_engine
from tests.integration import published
from tests.results import load_library_seats
from tests.unit.test_pa_ftp import FakeFtp

HARTLEPOOL, ABERAVON, ASHFIELD, STOKE_CENTRAL = "E14000733", "W07000049", "E14000535", "E14000972"
SEATS = (HARTLEPOOL, ABERAVON, ASHFIELD, STOKE_CENTRAL)
POLLING_DAY_2019 = dt.date(2019, 12, 12)


@pytest.fixture
def baseline(store, tmp_path):
    load_library_seats(store.sessions, tmp_path / "library", SEATS)
    return store


@pytest.fixture
def feed(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    return folder


def seat_2019(ons_id: str) -> pa_fixtures.LibrarySeat:
    return pa_fixtures.library_seat(58, ons_id)


def library_votes(ons_id: str) -> list[tuple[str, int]]:
    rows = published.contest_candidates(58, "general-election", ons_id, POLLING_DAY_2019)
    return sorted((published.candidate_name(r), int(r["Votes"])) for r in rows)


def stored_votes(store, seat: str) -> list[tuple[str, int]]:
    answer = store.results.ask(f"{seat} 2019")
    assert answer.kind == FOUND and answer.summary is not None
    return sorted((c.name, c.votes) for c in answer.summary.candidates)


def test_a_result_file_is_stored_queued_for_posting_and_its_seat_mapping_kept(baseline, feed):
    path = pa_fixtures.result_file(feed, seat_2019(HARTLEPOOL), number=270)
    report = import_pa(baseline.sessions, [path], channels=["C_RESULTS"])
    (taken,) = report.taken
    assert (taken.status, taken.revision, taken.queued_channels) == ("new", 1, ("C_RESULTS",))
    assert stored_votes(baseline, "hartlepool") == library_votes(HARTLEPOOL)
    with baseline.sessions() as session:
        (posted,) = session.scalars(select(OutboxEntry)).all()
        assert posted.contest_id == taken.contest_id and posted.channel == "C_RESULTS"
        (mapping,) = session.scalars(select(FeedFile)).all()
        assert (mapping.feed_seat_number, mapping.feed_seat_name, mapping.revision) == (270, "Hartlepool", 1)
        assert session.get(Contest, taken.contest_id).constituency.ons_id == HARTLEPOOL  # type: ignore[union-attr]


def test_pas_stated_figures_agree_with_ours_for_a_hold_and_a_gain(baseline, feed):
    # Ashfield was a Con gain from Lab in 2019; Stoke-on-Trent Central is spelt "Stoke-On-Trent" by the
    # Library and "Stoke-on-Trent" here, as PA writes it: matched by its folded name.
    stoke = seat_2019(STOKE_CENTRAL)
    paths = [
        pa_fixtures.result_file(feed, seat_2019(HARTLEPOOL)),
        pa_fixtures.result_file(feed, seat_2019(ASHFIELD)),
        pa_fixtures.result_file(feed, stoke, name="Stoke-on-Trent Central"),
    ]
    report = import_pa(baseline.sessions, paths)
    assert not report.refused
    assert [t.disagreements for t in report.taken] == [(), (), ()]
    ashfield = published.find_seat(58, "general-election", ASHFIELD)
    assert ashfield["Result"] == "Con gain from Lab"
    answer = baseline.results.ask("ashfield 2019")
    assert answer.summary is not None and answer.summary.result_label == "Con GAIN from Lab"
    assert stored_votes(baseline, "stoke-on-trent central") == library_votes(STOKE_CENTRAL)


def test_a_stated_figure_that_disagrees_is_stored_reported_and_shown_in_history(baseline, feed):
    seat = seat_2019(HARTLEPOOL)
    true_majority = int(published.find_seat(58, "general-election", HARTLEPOOL)["Majority"])
    path = pa_fixtures.result_file(feed, seat, stated_majority=true_majority + 100)
    (taken,) = import_pa(baseline.sessions, [path]).taken
    said = f"PA states a majority of {true_majority + 100:,} where the votes give {true_majority:,}"
    assert taken.disagreements == (said,)
    with baseline.sessions() as session:
        contest = session.get(Contest, taken.contest_id)
        assert contest is not None and contest.stated_majority == true_majority + 100
        history = contest_history(session, taken.contest_id)
    assert history is not None
    assert f"        the source disagrees: {said}" in history_lines(history)
    # Never "fixed": the stored votes are PA's, and every summary says the file disagrees with itself.
    answer = baseline.results.ask("hartlepool 2019")
    assert answer.summary is not None and answer.summary.majority_votes == true_majority
    assert answer.summary.disagreements


def test_a_higher_revision_corrects_and_an_older_one_changes_nothing(baseline, feed):
    seat = seat_2019(HARTLEPOOL)
    corrected = pa_fixtures.with_votes(seat, {0: seat.candidates[0][4] + 10})
    first = pa_fixtures.result_file(feed, seat, revision=1)
    third = pa_fixtures.result_file(feed, corrected, revision=3)
    second = pa_fixtures.result_file(feed, seat, revision=2)
    report = import_pa(baseline.sessions, [first, third, second], channels=["C_RESULTS"])
    assert [(t.revision, t.status) for t in report.taken] == [(1, "new"), (3, "corrected")]
    (skipped,) = report.skipped
    assert "revision 2 is not newer than revision 3" in skipped.reason
    expected = sorted(
        (f"{first_name} {surname}", votes) for first_name, surname, _, _, votes, _ in corrected.candidates
    )
    assert stored_votes(baseline, "hartlepool") == expected
    with baseline.sessions() as session:
        versions = session.scalars(select(Contest.version).where(Contest.is_current)).all()
        posts = session.scalars(select(OutboxEntry.version).order_by(OutboxEntry.version)).all()
    assert 2 in versions and posts == [1, 2]  # the correction is posted (an edit and a note)


def test_files_are_taken_in_revision_order_not_name_order(feed):
    names = ["General_Election_result_Hartlepool_10.xml", "General_Election_result_Hartlepool_9.xml"]
    assert [p.name for p in feed_order([feed / n for n in names])] == names[::-1]


def test_a_state_of_parties_is_taken_after_every_seats_file_newest_last(feed):
    # It is counted against the results, and the newest is the one kept.
    names = [
        "General_Election_SOP_12.xml",
        "General_Election_SOP_9.xml",
        "General_Election_result_Aberavon_1.xml",
        "General_Election_rush_Ynys_Mon_1.xml",
    ]
    assert [p.name for p in feed_order([feed / n for n in names])] == [names[2], names[3], names[1], names[0]]


def test_refused_files_are_named_with_their_reason_and_the_rest_still_taken(baseline, feed):
    seat = seat_2019(HARTLEPOOL)
    (feed / "General_Election_result_Broken_1.xml").write_bytes(b"<FirstPastThePostResult><Election")
    (feed / "Test_General_Election_result_Hartlepool_1.xml").write_bytes(pa_fixtures.result_xml(seat))
    pa_fixtures.result_file(feed, seat, election="General Election Test")
    (feed / "General_Election_result_Nowhere_1.xml").write_bytes(pa_fixtures.result_xml(seat, name="Nowhere"))
    (feed / "General_Election_rush_Hartlepool_1.xml").write_text(pa_fixtures.RUSH_XML)
    good = pa_fixtures.result_file(feed, seat_2019(ABERAVON))
    report = import_pa(baseline.sessions, feed_order(feed.iterdir()))
    assert [Path(t.path).name for t in report.taken] == [good.name]
    reasons = {Path(r.path).name: r.reason for r in report.refused}
    assert "malformed XML" in reasons["General_Election_result_Broken_1.xml"]
    # With no rehearsal store to take them, PA's Test files are refused rather than ever stored live.
    assert "rehearsal data" in reasons["Test_General_Election_result_Hartlepool_1.xml"]
    assert "no rehearsal store" in reasons["General_Election_Test_result_Hartlepool_1.xml"]
    assert "no seat on the 2010 boundaries is called 'Nowhere'" in reasons["General_Election_result_Nowhere_1.xml"]
    # A 2024 flash, where the store holds no seat on the 2024 boundaries.
    assert "no seat on the 2024 boundaries is called 'Hartlepool'" in reasons["General_Election_rush_Hartlepool_1.xml"]
    assert len(reasons) == 5 and report.skipped == []
    with baseline.sessions() as session:
        stored = session.scalars(select(Contest).join(Contest.election).where(Election.date == POLLING_DAY_2019))
        assert [c.constituency.ons_id for c in stored] == [ABERAVON]


def versions_2019(store, ons_id: str) -> list[tuple[int, str, str]]:
    """(version, status, source) of every stored version of the seat's 2019 result, oldest first."""
    with store.sessions() as session:
        rows = session.execute(
            select(Contest.version, Contest.status, Contest.source)
            .join(Contest.election)
            .join(Contest.constituency)
            .where(Election.date == POLLING_DAY_2019, Constituency.ons_id == ons_id)
            .order_by(Contest.version)
        ).all()
    return [tuple(row) for row in rows]


def posts_queued(store) -> list[int]:
    with store.sessions() as session:
        return list(session.scalars(select(OutboxEntry.version).order_by(OutboxEntry.id)))


def library_label(ons_id: str) -> str:
    """The Library's 2019 result label in our words: "Con gain from Lab" -> "Con GAIN from Lab"."""
    words = published.find_seat(58, "general-election", ons_id)["Result"].split()
    return " ".join(word.upper() if word in ("gain", "hold") else word for word in words)


def imported(store, paths: list[Path]):
    """`import_pa` posting to one channel, then the answers refreshed, as the watcher's bot would."""
    report = import_pa(store.sessions, paths, channels=["C_RESULTS"])
    store.results.refresh()
    return report


def test_a_rush_then_the_result_file_make_one_history_rush_then_declared(baseline, feed):
    seat = seat_2019(ASHFIELD)
    assert seat.result == "Con gain from Lab"  # a gain, so the flash names whom it was gained from
    report = imported(baseline, [pa_fixtures.rush_file(feed, seat)])
    (flash,) = report.taken
    assert (flash.kind, flash.status, flash.queued_channels) == ("rush", "new", ("C_RESULTS",))
    flashed = baseline.results.ask("ashfield 2019").summary
    assert flashed is not None and flashed.status == "rush" and flashed.result_label == library_label(ASHFIELD)
    assert stored_votes_none(flashed)
    report = imported(baseline, [pa_fixtures.result_file(feed, seat)])
    assert [(t.kind, t.status) for t in report.taken] == [("result", "corrected")]
    assert versions_2019(baseline, ASHFIELD) == [(1, "rush", "PA Media"), (2, "declared", "PA Media")]
    assert posts_queued(baseline) == [1, 2]  # the flash, then the result that edits it
    assert stored_votes(baseline, "ashfield") == library_votes(ASHFIELD)
    with baseline.sessions() as session:
        kept = session.execute(select(FeedFile.kind, FeedFile.name).order_by(FeedFile.id)).all()
    assert [tuple(row) for row in kept] == [
        ("rush", "General_Election_rush_Ashfield_1.xml"),
        ("result", "General_Election_result_Ashfield_1.xml"),
    ]


def stored_votes_none(summary) -> bool:
    """A flash has no figures: no candidate has votes."""
    return all(candidate.votes is None for candidate in summary.candidates)


def test_a_recount_then_the_result_file(baseline, feed):
    seat = seat_2019(HARTLEPOOL)
    imported(baseline, [pa_fixtures.recount_file(feed, seat)])
    answer = baseline.results.ask("hartlepool 2019").summary
    assert answer is not None and answer.status == "recount"
    imported(baseline, [pa_fixtures.result_file(feed, seat)])
    assert [v[:2] for v in versions_2019(baseline, HARTLEPOOL)] == [(1, "recount"), (2, "declared")]
    assert stored_votes(baseline, "hartlepool") == library_votes(HARTLEPOOL)


def test_nominations_answer_who_is_standing_and_post_nothing(baseline, feed):
    seats = [seat_2019(HARTLEPOOL), seat_2019(ABERAVON)]
    report = imported(baseline, [pa_fixtures.nominations_file(feed, seats)])
    assert [(t.seat, t.kind, t.status) for t in report.taken] == [
        ("Hartlepool", "nominations", "new"),
        ("Aberavon", "nominations", "new"),
    ]
    assert posts_queued(baseline) == []
    lines = baseline_reply(baseline, "who is standing in aberavon")
    assert lines[0].startswith("Standing in Aberavon at the 2019 general election")
    rows = published.contest_candidates(58, "general-election", ABERAVON, POLLING_DAY_2019)
    assert sorted(line.split(" (")[0].removeprefix("• ") for line in lines if line.startswith("•")) == sorted(
        published.candidate_name(r) for r in rows
    )
    assert lines[-1] == "Source: PA Media."


def baseline_reply(store, question: str) -> list[str]:
    from handlers.replies import reply_to_question

    return reply_to_question(question, store.results).plain.splitlines()


def test_a_rush_or_nominations_after_the_result_are_skipped_and_change_nothing(baseline, feed):
    seat = seat_2019(ASHFIELD)
    imported(baseline, [pa_fixtures.result_file(feed, seat)])
    before = versions_2019(baseline, ASHFIELD), posts_queued(baseline)
    late = [pa_fixtures.rush_file(feed, seat, revision=2), pa_fixtures.nominations_file(feed, [seat])]
    report = imported(baseline, late)
    assert report.taken == [] and report.refused == []
    assert [s.reason for s in report.skipped] == [
        "Ashfield: rush is not stored: Ashfield already has a declared result (version 1), and a rush never "
        "replaces it. To change that result, enter the corrected figures.",
        "Ashfield: nominated is not stored: Ashfield already has a declared result (version 1), and a nominated "
        "never replaces it. To change that result, enter the corrected figures.",
    ]
    assert (versions_2019(baseline, ASHFIELD), posts_queued(baseline)) == before
    assert stored_votes(baseline, "ashfield") == library_votes(ASHFIELD)


def results_2019(store, feed, seats=(HARTLEPOOL, ASHFIELD)) -> dict[str, int]:
    """The 2019 results of `seats` taken from PA files: each party's seats in the Library's figures."""
    import_pa(store.sessions, [pa_fixtures.result_file(feed, seat_2019(s)) for s in seats])
    winners = [published.find_seat(58, "general-election", s)["First party"] for s in seats]
    return {party: winners.count(party) for party in winners}


def kept_state(store):
    election = store.results.general_election_with_previous(2019)
    assert election is not None
    return store.results.state_of_parties(election), election.scoreboard()


def test_a_state_of_parties_is_kept_for_its_election_and_a_newer_one_replaces_it(baseline, feed):
    ours = results_2019(baseline, feed)
    assert ours == {"Con": 1, "Lab": 1}
    wrong = pa_fixtures.state_of_parties_file(feed, {"C": 2, "Lab": 1})
    report = import_pa(baseline.sessions, [wrong])
    assert [(t.path, t.election) for t in report.states_of_parties] == [(str(wrong), "2019 general election")]
    state, board = kept_state(baseline)
    assert state is not None
    assert (state.file_name, state.revision, state.results) == (wrong.name, 3, 3)
    assert state.stated_at == dt.datetime(2019, 12, 13, 3, 14, tzinfo=dt.UTC)
    assert [(p.party, p.pa_abbreviation, p.seats) for p in state.parties] == [("Con", "C", 2), ("Lab", "Lab", 1)]
    assert state_of_parties_differences(state, board) == [
        f"PA's state of parties covers 3 results where we have {sum(ours.values())} declared",
        f"Con: PA says 2 seats, our tally {ours['Con']} seat",
    ]

    older = pa_fixtures.state_of_parties_file(feed, {"C": 1, "Lab": 1})  # revision 2
    report = import_pa(baseline.sessions, [older])
    assert report.states_of_parties == [] and [s.reason for s in report.skipped] == [
        f"state of parties revision 2 is not newer than revision 3 ({wrong.name}), already taken; nothing changed"
    ]
    assert kept_state(baseline)[0] == state

    newer = pa_fixtures.state_of_parties_file(feed, {"C": 1, "Lab": 1}, revision=4)
    assert [t.state.revision for t in import_pa(baseline.sessions, [newer]).states_of_parties] == [4]
    state, board = kept_state(baseline)
    assert state is not None and [(p.party, p.seats) for p in state.parties] == [("Con", 1), ("Lab", 1)]
    assert state_of_parties_differences(state, board) == []


def test_the_watcher_takes_a_state_of_parties_rewritten_under_its_name_with_a_newer_revision(baseline, feed):
    results_2019(baseline, feed)
    watcher = PaFolderWatcher(baseline.sessions, feed)
    path = pa_fixtures.state_of_parties_file(feed, {"C": 2, "Lab": 1}, results=2)
    (feed / ".timestamp").write_text("1")
    assert watcher.scan() is not None and kept_state(baseline)[0].revision == 2
    path.write_bytes(pa_fixtures.state_of_parties({"C": 1, "Lab": 1}, revision=3))
    (feed / ".timestamp").write_text("2")
    report = watcher.scan()
    assert report is not None and [t.state.revision for t in report.states_of_parties] == [3]
    state, board = kept_state(baseline)
    assert (state.file_name, state.revision) == (path.name, 3) and state_of_parties_differences(state, board) == []
    (feed / ".timestamp").write_text("3")
    report = watcher.scan()  # unchanged since: not read again
    assert report is not None and report.states_of_parties == report.skipped == []


def test_a_state_of_parties_of_an_election_the_store_does_not_hold_is_skipped(baseline, feed):
    report = import_pa(baseline.sessions, [pa_fixtures.state_of_parties_file(feed, {"C": 1})])
    assert report.states_of_parties == [] and [s.reason for s in report.skipped] == [
        "no general election on 12 December 2019 is in the store to count it against; nothing was stored"
    ]


def test_a_state_of_parties_naming_a_party_too_long_to_hold_is_refused_and_the_kept_one_stays(baseline, feed):
    results_2019(baseline, feed)
    kept = pa_fixtures.state_of_parties_file(feed, {"C": 1, "Lab": 1})
    import_pa(baseline.sessions, [kept])
    state = kept_state(baseline)[0]
    bad = pa_fixtures.state_of_parties_file(feed, {"C": 1, "X" * 200: 1}, revision=9)
    report = import_pa(baseline.sessions, [bad])
    assert report.states_of_parties == [] and [r.path for r in report.refused] == [str(bad)]
    assert "longer than a party's" in str(report.refused[0]) and bad.name in str(report.refused[0])
    assert kept_state(baseline)[0] == state


def test_an_editor_asking_for_the_scoreboard_sees_pas_state_of_parties_only_for_them(baseline, feed):
    ours = results_2019(baseline, feed)
    import_pa(baseline.sessions, [pa_fixtures.state_of_parties_file(feed, {"C": 2, "Lab": 1, "<!here>": 1})])
    reporter = reply_to_command("scoreboard", baseline.results, is_editor=lambda: False)
    editor = reply_to_command("scoreboard", baseline.results, is_editor=lambda: True)
    assert reporter.followup is None
    assert editor.public and (editor.text, editor.blocks) == (reporter.text, reporter.blocks)
    line = editor.followup
    assert line is not None and not line.public
    assert line.plain == (
        f"PA's state of parties (rev 4, 13 Dec 03:14, 4 results) differs: 4 results (ours {sum(ours.values())} "
        f"declared), Con 2 (ours {ours['Con']}), <!here> 1 (ours 0)"
    )
    assert "<!here>" not in str(line.blocks) + line.text and "&lt;!here&gt;" in str(line.blocks)
    # PA's figures are the whole UK's: a nation's scoreboard has nothing to compare them with.
    assert reply_to_command("scoreboard 2019 wales", baseline.results, is_editor=lambda: True).followup is None

    import_pa(baseline.sessions, [pa_fixtures.state_of_parties_file(feed, {"C": 1, "Lab": 1}, revision=5)])
    agreeing = reply_to_command("scoreboard", baseline.results, is_editor=lambda: True).followup
    assert agreeing is not None
    assert agreeing.plain == "PA's state of parties (rev 5, 13 Dec 03:14, 2 results) agrees with our tally"


def command_line_baseline(engine, tmp_path: Path, monkeypatch) -> Path:
    """The 2017 baseline imported by `resultsbot import hoc` into the test's database, which the
    command line then uses; an empty folder for PA's files."""
    monkeypatch.setenv("DATABASE_URL", database_url(engine))
    monkeypatch.setenv("RESULTS_CHANNELS", "")
    library = published.library_subset(tmp_path / "library", 57, SEATS)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["import", "hoc", str(library), "--no-post"]) == 0
    feed = tmp_path / "feed"
    feed.mkdir()
    return feed


def test_the_command_line_imports_a_folder_and_exits_non_zero_when_a_file_is_refused(engine, tmp_path, monkeypatch):
    feed = command_line_baseline(engine, tmp_path, monkeypatch)
    pa_fixtures.result_file(feed, seat_2019(ABERAVON))
    (feed / "General_Election_result_Nowhere_1.xml").write_bytes(
        pa_fixtures.result_xml(seat_2019(ABERAVON), name="Nowhere")
    )
    assert published.find_seat(58, "general-election", ABERAVON)["First party"] == "Lab"
    (feed / "General_Election_SOP_1.xml").write_bytes(pa_fixtures.state_of_parties({"C": 1}))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", "pa", str(feed), "--no-post"])
    assert code == 2
    assert (
        "General_Election_result_Aberavon_1.xml: Aberavon, 2019 general election, revision 1: stored" in out.getvalue()
    )
    assert "Refused, left for a human: General_Election_result_Nowhere_1.xml: no seat" in err.getvalue()
    assert "3 PA file(s): 2 taken, 0 skipped, 1 refused." in out.getvalue()
    assert (
        "General_Election_SOP_1.xml: state of parties differs from our tally: Con: PA says 1 seat, our tally 0 seats"
        in (out.getvalue())
    )
    assert "Lab: PA says 0 seats, our tally 1 seat" in out.getvalue()
    with contextlib.redirect_stdout(io.StringIO()) as history:
        assert main(["history", "aberavon", "2019"]) == 0
    assert "From General_Election_result_Aberavon_1.xml (revision 1)" in history.getvalue()
    # Whoever runs the command line or the console holds the store: they see PA's line, as editors do.
    line = "PA's state of parties (rev 1, 13 Dec 03:14, 1 result) differs: Con 1 (ours 0), Lab 0 (ours 1)"
    with contextlib.redirect_stdout(io.StringIO()) as scoreboard:
        assert main(["scoreboard", "2019"]) == 0
    assert scoreboard.getvalue().endswith(f"\n\n{line}\n")
    followup = Console(ResultsService(db.session_factory(engine))).reply_to("/result scoreboard").followup
    assert followup is not None and not followup.public and followup.plain == line


def test_the_command_line_takes_a_rush_before_its_result_and_skips_one_after_it(engine, tmp_path, monkeypatch):
    feed = command_line_baseline(engine, tmp_path, monkeypatch)
    seat = seat_2019(ASHFIELD)
    # Named after the rush, the result is still taken after it: a flash never follows its own result.
    paths = [pa_fixtures.result_file(feed, seat), pa_fixtures.rush_file(feed, seat)]
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(["import", "pa", *map(str, paths), "--no-post"]) == 0
    assert out.getvalue().splitlines() == [
        "General_Election_rush_Ashfield_1.xml: Ashfield, 2019 general election, rush revision 1: stored",
        "General_Election_result_Ashfield_1.xml: Ashfield, 2019 general election, revision 1: "
        "stored, following the rush",
        "2 PA file(s): 2 taken, 0 skipped, 0 refused.",
    ]
    late = pa_fixtures.rush_file(feed, seat, revision=2)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(["import", "pa", str(late), "--no-post"]) == 0  # skipped is not a failure
    assert out.getvalue().splitlines()[0] == (
        "Skipped General_Election_rush_Ashfield_2.xml: Ashfield: rush is not stored: Ashfield already has a "
        "declared result (version 2), and a rush never replaces it. To change that result, enter the corrected "
        "figures."
    )
    assert "1 PA file(s): 0 taken, 1 skipped, 0 refused." in out.getvalue()


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_the_watcher_takes_files_dropped_while_it_runs_and_survives_a_malformed_one(baseline, feed):
    taken: list[str] = []
    watcher = PaFolderWatcher(
        baseline.sessions, feed, on_report=lambda report: taken.extend(Path(t.path).name for t in report.taken)
    )
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(0.02, stop), daemon=True)
    thread.start()
    try:
        hartlepool = pa_fixtures.result_file(feed, seat_2019(HARTLEPOOL))
        (feed / ".timestamp").write_text("1733970000")
        wait_for(lambda: hartlepool.name in taken)
        (feed / "General_Election_result_Broken_1.xml").write_bytes(b"<FirstPastThePostResult>")
        aberavon = pa_fixtures.result_file(feed, seat_2019(ABERAVON))
        (feed / ".timestamp").write_text("1733970020")
        wait_for(lambda: aberavon.name in taken)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert taken == [hartlepool.name, aberavon.name]
    assert stored_votes(baseline, "aberavon") == library_votes(ABERAVON)
    # A restart remembers what was taken: nothing is taken twice.
    again = PaFolderWatcher(baseline.sessions, feed)
    report = again.scan()
    assert (
        report is not None
        and report.taken == []
        and [Path(r.path).name for r in report.refused] == ["General_Election_result_Broken_1.xml"]
    )
    # An unchanged .timestamp: the folder is not even listed.
    assert again.scan() is None


def test_resultsbot_watch_pa_as_its_own_process_takes_files_dropped_into_its_folder(baseline, engine, feed):
    env = {**os.environ, "DATABASE_URL": database_url(engine), "RESULTSBOT_RESULTS_CHANNEL": ""}
    watcher = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "watch", "pa", str(feed), "--interval", "0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def taken() -> list[str]:
        with baseline.sessions() as session:
            return sorted(session.scalars(select(FeedFile.name)))

    try:
        hartlepool = pa_fixtures.result_file(feed, seat_2019(HARTLEPOOL))
        (feed / ".timestamp").write_text("1733970000")
        wait_for(lambda: taken() == [hartlepool.name], timeout=60)
        (feed / "General_Election_result_Broken_1.xml").write_bytes(b"<FirstPastThePostResult>")
        aberavon = pa_fixtures.result_file(feed, seat_2019(ABERAVON))
        (feed / ".timestamp").write_text("1733970020")
        wait_for(lambda: len(taken()) == 2, timeout=60)
        assert taken() == sorted([hartlepool.name, aberavon.name])
        watcher.send_signal(signal.SIGTERM)
        output, _ = watcher.communicate(timeout=30)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    assert watcher.returncode == 0, output
    assert "Refused, left for a human: General_Election_result_Broken_1.xml: malformed XML" in output
    assert f"{aberavon.name}: Aberavon, 2019 general election, revision 1: stored" in output
    assert stored_votes(baseline, "aberavon") == library_votes(ABERAVON)


def test_the_watcher_takes_files_copied_from_pas_ftp_server(baseline, feed):
    hartlepool = pa_fixtures.result_xml(seat_2019(HARTLEPOOL))
    server = FakeFtp({".timestamp": b"1733970000", "General_Election_result_Hartlepool_1.xml": hartlepool})
    mirror = FtpMirror(lambda: server, feed)
    watcher = PaFolderWatcher(baseline.sessions, feed, before_scan=mirror.mirror)
    report = watcher.scan()
    assert report is not None and [Path(t.path).name for t in report.taken] == [
        "General_Election_result_Hartlepool_1.xml"
    ]
    assert stored_votes(baseline, "hartlepool") == library_votes(HARTLEPOOL)
    assert watcher.scan() is None  # nothing new on the server: the folder is not looked at


@pytest.fixture
def rehearsal_store(backend, tmp_path) -> Iterator[sessionmaker[Session]]:
    """A second store on the same backend, as the rehearsal store: the baseline seats, a channel following
    all results."""
    engine, schema = make_test_engine(backend, tmp_path / "rehearsal")
    db.upgrade(engine)
    sessions = db.session_factory(engine)
    load_library_seats(sessions, tmp_path / "rehearsal-library", SEATS)
    with db.transaction(sessions) as session:
        session.add(ChannelFollow(channel="CREHEARSE", kind="all", target=""))
    yield sessions
    engine.dispose()
    if schema:
        db.drop_schema(os.environ["TEST_DATABASE_URL"], schema)


def test_the_watcher_takes_test_files_into_the_rehearsal_store_and_the_rest_live(baseline, feed, rehearsal_store):
    test_file = pa_fixtures.result_file(feed, seat_2019(HARTLEPOOL), election="General Election Test")
    live_file = pa_fixtures.result_file(feed, seat_2019(ABERAVON))
    watcher = PaFolderWatcher(baseline.sessions, feed, channels=("CRESULTS",), rehearsal=lambda: rehearsal_store)

    report = watcher.scan()

    assert report is not None and report.refused == []
    taken = {Path(t.path).name: (t.rehearsal, t.queued_channels) for t in report.taken}
    assert taken == {test_file.name: (True, ("CREHEARSE",)), live_file.name: (False, ("CRESULTS",))}
    assert queued_2019(baseline.sessions) == [(ABERAVON, "CRESULTS")]
    assert queued_2019(rehearsal_store) == [(HARTLEPOOL, "CREHEARSE")]
    assert stored_votes(baseline, "aberavon") == library_votes(ABERAVON)


def queued_2019(sessions) -> list[tuple[str, str]]:
    """(seat, channel) of each post queued for a 2019 result in a store."""
    with sessions() as session:
        rows = session.execute(
            select(Constituency.ons_id, OutboxEntry.channel)
            .join(OutboxEntry.contest)
            .join(Contest.constituency)
            .join(Contest.election)
            .where(Election.date == POLLING_DAY_2019)
        )
        return sorted((ons_id, channel) for ons_id, channel in rows)
