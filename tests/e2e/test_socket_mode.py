"""`resultsbot serve` in Socket Mode, its own process, against a fake Slack playing both the Web API and
the Socket Mode WebSocket: the app opens the link with its xapp- token, Slack pushes envelopes carrying
the payloads it would POST in HTTP mode, the app acks each envelope_id and answers through the Web API
and response_url with its bot token."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.e2e.serving import Served, copy_database, serve_process
from tests.fakeslack import FakeSlack, envelope_for
from tests.slack_markup import assert_no_live_markup
from tests.slack_signing import app_mention_event, event_callback_body, post, slash_command_body

BOT_TOKEN = "xoxb-socket-mode-test-0123456789"
APP_TOKEN = "xapp-1-A0RESULTS-socket-mode-test-9876543210"


def blocks_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@dataclass
class SocketServed:
    url: str
    slack: FakeSlack
    running: Served

    @property
    def output(self) -> str:
        return self.running.output


@pytest.fixture(scope="module")
def served(loaded_sqlite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketServed]:
    """`resultsbot serve` with SLACK_APP_TOKEN set and no signing secret, on a copy of the bundled store.

    One process for the module: starting it (imports, store, connection) is most of the cost."""
    database = copy_database(
        loaded_sqlite.store.engine.url.database, tmp_path_factory.mktemp("socket-mode") / "results.db"
    )
    with FakeSlack() as slack:
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": "",
            "SLACK_API_URL": slack.base_url,
            "RESULTSBOT_RESULTS_CHANNEL": "",
            "LOG_LEVEL": "INFO",
        }
        with serve_process(database, env) as running:
            yield SocketServed(running.url, slack, running)
        output = running.output
        assert BOT_TOKEN not in output and APP_TOKEN not in output, output
        # Nor any recognisable part of them (a token cut short in a log line is still a leak).
        assert "socket-mode-test" not in output, output
        assert_no_live_markup(slack)


def test_connects_with_the_app_token_only(served: SocketServed) -> None:
    slack = served.slack
    assert slack.socket_connected(timeout=10)
    opened = slack.wait_for("apps.connections.open")
    assert {call.token for call in opened} == {APP_TOKEN}
    assert slack.socket_connections_accepted >= 1
    assert "connected to Slack in Socket Mode" in served.output
    # The app token opens the socket and nothing else: every Web API call is the bot's.
    assert all(call.token == BOT_TOKEN for call in slack.calls if call.method not in ("apps.connections.open",))


def test_result_command_is_acked_and_answered_at_its_response_url(served: SocketServed) -> None:
    slack = served.slack
    body = slash_command_body(text="copeland 2017 by-election", response_url=slack.response_url("socket-cmd"))
    envelope = envelope_for(body)
    envelope_id = slack.socket_send(envelope, timeout=10)
    assert envelope_id == envelope["envelope_id"]
    # An empty ack: the answer goes to the response_url, posted for the channel.
    assert slack.wait_for_socket_ack(envelope_id, timeout=10) == {"envelope_id": envelope_id}
    (reply,) = slack.wait_for("response_url", timeout=10, where=lambda c: c.path.endswith("/socket-cmd"))
    assert reply.params["response_type"] == "in_channel"
    shown = blocks_text(reply.params["blocks"])
    for expected in ("Con GAIN from Lab", "majority 2,147 (6.9%)", "Trudy Harrison", "13,748"):
        assert expected in shown
    assert "Copeland" in reply.params["text"]


def test_mention_is_answered_in_its_thread_once_however_often_delivered(served: SocketServed) -> None:
    slack = served.slack
    event = app_mention_event(
        "<@UBOT> what was the majority in copeland 2017 by-election",
        channel="CSOCKET",
        ts="1700000103.000100",
        thread_ts="1700000102.000100",
    )
    body = event_callback_body(event, event_id="EvSocketMention1")
    envelope_id = slack.socket_send(envelope_for(body), timeout=10)
    assert slack.wait_for_socket_ack(envelope_id, timeout=10) == {"envelope_id": envelope_id}

    def in_channel(call) -> bool:
        return call.params.get("channel") == "CSOCKET"

    (post_call,) = slack.wait_for("chat.postMessage", timeout=10, where=in_channel)
    assert post_call.params["thread_ts"] == "1700000102.000100"
    assert "2,147" in post_call.params["text"]
    assert post_call.token == BOT_TOKEN

    # Slack redelivers an event it thinks was not acked in time; the redelivery is acked, not answered.
    retry_id = slack.socket_send(envelope_for(body, retry_attempt=1, retry_reason="timeout"), timeout=10)
    slack.wait_for_socket_ack(retry_id, timeout=10)
    time.sleep(0.5)
    assert len([c for c in slack.calls_to("chat.postMessage") if in_channel(c)]) == 1


def test_http_side_serves_healthz_but_not_slack_events(served: SocketServed) -> None:
    with urllib.request.urlopen(f"{served.url}/healthz", timeout=5) as response:
        assert response.status == 200 and json.load(response) == {"ok": True}
    # In Socket Mode Slack's requests arrive over the socket only; nothing is served for them on PORT.
    status, _, _ = post(f"{served.url}/slack/events", slash_command_body(text="copeland"), {}, timeout=5)
    assert status == 404
    assert served.running.process.poll() is None
