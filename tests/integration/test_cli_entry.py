"""`resultsbot enter`, `history` and `import hoc` posting, as the desk runs them."""

from __future__ import annotations

import getpass
import io
import json

import pytest
from sqlalchemy import func, select

from bot import cli
from store.limits import PARTY_ABBREVIATION_LENGTH
from store.models import Contest, OutboxEntry, Party
from store.parties import abbreviation_for
from tests.conftest import BACKENDS, _loaded, database_url
from tests.results import result


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request, tmp_path_factory):
    """A store with the bundled data, as the CLI finds it after its first run (one per backend and
    module: loading takes seconds). Tests use seats of their own and count what they add."""
    yield from _loaded(request.param, tmp_path_factory.mktemp(f"cli-entry-{request.param}"))


@pytest.fixture
def sessions(seeded):
    return seeded.sessions


@pytest.fixture
def desk_env(seeded, monkeypatch):
    """The CLI pointed at the seeded database, posting to one channel."""
    monkeypatch.setenv("DATABASE_URL", database_url(seeded.store.engine))
    monkeypatch.setenv("RESULTSBOT_RESULTS_CHANNEL", "CRESULTS")
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    before = counts(seeded.sessions)
    return lambda: tuple(now - then for now, then in zip(counts(seeded.sessions), before, strict=True))


def counts(sessions) -> tuple[int, int]:
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Contest)),
            session.scalar(select(func.count()).select_from(OutboxEntry)),
        )


def newest_contest(session) -> Contest:
    return session.scalars(select(Contest).order_by(Contest.id.desc()).limit(1)).one()


def run(args, stdin: str = "", monkeypatch=None) -> int:
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(args)


def test_enter_stores_the_result_and_queues_its_post(desk_env, sessions, tmp_path, capsys) -> None:
    path = tmp_path / "result.json"
    data = result(1)
    data["candidates"][1]["party"] = "Newsroom Independents"
    path.write_text(json.dumps(data))
    assert cli.main(["enter", str(path)]) == 0
    said = capsys.readouterr().out
    assert "Testshire 1" in said and "Posting to CRESULTS" in said and "New parties" in said
    assert desk_env() == (1, 1)
    assert cli.main(["enter", str(path)]) == 0
    assert "already stored" in capsys.readouterr().out
    assert desk_env() == (1, 1)


def test_enter_from_standard_input_with_no_post(desk_env, sessions, monkeypatch, capsys) -> None:
    assert run(["enter", "-", "--no-post"], json.dumps(result(2)), monkeypatch) == 0
    assert desk_env() == (1, 0)


