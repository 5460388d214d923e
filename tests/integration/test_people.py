"""People and seat changes (issue 9 §1) against the bundled store.

Every expected name and figure is read here from the House of Commons Library's files with the csv module
(`tests.integration.published`), never from the code under test.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from handlers.replies import reply_to_command, reply_to_question
from store.contest_input import parse_entry
from store.enter_result import enter_result
from store.names import fold
from store.people import People
from tests.integration import published
from tests.results import result


def shown(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def stood(name: str) -> list[tuple[int, str, published.Row]]:
    """(parliament, folder, row) of every candidacy of `name` in the Library's files."""
    found = []
    for parliament, folder in published.folders():
        if folder.startswith("notional"):
            continue
        for row in published.candidacies(parliament, folder):
            if published.candidate_name(row).casefold() == name.casefold():
                found.append((parliament, folder, row))
    return found


def place_in(parliament: int, folder: str, row: published.Row) -> tuple[int, int]:
    """(place by votes, number of candidates) in the row's contest."""
    _, day = published.election_of(parliament, folder, row)
    rivals = published.contest_candidates(parliament, folder, row["ONS ID"], day)
    votes = sorted((int(r["Votes"]) for r in rivals), reverse=True)
    return votes.index(int(row["Votes"])) + 1, len(rivals)


def test_keir_starmer_stood_in_holborn_and_st_pancras_at_four_general_elections(loaded_sqlite) -> None:
    rows = stood("Keir Starmer")
    assert {(r["Constituency name"], published.election_of(p, f, r)[1].year) for p, f, r in rows} == {
        ("Holborn and St Pancras", year) for year in (2015, 2017, 2019, 2024)
    }
    for text in ("keir starmer", "Keir Starmer", "where did keir starmer stand", "who is Keir Starmer?"):
        reply = reply_to_question(text, loaded_sqlite.results)
        assert reply.public
        lines = reply.plain.split("\n")
        assert lines[0] == "Keir Starmer stood in 4 contests in the store:", text
        for (_, _, row), line in zip(sorted(rows, key=lambda item: item[0]), lines[1:5], strict=True):
            year = published.election_of(*_folder_of(row, rows), row)[1].year
            assert line == (
                f"• Holborn and St Pancras, {year} general election: Lab, {int(row['Votes']):,} votes "
                f"({shown(published.share_percent(row) or Fraction(0))}%), elected"
            )
        assert lines[-1].startswith("Source: House of Commons Library")


def _folder_of(row: published.Row, rows: list[tuple[int, str, published.Row]]) -> tuple[int, str]:
    return next((p, f) for p, f, r in rows if r is row)


def test_nigel_farage_every_contest_with_his_place(loaded_sqlite) -> None:
    rows = stood("Nigel Farage")
    assert len(rows) == 4
    reply = reply_to_question("where did nigel farage stand", loaded_sqlite.results)
    lines = reply.plain.split("\n")
    assert lines[0] == "Nigel Farage stood in 4 contests in the store:"
    body = "\n".join(lines[1:])
    for parliament, folder, row in rows:
        kind, day = published.election_of(parliament, folder, row)
        place, of = place_in(parliament, folder, row)
        outcome = "elected" if place == 1 else f"{place}{'nd' if place == 2 else 'rd' if place == 3 else 'th'} of {of}"
        election = f"{day.year} general election" if kind == "general" else f"{day.day} {day:%B %Y} by-election"
        expected = f"• {row['Constituency name']}, {election}: {row['Party abbreviation']}, {int(row['Votes']):,} votes"
        assert expected in body
        assert re.search(re.escape(expected) + r" \([\d.]+%\), " + re.escape(outcome), body), (expected, outcome)
    # Buckingham 2010: third of eleven, as the file has it.
    assert "• Buckingham, 2010 general election: UKIP, 8,401 votes (17.4%), 3rd of 11" in body


def test_a_name_works_in_slash_result_too(loaded_sqlite) -> None:
    reply = reply_to_command("nigel farage", loaded_sqlite.results)
    assert reply.public and reply.plain.startswith("Nigel Farage stood in 4 contests")


def test_a_typo_in_a_name_is_forgiven_and_the_name_is_shown_as_spelt(loaded_sqlite) -> None:
    reply = reply_to_question("kier starmer", loaded_sqlite.results)
    assert reply.plain.startswith("Keir Starmer stood in 4 contests")


