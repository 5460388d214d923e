"""Build and send requests the way Slack sends them to an app.

Bodies are returned as the exact strings that go on the wire, because the
signature covers the raw body: re-encoding a dict after signing would
silently produce a request Slack could never have sent.

    body = slash_command_body(text="Bath", response_url=slack.response_url("cmd"))
    status, headers, data = post(url, body, signed_headers(SECRET, body))
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any
from urllib.parse import urlencode

TEAM_ID = "T1"
TEAM_DOMAIN = "newsroom"
APP_ID = "A0RESULTS"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
VERIFICATION_TOKEN = "verification-token"  # Deprecated by Slack but still sent in every payload.

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def sign(signing_secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to every request (v0 signing scheme)."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    base = f"v0:{ts}:{body}".encode()
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


def content_type_for(body: str) -> str:
    # Slack sends Events API callbacks as JSON and everything else as a form.
    return JSON if body.lstrip().startswith("{") else FORM


def signed_headers(signing_secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """``sign()`` plus the Content-Type Slack would use for this body."""
    return {"Content-Type": content_type_for(body), **sign(signing_secret, body, timestamp)}


def new_trigger_id() -> str:
    """Slack gives every command and interaction a trigger_id of its own, so no two requests are
    byte for byte the same (the bot drops a repeated signature as a replay)."""
    return f"{time.time():.6f}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:16]}"


def _user(user_id: str) -> dict[str, str]:
    name = f"user-{user_id.lower()}"
    return {"id": user_id, "username": name, "name": name, "team_id": TEAM_ID}


def _team() -> dict[str, str]:
    return {"id": TEAM_ID, "domain": TEAM_DOMAIN}


def _channel_name(channel_id: str) -> str:
    return "directmessage" if channel_id.startswith("D") else f"channel-{channel_id.lower()}"


def slash_command_body(
    command: str = "/result",
    text: str = "",
    user_id: str = "U123",
    channel_id: str = "C123",
    response_url: str = "https://hooks.slack.com/commands/T1/1234567890/abcdef",
    trigger_id: str | None = None,
    team_id: str = TEAM_ID,
) -> str:
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": _channel_name(channel_id),
            "user_id": user_id,
            "user_name": f"user-{user_id.lower()}",
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or new_trigger_id(),
        }
    )


def event_callback_body(event: dict[str, Any], event_id: str = "Ev123", team_id: str = TEAM_ID) -> str:
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "context_team_id": team_id,
            "context_enterprise_id": None,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(float(event.get("event_ts") or time.time())),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{event_id}",
        }
    )


def _rich_text(text: str) -> list[dict[str, Any]]:
    # Real message events carry a rich_text rendering of the text; some handlers read it.
    return [
        {
            "type": "rich_text",
            "block_id": "rt1",
            "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
        }
    ]


def app_mention_event(
    text: str,
    channel: str = "C123",
    user: str = "U123",
    ts: str = "1700000000.000100",
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """An ``app_mention``; the bot mention is prefixed when ``text`` lacks it, as Slack never sends one without."""
    mention = f"<@{BOT_USER_ID}>"
    if mention not in text:
        text = f"{mention} {text}".rstrip()
    event: dict[str, Any] = {
        "type": "app_mention",
        "client_msg_id": f"msg-{ts}",
        "text": text,
        "user": user,
        "ts": ts,
        "blocks": _rich_text(text),
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return event


def dm_message_event(
    text: str,
    channel: str = "D123",
    user: str = "U123",
    ts: str = "1700000000.000100",
) -> dict[str, Any]:
    return {
        "type": "message",
        "client_msg_id": f"msg-{ts}",
        "text": text,
        "user": user,
        "ts": ts,
        "blocks": _rich_text(text),
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
        "channel_type": "im",
    }


def _payload_form(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_actions_body(
    action_id: str,
    value: str,
    user_id: str = "U123",
    channel_id: str = "C123",
    response_url: str = "https://hooks.slack.com/actions/T1/1234567890/abcdef",
    trigger_id: str | None = None,
    container: dict[str, Any] | None = None,
    block_id: str = "actions",
    message_ts: str = "1700000000.000100",
) -> str:
    """A button click on a message the bot posted (override ``container`` for views)."""
    if container is None:
        container = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": container,
        "trigger_id": trigger_id or new_trigger_id(),
        "team": _team(),
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": _channel_name(channel_id)},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": value, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": f"{int(time.time())}.000000",
            }
        ],
    }
    if container.get("type") == "message":
        payload["message"] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": "",
            "ts": container.get("message_ts", message_ts),
            "team": TEAM_ID,
            "blocks": [],
        }
    return _payload_form(payload)


def view_submission_body(
    callback_id: str,
    state_values: dict[str, Any],
    private_metadata: str = "",
    user_id: str = "U123",
    view_id: str = "V123",
    trigger_id: str | None = None,
) -> str:
    """``state_values`` is ``{block_id: {action_id: {"type": ..., "value": ...}}}`` as Slack nests it."""
    payload = {
        "type": "view_submission",
        "team": _team(),
        "user": _user(user_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "view": {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": state_values},
            "hash": f"{int(time.time())}.{view_id}",
            "title": {"type": "plain_text", "text": "resultsbot"},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": {"type": "plain_text", "text": "Cancel"},
            "submit": {"type": "plain_text", "text": "Submit"},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _payload_form(payload)


def post(
    url: str, body: str | bytes, headers: dict[str, str], timeout: float = 10
) -> tuple[int, dict[str, str], bytes]:
    """POST and return ``(status, headers, body)``; 4xx/5xx are returned, not raised.

    Response header names are lower-cased so lookups do not depend on the server's casing.
    """
    data = body.encode("utf-8") if isinstance(body, str) else body
    send_headers = dict(headers)
    if not any(name.lower() == "content-type" for name in send_headers):
        text = body if isinstance(body, str) else body.decode("utf-8", "replace")
        send_headers["Content-Type"] = content_type_for(text)
    request = urllib.request.Request(url, data=data, headers=send_headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def post_signed(
    url: str, signing_secret: str, body: str, timestamp: int | None = None, timeout: float = 10
) -> tuple[int, dict[str, str], bytes]:
    return post(url, body, signed_headers(signing_secret, body, timestamp), timeout=timeout)