def test_enter_refuses_bad_figures_naming_them_and_changes_nothing(desk_env, sessions, tmp_path, capsys) -> None:
    bad = result(3)
    bad["valid_votes"] += 7
    bad["rejected"] = 100_000
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    assert cli.main(["enter", str(path)]) == 2
    err = capsys.readouterr().err
    assert "valid_votes: candidate votes add up to 26,000 but valid votes are 26,007" in err
    assert "electorate" in err
    assert desk_env() == (0, 0)
    path.write_text("{not json")
    assert cli.main(["enter", str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_enter_csv_form(desk_env, sessions, tmp_path, capsys) -> None:
    path = tmp_path / "result.csv"
    path.write_text(
        "election_date,election_kind,ons_id,constituency,electorate,valid_votes,rejected,candidate,party,votes\n"
        '2026-12-10,by-election,E14900004,Testshire 4,70000,"26,000",40,Ann Example,Lab,"14,000"\n'
        '2026-12-10,by-election,E14900004,Testshire 4,70000,"26,000",40,Ben Example,Conservative,12000\n'
    )
    assert cli.main(["enter", "--csv", str(path)]) == 0
    with sessions() as session:
        contest = newest_contest(session)
        assert contest.constituency.name == "Testshire 4"
        assert sorted(c.votes for c in contest.candidacies) == [12_000, 14_000]
        assert {c.party.abbreviation for c in contest.candidacies} == {"Lab", "Con"}  # a full name finds Con


def test_history_lists_every_version_with_who_and_what_changed(desk_env, tmp_path, capsys) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(result(5, status="provisional")))
    assert cli.main(["enter", str(path)]) == 0
    path.write_text(json.dumps(result(5, lab=14_250)))
    assert cli.main(["enter", str(path)]) == 0
    capsys.readouterr()
    assert cli.main(["history", "testshire 5"]) == 0
    shown = capsys.readouterr().out
    assert "v1: provisional, entered by cli:" in shown
    assert "v2 (current): declared" in shown
    assert "Alice Labour 5 (Lab) 14,000 → 14,250; valid votes 26,000 → 26,250" in shown
    assert "pending for CRESULTS" in shown


def test_an_import_that_would_flood_the_channel_is_refused(desk_env, tmp_path, capsys) -> None:
    from bot.bootstrap import BUNDLED_DATA

    # The bundled 2017 by-elections again, but with one figure changed in each: 5 corrections.
    source = BUNDLED_DATA / "57" / "by-elections"
    folder = tmp_path / "57" / "by-elections"
    folder.mkdir(parents=True)
    (folder / "constituencies.csv").write_bytes((source / "constituencies.csv").read_bytes())
    (folder / "candidacies.csv").write_bytes((source / "candidacies.csv").read_bytes())
    assert cli.main(["import", "hoc", str(folder)]) == 0
    assert desk_env() == (0, 0)  # nothing changed, nothing to post
    assert cli.main(["import", "hoc", str(BUNDLED_DATA / "57" / "general-election"), "--max-posts", "0"]) == 0
    assert desk_env() == (0, 0)
    text = (source / "constituencies.csv").read_text(encoding="utf-8-sig")
    (folder / "constituencies.csv").write_text(text.replace(",64101,", ",64102,"), encoding="utf-8")
    assert cli.main(["import", "hoc", str(folder), "--max-posts", "0"]) == 2
    assert "would post 1 results to CRESULTS" in capsys.readouterr().err
    assert desk_env() == (0, 0)
    assert cli.main(["import", "hoc", str(folder)]) == 0
    assert desk_env() == (1, 1)  # a new version of West Tyrone 2018, queued for the channel


def test_parties_typed_as_people_write_them_are_the_stored_parties(desk_env, sessions, tmp_path, capsys) -> None:
    data = result(6)
    data["candidates"][0]["party"] = "labour"
    data["candidates"][1]["party"] = "Tories"
    data["candidates"].append({"name": "Gwen Green", "party": "Green Party", "votes": 0})
    data["candidates"].append({"name": "Lee Dem", "party": "lib dems", "votes": 0})
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data))
    assert cli.main(["enter", str(path)]) == 0
    assert "New parties" not in capsys.readouterr().out
    with sessions() as session:
        contest = newest_contest(session)
        assert [c.party.abbreviation for c in contest.candidacies] == ["Lab", "Con", "Green", "LD"]


