"""The `resultsbot` command line, run in-process against a SQLite file, as a desk editor would use it."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
from fractions import Fraction

import pytest
from sqlalchemy import func, inspect, select, table

from bot.bootstrap import open_store
from bot.cli import EXIT_BROKEN_PIPE, main
from bot.config import Settings
from store import db
from tests.integration import published
from tests.unit.library import PUBLISHED_SEATS_2024

pytestmark = pytest.mark.slow

COPELAND = "E14000647"


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """One store for the module: the first `ask` on an empty database loads every bundled file (~7 s)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'resultsbot.db'}"
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(io.StringIO()):
        patch.setenv("DATABASE_URL", url)
        assert main(["ask", "copeland", "2015"]) == 0
    return url


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*argv):
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def table_counts(url):
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
            return {name: connection.scalar(select(func.count()).select_from(table(name))) for name in names}
    finally:
        engine.dispose()


def copeland_by_election():
    seat = published.find_seat(56, "by-elections", COPELAND)
    date = published.parse_date(seat["By-election date"])
    return seat, published.contest_candidates(56, "by-elections", COPELAND, date)


def test_ask_prints_the_headline_the_candidates_and_the_source(cli):
    code, out, err = cli("ask", "copeland", "2017", "by-election")
    assert code == 0
    seat, people = copeland_by_election()
    lines = out.splitlines()
    assert lines[0].startswith("Copeland · by-election")
    assert "Con GAIN from Lab" in lines[1] and f"majority {seat.number_in('Majority'):,}" in lines[1]
    start = next(i for i, line in enumerate(lines) if line.split()[:3] == ["Candidate", "Party", "Votes"])
    table_rows = lines[start + 1 : start + 1 + len(people)]
    for person in people:
        name = published.candidate_name(person)
        (row,) = [line for line in table_rows if line.startswith(name)]
        assert row.split()[-4:-2] == [person["Party abbreviation"], f"{person.number_in('Votes'):,}"]
    (trudy,) = [line for line in table_rows if line.startswith("Trudy Harrison")]
    assert "13,748" in trudy and "44.3%" in trudy
    assert table_rows[0] == trudy  # the winner first
    assert "Source: House of Commons Library" in out


def test_ask_json_gives_every_figure_unrounded(cli):
    code, out, _ = cli("ask", "--json", "copeland", "2017", "by-election")
    assert code == 0
    data = json.loads(out)
    seat, people = copeland_by_election()
    valid, rejected = seat.number_in("Valid votes"), seat.number_in("Invalid votes")
    electorate = seat.number_in("Electorate")

    assert data["constituency"] == "Copeland"
    assert data["ons_id"] == COPELAND
    assert set(data["election"]) >= {"name", "date", "kind"}
    assert (data["election"]["date"], data["election"]["kind"]) == ("2017-02-23", "by-election")
    assert data["result_label"] == "Con GAIN from Lab"
    assert set(data["winner"]) >= {"name", "party", "votes", "share"}
    assert (data["winner"]["name"], data["winner"]["party"], data["winner"]["votes"]) == (
        "Trudy Harrison",
        "Con",
        13748,
    )
    assert data["winner"]["share"] == pytest.approx(float(Fraction(13748 * 100, valid)))
    assert 44.25 < data["winner"]["share"] < 44.26  # a number of percent, not rounded to 44.3
    assert data["majority"]["votes"] == seat.number_in("Majority") == 2147
    assert data["majority"]["percent"] == pytest.approx(float(Fraction(2147 * 100, valid)))
    assert (data["electorate"], data["valid_votes"], data["rejected"]) == (electorate, valid, rejected)
    assert data["turnout"]["valid_percent"] == pytest.approx(float(Fraction(valid * 100, electorate)))
    assert data["turnout"]["including_rejected_percent"] == pytest.approx(
        float(Fraction((valid + rejected) * 100, electorate))
    )
    assert (data["swing"]["from"], data["swing"]["to"]) == ("Lab", "Con")
    assert round(data["swing"]["points"], 1) == 6.7
    assert data["baseline"]["election"] == "2015 general election"
    assert data["baseline"]["notional"] is False

    assert len(data["candidates"]) == len(people)
    by_name = {c["name"]: c for c in data["candidates"]}
    for person in people:
        line = by_name[published.candidate_name(person)]
        assert set(line) >= {"name", "party", "votes", "share", "share_change"}
        assert line["party"] == person["Party abbreviation"]
        assert line["votes"] == person.number_in("Votes")
        assert line["share"] == pytest.approx(float(Fraction(person.number_in("Votes") * 100, valid)))
    assert by_name["Michael Guest"]["share_change"] is None  # an Independent who did not stand in 2015
    assert by_name["Trudy Harrison"]["share_change"] == pytest.approx(8.46, abs=0.01)


