"""Automatic posts: every entered result reaches the channel exactly once, whatever Slack does.

Runs on SQLite and on PostgreSQL (when TEST_DATABASE_URL is set), against the fake Slack Web API
server on 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from bot.app import dispatch_client
from bot.desk import Desk
from bot.dispatcher import Dispatcher, DispatchSettings
from store.models import DONE, Contest, OutboxEntry
from tests.conftest import database_url
from tests.results import (
    CHANNEL,
    FAST,
    dispatcher_killed_mid_post,
    enter,
    outbox_ids,
    posted_results,
    result,
    settings_for,
    thread_notes,
)


def run_until_done(dispatcher: Dispatcher, sessions, expected: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dispatcher.run_once()
        with sessions() as session:
            done = session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status == DONE))
        if done >= expected:
            return
        time.sleep(0.05)
    raise AssertionError(f"only {done} of {expected} outbox entries delivered in {timeout} s")


def race(sessions, client, settings: DispatchSettings, name: str, how_many: int) -> list[Dispatcher]:
    """`how_many` dispatchers (named `name`-0, -1, …) each delivering what is due at once, in threads of
    their own, until each finds nothing more; the dispatchers, for what is left."""
    racers = [Dispatcher(sessions, client, settings, name=f"{name}-{i}") for i in range(how_many)]
    threads = [threading.Thread(target=racer.run_once) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return racers


def test_an_entered_result_reaches_the_channel_once(store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    enter(desk, result(1))
    dispatcher = Dispatcher(sessions, dispatch_client(settings), FAST)
    run_until_done(dispatcher, sessions, 1)
    dispatcher.run_once()
    (message,) = posted_results(slack)
    assert "Testshire 1" in message["text"]
    assert "Alice Labour 1" in str(message["blocks"]) and "14,000" in str(message["blocks"])
    with sessions() as session:
        entry = session.scalars(select(OutboxEntry)).one()
        assert entry.message_ts == message["ts"] and entry.channel == CHANNEL


def test_identical_re_entry_posts_nothing(store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    enter(desk, result(2))
    enter(desk, result(2))
    dispatcher = Dispatcher(sessions, dispatch_client(settings), FAST)
    run_until_done(dispatcher, sessions, 1)
    assert len(posted_results(slack)) == 1
    assert slack.calls_to("chat.update") == []


def test_slack_errors_rate_limits_and_hangs_still_deliver_each_result_once_in_order(store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    slack.fail_next("chat.postMessage", times=2, error="internal_error")
    slack.http_error_next("chat.postMessage", times=1, status=503)
    slack.rate_limit_next("chat.postMessage", times=2, retry_after=1)
    slack.hang_next("chat.postMessage", times=1, seconds=1.5, apply=True)
    slack.hang_next("chat.update", times=1, seconds=1.5, apply=True)
    for seat in range(10, 16):
        enter(desk, result(seat))
    for seat in range(10, 13):  # corrections queued behind the first posts of the same seats
        enter(desk, result(seat, lab=15_000))
    client = dispatch_client(settings, timeout=0.5)
    dispatcher = Dispatcher(sessions, client, dataclasses.replace(FAST, uncertain_settle_seconds=2.0))
    run_until_done(dispatcher, sessions, 9, timeout=60)

    posted = posted_results(slack)
    with sessions() as session:
        first_posts = session.scalars(select(OutboxEntry).where(OutboxEntry.version == 1)).all()
        corrections = session.scalars(select(OutboxEntry).where(OutboxEntry.version == 2)).all()
        # Each first version posted exactly once; a correction edits, it never posts the result again.
        assert sorted(Counter(m["text"].split(" (")[0] for m in posted).values()) == [1] * 6
        assert {e.message_ts for e in first_posts} == {m["ts"] for m in posted}
        for correction in corrections:
            original = next(e for e in first_posts if e.constituency_id == correction.constituency_id)
            assert correction.message_ts == original.message_ts
            notes = thread_notes(slack, original.message_ts)
            assert len(notes) == 1 and "15,000" in notes[0]["text"]
    # In order per seat: the edit of a seat's post is only attempted after that post was sent.
    for seat in range(10, 13):
        name = f"Testshire {seat}"
        sent = [c for c in slack.calls if c.method == "chat.postMessage" and name in str(c.params.get("text"))]
        edits = [c for c in slack.calls if c.method == "chat.update" and name in str(c.params.get("text"))]
        assert sent and edits and min(c.time for c in edits) > min(c.time for c in sent)


def test_correction_edits_the_original_post_and_notes_it_in_the_thread(store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    enter(desk, result(3, status="provisional"))
    dispatcher = Dispatcher(sessions, dispatch_client(settings), FAST)
    run_until_done(dispatcher, sessions, 1)
    (original,) = posted_results(slack)
    assert "PROVISIONAL" in str(original["blocks"])

    enter(desk, result(3, lab=14_100))
    run_until_done(dispatcher, sessions, 2)
    (update,) = slack.calls_to("chat.update")
    assert update.params["ts"] == original["ts"] and update.params["channel"] == CHANNEL
    edited = slack.messages(CHANNEL)[0]
    assert "Corrected" in str(edited["blocks"]) and "14,100" in str(edited["blocks"])
    notes = thread_notes(slack, original["ts"])
    assert len(notes) == 1
    assert notes[0]["text"].startswith("CORRECTION: Alice Labour 3 (Lab) 14,000 → 14,100")
    assert "valid votes 26,000 → 26,100" in notes[0]["text"]
    assert len(posted_results(slack)) == 1  # no second result post


def test_dispatcher_killed_after_posting_does_not_post_twice_on_restart(engine, store, sessions, slack) -> None:
    url = database_url(engine)
    settings = settings_for(slack)
    enter(Desk(store, settings), result(4))
    # The post lands in the channel, but the dispatcher is killed before it can record that.
    dispatcher_killed_mid_post(url, slack)
    assert len(posted_results(slack)) == 1
    with sessions() as session:
        assert session.scalars(select(OutboxEntry)).one().status != DONE

    restarted = Dispatcher(sessions, dispatch_client(settings), FAST)
    run_until_done(restarted, sessions, 1)
    posted = posted_results(slack)
    assert len(posted) == 1
    with sessions() as session:
        entry = session.scalars(select(OutboxEntry)).one()
        assert entry.message_ts == posted[0]["ts"]
        assert entry.uncertain


def test_two_dispatchers_racing_post_each_of_200_entries_exactly_once(backend, store, sessions, slack) -> None:
    if backend != "postgresql":
        pytest.skip("runs on the PostgreSQL backend only: the race is about FOR UPDATE SKIP LOCKED")
    settings = settings_for(slack, results_channels=("CRACE1", "CRACE2"))
    desk = Desk(store, settings)
    for seat in range(100, 200):
        enter(desk, result(seat))
    racers = race(sessions, dispatch_client(settings), FAST, "racer", 2)
    run_until_done(racers[0], sessions, 200)
    seen = outbox_ids(posted_results(slack, "CRACE1") + posted_results(slack, "CRACE2"))
    assert len(seen) == 200 and set(seen.values()) == {1}
    with sessions() as session:
        claimed_by = Counter(session.scalars(select(OutboxEntry.claimed_by)))
    assert set(claimed_by) == {"racer-0", "racer-1"}  # both really took part


def test_rejected_entry_changes_nothing(store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    bad = result(5)
    bad["valid_votes"] += 1
    from store.contest_input import InvalidResult

    with pytest.raises(InvalidResult) as caught:
        enter(desk, bad)
    assert "valid_votes" in caught.value.problems
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Contest)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0


def test_a_provisional_result_declared_unchanged_is_updated_not_marked_corrected(store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    enter(desk, result(6, status="provisional"))
    dispatcher = Dispatcher(sessions, dispatch_client(settings), FAST)
    run_until_done(dispatcher, sessions, 1)
    enter(desk, result(6, status="declared"))
    run_until_done(dispatcher, sessions, 2)
    (original,) = posted_results(slack)
    shown = str(original["blocks"])
    assert "PROVISIONAL" not in shown and "Corrected" not in shown and "CORRECTED" not in shown
    (note,) = thread_notes(slack, original["ts"])
    assert note["text"] == "UPDATE: result now DECLARED (was provisional); figures unchanged."
