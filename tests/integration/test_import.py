"""Importing Library files, on small hand-made files in every real variant, on each database backend.

The fixture folder holds, like the real data:
  58/general-election/    headerless 2019 layout (BRX column), a BOM on the headerless candidacies file,
                          "[x]" for unknown invalid votes, "Stoke-On-Trent Central"
  58/by-elections/        headers with a BOM, "ONS ID2", "RUK Hold", "Stoke-on-Trent Central"
  58/notional-general-election/results.csv  the 2019 headerless notional layout with TOTOTHV/MAXOTHV
                          aggregate rows and IND1V/IND2V Independents
  59/general-election/    2024 headers, on the new Hartlepool seat, measured against the notional result
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, table
from sqlalchemy.orm import selectinload

from bot.bootstrap import BUNDLED_DATA
from store import db
from store.answers import FOUND, ResultsService
from store.importers.hoc import HocFormatError, import_hoc
from store.models import Candidacy, Constituency, Contest, Election

GE_SEATS = "58/general-election/constituencies.csv"
GE_PEOPLE = "58/general-election/candidacies.csv"
BY_SEATS = "58/by-elections/constituencies.csv"
BY_PEOPLE = "58/by-elections/candidacies.csv"
NOTIONAL = "58/notional-general-election/results.csv"
GE24_SEATS = "59/general-election/constituencies.csv"
GE24_PEOPLE = "59/general-election/candidacies.csv"

SEAT_HEAD = [
    "ONS ID", "ONS region ID", "Constituency name", "County name", "Region name", "Country name",
    "Constituency type", "Declaration time", "Member first name", "Member surname", "Member gender", "Result",
    "First party", "Second party", "Electorate", "Valid votes", "Invalid votes", "Majority",
]  # fmt: skip
PARTIES_2019 = ["Con", "Lab", "LD", "BRX", "Green", "SNP", "PC", "DUP", "SF", "SDLP", "UUP", "APNI",
                "All other candidates", "Of which other winner"]  # fmt: skip
PARTIES_2024 = [p if p != "BRX" else "RUK" for p in PARTIES_2019]
PERSON_HEAD = [
    "ONS ID", "ONS region ID", "Constituency name", "County name", "Region name", "Country name",
    "Constituency type", "Party name", "Party abbreviation", "Electoral Commission party ID", "MNIS party ID",
    "Electoral Commission adjunct party ID", "Candidate first name", "Candidate surname", "Candidate gender",
    "Sitting MP", "Former MP", "Member MNIS ID", "Votes", "Share", "Change",
]  # fmt: skip
PARTY = {  # abbreviation -> (name, Electoral Commission ID, MNIS ID)
    "Con": ("Conservative", "PP52", "4"),
    "Lab": ("Labour", "PP53", "15"),
    "LD": ("Liberal Democrat", "PP90", "17"),
    "BRX": ("The Brexit Party", "PP7931", "1006"),
    "RUK": ("Reform UK", "PP7931", "1036"),
    "Green": ("Green Party", "PP63", "44"),
    "Ind": ("Independent", "", "8"),
}
HARTLEPOOL, STOKE, NEW_HARTLEPOOL = "E14000733", "E14000972", "E14001272"


def place(ons_id, name):
    return [ons_id, "E12000001", name, "", "North East", "England", "Borough"]


def seat_row(ons_id, name, declared, member, result, electorate, valid, invalid, majority, votes, parties):
    first, second = sorted(votes, key=votes.get, reverse=True)[:2]
    return place(ons_id, name) + [
        declared, *member.split(" ", 1), "Female", result, first, second,
        str(electorate), str(valid), str(invalid), str(majority),
    ] + [str(votes.get(p, 0)) for p in parties]  # fmt: skip


def person_row(ons_id, name, party, who, votes):
    party_name, ec_id, mnis = PARTY[party]
    first, surname = who.split(" ", 1)
    return place(ons_id, name) + [
        party_name, party, ec_id, mnis, "", first, surname, "Female", "No", "No", "", str(votes), "", "",
    ]  # fmt: skip


def contest(ons_id, name, people, **figures):
    """(seat row, candidate rows) for one contest; people: [(party, name, votes)], winner first."""
    votes = {party: v for party, _, v in people}
    seat = seat_row(ons_id, name, member=people[0][1], votes=votes, **figures)
    return seat, [person_row(ons_id, name, party, who, v) for party, who, v in people]


def fixture_files() -> dict[str, tuple[list[str] | None, list[list[str]]]]:
    """Every fixture file: relative path -> (header or None, rows). Tests change these before writing."""
    hartlepool_19 = contest(
        HARTLEPOOL, "Hartlepool",
        [("BRX", "Ann Brexit", 12000), ("Con", "Bob Tory", 10000), ("Lab", "Cat Red", 9000), ("LD", "Dan Gold", 1000)],
        declared="13/12/2019 02:30", result="BRX gain from Lab", electorate=70000, valid=32000, invalid="[x]",
        majority=2000, parties=PARTIES_2019,
    )  # fmt: skip
    stoke_19 = contest(
        STOKE, "Stoke-On-Trent Central",
        [("Lab", "Eve Red", 14000), ("Con", "Fay Blue", 13000), ("LD", "Gus Gold", 2000), ("Green", "Hal Leaf", 1000)],
        declared="13/12/2019 03:10", result="Lab hold", electorate=56000, valid=30000, invalid=100,
        majority=1000, parties=PARTIES_2019,
    )  # fmt: skip
    hartlepool_21 = contest(
        HARTLEPOOL, "Hartlepool",
        [("RUK", "Ann Brexit", 11000), ("Con", "Ivy Tory", 9000), ("Lab", "Jon Red", 6000)],
        declared="", result="RUK Hold", electorate=70500, valid=26000, invalid=150, majority=2000,
        parties=PARTIES_2024,
    )  # fmt: skip
    stoke_22 = contest(
        STOKE, "Stoke-on-Trent Central",
        [("Lab", "Kim Red", 8000), ("Con", "Lou Blue", 6000), ("Ind", "Jo Bloggs", 1000)],
        declared="", result="Lab hold", electorate=55000, valid=15000, invalid=60, majority=2000,
        parties=PARTIES_2024,
    )  # fmt: skip
    hartlepool_24 = contest(
        NEW_HARTLEPOOL, "Hartlepool",
        [("Lab", "Meg Red", 15000), ("Con", "Ned Tory", 8000), ("RUK", "Olu Reform", 7000)],
        declared="", result="Lab gain from Con", electorate=71500, valid=30000, invalid=100, majority=7000,
        parties=PARTIES_2024,
    )  # fmt: skip
    by_dates = [("06/05/2021", "25/03/2021"), ("10/03/2022", "07/02/2022")]
    by_seats = [list(d) + s for d, (s, _) in zip(by_dates, (hartlepool_21, stoke_22), strict=True)]
    # Like the Library's files, every row is as wide as its header: the Democracy Club ID cell is written, empty.
    by_people = [[d[0]] + p + [""] for d, (_, ps) in zip(by_dates, (hartlepool_21, stoke_22), strict=True) for p in ps]
    notional_seat = ["Hartlepool", "Hartlepool", NEW_HARTLEPOOL, "298", "NE", "North East", "County", "32.4",
                     "71000", "23000", "1000"]  # fmt: skip
    notional_rows = [
        notional_seat + [code, votes, abbreviation, name, mnis]
        for code, votes, abbreviation, name, mnis in [
            ("CONV", "10000", "Con", "Conservative Party", "4"),
            ("LABV", "9000", "Lab", "Labour Party", "15"),
            ("BRXV", "3000", "Brexit Party", "The Brexit Party", "1006"),
            ("TOTOTHV", "1000", "NA", "NA", "NA"),  # the two Independents together: not a candidate
            ("MAXOTHV", "800", "NA", "NA", "NA"),  # the larger of them: not a candidate either
            ("IND1V", "800", "Independent", "Independent", "8"),
            ("IND2V", "200", "Independent 2 etc.", "Independent", "8"),
        ]
    ]
    return {
        GE_SEATS: (None, [hartlepool_19[0], stoke_19[0]]),
        GE_PEOPLE: (None, hartlepool_19[1] + stoke_19[1]),
        BY_SEATS: (["By-election date", "Writ date"] + SEAT_HEAD + PARTIES_2024, by_seats),
        BY_PEOPLE: (["Election date"] + ["ONS ID2"] + PERSON_HEAD[1:] + ["Democracy Club person ID"], by_people),
        NOTIONAL: (None, notional_rows),
        GE24_SEATS: (SEAT_HEAD + PARTIES_2024, [hartlepool_24[0]]),
        GE24_PEOPLE: (PERSON_HEAD + ["DC Person ID"], [person + [""] for person in hartlepool_24[1]]),
    }


WITH_BOM = {BY_SEATS, BY_PEOPLE, GE_PEOPLE}


def write(root: Path, files) -> Path:
    for relative, (header, rows) in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            if relative in WITH_BOM:
                handle.write(codecs.BOM_UTF8.decode("utf-8"))
            writer = csv.writer(handle)
            if header is not None:
                writer.writerow(header)
            writer.writerows(rows)
    return root


def cell(files, relative, row_index, column):
    """Where a named column sits in a fixture row (header or headerless layout)."""
    header, rows = files[relative]
    columns = header if header is not None else (SEAT_HEAD if "constituencies" in relative else PERSON_HEAD)
    return rows[row_index], columns.index(column)


def set_cell(files, relative, row_index, column, value):
    row, index = cell(files, relative, row_index, column)
    row[index] = value


def do_import(sessions, folder):
    with db.transaction(sessions) as session:
        return import_hoc(session, folder)


def snapshot(sessions):
    """Everything a reader could see: the row count of every table, and every contest's figures."""
    with sessions() as session:
        names = inspect(session.get_bind()).get_table_names()
        counts = {name: session.scalar(select(func.count()).select_from(table(name))) for name in names}
        contests = sorted(
            (c.id, c.constituency.ons_id, c.version, c.is_current, c.valid_votes,
             tuple((p.candidate_name, p.votes) for p in c.candidacies))
            for c in session.scalars(select(Contest).options(selectinload(Contest.candidacies),
                                                             selectinload(Contest.constituency)))
        )  # fmt: skip
    return counts, contests


