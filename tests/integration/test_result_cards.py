"""Result cards in Slack: each posted result gets its picture in the post's thread, and a picture that
cannot be made or uploaded never costs the text post.

Runs on SQLite and on PostgreSQL (when TEST_DATABASE_URL is set), against the fake Slack Web API, which
plays the three steps of files_upload_v2.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import time
from fractions import Fraction

from PIL import Image
from slack_sdk import WebClient
from sqlalchemy import select

from bot.app import dispatch_client
from bot.desk import Desk
from bot.dispatcher import Dispatcher
from bot.result_cards import ResultCards
from handlers.summary_words import headline
from store.models import DONE, OutboxEntry
from store.numbers import percent
from tests.integration.test_dispatcher import run_until_done
from tests.results import CHANNEL, FAST, enter, posted_results, result, settings_for, thread_notes
from tests.unit.library import summary_of

WITH_CARDS = dataclasses.replace(FAST, result_cards=True)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
UPLOAD_STEPS = ["files.getUploadURLExternal", "file_upload", "files.completeUploadExternal"]


def share_of(votes: int, other: int) -> str:
    """A made-up two-candidate result's share as the card shows it."""
    return percent(Fraction(100 * votes, votes + other))


def deliver(store, sessions, slack, seats: range, **settings_overrides) -> Dispatcher:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    for seat in seats:
        enter(desk, result(seat))
    dispatcher = Dispatcher(sessions, dispatch_client(settings), dataclasses.replace(WITH_CARDS, **settings_overrides))
    run_until_done(dispatcher, sessions, len(seats))
    assert dispatcher.cards.wait_idle(30), "the result cards were not finished in 30 s"
    return dispatcher


def test_a_posted_result_gets_one_card_in_its_thread(store, sessions, slack) -> None:
    deliver(store, sessions, slack, range(1, 2))
    (post,) = posted_results(slack)
    (card,) = slack.uploaded_files(CHANNEL)
    assert card.thread_ts == post["ts"]
    assert card.content.startswith(PNG_SIGNATURE) and len(card.content) < 200_000
    with Image.open(io.BytesIO(card.content)) as picture:
        picture.load()
        assert picture.format == "PNG" and picture.size == (1200, 675)
    assert card.title is not None and card.title.startswith("Testshire 1: ")
    assert card.alt_txt is not None and f"Alice Labour 1 (Lab) {share_of(14_000, 12_000)}" in card.alt_txt
    # The thread shows the picture; the channel still shows the one text post.
    (shown,) = thread_notes(slack, post["ts"])
    assert [file["title"] for file in shown["files"]] == [card.title]
    # The three steps of files_upload_v2, in order, each once, and only after the text post.
    steps = [call.method for call in slack.calls if call.method in UPLOAD_STEPS]
    assert steps == UPLOAD_STEPS
    (posted,) = slack.calls_to("chat.postMessage")
    assert posted.time <= slack.calls_to("files.getUploadURLExternal")[0].time


def test_without_files_write_the_text_posts_go_alone_and_the_log_says_why_once(store, sessions, slack, caplog) -> None:
    slack.files_write_scope = False
    caplog.set_level(logging.INFO, logger="bot")
    deliver(store, sessions, slack, range(10, 13))
    assert len(posted_results(slack)) == 3
    assert slack.uploaded_files() == []
    why = [record for record in caplog.records if "files:write" in record.getMessage()]
    assert len(why) == 1 and "missing_scope" in why[0].getMessage()
    assert why[0].levelno == logging.WARNING
    # Told once that the scope is missing, the bot stops asking.
    assert len(slack.calls_to("files.getUploadURLExternal")) == 1


