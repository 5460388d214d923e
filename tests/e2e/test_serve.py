"""`resultsbot serve` as it runs in production: its own process, HTTP mode, dispatcher inside."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import SIGNING_SECRET
from tests.fakeslack import FakeSlack
from tests.results import posted_results, result
from tests.slack_signing import post, post_signed, slash_command_body

TOKEN = "serve-ingest-token-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(loaded_sqlite, tmp_path: Path):
    """`resultsbot serve` on a copy of the bundled store, talking to a fake Slack."""
    database = tmp_path / "results.db"
    source = sqlite3.connect(loaded_sqlite.store.engine.url.database)
    with sqlite3.connect(database) as copy:
        source.backup(copy)
    source.close()
    port = free_port()
    with FakeSlack() as slack:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "SLACK_BOT_TOKEN": "xoxb-serve-test",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_APP_TOKEN": "",
            "SLACK_API_URL": slack.base_url,
            "PORT": str(port),
            "RESULTSBOT_RESULTS_CHANNEL": "CRESULTS",
            "RESULTSBOT_INGEST_TOKEN": TOKEN,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                        assert json.load(response) == {"ok": True}
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(f"serve did not start:\n{process.stdout.read()}") from None
                    time.sleep(0.2)
            yield url, slack, process
        finally:
            process.terminate()
            try:
                output, _ = process.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                output, _ = process.communicate()
            assert "xoxb-serve-test" not in output and SIGNING_SECRET not in output and TOKEN not in output
            assert process.returncode == 0, output  # SIGTERM (docker stop) is a clean shutdown


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