def test_ask_names_the_other_contest_of_the_year_and_its_query_asks_for_it(cli):
    code, out, _ = cli("ask", "copeland", "2017")
    assert code == 0
    assert out.splitlines()[0] == "Copeland · general election · Thursday 8 June 2017"
    assert "Also in 2017: by-election, 23 February (Con GAIN from Lab) — `/result Copeland 2017 by-election`" in out
    code, out, _ = cli("ask", "--json", "copeland", "2017")
    (other,) = json.loads(out)["also"]
    seat, _ = copeland_by_election()
    assert other["election"] == {"name": "23 February 2017 by-election", "date": "2017-02-23", "kind": "by-election"}
    assert other["result_label"] == "Con GAIN from Lab"
    code, out, _ = cli("ask", "--json", *other["query"].split())
    asked = json.loads(out)
    assert (asked["election"], asked["majority"]["votes"]) == (other["election"], seat.number_in("Majority"))
    assert asked["also"] == []  # "by-election" in the query: nothing else that year fits it


def test_ask_json_notes_where_the_source_disagrees_with_itself(cli):
    code, out, _ = cli("ask", "--json", "sheffield", "brightside", "2016")
    data = json.loads(out)
    seat = published.find_seat(56, "by-elections", "E14000921")
    assert data["majority"]["votes"] == 10_490 != seat.number_in("Majority") == 9_590
    assert (
        "The Library's files disagree: candidate votes add up to 23,481 but valid votes are 22,581; the file "
        "states a majority of 9,590 where the votes give 10,490. Figures here are computed from the votes as "
        "published." in data["notes"]
    )
    code, out, _ = cli("ask", "sheffield", "brightside", "2016")
    lines = out.splitlines()
    assert lines[4].startswith("The Library's files disagree:")  # under the headline, before the table
    assert sum(line.startswith("The Library's files disagree") for line in lines) == 1


def test_ask_for_an_unknown_seat_exits_1_and_explains_on_stderr(cli):
    code, out, err = cli("ask", "zzzz")
    assert code == 1
    assert out == ""
    assert "No seat matches" in err and "zzzz" in err


def test_ask_for_a_year_the_seat_did_not_vote_in_exits_1_and_lists_what_it_has(cli):
    code, out, err = cli("ask", "copeland", "2024")
    assert code == 1
    assert "2019 general election" in err and "23 February 2017 by-election" in err


def test_the_first_run_log_counts_the_contests_the_source_contradicts_and_names_them(tmp_path, caplog):
    """It said "4 source discrepancies" for the README's three (Sheffield, with two, counted twice)."""
    with caplog.at_level(logging.INFO, logger="bot.bootstrap"):
        open_store(Settings(database_url=f"sqlite:///{tmp_path / 'first-run.db'}"))
    (loaded,) = [record.getMessage() for record in caplog.records if record.getMessage().startswith("loaded ")]
    assert loaded == (
        "loaded 4615 contests (3 contests where the source disagrees with itself: Blaenau Gwent, 2010 general "
        "election; Sheffield Brightside and Hillsborough, 5 May 2016 by-election; Arbroath and Broughty Ferry, "
        "18 June 2026 by-election)"
    )


