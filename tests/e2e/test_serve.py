"""`resultsbot serve` as it runs in production: its own process, HTTP mode, dispatcher inside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.serving import copy_database, serve_process
from tests.fakeslack import FakeSlack
from tests.results import posted_results, result
from tests.slack_markup import assert_no_live_markup
from tests.slack_signing import post, post_signed, slash_command_body

TOKEN = "serve-ingest-token-0123456789"


def serve_env(slack_api_url: str, *, channel: str = "CRESULTS") -> dict[str, str]:
    """`resultsbot serve` in HTTP mode, talking to the Slack at `slack_api_url`."""
    return {
        "SLACK_BOT_TOKEN": "xoxb-serve-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": slack_api_url,
        "RESULTSBOT_RESULTS_CHANNEL": channel,
        "RESULTSBOT_INGEST_TOKEN": TOKEN,
    }


@pytest.fixture
def served(loaded_sqlite, tmp_path: Path):
    """`resultsbot serve` in HTTP mode on a copy of the bundled store, talking to a fake Slack."""
    database = copy_database(loaded_sqlite.store.engine.url.database, tmp_path / "results.db")
    with FakeSlack() as slack:
        with serve_process(database, serve_env(slack.base_url)) as running:
            yield running.url, slack, running
        output = running.output
        assert "xoxb-serve-test" not in output and SIGNING_SECRET not in output and TOKEN not in output
        assert_no_live_markup(slack)


def test_serve_answers_slack_and_posts_ingested_results(served) -> None:
    url, slack, _ = served
    body = slash_command_body(text="hartlepool 2021 by-election", response_url=slack.response_url("serve"))
    status, _, _ = post_signed(f"{url}/slack/events", SIGNING_SECRET, body)
    assert status == 200
    (reply,) = slack.wait_for("response_url", timeout=10)
    assert "Con GAIN from Lab" in json.dumps(reply.params["blocks"]) and "6,940" in json.dumps(reply.params["blocks"])

    status, _, data = post(
        f"{url}/ingest",
        json.dumps(result(77)),
        {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert status == 201, data
    slack.wait_for("chat.postMessage", timeout=10)
    (posted,) = posted_results(slack)
    assert "Testshire 77" in posted["text"]


def test_a_result_entered_by_another_process_is_answered_within_a_second(loaded_sqlite, tmp_path: Path) -> None:
    """`resultsbot enter` in its own process while `resultsbot serve` runs: /result sees it at once."""
    database = copy_database(loaded_sqlite.store.engine.url.database, tmp_path / "results.db")
    with FakeSlack() as slack, serve_process(database, env := serve_env(slack.base_url, channel="")) as running:

        def ask(name: str) -> str:
            body = slash_command_body(text="testshire 5", response_url=slack.response_url(name))
            assert post_signed(f"{running.url}/slack/events", SIGNING_SECRET, body)[0] == 200
            (reply,) = slack.wait_for("response_url", timeout=10, where=lambda c: c.path.endswith(name))
            return json.dumps(reply.params)

        assert "No seat matches" in ask("before")  # and the server now holds its answers
        for lab, name in ((14_000, "first"), (15_000, "corrected")):
            entered = subprocess.run(
                [sys.executable, "-m", "bot.cli", "enter", "--no-post", "-"],
                input=json.dumps(result(5, lab=lab)),
                env={**os.environ, **env, "DATABASE_URL": f"sqlite:///{database}"},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert entered.returncode == 0, entered.stderr
            time.sleep(1.0)
            assert f"{lab:,}" in ask(name)


def health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_serve_starts_and_takes_results_while_slack_is_unreachable(loaded_sqlite, tmp_path: Path) -> None:
    database = copy_database(loaded_sqlite.store.engine.url.database, tmp_path / "results.db")
    nothing_listens = "http://127.0.0.1:1/api/"  # connection refused
    with serve_process(database, serve_env(nothing_listens), healthy=False) as running:
        status, body = health(running.url)
        assert status == 503 and "slack" in body["problems"] and "database" not in body["problems"]
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
        status, _, answer = post(f"{running.url}/ingest", json.dumps(result(9)), headers)
        assert status == 201, answer  # stored, and its post waits in the outbox
        deadline = time.monotonic() + 10
        while "cannot reach Slack" not in running.output:
            assert time.monotonic() < deadline, running.output
            time.sleep(0.2)
        time.sleep(4)  # several more tries, the same reason: no more lines
        output = running.output
    assert "Traceback" not in output, output
    assert output.count("cannot reach Slack") == 1, output


def test_serve_finds_slack_again_when_it_comes_back(loaded_sqlite, tmp_path: Path) -> None:
    database = copy_database(loaded_sqlite.store.engine.url.database, tmp_path / "results.db")
    with FakeSlack() as slack:
        slack.http_error_next("auth.test", times=3, status=503)
        # serve_process waits until /healthz says ok.
        with serve_process(database, serve_env(slack.base_url, channel="")) as running:
            assert health(running.url) == (200, {"ok": True})
            output = running.output
    assert output.count("cannot reach Slack") == 1 and output.count("Slack is reachable again") == 1, output
