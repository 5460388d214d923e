"""Every bundled contest, checked against what the House of Commons Library's own files state.

The store's arithmetic (majority, GAIN/HOLD against the right baseline, shares) must reproduce the
Library's figures for every contest, except the few places where the Library's files contradict
themselves; those are listed below with the evidence, and the importer must report exactly them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import select

from store.answers import FOUND
from store.contests import summarise, summarise_many
from store.models import Contest, with_candidates
from store.names import fold
from store.numbers import decimal, points, rounded
from tests.integration import published

pytestmark = pytest.mark.slow

# Places where the Library's files disagree with themselves or with the Library's own definitions:
# (folder, ONS ID) -> why. Everywhere else the store must agree with the file to the vote.
KNOWN_SOURCE_ERRORS: dict[tuple[str, str], dict[str, str]] = {
    ("56/by-elections", "E14000921"): {
        "contest": "Sheffield, Brightside and Hillsborough by-election, 5 May 2016",
        "reason": "The candidacies file gives Labour (Gill Furniss) 14,987 votes where the constituencies "
        "file's Lab column has 14,087, so the candidates add up to 23,481 rather than the stated 22,581 "
        "valid votes, and the stated majority of 9,590 (14,087 - 4,497) is not what the candidates' votes "
        "give (14,987 - 4,497 = 10,490). The store keeps both figures as published.",
    },
    ("55/general-election", "W07000072"): {
        "contest": "Blaenau Gwent, 2010 general election",
        "reason": "The file says 'Lab gain from BGPV', but GAIN/HOLD is measured against the 2005 result on "
        "the 2010 boundaries, and the 2005 notional file records the winner as Ind: Peter Law won in 2005 "
        "as an Independent; Blaenau Gwent People's Voice was only formed in 2006. The votes give "
        "'Lab GAIN from Ind'.",
    },
    ("59/by-elections", "S14000066"): {
        "contest": "Arbroath and Broughty Ferry by-election, 18 June 2026",
        "reason": "SNP 9,802 - Con 4,524 = 5,278, but the file states a majority of 5,178 (an arithmetic slip: "
        "the candidates do add up to the stated valid votes).",
    },
}
# The 2019 notional file (2024 boundaries) lists five Scottish seats under their pre-2024 ONS IDs; the
# 2024 results use new IDs for them. Joined on the ID, the 2024 result would have no baseline and so no
# GAIN/HOLD: the importer stores the notional result under the 2024 seat of the same name and reports
# the repair. Old ID -> (2024 ID, name).
NOTIONAL_ID_MISMATCHES = {
    "S14000006": ("S14000107", "Ayr, Carrick and Cumnock"),
    "S14000008": ("S14000108", "Berwickshire, Roxburgh and Selkirk"),
    "S14000010": ("S14000109", "Central Ayrshire"),
    "S14000040": ("S14000110", "Kilmarnock and Loudoun"),
    "S14000058": ("S14000111", "West Aberdeenshire and Kincardine"),
}


# Contests whose Share column is not votes / valid votes, beyond a rounding difference.
KNOWN_SHARE_SLIPS = {
    ("56/by-elections", "W07000074"): "Ogmore by-election, 5 May 2016: the candidates add up to the stated "
    "23,532 valid votes, but the Share column implies a different total on each row (Lab 12,383 / 0.521810 = "
    "23,731; UKIP 3,808 / 0.163328 = 23,315), so the file shows Lab 52.2% where the votes give 52.6%.",
}


def stored_ons_id(parliament: int, ons_id: str) -> str:
    """Where the store keeps a notional seat that the file lists under an outdated ID."""
    return NOTIONAL_ID_MISMATCHES.get(ons_id, (ons_id,))[0] if parliament == 58 else ons_id


def folder_of(path: str | Path) -> str:
    parts = Path(path).parts
    return f"{parts[-3]}/{parts[-2]}"


def normalised_label(label: str | None) -> str | None:
    """A GAIN/HOLD label compared the way a reader would: case aside, Lab Coop is Lab."""
    if label is None:
        return None
    words = label.casefold().replace("lab co-op", "lab").replace("lab coop", "lab").split()
    return " ".join(words)


@pytest.fixture(scope="module")
def store(loaded):
    """Every current contest in the store with its summary, keyed (kind, polling date, ONS ID)."""
    with loaded.sessions() as session:
        contests = list(
            session.scalars(select(Contest).where(Contest.is_current.is_(True)).options(*with_candidates()))
        )
        summaries = summarise_many(session, contests)
    found = {(c.election.kind, c.election.date, c.constituency.ons_id): (c, summaries[c.id]) for c in contests}
    assert len(found) == len(contests), "two current contests for one seat in one election"
    return found


def every_seat_row():
    for parliament, folder in published.folders():
        for row in published.constituencies(parliament, folder):
            kind, date = published.election_of(parliament, folder, row)
            yield f"{parliament}/{folder}", kind, date, row


# --- every contest against the file's own statements ---------------------------------------------


def test_every_stated_majority_and_label_is_reproduced(store):
    wrong = []
    checked = 0
    for folder, kind, date, row in every_seat_row():
        if (folder, row["ONS ID"]) in KNOWN_SOURCE_ERRORS:
            continue
        contest, summary = store[(kind, date, row["ONS ID"])]
        stated_majority = row.number_in("Majority")
        if summary.majority_votes != stated_majority:
            wrong.append(f"{folder} row {row.number} {row['Constituency name']}: majority {summary.majority_votes}"
                         f" but the file states {stated_majority}")  # fmt: skip
        if normalised_label(summary.result_label) != normalised_label(row["Result"]):
            wrong.append(f"{folder} row {row.number} {row['Constituency name']}: {summary.result_label!r} but "
                         f"the file states {row['Result']!r}")  # fmt: skip
        checked += 1
    assert checked > 3000
    assert wrong == [], "\n".join(wrong)


def test_the_known_source_errors_still_disagree_with_the_store(store):
    """So the list cannot silently go stale: each listed contest really differs from the votes."""
    for (folder, ons_id), entry in KNOWN_SOURCE_ERRORS.items():
        parliament, kind_folder = folder.split("/")
        row = published.find_seat(int(parliament), kind_folder, ons_id)
        kind, date = published.election_of(int(parliament), kind_folder, row)
        _, summary = store[(kind, date, ons_id)]
        differs = (summary.majority_votes != row.number_in("Majority")) or (
            normalised_label(summary.result_label) != normalised_label(row["Result"])
        )
        assert differs, entry["contest"]


def test_every_notional_majority_is_reproduced(store):
    """The 2019 notional file states a majority per seat (the 2005 one does not)."""
    wrong = []
    for parliament in published.notional_parliaments():
        rows = published.notional(parliament)
        if "Majority" not in rows[0].cells:
            continue
        stated = {r["ONS ID"]: r.number_in("Majority") for r in rows}
        for ons_id, majority in stated.items():
            _, summary = store[("notional", published.NOTIONAL_DATES[parliament], stored_ons_id(parliament, ons_id))]
            if summary.majority_votes != majority:
                wrong.append(f"{parliament} notional {ons_id}: {summary.majority_votes} != {majority}")
    assert wrong == []


def test_the_import_reports_exactly_the_known_source_errors(loaded):
    reported = {(folder_of(d.path), d.ons_id) for d in loaded.report.discrepancies}
    assert reported == set(KNOWN_SOURCE_ERRORS), "\n".join(str(d) for d in loaded.report.discrepancies)
    # Counted by contest: Sheffield's two disagreements are one contest, not two.
    assert len(loaded.report.discrepancies) == len(KNOWN_SOURCE_ERRORS) == 3
    assert loaded.report.discrepancy_count() == "3 contests where the source disagrees with itself"
    (sheffield,) = [d for d in loaded.report.discrepancies if d.ons_id == "E14000921"]
    assert len(sheffield.problems) == 2
    assert sheffield.contest == "Sheffield Brightside and Hillsborough, 5 May 2016 by-election"


def test_every_answer_says_where_the_source_disagrees_with_itself_and_nowhere_else(store):
    """Sheffield Brightside 2016 printed 14,987 votes, a 10,490 majority and shares adding to 104% with
    no word: every answer built from a contest the files contradict now says so, from the figures."""
    known = set()
    for (folder, ons_id), _ in KNOWN_SOURCE_ERRORS.items():
        parliament, kind_folder = folder.split("/")
        kind, date = published.election_of(
            int(parliament), kind_folder, published.find_seat(int(parliament), kind_folder, ons_id)
        )
        known.add((kind, date, ons_id))
    flagged = {key for key, (_, summary) in store.items() if summary.disagreements}
    assert flagged == known
    _, sheffield = store[("by-election", dt.date(2016, 5, 5), "E14000921")]
    assert sheffield.disagreements == (
        "candidate votes add up to 23,481 but valid votes are 22,581",
        "the file states a majority of 9,590 where the votes give 10,490",
    )
    assert sum(line.share or 0 for line in sheffield.candidates) > 103  # why a reader must be told
    assert any(
        note.startswith("The Library's files disagree: candidate votes add up to 23,481") for note in sheffield.notes
    )
    _, arbroath = store[("by-election", dt.date(2026, 6, 18), "S14000066")]
    assert arbroath.disagreements == ("the file states a majority of 5,178 where the votes give 5,278",)
    _, blaenau = store[("general", published.GENERAL_ELECTION_DATES[55], "W07000072")]
    assert blaenau.disagreements == ("the file states 'Lab gain from BGPV' where the votes give 'Lab GAIN from Ind'",)


def test_a_seat_has_one_spelling_the_2024_one_wherever_it_appears(store, loaded):
    """Stoke-on-Trent Central was headed "Stoke-On-Trent Central" for its 2010-2019 results (a second
    ONS ID, a second row) while the list of seats said "Stoke-on-Trent Central"."""
    spellings: dict[str, set[str]] = {}
    for _, summary in store.values():
        spellings.setdefault(fold(summary.constituency), set()).add(summary.constituency)
    for name in loaded.results.directory.contests_by_name:
        spellings.setdefault(fold(name), set()).add(name)
    assert {key: names for key, names in spellings.items() if len(names) > 1} == {}
    names_2024 = [row["Constituency name"] for row in published.constituencies(59, "general-election")]
    for name in names_2024:
        assert spellings[fold(name)] == {name}
    assert spellings[fold("Stoke-on-Trent Central")] == {"Stoke-on-Trent Central"}
    assert spellings[fold("Birmingham Edgbaston")] == {"Birmingham Edgbaston"}
    # No 2024 seat of these names: the newest spelling, with joining words as the Library now writes them.
    assert spellings[fold("Isle of Wight")] == {"Isle of Wight"}
    assert spellings[fold("Berwick-upon-Tweed")] == {"Berwick-upon-Tweed"}
    assert spellings[fold("Birmingham, Hall Green")] == {"Birmingham, Hall Green"}


def test_each_reported_discrepancy_names_the_file_and_row_a_reader_can_open(loaded):
    for discrepancy in loaded.report.discrepancies:
        parliament, folder = folder_of(discrepancy.path).split("/")
        assert Path(discrepancy.path).name == "constituencies.csv"
        row = published.find_seat(int(parliament), folder, discrepancy.ons_id)
        assert discrepancy.row == row.number, str(discrepancy)


def test_notional_seats_listed_under_an_old_id_are_the_2024_seats_of_that_name():
    """The evidence for NOTIONAL_ID_MISMATCHES, from the raw files."""
    notional_ids = {r["ONS ID"]: r["Constituency name"] for r in published.notional(58)}
    ids_2024 = {r["ONS ID"]: r["Constituency name"] for r in published.constituencies(59, "general-election")}
    assert set(notional_ids) - set(ids_2024) == set(NOTIONAL_ID_MISMATCHES)
    for old, (new, name) in NOTIONAL_ID_MISMATCHES.items():
        assert notional_ids[old] == name == ids_2024[new]
        assert new not in notional_ids


def test_the_import_reports_each_notional_seat_it_stored_under_the_2024_id(loaded):
    for old, (new, name) in NOTIONAL_ID_MISMATCHES.items():
        first_row = next(r for r in published.notional(58) if r["ONS ID"] == old)
        said = [r for r in loaded.report.repairs if old in r and new in r]
        assert len(said) == 1, old
        assert "notional-general-election/results.csv" in said[0]
        assert f"row {first_row.number}" in said[0] and name in said[0]


def test_notional_seats_are_found_under_the_2024_id(store, loaded):
    for old, (new, name) in NOTIONAL_ID_MISMATCHES.items():
        assert ("notional", published.NOTIONAL_DATES[58], old) not in store
        _, summary = store[("general", published.GENERAL_ELECTION_DATES[59], new)]
        assert summary.baseline is not None and summary.baseline.notional, name
    answer = loaded.results.ask("kilmarnock and loudoun 2024")
    seat = published.find_seat(59, "general-election", "S14000110")
    assert normalised_label(answer.summary.result_label) == normalised_label(seat["Result"]) == "lab gain from snp"


def test_known_source_errors_are_real_in_the_raw_files():
    """The evidence behind each entry of KNOWN_SOURCE_ERRORS, read from the CSVs."""
    # Sheffield, Brightside and Hillsborough 2016
    seat = published.find_seat(56, "by-elections", "E14000921")
    people = published.contest_candidates(
        56, "by-elections", "E14000921", published.parse_date(seat["By-election date"])
    )
    votes = {p["Party abbreviation"]: p.number_in("Votes") for p in people}
    assert (seat.number_in("Lab"), votes["Lab"]) == (14087, 14987)
    assert sum(votes.values()) == 23481 and seat.number_in("Valid votes") == 22581
    assert seat.number_in("Majority") == 14087 - votes["UKIP"] == 9590

    # Blaenau Gwent 2010 against the 2005 notional result
    seat = published.find_seat(55, "general-election", "W07000072")
    assert seat["Result"] == "Lab gain from BGPV"
    in_2005 = [r for r in published.notional(54) if r["ONS ID"] == "W07000072"]
    winner_2005 = max(in_2005, key=lambda r: r.number_in("votes"))
    assert winner_2005["mnis_party_abbrev"] == "Ind"
    assert not any(r["mnis_party_abbrev"] == "BGPV" for r in in_2005)

    # Arbroath and Broughty Ferry 2026
    seat = published.find_seat(59, "by-elections", "S14000066")
    people = published.contest_candidates(
        59, "by-elections", "S14000066", published.parse_date(seat["By-election date"])
    )
    votes = sorted((p.number_in("Votes") for p in people), reverse=True)
    assert votes[0] - votes[1] == 5278 != seat.number_in("Majority") == 5178
    assert sum(votes) == seat.number_in("Valid votes")


def test_contests_are_stored_as_published_even_where_the_source_is_wrong(store):
    seat = published.find_seat(56, "by-elections", "E14000921")
    contest, summary = store[("by-election", dt.date(2016, 5, 5), "E14000921")]
    assert contest.valid_votes == seat.number_in("Valid votes") == 22581
    assert contest.stated_majority == seat.number_in("Majority")
    assert {c.party.abbreviation: c.votes for c in contest.candidacies}["Lab"] == 14987
    assert summary.majority_votes == 14987 - 4497


def test_every_result_is_compared_with_the_right_baseline(store):
    """2010 and 2024 against the notional result on their boundaries; other general elections against
    the one before; a by-election against its Parliament's general election, never a by-election."""
    general_dates = sorted(published.GENERAL_ELECTION_DATES.values())
    wrong = []
    for (kind, date, _), (contest, summary) in store.items():
        if kind == "notional":
            continue
        baseline = summary.baseline
        if kind == "by-election":
            expected = (max(d for d in general_dates if d < date), False)
        elif date in (dt.date(2010, 5, 6), dt.date(2024, 7, 4)):
            expected = (published.NOTIONAL_DATES[54 if date.year == 2010 else 58], True)
        else:
            expected = (general_dates[general_dates.index(date) - 1], False)
        got = None if baseline is None else (baseline.election_date, baseline.notional)
        if got != expected:
            wrong.append(f"{contest.constituency.name} {contest.election.name}: {got} instead of {expected}")
    assert wrong == []