def count(sessions, model):
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def contests_of(sessions, ons_id, kind):
    with sessions() as session:
        return list(
            session.scalars(
                select(Contest)
                .join(Contest.constituency)
                .join(Contest.election)
                .where(Constituency.ons_id == ons_id, Election.kind == kind)
                .order_by(Contest.version)
                .options(selectinload(Contest.candidacies).selectinload(Candidacy.party))
            )
        )


def ask(sessions, query):
    answer = ResultsService(sessions).ask(query)
    assert answer.kind == FOUND, answer.message
    return answer.summary


@pytest.fixture
def folder(tmp_path):
    return write(tmp_path / "hoc", fixture_files())


# --- every variant reads -------------------------------------------------------------------------


def test_every_variant_loads(sessions, folder):
    report = do_import(sessions, folder)
    assert (report.new, report.unchanged, report.corrected) == (6, 0, 0)
    assert report.discrepancies == []
    assert count(sessions, Contest) == 6
    assert count(sessions, Election) == 5  # GE 2019, two by-elections, notional 2019, GE 2024
    assert count(sessions, Candidacy) == 4 + 4 + 3 + 3 + 5 + 3
    assert count(sessions, Constituency) == 3


def test_seats_are_joined_on_the_ons_id_whatever_the_spelling(sessions, folder):
    do_import(sessions, folder)
    with sessions() as session:
        stoke = session.scalars(select(Constituency).where(Constituency.ons_id == STOKE)).one()
        # The general-election file's spelling ("Stoke-On-Trent Central") in the Library's current style
        # is the seat's name; the by-election's joins it by ID.
        assert stoke.name == "Stoke-on-Trent Central"
    by_election = ask(sessions, "stoke-on-trent central by-election")
    assert by_election.election_date == dt.date(2022, 3, 10)
    assert by_election.ons_id == STOKE
    assert by_election.baseline.election_name == "2019 general election"
    assert by_election.result_label == "Lab HOLD"


