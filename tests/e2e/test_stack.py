"""The production layout (compose.yaml): two `resultsbot serve` replicas and two `resultsbot dispatch`
workers, each a process of its own, sharing one PostgreSQL store. Every result is posted once however
the feed spreads it over the replicas, and a Slack request retried to both replicas is answered once."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store import db
from store.models import DONE, Constituency, Contest, OutboxEntry
from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.serving import INGEST_TOKEN, Served, resultsbot_process, serve_env
from tests.fakeslack import Call, FakeSlack
from tests.results import CHANNEL, posted_results, result, shown_ids
from tests.slack_signing import app_mention_event, event_callback_body, post, sign

# The whole stack starts on an empty store, as on a first `docker compose up`: one process loads the
# bundled results while the others wait, on a machine shared with other test runs.
FIRST_START_SECONDS = 180
DESK_CHANNEL = "CDESKQUESTIONS"


@dataclass
class Stack:
    slack: FakeSlack
    replicas: list[Served]
    dispatchers: list[Served]
    database_url: str
    sessions: sessionmaker[Session]
    processes: ExitStack

    def start_dispatchers(self, count: int) -> None:
        env = serve_env(self.slack.base_url)
        started = [
            self.processes.enter_context(resultsbot_process(["dispatch"], self.database_url, env)) for _ in range(count)
        ]
        deadline = time.monotonic() + FIRST_START_SECONDS
        for dispatcher in started:
            while not re.search(r"dispatcher \S+ started", dispatcher.output):
                assert dispatcher.process.poll() is None, f"dispatch did not start:\n{dispatcher.output}"
                assert time.monotonic() < deadline, dispatcher.output
                time.sleep(0.2)
        self.dispatchers += started

    @property
    def outputs(self) -> list[str]:
        return [process.output for process in self.replicas + self.dispatchers]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """Two serve replicas started at once on an empty PostgreSQL schema, as on a first `docker compose
    up`, told to leave posting to `resultsbot dispatch` (RESULTSBOT_DISPATCH=separate); the dispatchers
    are started by the test that needs them."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("replicas and dispatchers share one store through PostgreSQL (TEST_DATABASE_URL is not set)")
    schema = f"rb_stack_{uuid.uuid4().hex[:8]}"
    url = db.create_schema(os.environ["TEST_DATABASE_URL"], schema)
    engine = db.make_engine(url)
    env = {
        # One worker process of each kind per replica: the production path, on a machine of two cores.
        "RESULTSBOT_WORKERS": "1",
        "RESULTSBOT_DISPATCH": "separate",
    }
    try:
        with FakeSlack() as slack, ExitStack() as processes:
            replicas = [
                processes.enter_context(resultsbot_process(["serve"], url, {**serve_env(slack.base_url), **env}))
                for _ in range(2)
            ]
            for replica in replicas:
                replica.wait_until_healthy(FIRST_START_SECONDS)
            running = Stack(slack, replicas, [], url, db.session_factory(engine), processes)
            yield running
            outputs = running.outputs
    finally:
        engine.dispose()
        db.drop_schema(os.environ["TEST_DATABASE_URL"], schema)
    for output in outputs:
        assert "Traceback" not in output, output
        assert "xoxb-serve-test" not in output and SIGNING_SECRET not in output and INGEST_TOKEN not in output


def ingest(replica: Served, seat: int) -> int:
    headers = {"Authorization": f"Bearer {INGEST_TOKEN}", "Content-Type": "application/json"}
    status, _, answer = post(f"{replica.url}/ingest", json.dumps(result(seat)), headers)
    assert status in (200, 201), answer
    return status


def test_results_spread_over_two_replicas_are_each_posted_once_by_two_dispatchers(stack: Stack) -> None:
    first, second = stack.replicas
    assert ingest(first, 1) == 201
    time.sleep(2)  # the replicas' own dispatchers would have posted it by now
    assert posted_results(stack.slack) == [], "serve posted though RESULTSBOT_DISPATCH=separate"

    stack.start_dispatchers(2)
    alternate = list(range(2, 12))
    for seat in alternate:
        assert ingest(stack.replicas[seat % 2], seat) == 201
    both_at_once = list(range(12, 16))
    with ThreadPoolExecutor(2) as pool:
        for seat in both_at_once:
            statuses = sorted(pool.map(ingest, (first, second), (seat, seat)))
            assert statuses == [200, 201]  # stored once: the other replica found it unchanged
    seats = [1, *alternate, *both_at_once]

    # At Slack's pace the channel may fall behind: then results are folded into digests.
    deadline = time.monotonic() + 60
    while len(shown_ids(stack.slack)) < len(seats):
        assert time.monotonic() < deadline, f"{len(shown_ids(stack.slack))} of {len(seats)} shown"
        time.sleep(0.2)
    time.sleep(2)  # a second post of any of them would come now
    shown = shown_ids(stack.slack)
    assert set(shown.values()) == {1}
    with stack.sessions() as session:
        names = Counter(
            session.scalars(
                select(Constituency.name)
                .join(Contest, Contest.constituency_id == Constituency.id)
                .join(OutboxEntry, OutboxEntry.contest_id == Contest.id)
                .where(OutboxEntry.id.in_(list(shown)))
            )
        )
        states = Counter(session.scalars(select(OutboxEntry.status)))
    assert names == Counter(f"Testshire {seat}" for seat in seats)
    assert states == {DONE: len(seats)}
    # The work was shared: each dispatcher posted some of them.
    for dispatcher in stack.dispatchers:
        assert re.search(r"(posted Testshire \d+ v1|digest of \d+ results) to " + CHANNEL, dispatcher.output), (
            dispatcher.output
        )


def test_a_retried_event_sent_to_both_replicas_at_once_is_answered_once(stack: Stack) -> None:
    event = app_mention_event("who won hartlepool 2021", channel=DESK_CHANNEL, ts="1700000200.000100")
    body = event_callback_body(event, event_id="EvStackRetried")

    def send(attempt: int) -> int:
        headers = {"Content-Type": "application/json", **sign(SIGNING_SECRET, body)}
        if attempt:
            headers |= {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"}
        return post(f"{stack.replicas[attempt % 2].url}/slack/events", body, headers)[0]

    with ThreadPoolExecutor(4) as pool:  # the first try and three retries, alternately to each replica
        assert list(pool.map(send, range(4))) == [200] * 4

    def answer(call: Call) -> bool:
        return call.params.get("channel") == DESK_CHANNEL

    stack.slack.wait_for("chat.postMessage", timeout=30, where=answer)
    time.sleep(2)  # a second answer would come now
    (reply,) = [call for call in stack.slack.calls_to("chat.postMessage") if answer(call)]
    assert "Hartlepool" in reply.params["text"]