def test_seats_whose_ons_id_outlived_the_2024_review_are_measured_against_the_notional_result(loaded):
    """Their 2019 real and notional results share a polling day; the 2024 result's baseline is the
    notional one, whichever way the store is asked."""
    ids_2019 = {r["ONS ID"] for r in published.constituencies(58, "general-election")}
    ids_2024 = {r["ONS ID"]: r["Constituency name"] for r in published.constituencies(59, "general-election")}
    kept = sorted(set(ids_2024) & ids_2019)
    assert len(kept) == 5
    for ons_id in kept:
        summary = loaded.results.ask(f"{ids_2024[ons_id]} 2024").summary
        assert summary.ons_id == ons_id
        assert summary.baseline.notional, ids_2024[ons_id]
        in_2019 = loaded.results.ask(f"{ids_2024[ons_id]} 2019").summary
        assert in_2019.election_kind == "general"  # the real result, not the notional one


# --- nothing lost, nothing added ----------------------------------------------------------------


def test_contests_per_election_match_the_files(store):
    stored = Counter((kind, date) for kind, date, _ in store)
    expected: Counter = Counter()
    for _, kind, date, _ in every_seat_row():
        expected[(kind, date)] += 1
    for parliament in published.notional_parliaments():
        ids = {r["ONS ID"] for r in published.notional(parliament)}
        expected[("notional", published.NOTIONAL_DATES[parliament])] += len(ids)
    assert stored == expected
    assert expected[("general", dt.date(2024, 7, 4))] == 650


