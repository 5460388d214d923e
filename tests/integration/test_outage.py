"""The results store out of reach: said plainly, once, and nothing lost or half-done."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from bot.app import create_runtime, dispatch_client
from bot.bootstrap import Store
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.server import HttpServer
from store import db
from store.answers import ResultsService
from tests.results import FAST, result
from tests.slack_signing import post

# Nothing listens on port 1: connections are refused at once, as when the server is down.
DEAD_DATABASE = "postgresql+psycopg://postgres:hunter2@127.0.0.1:1/results"
TOKEN = "outage-ingest-token-0123456789"


@pytest.fixture
def dead_store() -> Store:
    engine = db.make_engine(DEAD_DATABASE)
    sessions = db.session_factory(engine)
    return Store(engine, sessions, ResultsService(sessions))


def test_a_dead_database_at_start_up_is_one_clear_line() -> None:
    for command in (["ask", "copeland"], ["serve"]):
        run = subprocess.run(
            [sys.executable, "-m", "bot.cli", *command],
            env={
                **os.environ,
                "DATABASE_URL": DEAD_DATABASE,
                "SLACK_BOT_TOKEN": "xoxb-outage",
                "SLACK_SIGNING_SECRET": "s",
                "SLACK_APP_TOKEN": "",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 3, run.stderr
        (line,) = run.stderr.strip().splitlines()
        assert line.startswith("resultsbot: cannot reach the database at postgresql+psycopg://postgres:***@127.0.0.1:1")
        assert "hunter2" not in run.stderr and "Traceback" not in run.stderr


def test_health_and_ingest_say_the_store_is_unreachable(dead_store: Store, slack) -> None:
    settings = Settings(
        database_url=DEAD_DATABASE,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_api_url=slack.base_url,
        results_channels=("CRESULTS",),
        ingest_token=TOKEN,
    )
    runtime = create_runtime(settings, dead_store, dispatcher_client=dispatch_client(settings))
    server = HttpServer(runtime.wsgi, host="127.0.0.1", port=0).start()
    try:
        with pytest.raises(urllib.error.HTTPError) as health:
            urllib.request.urlopen(f"{server.url}/healthz", timeout=10)
        assert health.value.code == 503
        assert "database" in json.loads(health.value.read())["problems"]
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
        status, answer_headers, body = post(f"{server.url}/ingest", json.dumps(result(1)), headers)
        assert status == 503 and answer_headers["retry-after"] == "5"
        assert "unreachable" in json.loads(body)["error"]
    finally:
        server.stop()


def test_the_dispatcher_says_once_that_the_store_is_down_and_backs_off(dead_store: Store, slack, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.dispatcher")
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=slack.base_url)
    dispatcher = Dispatcher(dead_store.sessions, dispatch_client(settings), FAST)
    passes = 0
    original = dispatcher.run_once

    def counted() -> int:
        nonlocal passes
        passes += 1
        return original()

    dispatcher.run_once = counted  # type: ignore[method-assign]
    thread = threading.Thread(target=dispatcher.run_forever, daemon=True)
    thread.start()
    time.sleep(3)
    dispatcher.stop()
    thread.join(5)
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(errors) == 1 and "unreachable" in errors[0].getMessage() and errors[0].exc_info is None
    assert "hunter2" not in caplog.text
    assert passes <= 8  # 0.05 s doubling: not one pass every poll
