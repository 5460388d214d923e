"""A fake Slack served over real HTTP and WebSocket on 127.0.0.1, for tests.

The bot talks to it through an unmodified ``slack_sdk.WebClient`` (point
``base_url`` at ``FakeSlack.base_url``), so request encoding, headers, retries
and timeouts are exercised exactly as they are against slack.com.

    with FakeSlack() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        client.chat_postMessage(channel="C1", text="hi")
        [call] = slack.wait_for("chat.postMessage")

It also plays Slack's side of Socket Mode: ``apps.connections.open`` (with an
app-level ``xapp-`` token) hands out a ``ws://127.0.0.1:<port>/link/?ticket=...``
URL served by a WebSocket server the fake starts on first use, which greets each
connection with Slack's ``hello`` and records what the app sends back.

    envelope = envelope_for(slash_command_body(text="bath", response_url=slack.response_url("cmd")))
    envelope_id = slack.socket_send(envelope)      # waits for the app to be connected
    ack = slack.wait_for_socket_ack(envelope_id)   # {"envelope_id": ..., "payload": ...?}

The modules: ``web_api`` (``FakeSlack``, its HTTP server, the calls it records, its channels and the
Web API methods), ``faults`` (the fault script: ``fail_next``, ``http_error_next``, ``rate_limit_next``,
``hang_next``), ``socket_mode`` (the WebSocket side and the envelope builders) and ``workspace`` (the
ids the fake answers with). This package re-exports their public names.
"""

from tests.fakeslack.socket_mode import SOCKET_HOST_NAME, envelope_for, socket_envelope
from tests.fakeslack.web_api import (
    JSON_FIELDS,
    ApiResponse,
    Call,
    FakeSlack,
    Outcome,
    Responder,
    UploadedFile,
    parse_body,
    ts_key,
)
from tests.fakeslack.workspace import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, TEAM_NAME, TEAM_URL

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "JSON_FIELDS",
    "SOCKET_HOST_NAME",
    "TEAM_ID",
    "TEAM_NAME",
    "TEAM_URL",
    "ApiResponse",
    "Call",
    "FakeSlack",
    "Outcome",
    "Responder",
    "UploadedFile",
    "envelope_for",
    "parse_body",
    "socket_envelope",
    "ts_key",
]