def test_a_seat_name_keeps_the_newest_general_elections_spelling_whatever_is_imported_after(sessions):
    """The 2024 files spell "Stoke-on-Trent Central" and "Birmingham Edgbaston"; the 2019 files, for the
    seats of the same names on the old boundaries, "Stoke-On-Trent Central" and "Birmingham, Edgbaston".
    Importing 2019 again after 2024 must not bring the old spellings back, on either seat."""
    for parliament in (58, 59, 58):
        do_import(sessions, BUNDLED_DATA / str(parliament) / "general-election")
    with sessions() as session:
        names = {c.ons_id: c.name for c in session.scalars(select(Constituency))}
    assert names["E14000972"] == names["E14001520"] == "Stoke-on-Trent Central"
    assert names["E14000560"] == names["E14001092"] == "Birmingham Edgbaston"
    assert names["E14000762"] == "Isle of Wight"  # no 2024 seat of the name: 2019's, in the Library's style


def test_unknown_invalid_votes_are_unknown_not_zero(sessions, folder):
    do_import(sessions, folder)
    (contest,) = contests_of(sessions, HARTLEPOOL, "general")
    assert contest.invalid_votes is None
    summary = ask(sessions, "hartlepool 2019")
    assert summary.rejected is None
    assert summary.turnout_including_rejected_percent is None
    assert summary.turnout_percent == Fraction(100 * 32000, 70000)  # the valid-vote turnout is still known


