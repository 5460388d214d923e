"""Which channels a result goes to, from follows and results as plain values (store.follows).

The results are the Library's own summaries of 2019 seats (tests.unit.library), and what a follow
should bring is read from the Library's files (tests.integration.published): the Result column says
gain or hold, the Country and Region columns where the seat is.
"""

from __future__ import annotations

import pytest

from store.follows import ALL, GAINS, NATION, PARTY, REGION, SEAT, Follow, ResultToPost, channels_following, matches
from tests.integration import published
from tests.unit.library import summary_of

ELECTION_2019 = "2019 general election"
# (seat, ONS ID): a gain and a hold in Scotland and in England.
EAST_DUNBARTONSHIRE = ("East Dunbartonshire", "S14000018")
ABERDEEN_NORTH = ("Aberdeen North", "S14000001")
ASHFIELD = ("Ashfield", "E14000535")
HARTLEPOOL = ("Hartlepool", "E14000733")
SEATS = (EAST_DUNBARTONSHIRE, ABERDEEN_NORTH, ASHFIELD, HARTLEPOOL)


def published_row(ons_id: str) -> published.Row:
    return published.find_seat(58, "general-election", ons_id)


def result_of(seat: tuple[str, str]) -> ResultToPost:
    return ResultToPost.of(summary_of(seat[0], ELECTION_2019))


@pytest.mark.parametrize("seat", SEATS, ids=[name for name, _ in SEATS])
def test_a_result_reads_as_the_library_publishes_it(seat: tuple[str, str]) -> None:
    row = published_row(seat[1])
    result = result_of(seat)
    assert result.gain == (" gain from " in row["Result"])
    assert result.region == row["Region name"]
    winner, *rest = row["Result"].split(" ")
    assert result.winner_party == winner
    assert result.loser_party == (rest[-1] if result.gain else None)


@pytest.mark.parametrize("seat", SEATS, ids=[name for name, _ in SEATS])
def test_each_kind_of_follow_brings_what_it_says(seat: tuple[str, str]) -> None:
    row = published_row(seat[1])
    result = result_of(seat)
    gain = " gain from " in row["Result"]
    assert matches(Follow("C", ALL), result)
    assert matches(Follow("C", GAINS), result) == gain
    assert matches(Follow("C", NATION, "Scotland"), result) == (row["Country name"] == "Scotland")
    assert matches(Follow("C", NATION, "England"), result) == (row["Country name"] == "England")
    assert matches(Follow("C", REGION, row["Region name"]), result)
    assert matches(Follow("C", REGION, "North East"), result) == (row["Region name"] == "North East")
    assert matches(Follow("C", SEAT, seat[0].upper()), result)
    assert not matches(Follow("C", SEAT, "Hartlepool and Elsewhere"), result)


def test_a_party_follows_the_seats_it_won_and_the_seats_it_lost() -> None:
    # East Dunbartonshire: SNP gain from LD; Aberdeen North: SNP hold; Ashfield: Con gain from Lab.
    east_dunbartonshire, aberdeen_north, ashfield = map(result_of, (EAST_DUNBARTONSHIRE, ABERDEEN_NORTH, ASHFIELD))
    lib_dems, snp, labour = Follow("C", PARTY, "LD"), Follow("C", PARTY, "SNP"), Follow("C", PARTY, "Lab")
    assert matches(lib_dems, east_dunbartonshire) and matches(snp, east_dunbartonshire)
    assert matches(snp, aberdeen_north) and not matches(lib_dems, aberdeen_north)
    assert matches(labour, ashfield)
    # Standing is not enough: Labour stood in Aberdeen North and neither won nor lost it.
    assert not matches(labour, aberdeen_north)


def test_a_party_follow_takes_in_its_successor() -> None:
    # Reform UK is the Brexit Party's successor (arithmetic.party_key).
    brexit_win = ResultToPost("Somewhere", "E14999999", "North East", 2019, "general", winner_party="BRX")
    assert matches(Follow("C", PARTY, "RUK"), brexit_win)


def test_an_election_limit_narrows_a_follow() -> None:
    ashfield = result_of(ASHFIELD)
    assert matches(Follow("C", GAINS, year=2019), ashfield)
    assert not matches(Follow("C", GAINS, year=2024), ashfield)
    assert matches(Follow("C", ALL, election_kind="general"), ashfield)
    assert not matches(Follow("C", ALL, year=2019, election_kind="by-election"), ashfield)


def test_a_channel_is_named_once_however_many_of_its_follows_match() -> None:
    east_dunbartonshire = result_of(EAST_DUNBARTONSHIRE)
    follows = [
        Follow("CALL", ALL),
        Follow("CALL", GAINS),
        Follow("CGAINS", GAINS),
        Follow("CSCOT", NATION, "Scotland"),
        Follow("CSCOT", SEAT, "East Dunbartonshire"),
        Follow("CENG", NATION, "England"),
    ]
    assert channels_following(follows, east_dunbartonshire) == ["CALL", "CGAINS", "CSCOT"]
    # A channel given (RESULTSBOT_RESULTS_CHANNEL, or one already holding a post of the seat) comes first, once.
    assert channels_following(follows, east_dunbartonshire, also=["CSETTING", "CGAINS"]) == [
        "CSETTING",
        "CGAINS",
        "CALL",
        "CSCOT",
    ]
    assert channels_following(follows, result_of(HARTLEPOOL)) == ["CALL", "CENG"]


def test_the_same_follow_is_the_same_whoever_typed_it_and_however() -> None:
    assert Follow("C", SEAT, "East Dunbartonshire").same_as(Follow("C", SEAT, "east dunbartonshire"))
    assert not Follow("C", SEAT, "Hartlepool").same_as(Follow("C", SEAT, "Hartlepool", year=2024))
    assert not Follow("C", GAINS).same_as(Follow("D", GAINS))
    assert (
        Follow("C", PARTY, "LD", 2024, "general").describe()
        == "LD results (seats won or lost) (2024 general election only)"
    )
