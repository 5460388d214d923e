"""`resultsbot rehearse`: a past general election replayed into rehearsal channels through the real
pipeline, every post labelled REHEARSAL, live channels and live answers untouched."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import cli
from bot.app import dispatch_client
from bot.bootstrap import Store
from bot.config import Settings
from bot.dispatcher import METADATA_EVENT, SCOREBOARD_EVENT
from bot.rehearsal import REHEARSAL_LABEL, open_rehearsal_store, rehearse
from handlers.replies import answer_question
from store import db
from store.answers import ResultsService
from store.follows import ALL
from store.models import ChannelFollow, Constituency, Contest, Election, LiveScoreboard, OutboxEntry
from store.questions import parse_question
from store.rehearsal import clear_election
from tests import pa_fixtures
from tests.conftest import database_url
from tests.e2e.serving import copy_database
from tests.fakeslack import FakeSlack
from tests.integration import published
from tests.results import FAST, settings_for, shown_seats

LIVE = "CLIVE"
EVERYTHING, GAINS, SCOTLAND = "CREHEARSE", "CREHGAINS", "CREHSCOT"
NATIONAL_QUESTION = "how many seats did each party win in 2019"


def declared_between(start: str, end: str) -> list[published.Row]:
    """The Library's 2019 results declared from `start` to `end` (HH:MM, the morning of 13 December, the
    last minute included), read from the files without the store."""
    first = dt.datetime.strptime(f"13/12/2019 {start}", "%d/%m/%Y %H:%M")
    last = dt.datetime.strptime(f"13/12/2019 {end}", "%d/%m/%Y %H:%M")
    return [
        row
        for row in published.constituencies(58, "general-election")
        if first <= dt.datetime.strptime(row.cells["Declaration time"], "%d/%m/%Y %H:%M") <= last
    ]


def sent_messages(slack: FakeSlack) -> list[tuple[str, dict[str, Any]]]:
    """Every message the bot posted or edited: (method, its parameters)."""
    return [(call.method, call.params) for call in slack.calls if call.method in ("chat.postMessage", "chat.update")]


def result_posts(slack: FakeSlack, channel: str) -> dict[str, dict[str, Any]]:
    """The channel's result posts by ONS ID."""
    return {
        m["metadata"]["event_payload"]["ons_id"]: m
        for m in slack.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == METADATA_EVENT
    }


def national_answer(sessions) -> str:
    return answer_question(parse_question(NATIONAL_QUESTION), ResultsService(sessions)).plain


def store_rows(sessions, model) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def rehearsal_settings(slack: FakeSlack, live: Store, rehearsal_url: str) -> Settings:
    return settings_for(
        slack,
        database_url=database_url(live.engine),
        rehearsal_database_url=rehearsal_url,
        results_channels=(LIVE,),
    )


def test_a_window_of_2019_is_replayed_labelled_into_the_rehearsal_channels_only(loaded, engine, slack) -> None:
    live = loaded.store
    before = national_answer(live.sessions)
    settings = rehearsal_settings(slack, live, database_url(engine))
    said: list[str] = []
    report = rehearse(
        settings,
        2019,
        channels=[EVERYTHING, f"{GAINS}=gains", f"{SCOTLAND}=scotland"],
        speed=3600,
        start=dt.time(1, 0),
        end=dt.time(2, 0),
        client=dispatch_client(settings),
        dispatch_settings=dataclasses.replace(FAST, scoreboard_interval_seconds=0.2, label=REHEARSAL_LABEL),
        stop=threading.Event(),
        say=said.append,
    )

    window = declared_between("01:00", "02:00")
    assert 20 <= len(window) <= 60 and report.replayed == len(window) and report.left_undelivered == 0
    messages = sent_messages(slack)
    assert messages and all(params["channel"] in (EVERYTHING, GAINS, SCOTLAND) for _, params in messages)
    for _, params in messages:
        assert params["text"].startswith("REHEARSAL · ")
        assert REHEARSAL_LABEL in params["blocks"][0]["elements"][0]["text"]
    assert not slack.messages(LIVE)

    everything = result_posts(slack, EVERYTHING)
    assert set(everything) == {row.cells["ONS ID"] for row in window}
    for row in window:
        post = everything[row.cells["ONS ID"]]
        assert f"majority {int(row.cells['Majority']):,}" in post["text"]
        assert "Rehearsal replay of the House of Commons Library" in str(post["blocks"][-1])
    gains = {row.cells["ONS ID"] for row in window if "gain" in row.cells["Result"].casefold()}
    assert gains and set(result_posts(slack, GAINS)) == gains
    scottish = {row.cells["ONS ID"] for row in window if row.cells["Country name"] == "Scotland"}
    assert scottish and set(result_posts(slack, SCOTLAND)) == scottish
    scoreboard = [m for m in slack.messages(EVERYTHING) if m["metadata"]["event_type"] == SCOREBOARD_EVENT]
    assert len(scoreboard) == 1 and f"{len(window)} of 650 seats declared" in scoreboard[0]["text"]

    assert national_answer(live.sessions) == before
    assert store_rows(live.sessions, OutboxEntry) == 0 and store_rows(live.sessions, LiveScoreboard) == 0
    assert any(f"{len(window)} result(s) replayed" in line for line in said)