def test_a_reform_hold_label_in_any_case_matches_a_brexit_party_seat(sessions, folder):
    report = do_import(sessions, folder)
    assert not [d for d in report.discrepancies if d.ons_id == HARTLEPOOL]
    summary = ask(sessions, "hartlepool by-election")
    assert summary.result_label == "RUK HOLD"
    reform = next(c for c in summary.candidates if c.party == "RUK")
    assert reform.share_change == Fraction(100 * 11000, 26000) - Fraction(100 * 12000, 32000)  # BRX in 2019


def test_notional_aggregate_rows_are_ignored_and_independents_kept_apart(sessions, folder):
    report = do_import(sessions, folder)
    (notional,) = contests_of(sessions, NEW_HARTLEPOOL, "notional")
    votes = sorted((c.votes for c in notional.candidacies), reverse=True)
    assert votes == [10000, 9000, 3000, 800, 200]
    assert sum(votes) == notional.valid_votes == 23000
    assert [c.party.abbreviation for c in notional.candidacies].count("Ind") == 2
    assert notional.stated_majority == 1000
    assert not [d for d in report.discrepancies if d.ons_id == NEW_HARTLEPOOL]


def test_the_2024_result_is_measured_against_the_notional_one(sessions, folder):
    do_import(sessions, folder)
    summary = ask(sessions, "hartlepool 2024")
    assert summary.result_label == "Lab GAIN from Con"
    assert summary.baseline.notional
    assert summary.majority_votes == 7000
    reform = next(c for c in summary.candidates if c.party == "RUK")
    assert reform.share_change == Fraction(100 * 7000, 30000) - Fraction(100 * 3000, 23000)


def test_a_notional_seat_under_an_id_the_new_results_do_not_use_is_matched_by_name(sessions, tmp_path):
    """As the real 2019 notional file does for five Scottish seats: the 2024 result still gets its baseline,
    and the import says what it did."""
    files = fixture_files()
    for row in files[NOTIONAL][1]:
        row[2] = HARTLEPOOL  # the pre-2024 ID, which the 2024 results replaced with E14001272
    report = do_import(sessions, write(tmp_path / "hoc", files))
    assert contests_of(sessions, HARTLEPOOL, "notional") == []
    (notional,) = contests_of(sessions, NEW_HARTLEPOOL, "notional")
    assert notional.valid_votes == 23000
    (repair,) = [r for r in report.repairs if HARTLEPOOL in r]
    assert NOTIONAL in repair and "row 1" in repair and NEW_HARTLEPOOL in repair
    summary = ask(sessions, "hartlepool 2024")
    assert summary.result_label == "Lab GAIN from Con"
    assert summary.baseline.notional


# --- re-importing --------------------------------------------------------------------------------


def test_reimporting_the_same_files_changes_nothing(sessions, folder):
    do_import(sessions, folder)
    before = snapshot(sessions)
    report = do_import(sessions, folder)
    assert report.unchanged == report.contests == 6
    assert (report.new, report.corrected) == (0, 0)
    assert snapshot(sessions) == before


def test_a_changed_vote_count_adds_version_2_of_just_that_contest(sessions, folder, tmp_path):
    do_import(sessions, folder)
    files = fixture_files()
    set_cell(files, GE24_PEOPLE, 0, "Votes", "15010")
    set_cell(files, GE24_SEATS, 0, "Valid votes", "30010")
    set_cell(files, GE24_SEATS, 0, "Majority", "7010")
    report = do_import(sessions, write(tmp_path / "corrected", files))
    assert (report.new, report.corrected, report.unchanged) == (0, 1, 5)
    assert report.discrepancies == []
    assert count(sessions, Contest) == 7

    old, new = contests_of(sessions, NEW_HARTLEPOOL, "general")
    assert (old.version, old.is_current, new.version, new.is_current) == (1, False, 2, True)
    assert [c.votes for c in old.candidacies][0] == 15000  # history kept as it was
    assert [c.votes for c in new.candidacies][0] == 15010
    for ons_id, kind in [(HARTLEPOOL, "general"), (STOKE, "general"), (NEW_HARTLEPOOL, "notional")]:
        assert [(c.version, c.is_current) for c in contests_of(sessions, ons_id, kind)] == [(1, True)]

    summary = ask(sessions, "hartlepool 2024")
    assert summary.corrected and summary.version == 2
    assert (summary.valid_votes, summary.majority_votes) == (30010, 7010)


