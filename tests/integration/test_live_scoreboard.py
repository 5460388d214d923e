"""The live scoreboard in a results channel: one message per general election, posted with the first
result and edited in place, never lost or doubled, whatever Slack or the dispatcher does.

Results are the Library's 2024 figures, entered at the desk one by one over the 2019 notional results
(the bundled Library files of parliament 58); what the scoreboard must show is read independently from
the Library's files (tests/integration/published.py). Runs on SQLite and on PostgreSQL (when
TEST_DATABASE_URL is set), against the fake Slack Web API server on 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import dispatch_client
from bot.bootstrap import BUNDLED_DATA
from bot.desk import Desk
from bot.dispatcher import SCOREBOARD_EVENT, Dispatcher
from handlers import blocks
from store import db
from store.contest_input import parse_entry
from store.enter_result import check
from store.importers.hoc import import_hoc
from store.models import DONE, Election, LiveScoreboard, OutboxEntry
from tests.conftest import database_url
from tests.fakeslack import FakeSlack
from tests.integration import published
from tests.results import CHANNEL, FAST, dispatcher_killed_mid_post, enter, posted_results, result, settings_for

LIVE = dataclasses.replace(FAST, scoreboard_interval_seconds=0.3)
GENERAL_2024 = published.GENERAL_ELECTION_DATES[59]


def load_2019_baseline(sessions: sessionmaker[Session]) -> None:
    """The 2019 general election and its notional result on the 2024 boundaries: every seat's baseline."""
    with db.transaction(sessions) as session:
        import_hoc(session, BUNDLED_DATA / "58")


def entries_2024(count: int) -> list[dict[str, Any]]:
    """The first `count` English seats of 2024 (by ONS ID) as desk entries, from the Library's files;
    a seat whose published figures the desk would refuse (they do not add up) is passed over."""
    entries = []
    for seat in sorted(published.constituencies(59, "general-election"), key=lambda row: row["ONS ID"]):
        if not seat["ONS ID"].startswith("E"):
            continue
        data = {
            "election": {"date": GENERAL_2024.isoformat(), "kind": "general"},
            "constituency": {"ons_id": seat["ONS ID"], "name": seat["Constituency name"]},
            "electorate": seat.number_in("Electorate"),
            "valid_votes": seat.number_in("Valid votes"),
            "rejected": seat.number_in("Invalid votes"),
            "candidates": [
                {
                    "name": published.candidate_name(row),
                    "party": row["Party abbreviation"],
                    "votes": row.number_in("Votes"),
                }
                for row in published.contest_candidates(59, "general-election", seat["ONS ID"], GENERAL_2024)
            ],
        }
        if not check(parse_entry(data)):
            entries.append(data)
        if len(entries) == count:
            return entries
    raise AssertionError(f"fewer than {count} English seats add up")


def expected_tallies(entries: list[dict[str, Any]]) -> tuple[Counter[str], Counter[str]]:
    """Seats (the Library's "First party") and votes by party over the entered seats, from the files."""
    entered = {entry["constituency"]["ons_id"] for entry in entries}
    seats = Counter(
        row["First party"] for row in published.constituencies(59, "general-election") if row["ONS ID"] in entered
    )
    votes: Counter[str] = Counter()
    for row in published.candidacies(59, "general-election"):
        if row["ONS ID"] in entered:
            votes[row["Party abbreviation"]] += row.number_in("Votes") or 0
    return seats, votes


def total_seats(entries: list[dict[str, Any]]) -> int:
    """Every seat of the notional 2019 result, and any entered seat it lacks."""
    return len({row["ONS ID"] for row in published.notional(58)} | {e["constituency"]["ons_id"] for e in entries})


def scoreboard_messages(slack: FakeSlack) -> list[dict[str, Any]]:
    """Top-level messages in the channel carrying the scoreboard's metadata: what readers see."""
    return [
        m
        for m in slack.messages(CHANNEL)
        if (m.get("metadata") or {}).get("event_type") == SCOREBOARD_EVENT and m.get("thread_ts", m["ts"]) == m["ts"]
    ]