def test_a_text_that_fits_several_people_asks_which(loaded_sqlite) -> None:
    names = {
        published.candidate_name(r)
        for p, f in published.folders()
        if not f.startswith("notional")
        for r in published.candidacies(p, f)
    }
    assert {"Jo Smith", "John Smith"} <= names and "Jon Smith" not in names
    reply = reply_to_question("jon smith", loaded_sqlite.results)
    for label, query in reply.options:  # a button asks `/result NAME`, which lists that person's contests
        assert reply_to_command(query, loaded_sqlite.results).plain.startswith(f"{label.split(' (')[0]} stood in")
    assert reply.plain.startswith("“jon smith” fits 2 candidates. Which one?")
    assert [label.split(" (")[0] for label, _ in reply.options] == ["John Smith", "Jo Smith"] or sorted(
        label.split(" (")[0] for label, _ in reply.options
    ) == ["Jo Smith", "John Smith"]


def test_a_seat_name_still_answers_the_seat_and_nonsense_as_before(loaded_sqlite) -> None:
    reply = reply_to_question("hartlepool", loaded_sqlite.results)
    assert reply.plain.startswith("Hartlepool · general election · Thursday 4 July 2024")
    assert reply_to_question("zzzzqqq", loaded_sqlite.results).plain.startswith("No seat matches “zzzzqqq”.")
    assert reply_to_command("hartlepool 2019", loaded_sqlite.results).plain.startswith(
        "Hartlepool · general election · Thursday 12 December 2019"
    )


def test_no_candidate_by_that_name_says_so(loaded_sqlite) -> None:
    reply = reply_to_question("where did Zzyzx Qwerty stand", loaded_sqlite.results)
    assert reply.plain.startswith("No candidate called “Zzyzx Qwerty” is in the store.")


def test_the_people_index_is_built_once_and_dropped_on_refresh(loaded_sqlite, monkeypatch) -> None:
    service = loaded_sqlite.results
    first = service.people
    assert service.people is first
    loads = []
    real = People.load
    monkeypatch.setattr(People, "load", classmethod(lambda cls, session: loads.append(1) or real(session)))
    service.refresh()
    assert service.people is not first and loads == [1]


# --- a seat's MP ------------------------------------------------------------------------------------


def test_who_is_the_mp_for_hartlepool(loaded_sqlite) -> None:
    (row,) = [r for r in published.constituencies(59, "general-election") if r["Constituency name"] == "Hartlepool"]
    by_elections = [r for r in published.constituencies(59, "by-elections") if r["Constituency name"] == "Hartlepool"]
    assert not by_elections
    member = f"{row['Member first name']} {row['Member surname']}"
    reply = reply_to_question("who is the MP for Hartlepool?", loaded_sqlite.results)
    assert reply.plain.split("\n")[0] == (
        f"The latest MP for Hartlepool is {member} ({row['First party']}), elected at the 2024 general election. "
        "Hartlepool is a seat at the 2024 general election."
    )


def test_the_mp_for_clacton_is_the_by_elections_winner(loaded_sqlite) -> None:
    (row,) = [r for r in published.constituencies(59, "by-elections") if r["Constituency name"] == "Clacton"]
    _, day = published.election_of(59, "by-elections", row)
    reply = reply_to_question("who is the mp for clacton", loaded_sqlite.results)
    assert reply.plain.startswith(
        f"The latest MP for Clacton is {row['Member first name']} {row['Member surname']} ({row['First party']}), "
        f"elected at the {day.day} {day:%B %Y} by-election."
    )


def test_the_mp_for_an_abolished_seat_is_its_last_and_the_seat_says_it_is_gone(loaded_sqlite) -> None:
    assert not [r for r in published.constituencies(59, "general-election") if r["Constituency name"] == "Copeland"]
    (row,) = [r for r in published.constituencies(58, "general-election") if r["Constituency name"] == "Copeland"]
    reply = reply_to_question("who is the mp for Copeland", loaded_sqlite.results)
    assert reply.plain.split("\n")[0] == (
        f"The latest MP for Copeland was {row['Member first name']} {row['Member surname']} ({row['First party']}), "
        "elected at the 2019 general election. "
        "Copeland was abolished at the 2024 general election; its last result was 2019."
    )


# --- seat changes -------------------------------------------------------------------------------------

COPELAND_NOTE = "Copeland was abolished at the 2024 general election; its last result was 2019."