# --- malformed files -------------------------------------------------------------------------------


def malformed_non_numeric_votes(files):
    set_cell(files, GE24_PEOPLE, 1, "Votes", "8,0O0")
    return GE24_PEOPLE, 3, "votes"


def malformed_bad_ons_id(files):
    set_cell(files, GE_SEATS, 1, "ONS ID", "E1400097")  # one digit short, on the second (headerless) row
    return GE_SEATS, 2, "ONS ID"


def malformed_missing_companion(files):
    del files[BY_PEOPLE]
    return BY_SEATS, None, None


def malformed_missing_column(files):
    header, rows = files[BY_SEATS]
    index = header.index("Valid votes")
    files[BY_SEATS] = (header[:index] + header[index + 1 :], [r[:index] + r[index + 1 :] for r in rows])
    return BY_SEATS, 1, "valid votes"


def malformed_by_election_candidates_without_dates(files):
    header, rows = files[BY_PEOPLE]
    files[BY_PEOPLE] = (header[1:], [r[1:] for r in rows])
    return BY_PEOPLE, 1, "election date"


def malformed_candidate_listed_twice(files):
    # Found only when the contest is recorded, after earlier contests were written to the session.
    header, rows = files[GE24_PEOPLE]
    rows.append(list(rows[0]))
    return GE24_SEATS, 2, None


def malformed_cut_inside_the_last_row(files):
    # A partial download: the last candidate stops in the middle of a cell, before their votes.
    header, rows = files[GE24_PEOPLE]
    rows[-1] = rows[-1][:12] + [rows[-1][12][:2]]
    return GE24_PEOPLE, 4, None


def malformed_headerless_candidacies_cut_inside_a_row(files):
    header, rows = files[GE_PEOPLE]
    rows[-1] = rows[-1][:19]  # the votes are there, the share and change cells are not
    return GE_PEOPLE, 8, None


def malformed_headerless_seats_cut_past_the_columns_read(files):
    # Headerless seat rows have a vote column per party after the 18 columns read: still cut.
    header, rows = files[GE_SEATS]
    rows[-1] = rows[-1][:20]
    return GE_SEATS, 2, None


def malformed_last_rows_missing(files):
    # Cut cleanly between rows: every row is whole, but New Hartlepool 2024 has lost a candidate, so
    # its candidates no longer add up where the stored version did.
    header, rows = files[GE24_PEOPLE]
    del rows[-1]
    return GE24_SEATS, 2, "valid_votes"


@pytest.mark.parametrize(
    "spoil",
    [
        malformed_non_numeric_votes,
        malformed_bad_ons_id,
        malformed_missing_companion,
        malformed_missing_column,
        malformed_by_election_candidates_without_dates,
        malformed_candidate_listed_twice,
        malformed_cut_inside_the_last_row,
        malformed_headerless_candidacies_cut_inside_a_row,
        malformed_headerless_seats_cut_past_the_columns_read,
        malformed_last_rows_missing,
    ],
)
def test_a_malformed_file_is_refused_whole_naming_file_row_and_column(sessions, folder, tmp_path, spoil):
    do_import(sessions, folder)
    before = snapshot(sessions)
    files = fixture_files()
    # A genuine correction in the same batch (it adds up), which must not slip through either.
    set_cell(files, GE_PEOPLE, 0, "Votes", "12001")
    set_cell(files, GE_SEATS, 0, "Valid votes", "32001")
    relative, row, column = spoil(files)
    spoilt = write(tmp_path / "spoilt", files)

    with pytest.raises(HocFormatError) as caught:
        do_import(sessions, spoilt)

    error = caught.value
    message = str(error)
    assert Path(error.path) == spoilt / relative
    assert relative in message
    if row is not None:
        assert error.row == row and f"row {row}" in message
    if column is not None:
        assert column.casefold() in message.casefold()
    if spoil is malformed_missing_companion:
        assert "candidacies.csv" in message
    if spoil is malformed_last_rows_missing:
        assert f"Hartlepool ({NEW_HARTLEPOOL}), 2024 general election" in message
        assert "add up to 23,000 but valid votes are 30,000, though the stored version (1) adds up" in message
    elif spoil.__name__.startswith("malformed_") and "cut" in spoil.__name__:
        assert "the file looks cut off" in message
    assert snapshot(sessions) == before


