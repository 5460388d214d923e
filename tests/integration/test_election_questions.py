"""Questions about a whole election, a nation or region, or a party, answered against the bundled store.

Every expected figure is worked out here from the House of Commons Library's files as a reader would
read them (`tests.integration.published`: the csv module only), never by the code under test.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from handlers.replies import reply_to_question
from tests.integration import published

GE_2024 = (59, "general-election")
GE_2019 = (58, "general-election")


def shown(value: Fraction) -> str:
    """One decimal place, halves away from zero (the newsroom's rule), worked out here independently."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def seats_won(folder: tuple[int, str], party: str, country: str | None = None) -> int:
    return sum(
        1
        for row in published.constituencies(*folder)
        if row["First party"] == party and (country is None or row["Country name"] == country)
    )


def turnout(row: published.Row) -> Fraction | None:
    electorate, valid = row.number_in("Electorate"), row.number_in("Valid votes")
    return Fraction(valid * 100, electorate) if electorate and valid is not None else None


def majority_share(row: published.Row) -> Fraction | None:
    majority, valid = row.number_in("Majority"), row.number_in("Valid votes")
    return Fraction(majority * 100, valid) if majority is not None and valid else None


def first_line(reply) -> str:
    return reply.plain.split("\n")[0]


# --- seats and votes, from the scoreboard ------------------------------------------------------------------


def test_how_many_seats_did_a_party_win_defaults_to_the_latest_general_election(no_seat_lookup) -> None:
    won = seats_won(GE_2024, "RUK")
    assert won == 5
    brexit = {row["ONS ID"] for row in published.notional(58) if row["Party abbreviation"] == "Brexit Party"}
    reply = reply_to_question("how many seats did Reform UK win?", no_seat_lookup)
    assert reply.public
    # The 2019 notional result (2024 boundaries) gave Reform/Brexit Party no seat, so every seat is a gain.
    top = {}
    for row in published.notional(58):
        if row["Vote code"] not in published.AGGREGATE_VOTE_CODES and row.number_in("Votes") is not None:
            best = top.get(row["ONS ID"])
            if best is None or (row.number_in("Votes") or 0) > (best.number_in("Votes") or 0):
                top[row["ONS ID"]] = row
    assert (
        brexit and len(top) == 650 and not [row for row in top.values() if row["Party abbreviation"] == "Brexit Party"]
    )
    assert first_line(reply) == (
        f"Reform UK won {won} seats at the 2024 general election, net +{won} on the 2019 general election "
        f"(notional, 2024 boundaries): {won} gained, 0 lost."
    )
    assert "```" in str(reply.blocks)  # the compact table


def test_seats_in_a_year_and_a_nation(no_seat_lookup) -> None:
    snp_2019 = seats_won(GE_2019, "SNP", "Scotland")
    lab_2024 = seats_won(GE_2024, "Lab", "Scotland")
    assert first_line(
        reply_to_question("how many seats did the SNP win in 2019 in Scotland", no_seat_lookup)
    ).startswith(f"Scottish National Party won {snp_2019} seats in Scotland at the 2019 general election,")
    assert first_line(reply_to_question("how many seats did labour win in scotland", no_seat_lookup)).startswith(
        f"Labour won {lab_2024} seats in Scotland at the 2024 general election,"
    )


@pytest.mark.parametrize("text", ["who won the 2024 general election", "who won the election", "who won in 2024?"])
def test_who_won_the_election_states_the_majority_and_its_convention(text, no_seat_lookup) -> None:
    rows = published.constituencies(*GE_2024)
    labour = seats_won(GE_2024, "Lab")
    total = len(rows)
    assert (labour, total) == (411, 650)
    others = total - labour  # every other seat, the Speaker's among them
    reply = reply_to_question(text, no_seat_lookup)
    assert first_line(reply) == (
        f"Labour won {labour} of {total} seats at the 2024 general election, a majority of {labour - others} "
        f"(its seats minus all other seats, the Speaker's among them: {labour} − {others}; "
        f"{total // 2 + 1} seats are needed for a majority)."
    )


def test_who_won_in_2019(no_seat_lookup) -> None:
    con = seats_won(GE_2019, "Con")
    total = len(published.constituencies(*GE_2019))
    assert first_line(reply_to_question("who won the 2019 election", no_seat_lookup)).startswith(
        f"Conservative won {con} of {total} seats at the 2019 general election, a majority of {2 * con - total} "
    )


@pytest.mark.parametrize("text", ["state of the parties 2024", "national vote share", "state of the parties"])
def test_state_of_the_parties_and_national_vote_share(text, no_seat_lookup) -> None:
    valid = sum(row.number_in("Valid votes") or 0 for row in published.constituencies(*GE_2024))
    labour_votes = sum(
        row.number_in("Votes") or 0
        for row in published.candidacies(*GE_2024)
        if row["Party abbreviation"] in ("Lab", "Lab Co-op")
    )
    reply = reply_to_question(text, no_seat_lookup)
    share = shown(Fraction(labour_votes * 100, valid))
    assert first_line(reply).startswith(
        f"At the 2024 general election: Labour {seats_won(GE_2024, 'Lab')} seats, {share}% of the vote; "
    )
    table = [line.split() for line in reply.plain.split("\n") if line.startswith("Lab ")]
    assert table == [["Lab", "411", "+218/-7", "+211", f"{labour_votes:,}", f"{share}%", "+1.6"]]


def test_how_did_a_party_do_at_an_election(no_seat_lookup) -> None:
    valid = sum(row.number_in("Valid votes") or 0 for row in published.constituencies(*GE_2024))
    snp = sum(
        row.number_in("Votes") or 0 for row in published.candidacies(*GE_2024) if row["Party abbreviation"] == "SNP"
    )
    reply = reply_to_question("how did the snp do in 2024", no_seat_lookup)
    line = first_line(reply)
    assert line.startswith(
        f"Scottish National Party won {seats_won(GE_2024, 'SNP')} seats at the 2024 general election"
    )
    assert f"; {snp:,} votes, {shown(Fraction(snp * 100, valid))}% of valid votes, " in line
    scottish_valid = sum(
        row.number_in("Valid votes") or 0
        for row in published.constituencies(*GE_2024)
        if row["Country name"] == "Scotland"
    )
    in_scotland = first_line(reply_to_question("how did the SNP do in Scotland?", no_seat_lookup))
    assert "in Scotland at the 2024 general election" in in_scotland
    assert f"{shown(Fraction(snp * 100, scottish_valid))}% of valid votes" in in_scotland


# --- rankings --------------------------------------------------------------------------------------------


def test_lowest_turnout_is_the_smallest_valid_votes_over_electorate(no_seat_lookup) -> None:
    rows = [(t, row["Constituency name"]) for row in published.constituencies(*GE_2024) if (t := turnout(row))]
    lowest, seat = min(rows)
    reply = reply_to_question("lowest turnout 2024", no_seat_lookup)
    lines = reply.plain.split("\n")
    assert lines[0] == "Lowest turnout at the 2024 general election"
    assert lines[1].startswith(f"1. {seat}: ") and lines[1].endswith(f" · turnout {shown(lowest)}%")
    assert "Ranked by turnout (valid votes / electorate), lowest first." in reply.plain
    assert "Lowestoft" not in reply.plain
    assert len([line for line in lines if line[:1].isdigit()]) == 10


def test_highest_turnout_top_n_in_a_region(no_seat_lookup) -> None:
    rows = sorted(
        (
            (t, row["Constituency name"])
            for row in published.constituencies(*GE_2024)
            if row["Region name"] == "North East"
            if (t := turnout(row))
        ),
        reverse=True,
    )
    reply = reply_to_question("top 3 highest turnouts in the north east", no_seat_lookup)
    lines = reply.plain.split("\n")
    assert lines[0] == "Highest turnout at the 2024 general election · North East"
    assert [line.split(": ")[0] for line in lines[1:4]] == [f"{i}. {seat}" for i, (_, seat) in enumerate(rows[:3], 1)]
    assert not lines[4][:1].isdigit()


def test_biggest_and_smallest_majorities_say_they_rank_by_share(no_seat_lookup) -> None:
    rows = [(m, row["Constituency name"]) for row in published.constituencies(*GE_2024) if (m := majority_share(row))]
    biggest = reply_to_question("biggest majorities 2024", no_seat_lookup)
    assert first_line(biggest) == "Biggest majorities at the 2024 general election"
    share, seat = max(rows)
    assert (
        biggest.plain.split("\n")[1].startswith(f"1. {seat}: ") and f"({shown(share)}%)" in biggest.plain.split("\n")[1]
    )
    assert "Ranked by majority as a share of valid votes" in biggest.plain
    assert "No seat matches" not in biggest.plain
    smallest = reply_to_question("smallest majorities in 2024", no_seat_lookup)
    share, seat = min(rows)
    assert smallest.plain.split("\n")[1].startswith(f"1. {seat}: ")
    assert "lowest first" in smallest.plain


def test_safest_seats_by_votes_rank_by_votes(no_seat_lookup) -> None:
    rows = sorted(
        ((row.number_in("Majority") or 0, row["Constituency name"]) for row in published.constituencies(*GE_2024)),
        reverse=True,
    )
    reply = reply_to_question("safest seats by votes", no_seat_lookup)
    assert "Ranked by majority in votes" in reply.plain
    majority, seat = rows[0]
    assert reply.plain.split("\n")[1].startswith(f"1. {seat}: ") and f"majority {majority:,} " in reply.plain
    assert "Ranked by majority as a share" in reply_to_question("safest seats", no_seat_lookup).plain


# --- none of them is a seat ------------------------------------------------------------------------------

ELECTION_QUESTIONS = [
    "how many seats did reform uk win",
    "how many seats did labour win in 2019 in scotland",
    "who won the 2024 general election",
    "who won the election",
    "state of the parties 2019",
    "national vote share",
    "how did the snp do in 2024",
    "lowest turnout 2024",
    "highest turnout",
    "biggest majorities 2024",
    "smallest majorities",
    "safest seats",
    "top 5 safest seats in wales",
    "what was the lowest turnout in 2019",
    "lowest turnout in narnia",
]


@pytest.mark.parametrize("text", ELECTION_QUESTIONS)
def test_no_election_question_is_answered_with_a_seat(text, no_seat_lookup) -> None:
    reply = reply_to_question(text, no_seat_lookup)  # `no_seat_lookup` fails on any seat lookup
    assert reply.public
    assert "Candidate" not in reply.plain and "No seat matches" not in reply.plain and "Which seat" not in reply.plain
