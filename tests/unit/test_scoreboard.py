"""The scoreboard of a whole election, from plain values: no database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction

import pytest

from handlers import blocks, summary_words
from store.arithmetic import party_key
from store.facts import CandidateFacts, ContestFacts
from store.numbers import percent, rounded
from store.scoreboard import Scoreboard, Tally, build_scoreboard, find_nation, find_region, nation_of
from store.summary import Summary, summarise_among
from tests.unit.library import PUBLISHED_SEATS_2024, library_contests, library_summaries

ELECTION_2024 = "2024 general election"
NOTIONAL_2019 = "2019 general election (notional, 2024 boundaries)"


@dataclass(frozen=True)
class Named:
    name: str
    date: dt.date
    kind: str


# ---------------------------------------------------------------------------------------------------------
# Small made-up elections


THEN = Named("2019 general election", dt.date(2019, 12, 12), "general")
NOW = Named("2024 general election", dt.date(2024, 7, 4), "general")


def contest(
    when: Named,
    ons_id: str,
    votes: dict[str, int],
    *,
    status: str = "declared",
    declared_at: dt.datetime | None = None,
    region: str | None = "North East",
) -> ContestFacts:
    candidates = tuple(
        CandidateFacts(f"{party} candidate", party, party, count, elected=count == max(votes.values()))
        for party, count in votes.items()
    )
    return ContestFacts(
        contest_id=None,
        version=1,
        is_current=True,
        status=status,
        constituency=f"Seat {ons_id}",
        ons_id=ons_id,
        region=region,
        election_name=when.name,
        election_date=when.date,
        election_kind=when.kind,
        boundary_set="2024",
        declared_at=declared_at,
        electorate=None,
        valid_votes=sum(votes.values()),
        rejected=None,
        candidates=candidates,
    )


def summaries(now: list[ContestFacts], then: list[ContestFacts]) -> tuple[list[Summary], list[Summary]]:
    by_seat: dict[str, list[ContestFacts]] = defaultdict(list)
    for facts in [*now, *then]:
        by_seat[facts.ons_id].append(facts)
    return summarise_among(now, by_seat), summarise_among(then, by_seat)


def small_board(**kw: object) -> Scoreboard:
    at = dt.datetime(2024, 7, 5, 2, 0, tzinfo=dt.UTC)
    then = [
        contest(THEN, "E1", {"Con": 60, "Lab": 40}),
        contest(THEN, "E2", {"BRX": 70, "Lab": 30}),
        contest(THEN, "E3", {"Con": 50, "Lab": 50 - 1}),
        contest(THEN, "S1", {"SNP": 80, "Lab": 20}, region="Scotland"),
    ]
    now = [
        contest(NOW, "E1", {"Lab": 55, "Con": 45}, declared_at=at),
        contest(NOW, "E2", {"RUK": 60, "Lab": 40}, declared_at=at + dt.timedelta(hours=1)),
        contest(NOW, "S1", {"Lab": 30, "SNP": 70}, region="Scotland"),  # no declaration time known
        contest(NOW, "E3", {"Lab": 90, "Con": 10}, status="provisional"),
    ]
    current, previous = summaries(now, then)
    return build_scoreboard(NOW, current, previous, previous_election=THEN.name, **kw)  # type: ignore[arg-type]


def test_seats_gains_and_losses_count_declared_results_against_each_seat_baseline():
    board = small_board()
    rows = {row.party: row for row in board.parties}
    assert (board.declared, board.provisional, board.total_seats, board.majority_line) == (3, 1, 4, 3)
    # Brexit Party held E2 before; Reform UK is its successor, so E2 is a Reform UK HOLD, not a gain.
    assert (rows["RUK"].seats, rows["RUK"].gains, rows["RUK"].losses) == (1, 0, 0)
    assert (rows["Lab"].seats, rows["Lab"].gains, rows["Lab"].losses, rows["Lab"].net) == (1, 1, 0, 1)
    assert (rows["Con"].seats, rows["Con"].gains, rows["Con"].losses, rows["Con"].net) == (0, 0, 1, -1)
    assert (rows["SNP"].seats, rows["SNP"].net) == (1, 0)
    # Most seats first, then most votes.
    assert [row.party for row in board.parties] == ["Lab", "SNP", "RUK", "Con"]


def test_shares_are_exact_over_all_valid_votes_and_changes_compare_the_same_seats():
    rows = {row.party: row for row in small_board().parties}
    # Declared: E1 (100 votes), E2 (100), S1 (100); the provisional E3 is not counted.
    assert rows["Lab"].votes == 55 + 40 + 30
    assert rows["Lab"].share == Fraction(125, 300) * 100
    # Then, in the same three seats: Lab 40 + 30 + 20 of 300; Brexit Party counts as Reform UK.
    assert rows["Lab"].share_change == Fraction(125 - 90, 300) * 100
    assert rows["RUK"].share_change == Fraction(60 - 70, 300) * 100


def test_a_party_that_did_not_stand_before_has_no_share_change():
    then = [contest(THEN, "E1", {"Con": 60, "Lab": 40})]
    now = [contest(NOW, "E1", {"Con": 50, "Lab": 30, "Green": 20})]
    current, previous = summaries(now, then)
    rows = {row.party: row for row in build_scoreboard(NOW, current, previous).parties}
    assert rows["Green"].share_change is None and rows["Green"].share == 20


def test_no_results_yet_still_counts_every_seat_of_the_previous_election():
    then = [contest(THEN, "E1", {"Con": 60, "Lab": 40}), contest(THEN, "E2", {"Lab": 70, "Con": 30})]
    _, previous = summaries([], then)
    board = build_scoreboard(NOW, [], previous)
    assert (board.declared, board.total_seats, board.majority_line, board.parties) == (0, 2, 2, ())
    assert "No results declared yet." in summary_words.text_scoreboard(board)


def test_latest_declarations_are_newest_first_and_only_those_with_a_known_time():
    board = small_board()
    assert [item.constituency for item in board.latest] == ["Seat E2", "Seat E1"]
    assert board.latest[0].result_label == "RUK HOLD"
    assert board.to_json()["latest"][0] == {
        "constituency": "Seat E2",
        "result_label": "RUK HOLD",
        "declared_at": "2024-07-05T03:00:00+00:00",
    }


def test_a_nation_or_region_filter_has_no_majority_line():
    scotland = small_board(nation="Scotland")
    assert (scotland.declared, scotland.total_seats, scotland.majority_line, scotland.scope) == (1, 1, None, "Scotland")
    assert [row.party for row in scotland.parties] == ["SNP", "Lab"]
    north_east = small_board(region="North East")
    assert (north_east.declared, north_east.total_seats, north_east.majority_line) == (2, 3, None)


def test_nations_and_regions_as_typed():
    assert find_nation("scotland") == "Scotland"
    assert find_nation("Northern-Ireland") == find_nation("NI") == "Northern Ireland"
    assert find_nation("north east") is None
    assert nation_of("W07000081") == "Wales" and nation_of("N05000001") == "Northern Ireland"
    assert find_region("yorkshire and the humber", library_summaries()) == "Yorkshire and The Humber"
    assert find_region("atlantis", library_summaries()) is None


def test_json_keys_are_exactly_the_documented_ones():
    data = small_board().to_json()
    assert list(data) == ["election", "declared", "total_seats", "majority_line", "parties", "latest"]
    assert list(data["election"]) == ["name", "date", "kind"]
    assert list(data["parties"][0]) == [
        "party",
        "party_name",
        "seats",
        "gains",
        "losses",
        "net",
        "votes",
        "share",
        "share_change",
    ]
    assert isinstance(data["parties"][0]["share"], float)


# ---------------------------------------------------------------------------------------------------------
# The bundled 2024 general election


def board_2024(**kw: str) -> Scoreboard:
    election = [s for s in library_summaries() if s.election_name == ELECTION_2024]
    notional = [s for s in library_summaries() if s.election_name == NOTIONAL_2019]
    named = Named(ELECTION_2024, dt.date(2024, 7, 4), "general")
    return build_scoreboard(named, election, notional, previous_election=NOTIONAL_2019, **kw)  # type: ignore[arg-type]


def test_2024_seats_and_shares():
    board = board_2024()
    assert (board.declared, board.total_seats, board.majority_line) == (650, 650, 326)
    assert {row.party: row.seats for row in board.parties if row.seats} == PUBLISHED_SEATS_2024
    assert [row.party for row in board.parties[:3]] == ["Lab", "Con", "LD"]
    shares = {row.party: str(rounded(row.share)) for row in board.parties if row.share is not None}
    assert {party: shares[party] for party in ("Lab", "Con", "RUK", "LD", "Green")} == {
        "Lab": "33.7",
        "Con": "23.7",
        "RUK": "14.3",
        "LD": "12.2",
        "Green": "6.7",
    }


def test_2024_in_scotland():
    board = board_2024(nation="Scotland")
    assert {row.party: row.seats for row in board.parties if row.seats} == {"Lab": 37, "SNP": 9, "LD": 6, "Con": 5}
    assert (board.declared, board.total_seats) == (57, 57)


def winners_by_seat(election_name: str) -> dict[str, str]:
    """Each seat's winning party (most votes), read straight from the Library's figures."""
    found = {}
    for facts in library_contests():
        if facts.election_name == election_name:
            top = max(facts.candidates, key=lambda c: c.votes or 0)
            found[facts.ons_id] = party_key(top.party)
    return found


@pytest.mark.parametrize("party", ["Lab", "Con", "LD", "SNP", "RUK"])
def test_2024_gains_and_losses_against_the_notional_2019_result(party):
    # Derived independently of the summaries: winners from the votes, seat by seat, against the notional.
    now, then = winners_by_seat(ELECTION_2024), winners_by_seat(NOTIONAL_2019)
    gained = sum(1 for seat, winner in now.items() if winner == party and then[seat] != party)
    lost = sum(1 for seat, winner in now.items() if winner != party and then[seat] == party)
    (row,) = [row for row in board_2024().parties if row.party == party]
    assert (row.gains, row.losses) == (gained, lost)
    assert row.net == Counter(now.values())[party] - Counter(then.values())[party]


def test_2024_labour_and_conservative_gains_and_losses_figures():
    rows = {row.party: row for row in board_2024().parties}
    assert (rows["Lab"].gains, rows["Lab"].losses, rows["Lab"].net) == (218, 7, 211)
    assert (rows["Con"].gains, rows["Con"].losses, rows["Con"].net) == (1, 252, -251)


def test_the_text_table_rounds_once_and_stays_narrow():
    board = board_2024()
    text = summary_words.text_scoreboard(board)
    assert text.startswith("2024 general election\n650 of 650 seats declared · 326 for a majority\n")
    table = summary_words.scoreboard_table(board).split("\n")
    assert table[0].split() == ["Party", "Seats", "+/-", "Net", "Votes", "Share", "Change"]
    (labour,) = [line for line in table if line.startswith("Lab ")]
    assert labour.split() == ["Lab", "411", "+218/-7", "+211", "9,708,716", "33.7%", "+1.6"]
    assert table[-1].startswith("Others")
    assert max(len(line) for line in table) <= 60
    assert percent(board.parties[0].share) == "33.7%"


def test_the_blocks_keep_within_slack_limits_and_escape_the_table():
    board = board_2024()
    made = blocks.scoreboard_blocks(board)
    assert made[0] == {"type": "header", "text": {"type": "plain_text", "text": ELECTION_2024, "emoji": True}}
    assert len(made) <= blocks.MAX_BLOCKS
    sections = [b["text"]["text"] for b in made if b["type"] == "section"]
    assert all(len(text) <= blocks.SECTION_LIMIT for text in sections)
    assert any(text.startswith("```") and "Lab " in text for text in sections)
    assert blocks.scoreboard_text(board) == "2024 general election: 650 of 650 seats declared · 326 for a majority"


# ---------------------------------------------------------------------------------------------------------
# The live scoreboard message in a results channel


def test_the_live_message_says_when_a_party_has_won_a_majority():
    board = board_2024()
    message = blocks.live_scoreboard_message(board)
    won = f"Lab has won a majority: {PUBLISHED_SEATS_2024['Lab']} seats"
    assert summary_words.majority_won(board) == won
    assert message["text"].endswith(won)
    assert [b for b in message["blocks"] if b["type"] == "section"][1]["text"]["text"] == f"*{won}*"
    assert len(message["blocks"]) <= blocks.MAX_BLOCKS


def test_the_live_message_has_no_majority_line_until_a_party_reaches_it():
    # Of four seats, 3 make a majority: Lab's one declared seat and SNP's one are short of it.
    board = small_board()
    assert board.majority_line == 3 and board.parties[0].seats < 3
    assert summary_words.majority_won(board) is None
    message = blocks.live_scoreboard_message(board)
    assert "majority:" not in str(message)
    assert message["blocks"] == blocks.scoreboard_blocks(board)
    # Exactly at the line counts: three seats of four.
    then = [contest(THEN, f"E{n}", {"Con": 60, "Lab": 40}) for n in range(4)]
    now = [contest(NOW, f"E{n}", {"Lab": 60, "Con": 40}) for n in range(3)]
    current, previous = summaries(now, then)
    assert summary_words.majority_won(build_scoreboard(NOW, current, previous)) == "Lab has won a majority: 3 seats"


def test_a_tally_kept_one_result_at_a_time_matches_the_scoreboard_built_at_once():
    """The live scoreboard's recount: results counted as they come, a correction replacing the count of
    the version it corrects, give the very scoreboard built from the final results in one go."""
    election = [s for s in library_summaries() if s.election_name == ELECTION_2024]
    notional = [s for s in library_summaries() if s.election_name == NOTIONAL_2019]
    named = Named(ELECTION_2024, dt.date(2024, 7, 4), "general")
    tally = Tally(notional)
    for number, summary in enumerate(election[:100]):
        tally.add(number, summary)
    partial = tally.scoreboard(named, previous_election=NOTIONAL_2019)
    assert partial == build_scoreboard(named, election[:100], notional, previous_election=NOTIONAL_2019)
    assert partial.declared == 100
    # A wrong first version of a seat (its two leading candidates' votes swapped), then corrected.
    wrong = dataclasses.replace(election[100], winner=election[0].winner, result_label="X GAIN from Y")
    tally.add(100, wrong)
    for number, summary in enumerate(election[100:], start=100):
        tally.add(number, summary)
    assert tally.scoreboard(named, previous_election=NOTIONAL_2019) == board_2024()
    tally.remove(0)
    assert tally.scoreboard(named).declared == len(election) - 1
