"""The `resultsbot` command line, run in-process against a SQLite file, as a desk editor would use it."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from fractions import Fraction

import pytest
from sqlalchemy import func, inspect, select, table

from bot.cli import main
from store import db
from tests.integration import published

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


def test_ask_for_an_unknown_seat_exits_1_and_explains_on_stderr(cli):
    code, out, err = cli("ask", "zzzz")
    assert code == 1
    assert out == ""
    assert "No seat matches" in err and "zzzz" in err


def test_ask_for_a_year_the_seat_did_not_vote_in_exits_1_and_lists_what_it_has(cli):
    code, out, err = cli("ask", "copeland", "2024")
    assert code == 1
    assert "2019 general election" in err and "23 February 2017 by-election" in err


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
