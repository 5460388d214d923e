"""POST /ingest over real HTTP: the bearer token guards the store; a good entry is posted at once."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import func, select

from bot.app import create_runtime, dispatch_client, web_client
from bot.bootstrap import Store
from bot.config import Settings
from bot.server import HttpServer
from store.answers import ResultsService
from store.models import Contest, OutboxEntry
from tests.fakeslack import FakeSlack
from tests.results import FAST, posted_results, result
from tests.slack_signing import post

TOKEN = "ingest-token-for-tests-0123456789"


@pytest.fixture
def ingest(engine, sessions):
    with FakeSlack() as slack:
        settings = Settings(
            database_url="sqlite://",
            slack_bot_token="xoxb-test",
            slack_signing_secret="secret",
            slack_api_url=slack.base_url,
            results_channels=("CRESULTS",),
            ingest_token=TOKEN,
        )
        store = Store(engine, sessions, ResultsService(sessions))
        runtime = create_runtime(
            settings,
            store,
            client=web_client(settings),
            dispatcher_client=dispatch_client(settings),
            dispatch_settings=dataclasses.replace(FAST, poll_seconds=5.0),  # only a wake-up makes it quick
        )
        assert runtime.dispatcher is not None
        runtime.dispatcher.start()
        server = HttpServer(runtime.wsgi, host="127.0.0.1", port=0).start()
        try:
            yield server.url, slack, sessions
        finally:
            server.stop()
            runtime.dispatcher.stop()


def send(url: str, body: object, token: str | None = TOKEN) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    raw = body if isinstance(body, str) else json.dumps(body)
    status, _, data = post(f"{url}/ingest", raw, headers)
    return status, json.loads(data)


def stored(sessions) -> tuple[int, int]:
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Contest)),
            session.scalar(select(func.count()).select_from(OutboxEntry)),
        )


def test_a_result_ingested_is_stored_and_posted_at_once(ingest) -> None:
    url, slack, sessions = ingest
    status, body = send(url, result(1))
    assert status == 201 and body["ok"] and body["status"] == "new"
    assert body["queued_channels"] == ["CRESULTS"]
    slack.wait_for("chat.postMessage", timeout=3)  # well before the 5 s poll: the desk woke it
    (message,) = posted_results(slack)
    assert "Testshire 1" in message["text"]
    status, body = send(url, result(1))
    assert status == 200 and body["status"] == "unchanged"
    assert stored(sessions) == (1, 1)


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_a_bad_or_missing_token_is_refused_and_stores_nothing(ingest, token) -> None:
    url, slack, sessions = ingest
    status, body = send(url, result(2), token=token)
    assert status == 401 and not body["ok"]
    assert stored(sessions) == (0, 0)
    assert slack.calls_to("chat.postMessage") == []


def test_an_invalid_body_gets_422_naming_the_fields(ingest) -> None:
    url, _, sessions = ingest
    bad = result(3)
    bad["candidates"][0]["votes"] = -5
    del bad["electorate"]
    bad["election"]["kind"] = "referendum"
    status, body = send(url, bad)
    assert status == 422
    assert set(body["errors"]) >= {"candidates[0].votes", "electorate", "election.kind"}
    status, body = send(url, "{not json")
    assert status == 422 and "body" in body["errors"]
    sums_wrong = result(4)
    sums_wrong["valid_votes"] += 10
    status, body = send(url, sums_wrong)
    assert status == 422 and "valid_votes" in body["errors"]
    assert stored(sessions) == (0, 0)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("candidates[0].votes", 10**30),
        ("candidates[1].votes", 2**63),
        ("electorate", 2**32),
        ("rejected", 10_000_000),
    ],
)
def test_a_count_no_seat_could_have_gets_422_naming_it_not_500(ingest, where, value) -> None:
    url, _, sessions = ingest
    body = result(5)
    if where.startswith("candidates"):
        body["candidates"][int(where[11])]["votes"] = value
    else:
        body[where] = value
    status, answer = send(url, body)
    assert status == 422 and list(answer["errors"]) == [where]
    assert answer["errors"][where].startswith("must be below 10,000,000")
    assert stored(sessions) == (0, 0)


def test_a_body_nested_too_deeply_gets_422_not_500(ingest) -> None:
    url, _, sessions = ingest
    status, answer = send(url, "[" * 50_000 + "]" * 50_000)
    assert status == 422 and answer["errors"] == {"body": "nested too deeply"}
    deep = result(6)
    deep["candidates"][0]["name"] = json.loads("[" * 900 + "]" * 900)  # parses, but is no name
    status, answer = send(url, json.dumps(deep))
    # Named on the field, or on the body when quoting it would recurse too deep: either way a 422.
    assert status == 422 and list(answer["errors"]) in (["candidates[0].name"], ["body"])
    status, answer = send(url, json.dumps(result(6)).replace("70000", "7" * 5000))
    assert status == 422 and "not valid JSON" in answer["errors"]["body"]
    assert stored(sessions) == (0, 0)


def test_votes_sent_as_text_get_422(ingest) -> None:
    url, _, sessions = ingest
    body = result(7)
    body["candidates"][0]["votes"] = "14000"
    body["valid_votes"] = "26000"
    status, answer = send(url, body)
    assert status == 422 and set(answer["errors"]) == {"candidates[0].votes", "valid_votes"}
    assert "must be a JSON number" in answer["errors"]["valid_votes"]
    assert stored(sessions) == (0, 0)


def test_a_declaration_in_the_future_gets_422_with_the_reason_unless_forced(ingest) -> None:
    url, _, sessions = ingest
    body = result(8)
    body["declared_at"] = "2099-12-11T02:00:00+00:00"
    status, answer = send(url, body)
    assert status == 422 and list(answer["errors"]) == ["declared_at"]
    assert "is in the future" in answer["errors"]["declared_at"] and '"force": true' in answer["errors"]["declared_at"]
    assert stored(sessions) == (0, 0)
    status, answer = send(url, {**body, "force": True})
    assert status == 201 and answer["status"] == "new"