@pytest.fixture
def live_sqlite(loaded_sqlite, tmp_path: Path) -> Path:
    """A private copy of the bundled live store, as a file a subprocess can open."""
    return copy_database(str(loaded_sqlite.store.engine.url.database), tmp_path / "live.db")


def rehearse_command(live: Path, slack: FakeSlack, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{live}",
        "SLACK_BOT_TOKEN": "xoxb-rehearsal",
        "SLACK_API_URL": slack.base_url,
        "RESULTSBOT_RESULTS_CHANNEL": LIVE,
        "RESULTSBOT_REHEARSAL_DATABASE_URL": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "rehearse", "2019", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_command_rehearses_into_a_store_beside_the_live_one_and_exits_when_all_is_posted(
    live_sqlite: Path, slack: FakeSlack
) -> None:
    window = declared_between("00:40", "01:00")
    done = rehearse_command(
        live_sqlite, slack, "--speed", "6000", "--from", "00:40", "--until", "01:00", "--channel", EVERYTHING
    )

    assert done.returncode == 0, done.stderr
    assert f"Rehearsal done: {len(window)} result(s) replayed, every post delivered." in done.stdout
    # Replayed this fast, the channel falls behind at once: results come as digests, each seat once.
    assert shown_seats(slack, EVERYTHING) == Counter(row.cells["ONS ID"] for row in window)
    assert all(params["text"].startswith("REHEARSAL · ") for _, params in sent_messages(slack))
    assert not slack.messages(LIVE)
    rehearsal = db.session_factory(db.make_engine(f"sqlite:///{live_sqlite.with_name('live-rehearsal.db')}"))
    with rehearsal() as session:
        assert [(f.channel, f.kind) for f in session.scalars(select(ChannelFollow))] == [(EVERYTHING, ALL)]


@pytest.mark.parametrize("channel", [LIVE, "CFOLLOWSLIVE"])
def test_a_channel_that_follows_live_results_is_refused_and_nothing_changes(
    store, slack, tmp_path, monkeypatch, capsys, channel
) -> None:
    with db.transaction(store.sessions) as session:
        session.add(ChannelFollow(channel="CFOLLOWSLIVE", kind="gains", target=""))
    rehearsal = tmp_path / "rehearsal.db"
    monkeypatch.setenv("DATABASE_URL", database_url(store.engine))
    monkeypatch.setenv("RESULTSBOT_REHEARSAL_DATABASE_URL", f"sqlite:///{rehearsal}")
    monkeypatch.setenv("RESULTSBOT_RESULTS_CHANNEL", LIVE)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-rehearsal")
    monkeypatch.setenv("SLACK_API_URL", slack.base_url)

    status = cli.main(["rehearse", "2019", "--channel", "CREHEARSE", "--channel", f"{channel}=gains"])

    assert status == cli.EXIT_BAD_INPUT
    assert f"Rehearsal refused, nothing was changed: {channel} follows live results" in capsys.readouterr().err
    assert not rehearsal.exists() and not slack.calls


def test_a_rehearsal_store_that_is_the_live_store_is_refused(store, slack, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url(store.engine))
    monkeypatch.setenv("RESULTSBOT_REHEARSAL_DATABASE_URL", database_url(store.engine))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-rehearsal")
    monkeypatch.setenv("SLACK_API_URL", slack.base_url)

    status = cli.main(["rehearse", "2019", "--channel", "CREHEARSE"])

    assert status == cli.EXIT_BAD_INPUT
    assert "RESULTSBOT_REHEARSAL_DATABASE_URL is the live DATABASE_URL" in capsys.readouterr().err
    assert store_rows(store.sessions, ChannelFollow) == 0 and not slack.calls


HARTLEPOOL, ABERAVON, ASHFIELD = "E14000733", "W07000049", "E14000535"


def test_pa_test_files_met_by_import_pa_go_to_the_rehearsal_store_with_labelled_posts(
    live_sqlite: Path, engine, sessions, slack: FakeSlack, tmp_path: Path, monkeypatch, capsys
) -> None:
    rehearsal = Store(engine, sessions, ResultsService(sessions))
    live = db.session_factory(db.make_engine(f"sqlite:///{live_sqlite}"))
    feed = tmp_path / "feed"
    feed.mkdir()
    pa_fixtures.result_file(feed, pa_fixtures.library_seat(58, HARTLEPOOL), election="General Election Test")
    (feed / "Test_General_Election_result_Aberavon_1.xml").write_bytes(
        pa_fixtures.result_xml(pa_fixtures.library_seat(58, ABERAVON))
    )
    (feed / "Test_General_Election_SOP_2.xml").write_bytes(pa_fixtures.state_of_parties({"Lab": 1, "C": 1}))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{live_sqlite}")
    monkeypatch.setenv("RESULTSBOT_REHEARSAL_DATABASE_URL", database_url(engine))
    monkeypatch.setenv("RESULTSBOT_RESULTS_CHANNEL", LIVE)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-rehearsal")
    monkeypatch.setenv("SLACK_API_URL", slack.base_url)
    # A rehearsal store as a rehearsal leaves it: seeded, the 2019 night emptied, a channel following all.
    open_rehearsal_store(Settings.from_env(dotenv=False))
    with db.transaction(rehearsal.sessions) as session:
        clear_election(session, dt.date(2019, 12, 12))
        session.add(ChannelFollow(channel=EVERYTHING, kind=ALL, target=""))
    live_before = live_versions(live)

    status = cli.main(["import", "pa", str(feed)])

    out = capsys.readouterr().out
    assert status == cli.EXIT_OK, out
    assert out.count("in the rehearsal store (a PA Test file: live results untouched); posting to CREHEARSE") == 2
    assert "Test_General_Election_SOP_2.xml: a PA Test file, kept for the 2019 general election in the rehearsal" in out
    assert state_of_parties_kept(live) is None and state_of_parties_kept(rehearsal.sessions) is not None
    assert set(result_posts(slack, EVERYTHING)) == {HARTLEPOOL, ABERAVON}
    assert all(params["text"].startswith("REHEARSAL · ") for _, params in sent_messages(slack))
    assert not slack.messages(LIVE)
    assert live_versions(live) == live_before
    assert {seat: source for seat, (_, source) in live_versions(rehearsal.sessions).items()} == {
        HARTLEPOOL: "PA Media",
        ABERAVON: "PA Media",
    }


def live_versions(sessions) -> dict[str, tuple[int, str]]:
    """(version, source) of the current 2019 results of Hartlepool and Aberavon in a store."""
    with sessions() as session:
        rows = session.execute(
            select(Constituency.ons_id, Contest.version, Contest.source)
            .join(Contest.constituency)
            .join(Contest.election)
            .where(Contest.is_current, Election.date == dt.date(2019, 12, 12), Election.kind == "general")
            .where(Constituency.ons_id.in_([HARTLEPOOL, ABERAVON]))
        )
        return {ons_id: (version, source) for ons_id, version, source in rows}


def test_a_folder_of_pa_test_files_is_replayed_in_declaration_order_labelled(
    engine, slack: FakeSlack, tmp_path: Path
) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    declared = {ABERAVON: "01:10", ASHFIELD: "01:00", HARTLEPOOL: "01:20"}  # not the files' name order
    for ons_id, clock in declared.items():
        seat = pa_fixtures.library_seat(58, ons_id)
        name = pa_fixtures.file_name("result", seat.name, 1, election="Test General Election")
        (feed / name).write_bytes(pa_fixtures.result_xml(seat, declared_at=f"2019-12-13T{clock}:00+00:00"))
    settings = settings_for(
        slack, database_url=f"sqlite:///{tmp_path / 'live.db'}", rehearsal_database_url=database_url(engine)
    )

    report = rehearse(
        settings,
        2019,
        channels=[EVERYTHING],
        speed=600,
        from_pa=feed,
        client=dispatch_client(settings),
        dispatch_settings=dataclasses.replace(FAST, label=REHEARSAL_LABEL),
        stop=threading.Event(),
        say=lambda line: None,
    )

    assert report.replayed == 3 and report.left_undelivered == 0
    posts = [m for m in slack.messages(EVERYTHING) if m["metadata"]["event_type"] == METADATA_EVENT]
    assert [m["metadata"]["event_payload"]["ons_id"] for m in posts] == [ASHFIELD, ABERAVON, HARTLEPOOL]
    assert all(params["text"].startswith("REHEARSAL · ") for _, params in sent_messages(slack))
    assert all("PA Media" in str(m["blocks"][-1]) for m in posts)


def state_of_parties_kept(sessions) -> object:
    """PA's state of parties kept for the 2019 general election in a store, if any."""
    service = ResultsService(sessions)
    election = service.general_election_with_previous(2019)
    assert election is not None
    return service.state_of_parties(election)