def test_history_shows_the_post_in_every_results_channel(desk_env, monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("RESULTSBOT_RESULTS_CHANNEL", "CRESULTS,CLIVEBLOG")
    path = tmp_path / "result.json"
    path.write_text(json.dumps(result(7)))
    assert cli.main(["enter", str(path)]) == 0
    capsys.readouterr()
    assert cli.main(["history", "testshire 7"]) == 0
    shown = capsys.readouterr().out
    assert "pending for CRESULTS" in shown and "pending for CLIVEBLOG" in shown


# --- hardening for election night: what the desk's door refuses, naming the field, changing nothing -------


def enter_json(tmp_path, data, *args: str) -> int:
    path = tmp_path / "result.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return cli.main(["enter", str(path), *args])


CSV_HEAD = "election_date,election_kind,ons_id,constituency,electorate,valid_votes,rejected,candidate,party,votes\n"


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        (("70000", "26000", "²", "12000"), "candidates[0].votes"),  # passes str.isdigit, yet is no count
        (("70000", "26000", "14000", "99999999999999999999"), "candidates[1].votes"),
        (("4294967296", "26000", "14000", "12000"), "electorate"),
    ],
)
def test_enter_csv_with_a_count_no_seat_could_have_exits_2_naming_it(desk_env, tmp_path, capsys, cells, field):
    electorate, valid, ann, ben = cells
    path = tmp_path / "result.csv"
    path.write_text(
        CSV_HEAD
        + f"2026-12-10,by-election,E14900020,Testshire 20,{electorate},{valid},40,Ann Example,Lab,{ann}\n"
        + f"2026-12-10,by-election,E14900020,Testshire 20,{electorate},{valid},40,Ben Example,Con,{ben}\n"
    )
    assert cli.main(["enter", "--csv", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Not stored, nothing was changed" in err and f"  {field}: " in err
    assert desk_env() == (0, 0)


@pytest.mark.parametrize(
    ("where", "value"),
    [("votes", 2**63), ("votes", 10**30), ("electorate", 2**32), ("valid_votes", 2**31)],
)
def test_enter_json_with_a_count_no_seat_could_have_exits_2_naming_it(desk_env, tmp_path, capsys, where, value):
    data = result(21)
    if where == "votes":
        data["candidates"][0]["votes"] = value
        where = "candidates[0].votes"
    else:
        data[where] = value
    assert enter_json(tmp_path, data) == 2
    assert f"  {where}: must be below 10,000,000" in capsys.readouterr().err
    assert desk_env() == (0, 0)


def test_enter_json_nested_too_deeply_exits_2_naming_the_body(desk_env, tmp_path, capsys):
    assert enter_json(tmp_path, "[" * 100_000 + "]" * 100_000) == 2
    assert "  body: nested too deeply" in capsys.readouterr().err
    assert desk_env() == (0, 0)


def test_enter_json_with_votes_as_text_exits_2_but_the_csv_reads_text(desk_env, tmp_path, capsys):
    data = result(22)
    data["candidates"][0]["votes"] = "14000"
    assert enter_json(tmp_path, data) == 2
    assert "  candidates[0].votes: must be a JSON number, not the text '14000'" in capsys.readouterr().err
    assert desk_env() == (0, 0)


def test_a_declaration_time_that_cannot_be_right_needs_force(desk_env, tmp_path, capsys):
    data = result(23)
    data["declared_at"] = "2099-12-11T02:00:00+00:00"
    assert enter_json(tmp_path, data) == 2
    err = capsys.readouterr().err
    assert "  declared_at: is in the future" in err and "--force" in err
    assert desk_env() == (0, 0)
    data["election"]["date"] = "2026-11-26"  # a by-election already held, whenever this runs
    data["declared_at"] = "2026-11-25T22:00:00+00:00"  # the day before it
    assert enter_json(tmp_path, data) == 2
    assert "  declared_at: is before the election" in capsys.readouterr().err
    assert desk_env() == (0, 0)
    assert enter_json(tmp_path, data, "--force") == 0
    assert desk_env() == (1, 1)


def test_a_seat_name_is_stored_up_to_its_column_and_refused_beyond(desk_env, sessions, tmp_path, capsys):
    # PostgreSQL refuses what does not fit a column, SQLite stores it: both must give the same answer.
    data = result(24)
    data["constituency"]["name"] = "N" * 121
    assert enter_json(tmp_path, data) == 2
    assert "  constituency.name: is longer than 120 characters (121)" in capsys.readouterr().err
    assert desk_env() == (0, 0)
    data["constituency"]["name"] = "N" * 120
    assert enter_json(tmp_path, data) == 0
    assert desk_env() == (1, 1)


def test_a_party_typed_as_a_long_full_name_is_the_party_it_names(desk_env, sessions, tmp_path, capsys):
    with sessions() as session:
        # A party met in the Library's files, whose full name no alias knows: found by its name as stored.
        stored = next(
            p
            for p in session.scalars(select(Party).order_by(Party.id))
            if len(p.name) > PARTY_ABBREVIATION_LENGTH and abbreviation_for(p.name) is None and p.name != p.abbreviation
        )
    data = result(25)
    data["candidates"][1]["party"] = "Conservative and Unionist Party"
    data["candidates"].append({"name": "Cat Example", "party": stored.name, "votes": 0})
    assert enter_json(tmp_path, data) == 0
    assert "New parties" not in capsys.readouterr().out
    with sessions() as session:
        contest = newest_contest(session)
        assert [c.party.abbreviation for c in contest.candidacies] == ["Lab", "Con", stored.abbreviation]


def test_a_new_party_too_long_to_be_an_abbreviation_is_refused_asking_for_one(desk_env, tmp_path, capsys):
    data = result(26)
    data["candidates"][1]["party"] = "Newsroom Independent Alliance of the North"
    assert enter_json(tmp_path, data) == 2
    err = capsys.readouterr().err
    assert "  candidates[1].party: 'Newsroom Independent Alliance of the North' is not a party the store knows" in err
    assert "at most 24 characters" in err and "give the party's abbreviation" in err
    assert desk_env() == (0, 0)
    data["candidates"][1]["party"] = "NIAN"
    assert enter_json(tmp_path, data) == 0
    assert "New parties added to the store: NIAN" in capsys.readouterr().out


def test_one_candidate_under_two_spellings_of_a_party_is_refused(desk_env, tmp_path, capsys):
    data = result(27)
    data["candidates"].append({"name": "bob  conservative 27", "party": "Conservative", "votes": 0})
    assert enter_json(tmp_path, data) == 2
    assert "  candidates: Bob Conservative 27 (Con) is listed 2 times" in capsys.readouterr().err
    assert desk_env() == (0, 0)


# --- re-importing the Library's files ------------------------------------------------------------------


def copy_of_bundled(tmp_path, parliament: int, folder: str):
    from bot.bootstrap import BUNDLED_DATA

    target = tmp_path / str(parliament) / folder
    target.mkdir(parents=True)
    for name in ("constituencies.csv", "candidacies.csv"):
        (target / name).write_bytes((BUNDLED_DATA / str(parliament) / folder / name).read_bytes())
    return target


def test_a_reimported_file_missing_its_last_rows_is_refused_and_changes_nothing(desk_env, tmp_path, capsys):
    folder = copy_of_bundled(tmp_path, 57, "by-elections")
    people = folder / "candidacies.csv"
    lines = people.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    people.write_text("".join(lines[:-2]), encoding="utf-8")  # cut cleanly after a row: every row whole
    assert cli.main(["import", "hoc", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "Import refused, nothing was changed" in err
    assert "Brecon and Radnorshire (W07000068), 1 August 2019 by-election: valid_votes: candidate votes" in err
    assert "though the stored version (1) adds up" in err
    assert desk_env() == (0, 0)


def test_a_file_cut_inside_a_row_is_refused_naming_file_and_row(desk_env, tmp_path, capsys):
    folder = copy_of_bundled(tmp_path, 57, "by-elections")
    people = folder / "candidacies.csv"
    text = people.read_text(encoding="utf-8-sig")
    rows = text.count("\n")
    people.write_text(text[: text.rindex(",", 0, len(text) - 60)], encoding="utf-8")
    assert cli.main(["import", "hoc", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"candidacies.csv, row {rows}: has " in err and "the file looks cut off" in err
    assert desk_env() == (0, 0)


def test_a_rush_then_the_result_and_a_late_rush_exits_2_saying_why(desk_env, sessions, tmp_path, capsys) -> None:
    path = tmp_path / "rush.json"
    rush = result(40, status="rush")
    rush["winner_party"] = "Labour"
    path.write_text(json.dumps(rush))
    assert cli.main(["enter", str(path)]) == 2  # a rush has no figures yet
    err = capsys.readouterr().err
    for field in ("electorate", "valid_votes", "rejected", "candidates[0].votes"):
        assert f"  {field}: must be left out for a rush" in err
    assert desk_env() == (0, 0)
    for name in ("electorate", "valid_votes", "rejected"):
        del rush[name]
    for candidate in rush["candidates"]:
        del candidate["votes"]
    path.write_text(json.dumps(rush))
    assert cli.main(["enter", str(path)]) == 0
    with sessions() as session:
        contest = newest_contest(session)
        assert (contest.status, contest.source) == ("rush", f"results desk ({getpass.getuser()}, resultsbot enter)")
    capsys.readouterr()
    full = tmp_path / "full.json"
    full.write_text(json.dumps(result(40)))
    assert cli.main(["enter", str(full)]) == 0
    assert desk_env() == (2, 2)
    assert cli.main(["enter", str(path)]) == 2
    assert "rush is not stored: Testshire 40 already has a declared result (version 2)" in capsys.readouterr().err
    assert desk_env() == (2, 2)


def test_a_rush_in_the_csv_form_names_its_winner_in_a_column(desk_env, sessions, tmp_path, capsys) -> None:
    path = tmp_path / "rush.csv"
    path.write_text(
        "election_date,election_kind,ons_id,constituency,status,winner_party,gained_from,candidate,party,votes\n"
        "2026-12-10,by-election,E14900041,Testshire 41,rush,Con,Lab,Ann Example,Lab,\n"
        "2026-12-10,by-election,E14900041,Testshire 41,rush,Con,Lab,Ben Example,Con,\n"
    )
    assert cli.main(["enter", "--csv", str(path)]) == 0
    with sessions() as session:
        contest = newest_contest(session)
        assert (contest.status, contest.stated_result) == ("rush", "Con GAIN from Lab")
        assert [(c.candidate_name, c.elected) for c in contest.candidacies] == [
            ("Ann Example", False),
            ("Ben Example", True),
        ]
