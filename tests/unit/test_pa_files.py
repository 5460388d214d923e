"""Reading PA feed files (no database): every kind, the file names, party spellings, and the files a
desk must never see taken: malformed, hostile, an unknown root, missing votes, votes that do not add up.

Figures are compared with the Library's files read by tests.integration.published, from which
tests.pa_fixtures writes the PA-shaped files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from store.importers.pa import election_kind
from store.importers.pa_files import (
    LARGEST_FILE,
    NOMINATIONS,
    RECOUNT,
    RESULT,
    RUSH,
    SOP,
    PaFormatError,
    PaNominations,
    PaRecount,
    PaResult,
    PaRush,
    PaStateOfParties,
    parse_file_name,
    read_document,
    read_file,
)
from store.parties import abbreviation_for, feed_abbreviation
from tests import pa_fixtures
from tests.integration import published

HARTLEPOOL = "E14000733"


def result_of(seat: pa_fixtures.LibrarySeat, **changes: object) -> PaResult:
    name = pa_fixtures.file_name("result", seat.name, 1)
    document = read_document(pa_fixtures.result_xml(seat, **changes), name)  # type: ignore[arg-type]
    assert isinstance(document, PaResult)
    return document


@pytest.mark.parametrize(
    ("name", "test", "election", "kind", "area", "revision"),
    [
        ("Test_Snap_General_Election_result_Aberavon_1.xml", True, "Snap General Election", RESULT, "Aberavon", 1),
        ("General_Election_rush_Hartlepool_1.xml", False, "General Election", RUSH, "Hartlepool", 1),
        ("General_Election_result_Bath_and_North_East_Somerset_12.xml", False, "General Election", RESULT,
         "Bath and North East Somerset", 12),
        ("Test_General_Election_recount_Ynys_Mon_2.xml", True, "General Election", RECOUNT, "Ynys Mon", 2),
        ("General_Election_nominations_Hartlepool_1.xml", False, "General Election", NOMINATIONS, "Hartlepool", 1),
    ],
)  # fmt: skip
def test_file_names_are_read_into_their_parts(name, test, election, kind, area, revision):
    parts = parse_file_name(name)
    assert parts is not None
    assert (parts.test, parts.election, parts.kind, parts.area, parts.revision) == (
        test,
        election,
        kind,
        area,
        revision,
    )
    assert parts.is_test == test


def test_a_state_of_parties_name_gives_the_results_it_covers_and_a_test_election_is_test():
    parts = parse_file_name("General_Election_SOP_650.xml")
    assert parts is not None and parts.kind == SOP and parts.results_covered == 650 and parts.area is None
    assert parse_file_name("Test_Election_2026_result_Aberavon_1.xml").is_test  # type: ignore[union-attr]
    assert parse_file_name("notes.xml") is None


def test_pa_party_spellings_map_through_the_one_table_without_reaching_the_question_parser():
    assert feed_abbreviation("C") == "Con"
    assert feed_abbreviation("Lab Co-op") == "Lab"
    assert feed_abbreviation("Speaker") == "Spk"
    assert feed_abbreviation("Reform") == "RUK"
    assert feed_abbreviation("Yorkshire Party") == "Yrks"
    assert feed_abbreviation("Some New Party") is None
    # A lone "c" in a question is not the Conservatives.
    assert abbreviation_for("c") is None


def test_a_result_reads_every_candidate_with_the_librarys_votes_and_pas_stated_figures():
    seat = pa_fixtures.library_seat(58, HARTLEPOOL)
    document = result_of(seat)
    rows = published.contest_candidates(58, "general-election", HARTLEPOOL, dt.date(2019, 12, 12))
    library = sorted((published.candidate_name(r), int(r["Votes"])) for r in rows)
    assert sorted((c.name, c.votes) for c in document.constituency.candidates) == library
    constituency = published.find_seat(58, "general-election", HARTLEPOOL)
    assert document.constituency.turnout == int(constituency["Valid votes"])
    assert document.constituency.electorate == int(constituency["Electorate"])
    assert document.constituency.majority == int(constituency["Majority"])
    assert document.election.date == dt.date(2019, 12, 12)
    assert document.revision == 1
    assert document.declared_at is not None and document.declared_at.utcoffset() is not None
    winner = max(rows, key=lambda r: int(r["Votes"]))
    (elected,) = [c for c in document.constituency.candidates if c.elected]
    assert elected.name == published.candidate_name(winner)
    conservative = next(c for c in document.constituency.candidates if c.pa_abbreviation == "C")
    assert conservative.party == "Con"
    assert conservative.stated_share == Decimal(
        f"{int(conservative.votes or 0) * 100 / document.constituency.turnout:.2f}"
    )  # type: ignore[operator]


def test_every_2019_seat_generated_in_pa_shape_reads_back_with_the_librarys_totals(tmp_path):
    files = pa_fixtures.general_election_files(tmp_path, 58)
    totals = {
        row["Constituency name"]: int(row["Valid votes"]) for row in published.constituencies(58, "general-election")
    }
    read = [read_file(path) for path in files]
    assert len(read) == len(totals) == 650
    for document in read:
        assert isinstance(document, PaResult)
        assert sum(c.votes or 0 for c in document.constituency.candidates) == totals[document.constituency.name]


def test_a_rush_names_the_winner_and_whether_it_is_a_gain():
    document = read_document(pa_fixtures.RUSH_XML.encode(), "General_Election_rush_Hartlepool_1.xml")
    assert isinstance(document, PaRush)
    assert (document.constituency, document.winning_party, document.sitting_party, document.change) == (
        "Hartlepool",
        "Lab",
        "Con",
        True,
    )
    assert document.message == "Labour win Hartlepool - gain from notional Conservative"


def test_a_recount_names_its_seat():
    document = read_document(pa_fixtures.RECOUNT_XML.encode(), "General_Election_recount_Hartlepool_1.xml")
    assert isinstance(document, PaRecount)
    assert (document.constituency, document.number, document.revision) == ("Hartlepool", 270, 1)


def test_nominations_list_candidates_without_votes():
    document = read_document(pa_fixtures.NOMINATIONS_XML.encode(), "General_Election_nominations_Hartlepool_1.xml")
    assert isinstance(document, PaNominations)
    (seat,) = document.constituencies
    assert [(c.name, c.party, c.votes) for c in seat.candidates] == [
        ("Jonathan Brash", "Lab", None),
        ("Jill Mortimer", "Con", None),
        ("Amanda Napper", "RUK", None),
    ]


def test_a_state_of_parties_gives_each_partys_seats_under_our_abbreviations():
    document = read_document(pa_fixtures.state_of_parties({"C": 2, "Lab": 1}), "General_Election_SOP_3.xml")
    assert isinstance(document, PaStateOfParties)
    assert [(p.party, p.pa_abbreviation, p.seats) for p in document.parties] == [("Con", "C", 2), ("Lab", "Lab", 1)]
    assert (document.results, document.constituencies) == (3, 650)


def refusal(data: bytes | str, name: str = "General_Election_result_Hartlepool_1.xml") -> str:
    with pytest.raises(PaFormatError) as refused:
        read_document(data.encode() if isinstance(data, str) else data, name)
    assert name in str(refused.value)
    return refused.value.reason


def test_malformed_xml_is_refused_with_where_it_breaks():
    assert "malformed XML" in refusal(b"<FirstPastThePostResult><Election name='x'")


def test_an_unknown_root_element_is_refused_naming_it():
    assert "unknown root element <LocalElectionResult>" in refusal("<LocalElectionResult revision='1'/>")


def test_a_file_declaring_entities_is_refused_before_any_expansion():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        "<FirstPastThePostResult>&lol2;</FirstPastThePostResult>"
    )
    assert "DOCTYPE" in refusal(bomb)


def test_a_file_larger_than_any_pa_file_is_refused_unread():
    assert "larger than any PA file" in refusal(b" " * (LARGEST_FILE + 1))


def test_a_candidate_without_votes_is_refused():
    seat = pa_fixtures.library_seat(58, HARTLEPOOL)
    text = pa_fixtures.result_xml(seat).decode()
    damaged = text.replace(' votes="', ' ignored="', 1)
    assert "has no votes" in refusal(damaged)


def test_votes_that_do_not_add_up_to_the_stated_total_are_refused():
    seat = pa_fixtures.library_seat(58, HARTLEPOOL)
    first = seat.candidates[0][4]
    reason = refusal(pa_fixtures.result_xml(seat, votes={0: first + 1}))
    assert f"add up to {seat.valid_votes + 1:,}, not the turnout {seat.valid_votes:,}" in reason


def test_a_file_named_as_one_kind_holding_another_is_refused():
    assert "is named a result file" in refusal(pa_fixtures.RUSH_XML)


def test_attributes_we_do_not_read_are_tolerated():
    seat = pa_fixtures.library_seat(58, HARTLEPOOL)
    text = pa_fixtures.result_xml(seat).decode().replace("<Constituency ", '<Constituency newThing="7" ', 1)
    assert read_document(text.encode(), "General_Election_result_Hartlepool_1.xml").kind == RESULT


def test_a_missing_file_is_refused_with_its_name(tmp_path: Path):
    with pytest.raises(PaFormatError, match="cannot be read"):
        read_file(tmp_path / "General_Election_result_Nowhere_1.xml")


@pytest.mark.parametrize(
    ("election", "kind"),
    [("General Election", "general"), ("Snap General Election", "general"), ("Hartlepool By-election", "by-election")],
)
def test_the_election_name_says_whether_a_result_is_a_general_election_or_a_by_election(election, kind):
    seat = pa_fixtures.library_seat(58, HARTLEPOOL)
    assert election_kind(result_of(seat, election=election)) == kind


def test_a_result_of_another_kind_of_election_is_refused():
    seat = pa_fixtures.library_seat(58, HARTLEPOOL)
    with pytest.raises(PaFormatError, match="neither a general election nor a by-election"):
        election_kind(result_of(seat, election="Scottish Parliament Election"))
