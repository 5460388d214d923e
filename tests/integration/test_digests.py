"""Digests: a channel that falls behind gets the results waiting for it folded into one post, and still
shows each result exactly once, whatever Slack does; a trickle is posted one by one. Against the fake
Slack Web API on 127.0.0.1, on SQLite and on PostgreSQL (when TEST_DATABASE_URL is set).

Most tests scale Slack's pace down (a post every 0.1 s, folding once a channel is 0.5 s behind) so a
backlog builds in a fraction of a second; the trickle runs at the real pace and threshold.
"""

from __future__ import annotations

import dataclasses
import time

import pytest
from sqlalchemy import select

from bot.app import dispatch_client
from bot.desk import Desk
from bot.dispatcher import Dispatcher, DispatchSettings
from handlers.history_text import history_lines
from store.channel_follows import ChannelFollows
from store.follows import SEAT, Follow
from store.history import contest_history
from store.models import DONE, OutboxEntry
from tests.conftest import database_url
from tests.integration.test_dispatcher import race, run_until_done
from tests.results import (
    CHANNEL,
    FAST,
    digest_ids,
    digests,
    dispatcher_killed_mid_post,
    enter,
    posted_results,
    result,
    settings_for,
    shown_ids,
    thread_notes,
)

# Ten results waiting are a second behind at this pace: folded.
BEHIND = dataclasses.replace(FAST, per_channel_interval=0.1, digest_after_seconds=0.5, claim_ahead_seconds=0.0)


def entries(sessions) -> list[OutboxEntry]:
    with sessions() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)))


