"""Where a rehearsal's store is, and which results it replays when: no database, no network."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.bootstrap import BUNDLED_DATA
from bot.config import Settings
from bot.rehearsal import RehearsalRefused, rehearsal_database_url
from store.elections import uk_zone
from store.rehearsal import REPLAY_SOURCE, NothingToReplay, library_replay, night_moment
from tests.integration import published

PG = "postgresql+psycopg://resultsbot:secret@db:5432/resultsbot"


@pytest.mark.parametrize(
    ("live", "override", "rehearsal"),
    [
        ("sqlite:////var/lib/resultsbot/results.db", None, "sqlite:////var/lib/resultsbot/results-rehearsal.db"),
        (PG, None, f"{PG}?options=-csearch_path%3Drehearsal"),
        (f"{PG}?options=-csearch_path%3Dlive", None, f"{PG}?options=-csearch_path%3Drehearsal"),
        (PG, "sqlite:////tmp/rehearse.db", "sqlite:////tmp/rehearse.db"),
    ],
)
def test_the_rehearsal_store_is_the_setting_or_beside_the_live_one(live, override, rehearsal) -> None:
    settings = Settings(database_url=live, rehearsal_database_url=override)
    assert rehearsal_database_url(settings) == rehearsal


@pytest.mark.parametrize(
    ("live", "override"), [("sqlite://", None), (PG, PG), ("sqlite:////tmp/a.db", "sqlite:////tmp/a.db")]
)
def test_no_rehearsal_store_can_be_the_live_one(live, override) -> None:
    with pytest.raises(RehearsalRefused):
        rehearsal_database_url(Settings(database_url=live, rehearsal_database_url=override))


def test_a_desk_clock_time_is_the_evening_of_polling_day_or_the_morning_after() -> None:
    day = dt.date(2019, 12, 12)
    assert night_moment(day, dt.time(23, 30)) == dt.datetime(2019, 12, 12, 23, 30, tzinfo=uk_zone())
    assert night_moment(day, dt.time(2, 0)) == dt.datetime(2019, 12, 13, 2, 0, tzinfo=uk_zone())


def test_the_whole_night_is_replayed_in_declaration_order_with_a_rehearsal_source() -> None:
    replay = library_replay(BUNDLED_DATA, 2019)
    times = [result.declared_at for result in replay]
    assert len(replay) == len(published.constituencies(58, "general-election")) == 650
    assert times == sorted(times)  # type: ignore[type-var]
    rows = published.constituencies(58, "general-election")
    earliest = min(rows, key=lambda row: dt.datetime.strptime(row.cells["Declaration time"], "%d/%m/%Y %H:%M"))
    assert replay[0].entry.ons_id == earliest.cells["ONS ID"]
    assert f"{replay[0].declared_at:%d/%m/%Y %H:%M}" == earliest.cells["Declaration time"] == "12/12/2019 23:27"
    assert {result.entry.source for result in replay} == {REPLAY_SOURCE}


def test_results_of_one_minute_keep_the_files_order_and_the_window_includes_its_last_minute() -> None:
    replay = library_replay(BUNDLED_DATA, 2019, start=dt.time(3, 0), end=dt.time(3, 0))
    in_files = [
        row.cells["ONS ID"]
        for row in published.constituencies(58, "general-election")
        if row.cells["Declaration time"] == "13/12/2019 03:00"
    ]
    assert len(in_files) > 1 and [result.entry.ons_id for result in replay] == in_files


def test_an_election_without_library_files_is_not_replayed() -> None:
    with pytest.raises(NothingToReplay, match="No general election in 2018"):
        library_replay(BUNDLED_DATA, 2018)