def test_every_candidacy_in_the_files_is_stored_with_its_votes(store):
    in_files: Counter = Counter()
    for parliament, folder in published.folders():
        for row in published.candidacies(parliament, folder):
            kind, date = published.election_of(parliament, folder, row)
            key = (kind, date, row["ONS ID"], published.candidate_name(row), row["Party abbreviation"])
            in_files[key + (row.number_in("Votes"),)] += 1
    in_store: Counter = Counter()
    for (kind, date, ons_id), (contest, _) in store.items():
        if kind == "notional":
            continue
        for c in contest.candidacies:
            in_store[(kind, date, ons_id, c.candidate_name, c.party.abbreviation, c.votes)] += 1
    missing, extra = in_files - in_store, in_store - in_files
    assert not missing and not extra, (list(missing)[:10], list(extra)[:10])
    assert sum(in_files.values()) > 19000


def test_every_notional_party_total_is_stored_and_aggregate_rows_are_not(store):
    for parliament in published.notional_parliaments():
        date = published.NOTIONAL_DATES[parliament]
        by_seat: dict[str, Counter] = {}
        for row in published.notional(parliament):
            if row.cells.get("Vote code") in published.AGGREGATE_VOTE_CODES:
                continue
            votes = row.number_in("Votes" if "Votes" in row.cells else "votes")
            by_seat.setdefault(row["ONS ID"], Counter())[votes] += 1
        for ons_id, votes in by_seat.items():
            contest, _ = store[("notional", date, stored_ons_id(parliament, ons_id))]
            assert Counter(c.votes for c in contest.candidacies) == votes, (parliament, ons_id)


