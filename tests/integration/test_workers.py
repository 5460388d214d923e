"""The worker processes of `resultsbot serve` (bot.workers): results stored there as they would be here."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.bootstrap import Store
from bot.config import Settings
from bot.server import TryLater
from bot.workers import Workers
from store.contest_input import InvalidResult
from tests.conftest import database_url
from tests.results import result


def worker_settings(store: Store) -> Settings:
    return Settings(
        database_url=database_url(store.engine),
        slack_bot_token="xoxb-workers",
        slack_signing_secret="workers-signing-secret",
        slack_api_url="http://127.0.0.1:1/api/",  # never called: nothing here talks to Slack
        results_channels=("CRESULTS",),
    )


def ready(workers: Workers, timeout: float = 60) -> Workers:
    deadline = time.monotonic() + timeout
    while workers.problem is not None:
        assert time.monotonic() < deadline, workers.problem
        time.sleep(0.1)
    return workers


def test_results_stored_in_workers_are_validated_and_entered_once(store: Store) -> None:
    workers = Workers(worker_settings(store), 2)
    try:
        # Before the workers are up, a sender is told to try again rather than kept waiting.
        with pytest.raises(TryLater, match="starting"):
            workers.enter_posted(json.dumps(result(40)), True)
        ready(workers.start())

        with pytest.raises(InvalidResult) as refused:
            workers.enter_posted(json.dumps({**result(40), "valid_votes": 1}), True)
        assert "valid_votes" in refused.value.problems

        # A feed, a desk and a retry send the same result at once, to both workers.
        with ThreadPoolExecutor(6) as senders:
            entered = list(senders.map(lambda _: workers.enter_posted(json.dumps(result(40)), True), range(6)))
        assert sorted(e.status for e in entered) == ["new"] + ["unchanged"] * 5
        assert {e.queued_channels for e in entered if e.status == "new"} == {("CRESULTS",)}
        corrected = workers.enter_posted(json.dumps(result(40, lab=15_000)), True)
        assert (corrected.status, corrected.version) == ("corrected", 2)
    finally:
        workers.stop()
    # What the workers stored is what this process answers.
    store.results.refresh()
    answer = store.results.ask("testshire 40")
    assert answer.summary is not None and answer.summary.winner.votes == 15_000


def test_workers_need_a_database_other_processes_can_open() -> None:
    with pytest.raises(ValueError, match="in-memory"):
        Workers(Settings(database_url="sqlite://"), 1)


def test_workers_killed_while_starting_are_started_again(store: Store) -> None:
    workers = Workers(worker_settings(store), 1).start()
    try:
        # Killed before they are ready: no request will ever find these pools broken by submitting
        # to them, because the storing door refuses while a pool says it failed to start.
        for pid in worker_pids():
            os.kill(pid, signal.SIGKILL)
        entered = None
        deadline = time.monotonic() + 90
        while entered is None:
            assert time.monotonic() < deadline, workers.problem
            try:
                entered = workers.enter_posted(json.dumps(result(41)), True)
            except TryLater:  # what /ingest answers 503 Retry-After with: the sender tries again
                time.sleep(0.2)
        assert entered.status == "new"
    finally:
        workers.stop()


def worker_pids() -> list[int]:
    """This process's worker children (spawned by bot.workers), once they exist."""
    deadline = time.monotonic() + 30
    while True:
        children = [p for p in multiprocessing.active_children() if p.name.startswith("SpawnProcess")]
        if len(children) >= 2 or time.monotonic() > deadline:
            return [p.pid for p in children if p.pid is not None]
        time.sleep(0.01)