def test_a_refused_import_into_an_empty_store_leaves_it_empty(sessions, tmp_path):
    files = fixture_files()
    malformed_candidate_listed_twice(files)
    before = snapshot(sessions)
    with pytest.raises(HocFormatError):
        do_import(sessions, write(tmp_path / "spoilt", files))
    assert snapshot(sessions) == before
    assert before[1] == []


# --- a source that disagrees with itself ----------------------------------------------------------


def test_votes_that_do_not_add_up_are_reported_and_stored_as_published(sessions, tmp_path):
    files = fixture_files()
    set_cell(files, BY_SEATS, 1, "Valid votes", "15100")  # Stoke by-election: candidates add up to 15,000
    report = do_import(sessions, write(tmp_path / "hoc", files))
    (problem,) = report.discrepancies
    assert Path(problem.path) == tmp_path / "hoc" / BY_SEATS
    assert (problem.row, problem.ons_id) == (3, STOKE)
    assert "15,000" in problem.message and "15,100" in problem.message
    assert BY_SEATS in str(problem) and "row 3" in str(problem)
    (stored,) = contests_of(sessions, STOKE, "by-election")
    assert stored.valid_votes == 15100
    assert sorted(c.votes for c in stored.candidacies) == [1000, 6000, 8000]


def test_a_source_that_never_added_up_is_still_stored_as_published_when_it_changes(sessions, tmp_path):
    # Only a contest that stops adding up is refused: one stored as published with the source's own
    # error may be corrected by the source, even if it still does not add up.
    files = fixture_files()
    set_cell(files, BY_SEATS, 1, "Valid votes", "15100")
    do_import(sessions, write(tmp_path / "first", files))
    set_cell(files, BY_SEATS, 1, "Valid votes", "15200")
    report = do_import(sessions, write(tmp_path / "second", files))
    assert (report.corrected, report.unchanged) == (1, 5)
    (problem,) = report.discrepancies
    assert "15,000" in problem.message and "15,200" in problem.message
    assert [c.valid_votes for c in contests_of(sessions, STOKE, "by-election")] == [15100, 15200]


def test_the_known_source_errors_import_into_an_empty_store_and_again_unchanged(sessions):
    # Sheffield Brightside 2016 does not add up, Blaenau Gwent 2010's label and Arbroath 2026's
    # majority disagree with the votes: all stored as published, and re-importing them writes nothing.
    parts = ["54/notional-general-election", "55/general-election", "56/by-elections", "59/by-elections"]
    reports = []
    for part in parts:
        reports.append(do_import(sessions, BUNDLED_DATA / part))
    assert sum(r.new for r in reports) > 0
    found = [d.message for r in reports for d in r.discrepancies]
    # One report a contest: Sheffield's names both its sum and its majority.
    assert len(found) == 3 and any("23,481" in m and "10,490" in m for m in found)
    before = snapshot(sessions)
    again = [do_import(sessions, BUNDLED_DATA / part) for part in parts]
    assert [(r.new, r.corrected) for r in again] == [(0, 0)] * len(parts)
    assert [d.message for r in again for d in r.discrepancies] == found
    assert snapshot(sessions) == before


def test_a_stated_majority_that_disagrees_is_reported_and_the_votes_decide(sessions, tmp_path):
    files = fixture_files()
    set_cell(files, GE_SEATS, 0, "Majority", "2100")  # BRX 12,000 - Con 10,000 is 2,000
    report = do_import(sessions, write(tmp_path / "hoc", files))
    (problem,) = report.discrepancies
    assert Path(problem.path) == tmp_path / "hoc" / GE_SEATS
    assert (problem.row, problem.ons_id) == (1, HARTLEPOOL)
    assert "2,100" in problem.message and "2,000" in problem.message
    (stored,) = contests_of(sessions, HARTLEPOOL, "general")
    assert stored.stated_majority == 2100
    assert ask(sessions, "hartlepool 2019").majority_votes == 2000