# --- the figures a reporter copies --------------------------------------------------------------


def ask(loaded, query):
    answer = loaded.results.ask(query)
    assert answer.kind == FOUND, answer.message
    return answer.summary


def line_for(summary, party):
    (line,) = [c for c in summary.candidates if c.party == party]
    return line


def test_copeland_2017_by_election(loaded):
    seat = published.find_seat(56, "by-elections", "E14000647")
    for query in ("copeland by-election", "copeland 2017 by-election"):
        summary = ask(loaded, query)
        assert summary.election_date == published.parse_date(seat["By-election date"]) == dt.date(2017, 2, 23)
        assert summary.result_label == "Con GAIN from Lab"
        assert summary.majority_votes == 2147 == seat.number_in("Majority")
        assert (summary.swing.from_party, summary.swing.to_party, decimal(summary.swing.points)) == (
            "Lab",
            "Con",
            "6.7",
        )
        assert decimal(summary.turnout_including_rejected_percent) == "51.3"
        counted = seat.number_in("Valid votes") + seat.number_in("Invalid votes")
        assert summary.turnout_including_rejected_percent == Fraction(counted * 100, seat.number_in("Electorate"))
        assert summary.winner.name == "Trudy Harrison"


def test_copeland_swing_is_computed_from_the_2015_general_election(loaded):
    summary = ask(loaded, "copeland by-election")
    then = published.contest_candidates(56, "general-election", "E14000647", published.GENERAL_ELECTION_DATES[56])
    now = published.contest_candidates(56, "by-elections", "E14000647", dt.date(2017, 2, 23))

    def shares(rows):
        total = sum(r.number_in("Votes") for r in rows)
        return {r["Party abbreviation"]: Fraction(r.number_in("Votes") * 100, total) for r in rows}

    before, after = shares(then), shares(now)
    expected = ((after["Con"] - before["Con"]) - (after["Lab"] - before["Lab"])) / 2
    assert summary.swing.points == expected
    assert summary.baseline.election_name == "2015 general election"


