"""Requests no Slack would send: refused before they are parsed, quietly, and never logged whole."""

from __future__ import annotations

import logging
import time
import urllib.error

import pytest

from tests.e2e.conftest import SIGNING_SECRET, RunningBot
from tests.slack_signing import post, signed_headers, slash_command_body

MARKER = "BODY-MARKER-7f3a"  # in every hostile body: it must never reach a log line


def refused_logs(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (f'[1, "{MARKER}"]', "application/json"),
        ("null", "application/json"),
        ("{" + MARKER, "application/json"),
        (f"payload=notjson{MARKER}", "application/x-www-form-urlencoded"),
        (b"\xff\xfe" + MARKER.encode(), "application/x-www-form-urlencoded"),
    ],
)
def test_unsigned_rubbish_gets_401_and_one_quiet_log_line(bot: RunningBot, caplog, body, content_type) -> None:
    caplog.set_level(logging.INFO)
    status, _, data = post(f"{bot.url}/slack/events", body, {"Content-Type": content_type})
    assert status == 401 and b"Traceback" not in data
    (line,) = refused_logs(caplog)
    assert "refused POST /slack/events" in line.getMessage() and line.exc_info is None
    assert MARKER not in caplog.text
    assert [c.method for c in bot.slack.calls if c.method != "auth.test"] == []


def test_a_timestamp_that_is_not_a_number_is_refused_not_a_500(bot: RunningBot, caplog) -> None:
    body = slash_command_body(text=MARKER, response_url=bot.slack.response_url())
    headers = {**signed_headers(SIGNING_SECRET, body), "X-Slack-Request-Timestamp": "soon"}
    status, _, _ = post(f"{bot.url}/slack/events", body, headers)
    assert status == 401
    assert MARKER not in caplog.text and not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("[1]", "application/json"),
        ("null", "application/json"),
        ("payload=notjson", "application/x-www-form-urlencoded"),
        ("payload=%5B1%5D", "application/x-www-form-urlencoded"),
    ],
)
def test_signed_but_unparsable_gets_400_not_a_traceback(bot: RunningBot, caplog, body, content_type) -> None:
    headers = {**signed_headers(SIGNING_SECRET, body), "Content-Type": content_type}
    status, _, data = post(f"{bot.url}/slack/events", body, headers)
    assert status == 400 and b"Traceback" not in data
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("megabytes", [1.5, 10])
def test_a_huge_body_is_refused_unread_and_unlogged(bot: RunningBot, caplog, megabytes: float) -> None:
    body = MARKER * int(megabytes * 1_000_000 / len(MARKER))
    started = time.monotonic()
    try:
        status, _, _ = post(f"{bot.url}/slack/events", body, {"Content-Type": "application/x-www-form-urlencoded"})
    except urllib.error.URLError as error:
        # Beyond twice the cap waitress answers 413 and hangs up while the client is still sending.
        assert isinstance(error.reason, ConnectionResetError | BrokenPipeError), error
        status = 413
    assert status == 413
    assert time.monotonic() - started < 5
    assert MARKER not in caplog.text
    assert len(caplog.text) < 2_000  # a line, not the body


def test_a_proper_request_still_gets_through(bot: RunningBot) -> None:
    body = slash_command_body(text="copeland 2017 by-election", response_url=bot.slack.response_url())
    status, _, _ = post(f"{bot.url}/slack/events", body, signed_headers(SIGNING_SECRET, body))
    assert status == 200
    (reply,) = bot.slack.wait_for("response_url", timeout=5)
    assert "Con GAIN from Lab" in reply.params["text"]