def test_a_failed_upload_leaves_the_text_post_done_once(store, sessions, slack, caplog) -> None:
    slack.http_error_next("file_upload", status=500)  # the bytes refused
    slack.fail_next("files.completeUploadExternal", error="internal_error")  # the share refused
    slack.http_error_next("files.getUploadURLExternal", status=503)  # no upload URL
    caplog.set_level(logging.WARNING, logger="bot.result_cards")
    deliver(store, sessions, slack, range(20, 24))
    posts = posted_results(slack)
    assert sorted(post["text"].split(" ", 2)[1] for post in posts) == ["20", "21", "22", "23"]
    assert len(slack.calls_to("chat.postMessage")) == 4
    with sessions() as session:
        assert set(session.scalars(select(OutboxEntry.status))) == {DONE}
    # One card of four made it; each of the other three says why it did not.
    (card,) = slack.uploaded_files(CHANNEL)
    assert card.thread_ts in {post["ts"] for post in posts}
    assert len([r for r in caplog.records if r.getMessage().startswith("no result card for Testshire")]) == 3


def test_a_slow_upload_does_not_hold_up_the_next_text_posts(store, sessions, slack) -> None:
    slack.hang_next("files.getUploadURLExternal", times=1, seconds=4.0, apply=True)
    settings = settings_for(slack)
    desk = Desk(store, settings)
    dispatcher = Dispatcher(sessions, dispatch_client(settings), WITH_CARDS)
    started = time.monotonic()
    for seat in range(30, 33):
        enter(desk, result(seat))
    run_until_done(dispatcher, sessions, 3)
    assert time.monotonic() - started < 3.0, "the text posts waited for a picture"
    assert slack.uploaded_files() == []  # the first card is still on its way
    assert dispatcher.cards.wait_idle(30)
    assert len(slack.uploaded_files(CHANNEL)) == 3
    assert len(posted_results(slack)) == 3


def test_a_correction_puts_the_corrected_card_in_the_thread_after_the_note(store, sessions, slack) -> None:
    settings = settings_for(slack)
    desk = Desk(store, settings)
    dispatcher = Dispatcher(sessions, dispatch_client(settings), WITH_CARDS)
    enter(desk, result(40))
    run_until_done(dispatcher, sessions, 1)
    assert dispatcher.cards.wait_idle(30)
    enter(desk, result(40, lab=14_100))
    run_until_done(dispatcher, sessions, 2)
    assert dispatcher.cards.wait_idle(30)
    (post,) = posted_results(slack)
    first, corrected = slack.uploaded_files(CHANNEL)
    assert first.thread_ts == corrected.thread_ts == post["ts"]
    assert f"Alice Labour 40 (Lab) {share_of(14_000, 12_000)}" in (first.alt_txt or "")
    assert corrected.title is not None and corrected.title.startswith("Testshire 40: CORRECTED")
    assert f"Alice Labour 40 (Lab) {share_of(14_100, 12_000)}" in (corrected.alt_txt or "")
    # Read in the thread: the first card, the correction note, then the corrected card.
    thread = thread_notes(slack, post["ts"])
    assert [("files" in m, m["text"].startswith("CORRECTION")) for m in thread] == [
        (True, False),
        (False, True),
        (True, False),
    ]


def test_a_card_still_waiting_when_its_post_is_corrected_is_not_drawn(slack) -> None:
    """Only the newest card of a post goes into its thread: the first figures never follow the correction."""
    cards = ResultCards(WebClient(token="xoxb-test", base_url=slack.base_url))
    busy = slack.seed_message(CHANNEL, "another post")
    post = slack.seed_message(CHANNEL, "a result")
    slack.hang_next("files.getUploadURLExternal", times=1, seconds=1.0, apply=True)
    first = summary_of("North Antrim", "2024 general election")
    corrected = dataclasses.replace(first, corrected=True, version=2)
    cards.posted(first, CHANNEL, busy["ts"])  # keeps the worker busy while the next two wait
    cards.posted(first, CHANNEL, post["ts"])
    cards.posted(corrected, CHANNEL, post["ts"])
    assert cards.wait_idle(30)
    in_thread = [card for card in slack.uploaded_files(CHANNEL) if card.thread_ts == post["ts"]]
    assert [card.title for card in in_thread] == [f"North Antrim: {headline(corrected)}"]
    assert len(slack.uploaded_files(CHANNEL)) == 2
    cards.stop()