def test_stoke_on_trent_central_2017_by_election(loaded):
    summary = ask(loaded, "stoke-on-trent central 2017 by-election")
    seat = published.find_seat(56, "by-elections", "E14000972")
    assert summary.ons_id == "E14000972"
    assert summary.result_label == "Lab HOLD"
    assert summary.majority_votes == 2620 == seat.number_in("Majority")


def test_hartlepool_2021_by_election(loaded):
    summary = ask(loaded, "hartlepool 2021 by-election")
    seat = published.find_seat(58, "by-elections", "E14000733")
    assert summary.result_label == "Con GAIN from Lab"
    assert summary.majority_votes == 6940 == seat.number_in("Majority")


def test_reform_share_change_in_hartlepool_2021_is_against_the_brexit_party_in_2019(loaded):
    summary = ask(loaded, "hartlepool by-election")
    now = published.contest_candidates(58, "by-elections", "E14000733", dt.date(2021, 5, 6))
    then = published.contest_candidates(58, "general-election", "E14000733", published.GENERAL_ELECTION_DATES[58])
    ruk_now = Fraction(sum(r.number_in("Votes") for r in now if r["Party abbreviation"] == "RUK") * 100,
                       published.find_seat(58, "by-elections", "E14000733").number_in("Valid votes"))  # fmt: skip
    brx_then = Fraction(sum(r.number_in("Votes") for r in then if r["Party abbreviation"] == "BRX") * 100,
                        published.find_seat(58, "general-election", "E14000733").number_in("Valid votes"))  # fmt: skip
    reform = line_for(summary, "RUK")
    assert reform.share_change == ruk_now - brx_then
    assert points(reform.share_change) == "-24.6"
    assert summary.baseline.election_name == "2019 general election"


