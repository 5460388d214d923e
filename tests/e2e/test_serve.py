"""`resultsbot serve` as it runs in production: its own process, HTTP mode, dispatcher inside."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.serving import INGEST_TOKEN, copy_database, serve_env, serve_process
from tests.fakeslack import Call, FakeSlack
from tests.results import posted_results, result
from tests.slack_markup import assert_no_live_markup
from tests.slack_signing import (
    app_mention_event,
    event_callback_body,
    post,
    post_signed,
    sign,
    slash_command_body,
)


@pytest.fixture
def served(loaded_sqlite, tmp_path: Path):
    """`resultsbot serve` in HTTP mode on a copy of the bundled store, talking to a fake Slack."""
    database = copy_database(loaded_sqlite.store.engine.url.database, tmp_path / "results.db")
    with FakeSlack() as slack:
        with serve_process(database, serve_env(slack.base_url)) as running:
            yield running.url, slack, running
        output = running.output
        assert "xoxb-serve-test" not in output and SIGNING_SECRET not in output and INGEST_TOKEN not in output
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
        {"Authorization": f"Bearer {INGEST_TOKEN}", "Content-Type": "application/json"},
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
        deadline = time.monotonic() + 30
        while "workers" in body["problems"]:  # starting: /ingest would say 503, try again
            assert time.monotonic() < deadline, body
            time.sleep(0.2)
            status, body = health(running.url)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {INGEST_TOKEN}"}
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


def test_a_broken_pipe_does_not_stop_serve(served) -> None:
    """A worker process that dies leaves its pool writing to a pipe nobody reads, and a client may hang up
    mid-answer: the bot carries on serving either way."""
    url, _, running = served
    os.kill(running.process.pid, signal.SIGPIPE)
    time.sleep(0.5)
    assert running.process.poll() is None, running.output
    assert health(url) == (200, {"ok": True})


def worker_processes(pid: int) -> list[int]:
    """The serve process's worker processes (bot.workers), as the OS lists its children."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def test_serve_answers_and_stores_in_worker_processes_once_each(served) -> None:
    url, slack, running = served
    deadline = time.monotonic() + 30
    while len(worker_processes(running.process.pid)) < 4:  # two answering, two storing, by default
        assert time.monotonic() < deadline, running.output
        time.sleep(0.2)
    body = slash_command_body(text="copeland 2017 by-election", response_url=slack.response_url("replayed"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SIGNING_SECRET, body)}
    # A replay of a command is byte for byte the same request: acked both times, answered once, though
    # two workers answer.
    assert [post(f"{url}/slack/events", body, headers)[0] for _ in range(2)] == [200, 200]
    mention = app_mention_event("<@UBOT> who won hartlepool 2021?", ts="1700000100.000100")
    for _ in range(2):  # Slack retries an event with a new signature and the same event_id
        retried = event_callback_body(mention, event_id="EvWorkers")
        assert post_signed(f"{url}/slack/events", SIGNING_SECRET, retried)[0] == 200
    (reply,) = slack.wait_for("response_url", timeout=15)
    assert "Trudy Harrison" in json.dumps(reply.params["blocks"])

    def about_hartlepool(call: Call) -> bool:
        return "Hartlepool" in json.dumps(call.params)

    slack.wait_for("chat.postMessage", timeout=15, where=about_hartlepool)
    time.sleep(1)
    assert len(slack.calls_to("response_url")) == 1
    assert len([c for c in slack.calls_to("chat.postMessage") if about_hartlepool(c)]) == 1

    ingest_headers = {"Authorization": f"Bearer {INGEST_TOKEN}", "Content-Type": "application/json"}
    bad = {**result(31), "valid_votes": 1}
    status, _, data = post(f"{url}/ingest", json.dumps(bad), ingest_headers)
    assert status == 422 and "valid_votes" in json.loads(data)["errors"], data
    assert [post(f"{url}/ingest", json.dumps(result(31)), ingest_headers)[0] for _ in range(2)] == [201, 200]
    slack.wait_for("chat.postMessage", timeout=15, where=lambda c: "Testshire 31" in json.dumps(c.params))


def test_a_worker_process_that_dies_is_replaced(served) -> None:
    url, slack, running = served
    deadline = time.monotonic() + 30
    while len(workers := worker_processes(running.process.pid)) < 4:
        assert time.monotonic() < deadline, running.output
        time.sleep(0.2)
    for worker in workers:
        os.kill(worker, signal.SIGKILL)
    time.sleep(0.5)
    ingest_headers = {"Authorization": f"Bearer {INGEST_TOKEN}", "Content-Type": "application/json"}
    # Until the new workers are up the sender is told 503 and to send it again, as a feed client does.
    deadline = time.monotonic() + 60
    while (status := post(f"{url}/ingest", json.dumps(result(32)), ingest_headers)[0]) == 503:
        assert time.monotonic() < deadline, running.output
        time.sleep(0.5)
    assert status in (200, 201), status
    slack.wait_for("chat.postMessage", timeout=30, where=lambda c: "Testshire 32" in json.dumps(c.params))
    for attempt in range(3):
        body = slash_command_body(text="hartlepool 2021", response_url=slack.response_url(f"after{attempt}"))
        assert post_signed(f"{url}/slack/events", SIGNING_SECRET, body)[0] == 200
    slack.wait_for("response_url", timeout=30)
    assert "worker process" in running.output and "died" in running.output
    # Once the new workers are up, the bot says it is healthy again (a load balancer keeps sending to it).
    deadline = time.monotonic() + 30
    while health(url)[0] != 200:
        assert time.monotonic() < deadline, health(url)
        time.sleep(0.2)
