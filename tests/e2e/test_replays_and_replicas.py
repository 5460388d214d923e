"""A request is answered once: a replayed signed command on one server, or a retried event reaching
several replicas of the bot that share one PostgreSQL store."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bot.app import create_app, web_client
from bot.server import HttpServer, make_wsgi
from tests.e2e.conftest import SIGNING_SECRET, RunningBot, bot_settings
from tests.fakeslack import FakeSlack
from tests.slack_markup import assert_no_live_markup
from tests.slack_signing import app_mention_event, event_callback_body, post, sign, slash_command_body


def test_a_replayed_slash_command_is_answered_once(bot: RunningBot) -> None:
    body = slash_command_body(text="copeland 2017 by-election", response_url=bot.slack.response_url("replay"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SIGNING_SECRET, body)}
    for _ in range(3):  # the same bytes, signature and timestamp: a capture sent again
        assert post(f"{bot.url}/slack/events", body, headers)[0] == 200
    bot.slack.wait_for("response_url")
    time.sleep(0.5)
    assert len(bot.slack.calls_to("response_url")) == 1


def test_the_same_question_asked_again_is_answered_again(bot: RunningBot) -> None:
    for name in ("first", "second"):
        body = slash_command_body(text="copeland", response_url=bot.slack.response_url(name))
        time.sleep(1.1)  # a new request: a new timestamp, so a new signature
        assert bot.send(body)[0] == 200
    assert len(bot.slack.wait_for("response_url", 2, timeout=5)) == 2


@pytest.fixture
def replicas(loaded) -> Iterator[tuple[list[str], FakeSlack]]:
    if loaded.backend != "postgresql":
        pytest.skip("replicas share answered requests through PostgreSQL; the embedded SQLite store is one process")
    with FakeSlack() as slack:
        settings = bot_settings(slack)
        servers = [
            HttpServer(
                make_wsgi(
                    create_app(settings, loaded.store, client=web_client(settings)), signing_secret=SIGNING_SECRET
                ),
                host="127.0.0.1",
                port=0,
            ).start()
            for _ in range(3)
        ]
        try:
            yield [server.url for server in servers], slack
        finally:
            for server in servers:
                server.stop()
        assert_no_live_markup(slack)


def test_a_retried_event_reaching_every_replica_is_answered_once(replicas) -> None:
    urls, slack = replicas
    event = app_mention_event("<@UBOT> who won hartlepool 2021", ts="1700000009.000100")
    body = event_callback_body(event, event_id="EvReplicas1")
    for attempt, url in enumerate(urls):  # Slack's first try and its retries, each to another replica
        headers = {"Content-Type": "application/json", **sign(SIGNING_SECRET, body)}
        if attempt:
            headers |= {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"}
        assert post(f"{url}/slack/events", body, headers)[0] == 200
    slack.wait_for("chat.postMessage")
    time.sleep(0.5)
    (answer,) = slack.calls_to("chat.postMessage")
    assert "Hartlepool" in answer.params["text"]