def test_a_backlog_is_folded_into_digests_of_at_most_20_each_result_once(store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    for seat in range(200, 245):
        enter(desk, result(seat))
    run_until_done(Dispatcher(sessions, dispatch_client(settings), BEHIND), sessions, 45)

    shown = shown_ids(slack)
    assert len(shown) == 45 and set(shown.values()) == {1}
    folded = digests(slack)
    assert [len(digest_ids(d)) for d in folded] == [20, 20, 5]
    # Its metadata names each line's seat, as a post's names its one seat, for whoever reads the channel.
    assert [d["metadata"]["event_payload"]["ons_ids"] for d in folded] == [
        [f"E149{seat:05d}" for seat in range(first, min(first + 20, 245))] for first in (200, 220, 240)
    ]
    assert posted_results(slack) == []
    # Oldest first, each line the seat's result: Testshire 200 leads the first digest.
    assert folded[0]["text"].startswith(
        "20 results: Testshire 200 (by-election, 10 December 2026): Lab win · majority 2,000 (7.7%); Testshire 201 "
    )
    for entry in entries(sessions):
        digest = next(d for d in folded if entry.id in digest_ids(d))
        assert entry.status == DONE and entry.in_digest and entry.message_ts == digest["ts"]


def test_a_seat_followed_by_name_keeps_its_own_post_in_a_backlog(store, sessions, slack) -> None:
    settings = settings_for(slack)
    follows = ChannelFollows(sessions, store.results, settings.results_channels)
    assert follows.follow(Follow(CHANNEL, SEAT, "Testshire 235"), added_by="U0DESK")
    desk = Desk(store, settings)
    for seat in range(230, 242):
        enter(desk, result(seat))
    run_until_done(Dispatcher(sessions, dispatch_client(settings), BEHIND), sessions, 12)

    (own,) = posted_results(slack)
    assert own["text"].startswith("Testshire 235 (by-election 2026): Lab win")
    (digest,) = digests(slack)
    assert own["metadata"]["event_payload"]["outbox_id"] not in digest_ids(digest)
    assert len(digest_ids(digest)) == 11 and set(shown_ids(slack).values()) == {1}


def test_a_digest_that_times_out_is_found_in_the_channel_and_not_posted_again(store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    for seat in range(250, 262):
        enter(desk, result(seat))
    # The digest lands, but only after the client has given up on it: the dispatcher cannot know.
    slack.hang_next("chat.postMessage", times=1, seconds=1.5, apply=True)
    dispatcher = Dispatcher(
        sessions, dispatch_client(settings, timeout=0.5), dataclasses.replace(BEHIND, uncertain_settle_seconds=2.0)
    )
    dispatcher.run_once()
    assert all(entry.uncertain and entry.status != DONE for entry in entries(sessions))
    time.sleep(2.0)  # the hung digest has landed and its entries are due again; three more results arrive
    for seat in range(262, 265):
        enter(desk, result(seat))
    run_until_done(dispatcher, sessions, 15, timeout=30)

    shown = shown_ids(slack)
    assert len(shown) == 15 and set(shown.values()) == {1}
    first, second = digests(slack)
    assert len(digest_ids(first)) == 12 and len(digest_ids(second)) == 3
    for entry in entries(sessions):
        assert entry.message_ts == (first if entry.id in digest_ids(first) else second)["ts"]


def test_a_dispatcher_killed_mid_digest_leaves_each_result_shown_once(engine, store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    for seat in range(270, 285):
        enter(desk, result(seat))
    # `resultsbot dispatch` at Slack's pace finds the channel 15 s behind: its first post is a digest of
    # all 15, which lands, but the dispatcher is killed before it can record that.
    dispatcher_killed_mid_post(database_url(engine), slack)
    (landed,) = digests(slack)
    assert len(digest_ids(landed)) == 15
    assert all(entry.status != DONE for entry in entries(sessions))

    run_until_done(Dispatcher(sessions, dispatch_client(settings), BEHIND), sessions, 15)
    assert digests(slack) == [landed] and posted_results(slack) == []
    assert all(entry.uncertain and entry.message_ts == landed["ts"] for entry in entries(sessions))


def test_two_dispatchers_folding_one_backlog_show_each_result_in_exactly_one_message(
    backend, store, sessions, slack
) -> None:
    if backend != "postgresql":
        pytest.skip("runs on the PostgreSQL backend only: the race is about FOR UPDATE SKIP LOCKED")
    settings = settings_for(slack)
    desk = Desk(store, settings)
    for seat in range(300, 400):
        enter(desk, result(seat))
    racers = race(sessions, dispatch_client(settings), BEHIND, "folder", 2)
    run_until_done(racers[0], sessions, 100)

    shown = shown_ids(slack)
    assert len(shown) == 100 and set(shown.values()) == {1}
    assert len(digests(slack)) >= 5
    with sessions() as session:
        assert set(session.scalars(select(OutboxEntry.claimed_by))) == {"folder-0", "folder-1"}


def test_a_correction_of_a_digested_result_is_posted_marked_and_edits_nothing_else(store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    for seat in range(400, 412):
        enter(desk, result(seat))
    dispatcher = Dispatcher(sessions, dispatch_client(settings), BEHIND)
    run_until_done(dispatcher, sessions, 12)
    (digest,) = digests(slack)
    before = dict(digest)

    enter(desk, result(405, lab=14_100))
    run_until_done(dispatcher, sessions, 13)
    assert slack.calls_to("chat.update") == []  # the digest is not the seat's post: never edited
    assert digests(slack) == [before]
    (corrected,) = posted_results(slack)
    shown = str(corrected["blocks"])
    assert corrected["text"].startswith("Testshire 405 (by-election 2026): CORRECTED · Lab win · majority 2,100")
    assert "Corrected:* Alice Labour 405 (Lab) 14,000 → 14,100; valid votes 26,000 → 26,100." in shown
    assert "\nCorrected: Alice Labour 405 (Lab) 14,000 → 14,100" in corrected["text"]

    # A second correction edits that post of its own, with a note in its thread, as any correction does.
    enter(desk, result(405, lab=14_200))
    run_until_done(dispatcher, sessions, 14)
    (update,) = slack.calls_to("chat.update")
    assert update.params["ts"] == corrected["ts"]
    (note,) = thread_notes(slack, corrected["ts"])
    assert note["text"].startswith("CORRECTION: Alice Labour 405 (Lab) 14,100 → 14,200")
    assert shown_ids(slack)[next(e.id for e in entries(sessions) if e.version == 1 and e.in_digest)] == 1
    # `resultsbot history` says where each version went.
    with sessions() as session:
        contest_id = max(e.contest_id for e in entries(sessions))
        said = "\n".join(history_lines(contest_history(session, contest_id)))
    assert f"posted to CRESULTS in a digest (ts {digest['ts']})" in said
    assert f"posted to CRESULTS (ts {corrected['ts']})" in said


def test_a_trickle_of_one_result_every_2_s_is_posted_one_by_one_at_once(store, sessions, slack) -> None:
    settings = settings_for(slack)
    real_pace = DispatchSettings(result_cards=False, poll_seconds=0.05)  # and the default threshold
    dispatcher = Dispatcher(sessions, dispatch_client(settings), real_pace)
    desk = Desk(store, settings, dispatcher)
    dispatcher.start()
    try:
        entered = {}
        for seat in range(500, 506):
            enter(desk, result(seat))
            entered[f"Testshire {seat}"] = time.time()
            time.sleep(2)
        run_until_done(dispatcher, sessions, 6)
    finally:
        dispatcher.stop()
    assert digests(slack) == []
    posted = posted_results(slack)
    assert len(posted) == 6
    for message in posted:
        seat = message["text"].split(" (")[0]
        assert float(message["ts"]) - entered[seat] < 1.0, seat
