"""What newsroom staff see in Slack, driven exactly as Slack drives the app."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest
from slack_bolt import BoltResponse

from tests.e2e.conftest import SIGNING_SECRET, RunningBot
from tests.slack_signing import (
    app_mention_event,
    block_actions_body,
    dm_message_event,
    event_callback_body,
    post,
    sign,
    slash_command_body,
)


def blocks_text(blocks: list[dict]) -> str:
    """Every piece of text in a message's blocks, as a reader would see it."""
    return json.dumps(blocks, ensure_ascii=False)


def slash(bot: RunningBot, text: str, name: str = "cmd", timeout: float = 10, **kwargs) -> int:
    body = slash_command_body(text=text, response_url=bot.slack.response_url(name), **kwargs)
    status, _, _ = bot.send(body, timeout=timeout)
    return status


def test_result_command_posts_the_result_in_the_channel(bot: RunningBot) -> None:
    assert slash(bot, "copeland 2017 by-election") == 200
    (reply,) = bot.slack.wait_for("response_url")
    assert reply.params["response_type"] == "in_channel"
    shown = blocks_text(reply.params["blocks"])
    for expected in (
        "Con GAIN from Lab",
        "majority 2,147 (6.9%)",
        "Trudy Harrison",
        "13,748",
        "44.3%",
        "+8.5",
        "6.7 pts Lab to Con",
        "Source: House of Commons Library",
    ):
        assert expected in shown
    assert "Copeland" in reply.params["text"]


def test_a_command_is_acked_even_while_the_app_cannot_get_to_it(bot: RunningBot) -> None:
    # Slack gives up after 3 s. On the night the app shares the interpreter with ingests and answers;
    # here it is held outright until the ack has arrived, which it must do without it.
    acked = threading.Event()

    def held_until_acked(next: Callable[[], BoltResponse]) -> BoltResponse:
        assert acked.wait(timeout=10), "the ack waited for the app"
        return next()

    bot.app.middleware(held_until_acked)
    assert slash(bot, "copeland 2017 by-election", timeout=5) == 200
    acked.set()
    (reply,) = bot.slack.wait_for("response_url")
    assert "Trudy Harrison" in blocks_text(reply.params["blocks"])
    assert slash(bot, "copeland 2017 by-election", name="again") == 200  # after the hold, as before
    bot.slack.wait_for("response_url", count=2)


