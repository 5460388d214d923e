"""Whatever a user types, the bot answers and never shows a trace.

Thousands of random texts go through the reply layer that every surface uses; a few hundred more go
over real HTTP as signed slash commands and mentions, each of which must get its reply.
"""

from __future__ import annotations

import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.replies import reply_to_command, reply_to_question
from tests.e2e.conftest import RunningBot
from tests.slack_signing import app_mention_event, event_callback_body, slash_command_body

# Random text, plus fragments of the things people really type, in random order.
WORDS = st.sampled_from(
    [
        "who",
        "won",
        "majority",
        "turnout",
        "in",
        "copeland",
        "stoke",
        "hartlepool",
        "2019",
        "2024",
        "by-election",
        "lib",
        "dems",
        "how",
        "did",
        "do",
        "closest",
        "gains",
        "labour",
        "<@UBOT>",
        "&amp;",
        "help",
        "enter",
        "'; DROP TABLE contest;--",
        "🗳️",
        "\x00",
        "```",
        "<!channel>",
        "losses",
        "holds",
        "changing hands",
        "by-elections",
        "parliament",
        "all",
        "from",
        "to",
        "snp",
        "scotland",
        "top 5",
        "biggest majorities",
        "national vote share",
        "how many seats did",
        "where did",
        "stand",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=12).map(" ".join))
FORBIDDEN = ("Traceback", "Exception", "Error:")
serial = itertools.count()


def readable(text: str) -> bool:
    return bool(text.strip()) and not any(mark in text for mark in FORBIDDEN)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_every_command_and_question_gets_a_readable_reply(loaded_sqlite, text: str) -> None:
    command, question = reply_to_command(text, loaded_sqlite.results), reply_to_question(text, loaded_sqlite.results)
    for reply in (command, question, *[r for r in (command.followup, question.followup) if r is not None]):
        assert readable(reply.text) and reply.blocks
        assert len(reply.blocks) <= 50
    for label, query in question.options:
        if label.startswith("Show all"):  # what the button asks answers too
            assert readable(reply_to_command(query, loaded_sqlite.results).text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_random_slash_commands_over_http_are_all_answered(bot: RunningBot, text: str) -> None:
    if text.split()[:1] and text.split()[0].casefold() == "enter":
        text = "x" + text  # the desk's entry door has its own tests
    name = f"fuzz{next(serial)}"
    status, _, _ = bot.send(slash_command_body(text=text, response_url=bot.slack.response_url(name)))
    assert status == 200
    # A long list comes with a second, private message offering the rest: either may arrive first.
    replies = bot.slack.wait_for("response_url", where=lambda c: c.path.endswith(f"/{name}"), timeout=10)
    assert replies and all(readable(reply.params["text"]) for reply in replies)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_random_mentions_over_http_are_all_answered_in_thread(bot: RunningBot, text: str) -> None:
    number = next(serial)
    ts = f"1700100000.{number:06d}"
    event = app_mention_event(f"<@UBOT> {text}", ts=ts)
    status, _, _ = bot.send(event_callback_body(event, event_id=f"EvFuzz{number}"))
    assert status == 200
    (reply,) = bot.slack.wait_for("chat.postMessage", where=lambda c: c.params.get("thread_ts") == ts, timeout=10)
    assert readable(reply.params["text"])
    json.dumps(reply.params["blocks"])
