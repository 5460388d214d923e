"""Flood control end to end, over real HTTP against the fake Slack, on SQLite and on PostgreSQL: a burst
of the 2019 general election's first 40 declarations sent to POST /ingest reaches a channel following
all results within 15 s, each result exactly once, as posts of their own (the 11 gains) and digests
(the rest), at Slack's pace of one post a second. The figures are the Library's
(tests.integration.published); the store holds the seats' 2017 results to gain them from.

The 15 s are tight by nature: the channel's first message (the live scoreboard's, or the first result's)
goes before the burst is seen, then 2 digests and 11 gains follow a second apart, so the last lands
about 14 s in. A seat followed by name keeps its own post too (tests/integration/test_digests.py), one
more second.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.dispatcher import DispatchSettings
from store.models import Constituency, Contest, OutboxEntry
from tests import pa_fixtures
from tests.e2e.conftest import Newsroom, newsroom_running
from tests.fakeslack import FakeSlack
from tests.integration import published
from tests.results import CHANNEL, digest_ids, digests, posted_results, shown_ids

BURST = published.declared_first(58, 40)
SEATS = tuple(row["ONS ID"] for row in BURST)
ARRIVAL_SECONDS = 15


@pytest.fixture
def newsroom(store, slack: FakeSlack, tmp_path) -> Iterator[Newsroom]:
    # Slack's pace (one post a second a channel) and the default 10 s before folding.
    at_slacks_pace = DispatchSettings(result_cards=False)
    with newsroom_running(
        store, slack, tmp_path / "library", SEATS, at_slacks_pace, results_channels=(CHANNEL,)
    ) as newsroom:
        yield newsroom


def seat_of_entries(sessions) -> dict[int, str]:
    with sessions() as session:
        rows = session.execute(
            select(OutboxEntry.id, Constituency.ons_id)
            .join(Contest, Contest.id == OutboxEntry.contest_id)
            .join(Constituency, Constituency.id == Contest.constituency_id)
        )
        return {entry_id: ons_id for entry_id, ons_id in rows}


def test_a_burst_of_40_declarations_arrives_within_15_s_each_once_gains_posted_the_rest_in_digests(
    newsroom, store
) -> None:
    started = time.monotonic()
    for row in BURST:
        newsroom.ingest(pa_fixtures.library_entry(pa_fixtures.library_seat(58, row["ONS ID"])))
    entered = time.monotonic() - started
    while time.monotonic() - started < ARRIVAL_SECONDS and sum(shown_ids(newsroom.slack).values()) < len(SEATS):
        time.sleep(0.05)
    arrived = time.monotonic() - started

    seat_of = seat_of_entries(store.sessions)
    shown = shown_ids(newsroom.slack)
    assert set(shown.values()) == {1}, "a result shown twice"
    assert sorted(seat_of[entry_id] for entry_id in shown) == sorted(SEATS), "a result missing"
    assert arrived < ARRIVAL_SECONDS, f"entered in {entered:.1f} s, all shown after {arrived:.1f} s"

    own = {seat_of[m["metadata"]["event_payload"]["outbox_id"]]: m for m in posted_results(newsroom.slack)}
    gains = {row["ONS ID"] for row in BURST if " gain from " in row["Result"]}
    assert len(gains) == 11
    assert gains <= set(own), "a gain folded into a digest"
    folded = digests(newsroom.slack)
    assert folded and all(len(digest_ids(d)) <= 20 for d in folded)
    # Every line reads as the Library published it: the seat's result and its majority.
    by_seat = {row["ONS ID"]: row for row in BURST}
    for digest in folded:
        heading, *sections, _ = digest["blocks"]
        ids = digest_ids(digest)
        assert heading["text"]["text"] == f"*{len(ids)} results*"
        assert digest["text"].startswith(f"{len(ids)} results: ")
        lines = [line for section in sections for line in section["text"]["text"].split("\n")]
        assert len(lines) == len(ids)
        for entry_id, line in zip(ids, lines, strict=True):
            row = by_seat[seat_of[entry_id]]
            assert f"{row['First party']} HOLD" in line and f"majority {int(row['Majority']):,} (" in line, line
    for ons_id, message in own.items():
        row = by_seat[ons_id]
        assert f"majority {int(row['Majority']):,} (" in str(message["blocks"]), ons_id
