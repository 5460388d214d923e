"""`resultsbot import candidates FILE.csv`: Democracy Club's candidates, on each database backend. Each
Westminster ballot becomes its seat's nominated contest through the one entry use case; "who is
standing in X" answers from it and `/result enter X` starts from its candidates; an unknown seat is
named with its ballot and the rest still imported; a ballot whose seat already has its result is
skipped and changes nothing.

The store holds the Library's 2017 general election; the CSV lists their 2019 candidates as the
Library publishes them (tests.integration.published), in Democracy Club's columns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from bot.cli import main
from handlers.entry_form import form_for, latest_summary
from handlers.replies import reply_to_question
from store.importers.pa import import_pa
from store.models import Contest
from tests import pa_fixtures
from tests.conftest import database_url
from tests.integration import published

HARTLEPOOL, ABERAVON, ASHFIELD = "E14000733", "W07000049", "E14000535"
POLLING_DAY_2019 = dt.date(2019, 12, 12)


def library_candidates(ons_id: str) -> list[tuple[str, str]]:
    """(name, party abbreviation) of each 2019 candidate, as the Library publishes them."""
    rows = published.contest_candidates(58, "general-election", ons_id, POLLING_DAY_2019)
    return sorted((published.candidate_name(row), row["Party abbreviation"]) for row in rows)


def ballot_rows(ons_id: str, slug: str, *, gss_code: bool = True) -> list[dict[str, str]]:
    rows = published.contest_candidates(58, "general-election", ons_id, POLLING_DAY_2019)
    return [
        {
            "id": str(1000 + number),
            "name": published.candidate_name(row),
            "ballot_paper_id": f"parl.{slug}.2019-12-12",
            "election_date": "2019-12-12",
            "gss_code": ons_id if gss_code else "",
            "party_id": "",
            "party_name": row["Party name"],
        }
        for number, row in enumerate(rows)
    ]


@pytest.fixture
def desk(engine, store, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url(engine))
    monkeypatch.setenv("RESULTSBOT_RESULTS_CHANNEL", "")
    with contextlib.redirect_stdout(io.StringIO()):
        # The whole 2017 election, so the store knows the parties of 2019 as a real store would.
        assert main(["import", "hoc", str(published.DATA / "57" / "general-election"), "--no-post"]) == 0
    return store


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def contests(store) -> int:
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(Contest)) or 0


def test_candidates_answer_who_is_standing_and_start_the_entry_form(desk, tmp_path):
    rows = ballot_rows(HARTLEPOOL, "hartlepool", gss_code=False)  # matched by the slug of its name
    rows.append({"name": "A Councillor", "ballot_paper_id": "local.hartlepool.rift-house.2019-05-02",
                 "party_id": "PP53", "party_name": "Labour Party"})  # fmt: skip
    csv_file = tmp_path / "candidates.csv"
    csv_file.write_text(pa_fixtures.democracy_club_csv(rows), encoding="utf-8")
    code, out, err = run("import", "candidates", str(csv_file))
    assert (code, err) == (0, "")
    standing = len(library_candidates(HARTLEPOOL))
    assert out.splitlines() == [
        f"parl.hartlepool.2019-12-12: Hartlepool, 2019 general election: {standing} candidates, stored",
        "1 Westminster ballot(s): 1 imported, 0 skipped, 0 not imported.",
    ]
    desk.results.refresh()
    lines = reply_to_question("who is standing in hartlepool", desk.results).plain.splitlines()
    assert lines[0].startswith("Standing in Hartlepool at the 2019 general election")
    listed = sorted(tuple(line.removeprefix("• ").removesuffix(")").split(" (")) for line in lines[1:-1])
    assert listed == library_candidates(HARTLEPOOL)
    assert lines[-1] == "Source: Democracy Club."

    # `/result enter hartlepool` starts from the nominated contest, years after its date.
    answer = desk.results.ask("hartlepool")
    assert answer.summary is not None
    form = form_for(
        latest_summary(desk.results, answer.summary), channel_id="C1", response_url="u", today=dt.date(2026, 12, 3)
    )
    assert sorted((c.name, c.party) for c in form.candidates) == library_candidates(HARTLEPOOL)
    assert all(c.votes is None for c in form.candidates)
    assert (form.election_date, form.election_kind) == (POLLING_DAY_2019, "general")
    assert form.prefilled_from == "2019 general election (nominated, version 1)"

    # The same file again changes nothing.
    assert run("import", "candidates", str(csv_file))[1].splitlines()[0].endswith(f"{standing} candidates, unchanged")


def test_an_unknown_seat_is_named_the_rest_imported_and_a_seat_with_its_result_skipped(desk, tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    import_pa(desk.sessions, [pa_fixtures.result_file(feed, pa_fixtures.library_seat(58, ABERAVON))])
    before = contests(desk)
    rows = [
        *ballot_rows(ABERAVON, "aberavon"),
        *[row | {"ballot_paper_id": "parl.nowhere.2019-12-12", "gss_code": ""} for row in ballot_rows(ABERAVON, "x")],
        *ballot_rows(HARTLEPOOL, "hartlepool"),
        *[row | {"party_name": "A Party Nobody Has Heard Of Before"} for row in ballot_rows(ASHFIELD, "ashfield")],
    ]
    csv_file = tmp_path / "candidates.csv"
    csv_file.write_text(pa_fixtures.democracy_club_csv(rows), encoding="utf-8")
    code, out, err = run("import", "candidates", str(csv_file))
    assert code == 2
    nowhere, long_party = err.splitlines()
    assert nowhere == (
        "Not imported: parl.nowhere.2019-12-12: no seat on the 2010 boundaries has ONS code (none given) or is named "
        "'nowhere'; nothing stored (load the seat's earlier results first)"
    )
    assert long_party.startswith("Not imported: parl.ashfield.2019-12-12: not stored: candidates[0].party: ")
    assert "'A Party Nobody Has Heard Of Before' is not a party the store knows" in long_party
    assert out.splitlines()[1] == (
        "Skipped parl.aberavon.2019-12-12: nominated is not stored: Aberavon already has a declared result "
        "(version 1), and a nominated never replaces it. To change that result, enter the corrected figures."
    )
    assert out.splitlines()[0].startswith("parl.hartlepool.2019-12-12: Hartlepool, 2019 general election:")
    assert "4 Westminster ballot(s): 1 imported, 1 skipped, 2 not imported." in out
    assert contests(desk) == before + 1  # Hartlepool's nominations only
    desk.results.refresh()
    answer = desk.results.ask("aberavon 2019")
    assert answer.summary is not None and answer.summary.status == "declared"


def test_a_file_that_is_not_democracy_clubs_csv_is_refused_and_nothing_stored(desk, tmp_path):
    before = contests(desk)
    csv_file = tmp_path / "other.csv"
    csv_file.write_text("name,party\nA,B\n", encoding="utf-8")
    code, _, err = run("import", "candidates", str(csv_file))
    assert code == 2 and "Import refused, nothing was changed: other.csv: has no column" in err
    assert contests(desk) == before