def test_an_abolished_seat_says_so_wherever_it_is_answered(loaded_sqlite) -> None:
    service = loaded_sqlite.results
    for text in ("copeland", "copeland 2017 by-election", "who won copeland", "turnout in copeland 2015"):
        reply = reply_to_question(text, service)
        assert f"Seat change: {COPELAND_NOTE}" in reply.plain, text
        assert any(COPELAND_NOTE in str(block) for block in reply.blocks), text
    assert f"Seat change: {COPELAND_NOTE}" in reply_to_command("copeland", service).plain


def test_only_seats_with_no_namesake_on_the_2024_boundaries_are_abolished(loaded_sqlite) -> None:
    """Every 2019 seat: abolished exactly when no 2024 seat (nor 2019 notional seat) folds to its name;
    a name that continues under a new ONS ID (Hartlepool, Stoke-on-Trent Central) is not."""
    names_2024 = {fold(r["Constituency name"]) for r in published.constituencies(59, "general-election")}
    by_election_years: dict[str, int] = {}
    for row in published.constituencies(58, "by-elections"):
        key = fold(row["Constituency name"])
        by_election_years[key] = max(
            published.election_of(58, "by-elections", row)[1].year, by_election_years.get(key, 0)
        )
    service = loaded_sqlite.results
    wrong = []
    abolished = 0
    for row in published.constituencies(58, "general-election"):
        name = row["Constituency name"]
        answer = service.ask(f"{name} 2019 general election")
        assert answer.summary is not None, name
        gone = fold(name) not in names_2024
        abolished += gone
        last = by_election_years.get(fold(name), 2019)
        expected = (
            f"{answer.seat} was abolished at the 2024 general election; its last result was {last}." if gone else None
        )
        if answer.summary.seat_change != expected:
            wrong.append((name, answer.summary.seat_change))
    assert not wrong
    assert 100 < abolished < 650
    # Batley and Spen was abolished in 2024; its last result was the 2021 by-election.
    assert by_election_years[fold("Batley and Spen")] == 2021 and fold("Batley and Spen") not in names_2024


# --- who is standing ----------------------------------------------------------------------------------


def test_who_is_standing_names_the_last_candidates_when_nothing_is_pending(loaded_sqlite) -> None:
    rows = published.contest_candidates(
        59, "general-election", _ons("Hartlepool"), published.GENERAL_ELECTION_DATES[59]
    )
    reply = reply_to_question("who is standing in hartlepool", loaded_sqlite.results)
    lines = reply.plain.split("\n")
    assert (
        lines[0]
        == "No contest is pending in Hartlepool. The candidates at its last contest, the 2024 general election, were:"
    )
    listed = lines[1 : 1 + len(rows)]
    assert sorted(listed) == sorted(
        f"• {published.candidate_name(r)} ({r['Party abbreviation']}): {int(r['Votes']):,} votes "
        f"({shown(published.share_percent(r) or Fraction(0))}%)"
        + (", elected" if place_in(59, "general-election", r)[0] == 1 else "")
        for r in rows
    )


def _ons(seat: str) -> str:
    (row,) = [r for r in published.constituencies(59, "general-election") if r["Constituency name"] == seat]
    return row["ONS ID"]


def test_who_is_standing_names_a_pending_contests_candidates(store, sessions) -> None:
    service = store.results
    enter_result(sessions, parse_entry(result(7)))
    reply = reply_to_question("who is standing in testshire 7", service)
    assert reply.plain.startswith("No contest is pending in Testshire 7. The candidates at its last contest")
    later = result(7, lab=9_000, con=11_000, status="provisional")
    later["election"] = {"date": "2027-01-14", "kind": "by-election"}
    later["candidates"][0]["name"] = "Carol Labour 7"
    enter_result(sessions, parse_entry(later))
    service.refresh()
    lines = reply_to_question("who is standing in testshire 7", service).plain.split("\n")
    assert lines[:3] == [
        "Standing in Testshire 7 at the 14 January 2027 by-election (result provisional):",
        "• Bob Conservative 7 (Con)",
        "• Carol Labour 7 (Lab)",
    ]
    mp = reply_to_question("who is the mp for testshire 7", service).plain
    assert mp.startswith(
        "The latest MP for Testshire 7 is Alice Labour 7 (Lab), elected at the 10 December 2026 by-election. "
        "The 14 January 2027 by-election result there is provisional."
    )
    # A provisional contest is listed for its candidates, marked as such.
    carol = reply_to_question("carol labour 7", service).plain
    assert "• Testshire 7, 14 January 2027 by-election: Lab, 9,000 votes (45.0%), 2nd of 2 · PROVISIONAL" in carol
