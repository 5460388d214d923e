"""Reading Democracy Club's candidates CSV (no database): Westminster ballots only, party IDs mapped to
the Library's abbreviations, and a ballot matched to its seat by ONS code first, slug second."""

from __future__ import annotations

import datetime as dt

import pytest

from store.importers.democracy_club import CandidatesFormatError, match_seat, read_candidates
from tests import pa_fixtures
from tests.integration import published

HARTLEPOOL_2010_BOUNDARIES = "E14000733"


def rows() -> list[dict[str, str]]:
    by_election = "parl.hartlepool.by.2021-05-06"
    seat = published.find_seat(58, "by-elections", HARTLEPOOL_2010_BOUNDARIES, dt.date(2021, 5, 6))
    return [
        {"id": "1", "name": "Paul Williams", "ballot_paper_id": by_election, "election_date": "2021-05-06",
         "gss_code": seat["ONS ID"], "post_label": "Hartlepool", "party_id": "PP53", "party_name": "Labour Party"},
        {"id": "2", "name": "Jill  Mortimer", "ballot_paper_id": by_election, "election_date": "2021-05-06",
         "gss_code": seat["ONS ID"], "post_label": "Hartlepool", "party_id": "PP52",
         "party_name": "Conservative and Unionist Party"},
        {"id": "3", "name": "Sam Lee", "ballot_paper_id": by_election, "gss_code": seat["ONS ID"],
         "party_id": "ynmp-party:2", "party_name": "Independent"},
        {"id": "4", "name": "A Councillor", "ballot_paper_id": "local.hartlepool.rift-house.2021-05-06",
         "party_id": "PP53", "party_name": "Labour Party"},
        {"id": "5", "name": "Jo Co-op", "ballot_paper_id": "parl.stoke-on-trent-central.2019-12-12",
         "party_id": "joint-party:53-119", "party_name": "Labour and Co-operative Party"},
    ]  # fmt: skip


def test_westminster_ballots_are_read_with_their_candidates_and_other_elections_left_out():
    ballots = read_candidates(pa_fixtures.democracy_club_csv(rows()))
    assert [b.ballot_paper_id for b in ballots] == [
        "parl.hartlepool.by.2021-05-06",
        "parl.stoke-on-trent-central.2019-12-12",
    ]
    by_election, general = ballots
    assert (by_election.kind, by_election.date, by_election.slug) == ("by-election", dt.date(2021, 5, 6), "hartlepool")
    assert [(c.name, c.party) for c in by_election.candidates] == [
        ("Paul Williams", "Lab"),
        ("Jill Mortimer", "Con"),
        ("Sam Lee", "Ind"),
    ]
    assert general.kind == "general" and general.candidates[0].party == "Lab"
    assert all(c.elected is None for c in by_election.candidates)


def test_a_ballot_matches_its_seat_by_ons_code_first_then_by_slug():
    by_election, general = read_candidates(pa_fixtures.democracy_club_csv(rows()))
    seats = {row["ONS ID"]: row["Constituency name"] for row in published.constituencies(58, "general-election")}
    assert match_seat(by_election, seats) == HARTLEPOOL_2010_BOUNDARIES
    # No gss_code: the slug, with the Library's "Stoke-On-Trent" capitals folded away.
    (stoke,) = [ons for ons, name in seats.items() if name.casefold() == "stoke-on-trent central"]
    assert general.gss_code is None and match_seat(general, seats) == stoke
    assert match_seat(general, {"E14000001": "Aldershot"}) is None


def test_a_file_without_democracy_clubs_columns_or_with_a_broken_ballot_id_is_refused():
    with pytest.raises(CandidatesFormatError, match="has no column"):
        read_candidates("name,party\nA,B\n", "x.csv")
    broken = rows()[:1]
    broken[0]["ballot_paper_id"] = "parl.hartlepool.2021-13-45"
    with pytest.raises(CandidatesFormatError, match="row 2"):
        read_candidates(pa_fixtures.democracy_club_csv(broken), "x.csv")