def test_every_share_shown_matches_the_files_share_column(store):
    """Shares are computed from votes; the file's Share column agrees to 1 dp bar a few rounding slips."""
    differ, far = [], []
    compared = 0
    for parliament, folder in published.folders():
        for row in published.candidacies(parliament, folder):
            file_share = published.share_percent(row)
            if file_share is None:
                continue
            kind, date = published.election_of(parliament, folder, row)
            where = (f"{parliament}/{folder}", row["ONS ID"])
            if where in KNOWN_SOURCE_ERRORS or where in KNOWN_SHARE_SLIPS:
                continue
            contest, summary = store[(kind, date, row["ONS ID"])]
            name = published.candidate_name(row)
            (line,) = [c for c in summary.candidates if c.name == name and c.party == row["Party abbreviation"]]
            shown = Decimal(decimal(line.share))
            expected = rounded(file_share)
            compared += 1
            if shown != expected:
                where = f"{parliament}/{folder} row {row.number} {row['Constituency name']} {name}"
                differ.append(f"{where}: shown {shown}, file {row['Share']}")
                if abs(shown - expected) > Decimal("0.1"):
                    far.append(differ[-1])
    print(f"\n{len(differ)} of {compared} shares differ from the file's Share column at 1 dp:")
    print("\n".join(differ))
    assert compared > 19000
    assert far == []
    # Where the file's Share is given to 4 places, a half (0.1155) rounds away from the exact share (11.549...).
    assert len(differ) <= 25


def test_the_known_share_slips_are_real():
    for (folder, ons_id), reason in KNOWN_SHARE_SLIPS.items():
        parliament, kind_folder = folder.split("/")
        seat = published.find_seat(int(parliament), kind_folder, ons_id)
        kind, date = published.election_of(int(parliament), kind_folder, seat)
        people = published.contest_candidates(int(parliament), kind_folder, ons_id, date)
        valid = seat.number_in("Valid votes")
        assert sum(p.number_in("Votes") for p in people) == valid
        slips = [
            p
            for p in people
            if abs(published.share_percent(p) - Fraction(p.number_in("Votes") * 100, valid)) > Fraction(1, 10)
        ]
        assert slips, reason


def test_a_single_summary_agrees_with_the_bulk_summary(loaded, store):
    """`ask` summarises one contest with SQL; the importer's audit summarises in bulk. They must agree,
    including in seats whose ONS ID spans the 2019 result, its notional and the 2024 result."""
    wanted = {"E14000647", "E14000733", "E14001272", "W07000072", "S14000051", "S14000045", "S14000027"}
    picked = [(c, s) for (_, _, ons_id), (c, s) in store.items() if ons_id in wanted]
    assert len(picked) > 15
    with loaded.sessions() as session:
        for contest, bulk in picked:
            single = summarise(session, session.get(Contest, contest.id))
            assert single == bulk, (contest.constituency.name, contest.election.name)