def test_db_upgrade_creates_the_schema_in_an_empty_database(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    engine = db.make_engine(url)
    try:
        assert db.current_revision(engine) == db.head_revision()
        assert {"election", "constituency", "party", "contest", "candidacy"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert str(db.head_revision()) in out
    assert main(["db", "upgrade"]) == 0  # again: nothing to do, no error


# Last, as it writes to the module's database (and must not change it).
def test_import_of_a_malformed_file_exits_2_and_changes_nothing(cli, database_url, tmp_path):
    folder = tmp_path / "56" / "by-elections"
    folder.mkdir(parents=True)
    for name in ("constituencies.csv", "candidacies.csv"):
        shutil.copy(published.DATA / "56" / "by-elections" / name, folder / name)
    people = (folder / "candidacies.csv").read_text(encoding="utf-8-sig")
    assert people.count(",13748,") == 1  # Trudy Harrison's votes
    (folder / "candidacies.csv").write_text(people.replace(",13748,", ",13748x,"), encoding="utf-8")
    before = table_counts(database_url)

    code, out, err = cli("import", "hoc", str(tmp_path))
    assert code == 2
    assert "nothing was changed" in err
    assert "candidacies.csv" in err and "row " in err and "13748x" in err
    assert table_counts(database_url) == before
    code, out, _ = cli("ask", "copeland", "2017", "by-election")
    assert code == 0 and "CORRECTED" not in out and "13,748" in out


def test_scoreboard_json_gives_the_2024_seats_and_shares(cli):
    code, out, _ = cli("scoreboard", "2024", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["election", "declared", "total_seats", "majority_line", "parties", "latest"]
    assert data["election"] == {"name": "2024 general election", "date": "2024-07-04", "kind": "general"}
    assert (data["declared"], data["total_seats"], data["majority_line"]) == (650, 650, 326)
    assert {row["party"]: row["seats"] for row in data["parties"] if row["seats"]} == PUBLISHED_SEATS_2024
    assert [row["party"] for row in data["parties"][:2]] == ["Lab", "Con"]
    shares = {row["party"]: row["share"] for row in data["parties"]}
    assert {party: round(shares[party], 1) for party in ("Lab", "Con", "RUK", "LD", "Green")} == {
        "Lab": 33.7,
        "Con": 23.7,
        "RUK": 14.3,
        "LD": 12.2,
        "Green": 6.7,
    }
    labour = data["parties"][0]
    assert labour["votes"] == 9_708_716 and labour["share"] != round(labour["share"], 1)  # unrounded
    assert (labour["gains"], labour["losses"], labour["net"]) == (218, 7, 211)
    assert data["latest"] == []  # the 2024 files give no declaration times


def test_scoreboard_defaults_to_the_latest_general_election_and_filters_by_nation(cli):
    code, out, _ = cli("scoreboard", "--nation", "scotland", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["election"]["name"] == "2024 general election"
    assert {row["party"]: row["seats"] for row in data["parties"] if row["seats"]} == {
        "Lab": 37,
        "SNP": 9,
        "LD": 6,
        "Con": 5,
    }
    assert (data["declared"], data["total_seats"], data["majority_line"]) == (57, 57, None)


def test_scoreboard_text_is_a_table_rounded_once_with_the_latest_declarations(cli):
    code, out, _ = cli("scoreboard", "2019")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["2019 general election", "650 of 650 seats declared · 326 for a majority"]
    (conservative,) = [line for line in lines if line.startswith("Con ")]
    assert conservative.split()[:3] == ["Con", "365", "+58/-10"]
    assert "43.6%" in conservative
    assert "Latest declarations:" in lines
    assert lines[lines.index("Latest declarations:") + 1] == "  St Ives: Con HOLD (13 Dec 14:52)"
    assert "Source: House of Commons Library" in out


def test_scoreboard_refuses_an_unknown_nation_region_or_year(cli):
    assert cli("scoreboard", "--nation", "mercia")[0] == 2
    assert cli("scoreboard", "--region", "atlantis")[0] == 2
    code, _, err = cli("scoreboard", "1066")
    assert code == 1 and "No general election in 1066" in err


# --- ask: questions about a whole election --------------------------------------------------------------

LIST_KEYS = ["answer", "list", "election", "party", "other_party", "scope", "ranked_by", "order", "title", "total"]
LIST_KEYS += ["shown", "seats"]
SEAT_KEYS = ["constituency", "ons_id", "election", "status", "result_label", "winner_party", "previous_winner_party"]
SEAT_KEYS += ["majority", "turnout", "value"]


def test_ask_json_lists_a_partys_losses_with_stable_keys_and_all_of_them_with_all(cli):
    expected = {
        row["ONS ID"]
        for row in published.constituencies(59, "general-election")
        if row["Result"].casefold().endswith("gain from con")
    }
    code, out, err = cli("ask", "conservative", "losses", "2024", "--json")
    assert code == 0 and f"--all lists all {len(expected)}" in err
    data = json.loads(out)
    assert list(data) == LIST_KEYS and list(data["seats"][0]) == SEAT_KEYS
    assert (data["answer"], data["list"], data["party"], data["total"], data["shown"]) == (
        "list",
        "losses",
        "Con",
        len(expected),
        15,
    )
    code, out, _ = cli("ask", "conservative", "losses", "2024", "--json", "--all")
    seats = json.loads(out)["seats"]
    assert code == 0 and {seat["ons_id"] for seat in seats} == expected and len(seats) == len(expected)
    assert {seat["previous_winner_party"] for seat in seats} == {"Con"}


def test_ask_text_of_a_list_is_cut_and_all_lists_every_seat(cli):
    code, out, _ = cli("ask", "labour", "holds")
    holds = sum(1 for row in published.constituencies(59, "general-election") if row["Result"] == "Lab hold")
    assert code == 0 and out.startswith(f"Lab holds at the 2024 general election: {holds}\n")
    assert f"Showing 15 of {holds}." in out and f"\n{holds}. " not in out
    code, out, _ = cli("ask", "labour", "holds", "--all")
    assert code == 0 and f"\n{holds}. " in out and "Showing" not in out


def test_ask_json_gives_an_elections_seats_as_its_scoreboard(cli):
    code, out, _ = cli("ask", "how", "many", "seats", "did", "labour", "win", "in", "2024", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["answer", "question", "party", "sentence", "scoreboard"]
    assert (data["answer"], data["question"], data["party"]) == ("election", "seats", "Lab")
    won = sum(1 for row in published.constituencies(59, "general-election") if row["First party"] == "Lab")
    assert data["sentence"].startswith(f"Labour won {won} seats at the 2024 general election")
    board = data["scoreboard"]
    assert {row["party"]: row["seats"] for row in board["parties"] if row["seats"]} == PUBLISHED_SEATS_2024


def test_ask_json_gives_national_vote_share(cli):
    code, out, _ = cli("ask", "national", "vote", "share", "2019", "--json")
    assert code == 0
    data = json.loads(out)
    rows = published.constituencies(58, "general-election")
    valid = sum(row.number_in("Valid votes") or 0 for row in rows)
    conservative = sum(
        row.number_in("Votes") or 0
        for row in published.candidacies(58, "general-election")
        if row["Party abbreviation"] == "Con"
    )
    share = {row["party"]: row["share"] for row in data["scoreboard"]["parties"]}["Con"]
    assert data["question"] == "parties" and share == pytest.approx(float(Fraction(conservative * 100, valid)))


def test_ask_json_gives_a_ranking_with_the_figure_it_ranks_by(cli):
    code, out, _ = cli("ask", "biggest", "majorities", "in", "votes", "2024", "--json")
    assert code == 0
    data = json.loads(out)
    rows = published.constituencies(59, "general-election")
    biggest = sorted(rows, key=lambda row: -(row.number_in("Majority") or 0))[:10]
    assert (data["list"], data["ranked_by"], data["order"]) == ("ranking", "majority_votes", "highest")
    assert [seat["ons_id"] for seat in data["seats"]] == [row["ONS ID"] for row in biggest]
    assert [seat["value"] for seat in data["seats"]] == [row.number_in("Majority") for row in biggest]


def test_ask_json_gives_a_candidates_contests(cli):
    code, out, _ = cli("ask", "where", "did", "nigel", "farage", "stand", "--json")
    assert code == 0
    data = json.loads(out)
    stood = [
        (published.election_of(parliament, folder, row)[1], row["ONS ID"])
        for parliament, folder in published.folders()
        for row in published.candidacies(parliament, folder)
        if published.candidate_name(row) == "Nigel Farage"
    ]
    assert data["answer"] == "person" and data["name"] == "Nigel Farage"
    assert sorted(contest["election"]["date"] for contest in data["contests"]) == sorted(
        date.isoformat() for date, _ in stood
    )
    # A bare name that is no seat is the candidate too.
    code, out, _ = cli("ask", "nigel", "farage", "--json")
    assert code == 0 and json.loads(out)["name"] == "Nigel Farage"


def test_ask_for_an_election_not_in_the_store_exits_1(cli):
    code, out, err = cli("ask", "labour", "holds", "1990")
    assert code == 1 and not out and "No general election in 1990" in err


def test_serve_refuses_an_unknown_dispatch_setting_before_touching_anything(tmp_path, monkeypatch, capsys):
    database = tmp_path / "untouched.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_APP_TOKEN": "",
        "RESULTSBOT_DISPATCH": "elsewhere",
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "RESULTSBOT_DISPATCH is 'elsewhere'" in err and "serve or separate" in err
    assert "Traceback" not in err
    assert not database.exists()


def test_an_unreadable_digest_setting_stops_any_command_with_exit_2_naming_it(tmp_path, monkeypatch, capsys):
    database = tmp_path / "untouched.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("RESULTSBOT_DIGEST_AFTER", "soon")
    assert main(["ask", "copeland", "2017"]) == 2
    err = capsys.readouterr().err
    assert "RESULTSBOT_DIGEST_AFTER is 'soon'" in err and "number of seconds" in err
    assert "Traceback" not in err
    assert not database.exists()


def test_a_command_whose_reader_stops_reading_ends_quietly(database_url):
    """`resultsbot ask … | head`: once the reader has gone, no broken-pipe trace, and the exit status a
    shell gives any command cut short that way."""
    asked = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "ask", "--all", "labour", "seats", "2019"],
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert asked.stdout is not None and asked.stderr is not None
    asked.stdout.close()  # before the answer's first line is written
    err = asked.stderr.read().decode()
    assert asked.wait(timeout=60) == EXIT_BROKEN_PIPE, err
    assert not err
