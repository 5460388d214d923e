"""`resultsbot enter`, `history` and `import hoc` posting, as the desk runs them."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from bot import cli
from store.models import Contest, OutboxEntry
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
        contest = session.scalars(select(Contest).order_by(Contest.id.desc()).limit(1)).one()
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
        contest = session.scalars(select(Contest).order_by(Contest.id.desc()).limit(1)).one()
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