def test_ambiguous_query_offers_buttons_only_to_the_asker(bot: RunningBot) -> None:
    slash(bot, "stoke")
    (reply,) = bot.slack.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    buttons = [e for b in reply.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    labels = [b["text"]["text"] for b in buttons]
    assert sorted(labels) == ["Stoke-on-Trent Central", "Stoke-on-Trent North", "Stoke-on-Trent South"]


def test_pressing_a_choice_posts_that_result_and_removes_the_buttons(bot: RunningBot) -> None:
    body = block_actions_body(
        "result_choice:0",
        "Stoke-on-Trent Central 2017 by-election",
        response_url=bot.slack.response_url("choice"),
        container={"type": "message", "message_ts": "1700000000.000100", "channel_id": "C123", "is_ephemeral": True},
    )
    status, _, _ = bot.send(body)
    assert status == 200
    calls = bot.slack.wait_for("response_url", count=2)
    assert calls[0].params.get("delete_original") in (True, "true")
    posted = calls[1].params
    assert posted["response_type"] == "in_channel"
    assert "Lab HOLD" in blocks_text(posted["blocks"])
    assert "majority 2,620" in blocks_text(posted["blocks"])


def test_no_match_gets_a_helpful_private_reply(bot: RunningBot) -> None:
    slash(bot, "xqzzyv")
    (reply,) = bot.slack.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert "No seat matches" in reply.params["text"]


def test_help_explains_what_can_be_asked(bot: RunningBot) -> None:
    slash(bot, "help")
    (reply,) = bot.slack.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert "/result" in reply.params["text"] and "@resultsbot" in reply.params["text"]


def test_mention_is_answered_in_a_new_thread_on_the_message(bot: RunningBot) -> None:
    event = app_mention_event("<@UBOT> who won hartlepool by-election?", ts="1700000001.000100")
    status, _, _ = bot.send(event_callback_body(event, event_id="EvMention1"))
    assert status == 200
    (post_call,) = bot.slack.wait_for("chat.postMessage")
    assert post_call.params["channel"] == "C123"
    assert post_call.params["thread_ts"] == "1700000001.000100"
    assert "Jill Mortimer" in post_call.params["text"]


def test_mention_inside_a_thread_is_answered_in_that_thread(bot: RunningBot) -> None:
    event = app_mention_event(
        "<@UBOT> what was the majority in copeland 2017 by-election",
        ts="1700000003.000100",
        thread_ts="1700000002.000100",
    )
    bot.send(event_callback_body(event, event_id="EvMention2"))
    (post_call,) = bot.slack.wait_for("chat.postMessage")
    assert post_call.params["thread_ts"] == "1700000002.000100"
    assert "2,147" in post_call.params["text"]


def test_retried_event_gets_exactly_one_reply(bot: RunningBot) -> None:
    event = app_mention_event("<@UBOT> turnout in copeland 2015", ts="1700000004.000100")
    body = event_callback_body(event, event_id="EvRetry1")
    assert bot.send(body)[0] == 200
    headers = {
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
        "Content-Type": "application/json",
        **sign(SIGNING_SECRET, body),
    }
    assert post(f"{bot.url}/slack/events", body, headers)[0] == 200
    assert bot.send(body)[0] == 200
    bot.slack.wait_for("chat.postMessage")
    time.sleep(0.5)
    assert len(bot.slack.calls_to("chat.postMessage")) == 1


def test_direct_message_is_answered(bot: RunningBot) -> None:
    event = dm_message_event("how did the lib dems do in copeland 2017 by-election", ts="1700000005.000100")
    bot.send(event_callback_body(event, event_id="EvDm1"))
    (post_call,) = bot.slack.wait_for("chat.postMessage")
    assert post_call.params["channel"] == "D123"
    assert "Rebecca Hanson" in post_call.params["text"] and "7.2%" in post_call.params["text"]


def test_unanswerable_question_says_what_can_be_asked(bot: RunningBot) -> None:
    event = app_mention_event("<@UBOT> what's the weather like?", ts="1700000006.000100")
    bot.send(event_callback_body(event, event_id="EvUnknown1"))
    (post_call,) = bot.slack.wait_for("chat.postMessage")
    assert "who won" in post_call.params["text"].lower()


@pytest.mark.parametrize("forgery", ["bad-signature", "stale"])
def test_forged_or_stale_requests_get_401_and_no_reply(bot: RunningBot, forgery: str) -> None:
    body = slash_command_body(text="copeland", response_url=bot.slack.response_url("forged"))
    if forgery == "stale":
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **sign(SIGNING_SECRET, body, timestamp=int(time.time()) - 6 * 60),
        }
    else:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign("not-the-secret", body)}
    status, _, _ = post(f"{bot.url}/slack/events", body, headers)
    assert status == 401
    time.sleep(0.3)
    assert bot.slack.calls_to("response_url") == []


def test_choosing_from_buttons_in_a_thread_answers_in_that_thread(bot: RunningBot) -> None:
    body = block_actions_body(
        "result_choice:1",
        "Stoke-on-Trent Central 2017 by-election",
        response_url=bot.slack.response_url("thread-choice"),
        container={"type": "message", "message_ts": "1700000009.000100", "channel_id": "C123", "is_ephemeral": False},
    )
    assert bot.send(body)[0] == 200
    (reply,) = bot.slack.wait_for("response_url")
    assert reply.params.get("replace_original") in (True, "true")
    assert "response_type" not in reply.params or reply.params["response_type"] != "in_channel"
    assert "majority 2,620" in blocks_text(reply.params["blocks"])


def test_a_channel_ping_typed_in_a_query_is_not_echoed_as_one(bot: RunningBot) -> None:
    event = app_mention_event("<@UBOT> who won <!channel> zzqx", ts="1700000010.000100")
    bot.send(event_callback_body(event, event_id="EvPing1"))
    (post_call,) = bot.slack.wait_for("chat.postMessage")
    shown = post_call.params["text"] + blocks_text(post_call.params["blocks"])
    assert "<!channel>" not in shown


def test_direct_messages_are_answered_in_line_not_in_a_thread(bot: RunningBot) -> None:
    event = dm_message_event("copeland 2015", ts="1700000011.000100")
    bot.send(event_callback_body(event, event_id="EvDm2"))
    (post_call,) = bot.slack.wait_for("chat.postMessage")
    assert post_call.params["channel"] == "D123" and not post_call.params.get("thread_ts")
    assert "Copeland" in post_call.params["text"]
