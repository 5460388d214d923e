"""`resultsbot serve` in Socket Mode, its own process, against a fake Slack playing both the Web API and
the Socket Mode WebSocket: the app opens the link with its xapp- token, Slack pushes envelopes carrying
the payloads it would POST in HTTP mode, the app acks each envelope_id and answers through the Web API
and response_url with its bot token."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.fakeslack import FakeSlack, envelope_for
from tests.slack_signing import app_mention_event, event_callback_body, post, slash_command_body

BOT_TOKEN = "xoxb-socket-mode-test-0123456789"
APP_TOKEN = "xapp-1-A0RESULTS-socket-mode-test-9876543210"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def blocks_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@dataclass
class SocketServed:
    url: str
    slack: FakeSlack
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(self.lines)


@pytest.fixture(scope="module")
def served(loaded_sqlite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketServed]:
    """`resultsbot serve` with SLACK_APP_TOKEN set and no signing secret, on a copy of the bundled store.

    One process for the module: starting it (imports, store, connection) is most of the cost."""
    database = tmp_path_factory.mktemp("socket-mode") / "results.db"
    source = sqlite3.connect(loaded_sqlite.store.engine.url.database)
    with sqlite3.connect(database) as copy:
        source.backup(copy)
    source.close()
    port = free_port()
    with FakeSlack() as slack:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": "",
            "SLACK_API_URL": slack.base_url,
            "PORT": str(port),
            "RESULTSBOT_RESULTS_CHANNEL": "",
            "LOG_LEVEL": "INFO",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        running = SocketServed(f"http://127.0.0.1:{port}", slack, process)
        # Drained as it comes, so a chatty log can never fill the pipe and stall the bot.
        reader = threading.Thread(target=lambda: running.lines.extend(iter(process.stdout.readline, "")), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{running.url}/healthz", timeout=1) as response:
                        assert json.load(response) == {"ok": True}
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(f"serve did not start:\n{running.output}") from None
                    time.sleep(0.2)
            yield running
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            reader.join(timeout=5)
            output = running.output
            assert BOT_TOKEN not in output and APP_TOKEN not in output, output
            # Nor any recognisable part of them (a token cut short in a log line is still a leak).
            assert "socket-mode-test" not in output, output


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
    assert served.process.poll() is None