def table_rows(message: dict[str, Any]) -> dict[str, list[str]]:
    """The scoreboard table's rows by party, as shown: party, seats, +/-, net, votes, share, change."""
    rows = {}
    for block in message["blocks"]:
        text = block.get("text", {}).get("text", "") if block["type"] == "section" else ""
        if text.startswith("```"):
            for line in text.strip("`").split("\n")[2:]:
                cells = line.split()
                if cells:
                    rows[cells[0]] = cells
    return rows


def assert_shows(message: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    assert f"{len(entries)} of {total_seats(entries)} seats declared" in message["text"]
    seats, votes = expected_tallies(entries)
    rows = table_rows(message)
    for party, won in seats.items():
        assert rows[party][1] == str(won), party
        assert rows[party][4] == f"{votes[party]:,}", party
    shown_seats = sum(int(cells[1]) for cells in rows.values() if cells[1].isdigit())
    assert shown_seats == len(entries)


def settled(sessions: sessionmaker[Session], results: int) -> bool:
    """Every result posted, and the scoreboard sent as of the last entry with no delivery in hand."""
    with sessions() as session:
        done = session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status == DONE))
        board = session.scalars(select(LiveScoreboard)).one_or_none()
        return (
            done == results
            and board is not None
            and board.sent_revision == board.revision
            and board.lease_until is None
        )


def wait_until_settled(sessions: sessionmaker[Session], results: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not settled(sessions, results):
        assert time.monotonic() < deadline, "the results and the scoreboard were not all delivered in time"
        time.sleep(0.1)


def test_a_burst_of_30_results_gives_one_scoreboard_message_edited_to_the_final_tally(store, sessions, slack) -> None:
    load_2019_baseline(sessions)
    entries = entries_2024(30)
    settings = settings_for(slack)
    # The scoreboard's first post hangs past the client's timeout but lands (so may the first result's,
    # whichever goes first); an edit fails, another is lost in a timeout: the channel must still carry
    # one scoreboard, edited to the last result.
    slack.hang_next("chat.postMessage", times=2, seconds=1.0, apply=True)
    slack.fail_next("chat.update", times=1, error="internal_error")
    slack.hang_next("chat.update", times=1, seconds=1.0, apply=False)
    dispatcher = Dispatcher(sessions, dispatch_client(settings, timeout=0.5), LIVE).start()
    desk = Desk(store, settings, dispatcher)
    try:
        for data in entries:
            enter(desk, data)
        wait_until_settled(sessions, len(entries))
    finally:
        dispatcher.stop()

    (message,) = scoreboard_messages(slack)
    edits = [c for c in slack.calls_to("chat.update") if c.params.get("ts") == message["ts"]]
    assert len(edits) >= 3 and "edited" in message  # two failed, then at least one that landed
    assert_shows(message, entries)
    assert len(posted_results(slack)) == len(entries)
    with sessions() as session:
        assert session.scalars(select(LiveScoreboard.message_ts)).one() == message["ts"]


def test_a_burst_between_edits_becomes_one_edit(store, sessions, slack) -> None:
    load_2019_baseline(sessions)
    entries = entries_2024(30)
    settings = settings_for(slack)
    dispatcher = Dispatcher(
        sessions, dispatch_client(settings), dataclasses.replace(FAST, scoreboard_interval_seconds=60)
    )
    desk = Desk(store, settings)
    enter(desk, entries[0])
    assert dispatcher.deliver_scoreboard() == 1  # posted with the first result
    (first,) = scoreboard_messages(slack)
    assert_shows(first, entries[:1])
    for data in entries[1:]:
        enter(desk, data)
    assert dispatcher.deliver_scoreboard() == 0  # within the interval: the burst waits
    assert slack.calls_to("chat.update") == []
    with sessions() as session, session.begin():  # the interval passes
        board = session.scalars(select(LiveScoreboard)).one()
        assert board.sent_at is not None
        board.sent_at -= dt.timedelta(seconds=60)
    assert dispatcher.deliver_scoreboard() == 1
    assert dispatcher.deliver_scoreboard() == 0  # nothing more is owed
    (edit,) = slack.calls_to("chat.update")
    (message,) = scoreboard_messages(slack)
    assert edit.params["ts"] == message["ts"] == first["ts"]
    assert_shows(message, entries)


def test_dispatcher_killed_mid_burst_still_leaves_one_scoreboard(engine, store, sessions, slack) -> None:
    load_2019_baseline(sessions)
    entries = entries_2024(30)
    settings = settings_for(slack)
    desk = Desk(store, settings)
    for data in entries[:15]:
        enter(desk, data)
    # Half the burst is in: the scoreboard's first post (the dispatcher's first call) lands in the
    # channel, but the dispatcher is killed before it can record that; the rest arrive afterwards.
    # (Folded, the 15 waiting results would go first: a channel behind gets its results before its
    # scoreboard.)
    dispatcher_killed_mid_post(database_url(engine), slack, digest_after="off")
    assert len(scoreboard_messages(slack)) == 1
    with sessions() as session:
        assert session.scalars(select(LiveScoreboard.message_ts)).one() is None

    restarted = Dispatcher(sessions, dispatch_client(settings), LIVE).start()
    desk = Desk(store, settings, restarted)
    try:
        for data in entries[15:]:
            enter(desk, data)
        wait_until_settled(sessions, len(entries))
    finally:
        restarted.stop()
    (message,) = scoreboard_messages(slack)
    assert_shows(message, entries)
    with sessions() as session:
        board = session.scalars(select(LiveScoreboard)).one()
        assert board.message_ts == message["ts"] and board.uncertain


def test_a_by_election_gets_no_scoreboard(store, sessions, slack) -> None:
    settings = settings_for(slack)
    dispatcher = Dispatcher(sessions, dispatch_client(settings), LIVE)
    enter(Desk(store, settings), result(1))
    deadline = time.monotonic() + 30
    while len(posted_results(slack)) < 1:
        assert time.monotonic() < deadline
        dispatcher.run_once()
    dispatcher.run_once()
    assert scoreboard_messages(slack) == []
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(LiveScoreboard)) == 0


