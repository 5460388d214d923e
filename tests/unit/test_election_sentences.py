"""The one-sentence answers about a whole election, on hand-built scoreboards: election-night states
(part declared, no majority, a tie) that the bundled, complete results never show."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from handlers import blocks, summary_words
from store.scoreboard import PartyTally, Scoreboard


def row(party: str, name: str, seats: int, gains: int = 0, losses: int = 0, votes: int = 0) -> PartyTally:
    return PartyTally(party, name, seats, gains, losses, votes, Fraction(votes, 1000) * 100, Fraction(1, 3))


def board(*rows: PartyTally, declared: int, total: int = 650, scope: str | None = None) -> Scoreboard:
    return Scoreboard(
        election_name="2029 general election",
        election_date=dt.date(2029, 5, 3),
        election_kind="general",
        scope=scope,
        declared=declared,
        provisional=0,
        total_seats=total,
        majority_line=None if scope else total // 2 + 1,
        parties=rows,
        latest=(),
        previous_election="2024 general election",
    )


def test_a_majority_while_seats_are_still_to_declare_is_a_minimum():
    sentence = summary_words.election_winner_sentence(board(row("Lab", "Labour", 330), declared=600))
    assert sentence == (
        "Labour has won 330 of 650 seats at the 2029 general election (600 of 650 seats declared), a majority of "
        "at least 10 (its seats minus all other seats, the Speaker's among them: 330 − 320; 326 seats are needed "
        "for a majority)."
    )


def test_leading_short_of_a_majority_on_the_night():
    sentence = summary_words.election_winner_sentence(
        board(row("Con", "Conservative", 200), row("Lab", "Labour", 150), declared=400)
    )
    assert sentence == (
        "Conservative leads at the 2029 general election with 200 seats (400 of 650 seats declared); "
        "326 are needed for a majority."
    )


def test_a_hung_parliament_is_said_to_be_one():
    sentence = summary_words.election_winner_sentence(
        board(row("Con", "Conservative", 300), row("Lab", "Labour", 250), declared=650)
    )
    assert sentence.startswith("No party won a majority at the 2029 general election: Conservative is the largest")
    assert "300 of 650 seats, 26 short of the 326 needed" in sentence


def test_a_tie_names_no_winner():
    sentence = summary_words.election_winner_sentence(
        board(row("Con", "Conservative", 3), row("Lab", "Labour", 3), declared=6)
    )
    assert sentence.startswith("No single party has the most seats") and "Conservative, Labour have 3 each" in sentence


def test_nothing_declared_yet():
    assert summary_words.election_winner_sentence(board(declared=0)) == (
        "No results at the 2029 general election are declared yet."
    )
    assert summary_words.seats_sentence(board(declared=0), "Lab") == (
        "Lab has won no seats at the 2029 general election (0 of 650 seats declared)."
    )


def test_seats_of_a_party_with_no_seat_but_losses():
    sentence = summary_words.seats_sentence(
        board(row("Lab", "Labour", 5), row("SNP", "SNP", 0, 0, 4), declared=9), "SNP"
    )
    assert sentence == (
        "SNP has won no seats at the 2029 general election (9 of 650 seats declared), net -4 on the 2024 general "
        "election: 0 gained, 4 lost."
    )


def test_the_answer_blocks_escape_and_keep_within_limits():
    answer = board(row("Lab", "<!channel> & co", 1, votes=10), declared=1, scope="Wales", total=32)
    sentence = summary_words.election_winner_sentence(answer)
    made = blocks.scoreboard_answer_blocks(sentence, answer)
    assert len(made) <= blocks.MAX_BLOCKS
    assert "<!channel>" not in str(made) and "&lt;!channel&gt; &amp; co" in str(made)