def test_an_import_that_posts_marks_only_the_general_elections_scoreboard(store, sessions) -> None:
    # Parliament 58's files: the 2019 general election, its by-elections and the notional 2019 result.
    with db.transaction(sessions) as session:
        import_hoc(session, BUNDLED_DATA / "58", post_to=[CHANNEL])
    with sessions() as session:
        marked = session.execute(
            select(Election.kind, Election.date, LiveScoreboard.channel).join(
                Election, Election.id == LiveScoreboard.election_id
            )
        ).all()
        by_elections = session.scalar(select(func.count()).select_from(Election).where(Election.kind == "by-election"))
    assert [tuple(row) for row in marked] == [("general", published.GENERAL_ELECTION_DATES[58], CHANNEL)]
    assert by_elections  # there were by-elections to leave out


def test_a_scoreboard_that_cannot_be_shown_holds_up_no_result_post(store, sessions, slack, monkeypatch) -> None:
    def broken(board: object) -> dict[str, Any]:
        raise ValueError("a rendering bug")

    monkeypatch.setattr(blocks, "live_scoreboard_message", broken)
    settings = settings_for(slack)
    data = result(7)
    data["election"] = {"date": data["election"]["date"], "kind": "general"}
    enter(Desk(store, settings), data)
    dispatcher = Dispatcher(sessions, dispatch_client(settings), LIVE)
    deadline = time.monotonic() + 30
    while not posted_results(slack):
        assert time.monotonic() < deadline, "the result was never posted"
        dispatcher.run_once()
    assert scoreboard_messages(slack) == []
    with sessions() as session:
        board = session.scalars(select(LiveScoreboard)).one()
        assert board.last_error == "internal error" and board.sent_revision == 0
